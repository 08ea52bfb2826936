"""IRO independence (Children Act 1989 s25A; CPPCR 2010 Part 8; rules.md §4).

An IRO may not be the child's social worker, anyone who prepares the care plan, manages the case or
controls its resources, nor anyone who line-manages those people: the whole chain of line
management above them, not only its first rung (issue 12, item 11). This module says, for one IRO
and one child, every reason the appointment would break that rule, in words a manager can act on.
"""

from carereview.accounts.models import Role, User


def line_managers_above(person) -> list:
    """Everyone above `person` in line management, nearest first: their line manager, that
    person's line manager, and so on to the top. A cycle (A manages B manages A) ends the walk
    at the first person met twice. One query per rung."""
    chain = []
    seen = {person.pk}
    next_id = person.line_manager_id
    while next_id is not None and next_id not in seen:
        seen.add(next_id)
        boss = User.objects.only("pk", "first_name", "last_name", "username", "line_manager").get(
            pk=next_id
        )
        chain.append(boss)
        next_id = boss.line_manager_id
    return chain


def _above(iro, person, direct: str, above: str) -> str | None:
    """The reason `iro` breaks independence by line-managing `person`, directly or higher up."""
    chain = line_managers_above(person)
    ids = [p.pk for p in chain]
    if iro.pk not in ids:
        return None
    if ids[0] == iro.pk:
        return direct
    route = " → ".join(str(p) for p in [person, *chain[: ids.index(iro.pk) + 1]])
    return f"{iro} is in the line management above {above}: {route}."


def cppcr_part8_independence_conflicts(iro, child) -> list[str]:
    """Every reason `iro` may not be `child`'s IRO; an empty list when they are independent."""
    reasons: list[str] = []
    if iro.role != Role.IRO:
        reasons.append(f"{iro} is not an independent reviewing officer.")
        return reasons
    worker = child.current_social_worker
    if worker is None:
        return reasons
    if worker.pk == iro.pk:
        reasons.append(f"{iro} is {child.first_name}'s social worker.")
    team = worker.team
    case_manager = team.manager if team else None
    if case_manager is not None and case_manager.pk == iro.pk:
        reasons.append(f"{iro} manages the case: they manage the social worker's team ({team}).")
    found = _above(
        iro,
        worker,
        f"{iro} line-manages the social worker, {worker}.",
        f"the social worker, {worker}",
    )
    if found:
        reasons.append(found)
    if case_manager is not None and case_manager.pk != worker.pk:
        found = _above(
            iro,
            case_manager,
            f"{iro} line-manages the team manager who manages the case, {case_manager}.",
            f"the team manager who manages the case, {case_manager}",
        )
        if found:
            reasons.append(found)
    return reasons


def conflicts_if_social_worker(worker, child) -> list[str]:
    """The reasons the child's IRO would lose independence were `worker` their social worker."""
    if child.current_iro is None:
        return []
    previous = child.current_social_worker
    child.current_social_worker = worker
    try:
        return cppcr_part8_independence_conflicts(child.current_iro, child)
    finally:
        child.current_social_worker = previous


def looked_after_parent_conflicts(iro, child) -> list[str]:
    """IRO Handbook (rules.md §4 "same IRO"): a looked-after parent and their child have
    different IROs. Every reason `iro` may not be `child`'s IRO on that ground."""
    reasons = []
    for parent in child.looked_after_parents.filter(in_care=True, current_iro=iro):
        reasons.append(
            f"{iro} is the IRO of {parent.first_name}, {child.first_name}'s looked-after parent: "
            "a looked-after parent and their child have different IROs."
        )
    for son_or_daughter in child.children_of_looked_after_parent.filter(
        in_care=True, current_iro=iro
    ):
        reasons.append(
            f"{iro} is the IRO of {son_or_daughter.first_name}, the child of {child.first_name}, "
            "a looked-after parent: a looked-after parent and their child have different IROs."
        )
    return reasons


def iro_appointment_conflicts(iro, child) -> list[str]:
    """Every reason `iro` may not be appointed as `child`'s IRO (rules.md §4): independence of the
    case, and a looked-after parent and their child having different IROs."""
    reasons = cppcr_part8_independence_conflicts(iro, child)
    if iro.role == Role.IRO:
        reasons += looked_after_parent_conflicts(iro, child)
    return reasons
