"""IRO independence (Children Act 1989 s25A; CPPCR 2010 Part 8; rules.md §4).

An IRO may not be the child's social worker, anyone who prepares the care plan, manages the case or
controls its resources, nor anyone who line-manages those people: the whole chain of line
management above them, not only its first rung (issue 12, item 11). This module says, for one IRO
and one child, every reason the appointment would break that rule, in words a manager can act on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from carereview.accounts.models import Role, User

if TYPE_CHECKING:
    from carereview.children.models import Child


class LineManagement:
    """Who line-manages whom, read once (one query, whatever the depth): a page that checks every
    IRO against one child reads it once, not once for each IRO and rung."""

    def __init__(self) -> None:
        self._up = dict(
            User.objects.filter(line_manager__isnull=False).values_list("pk", "line_manager_id")
        )

    def above(self, person_id: int) -> list[int]:
        """Everyone above the person in line management, nearest first, to the top. A cycle
        (A manages B manages A) ends the walk at the first person met twice."""
        chain: list[int] = []
        seen = {person_id}
        next_id = self._up.get(person_id)
        while next_id is not None and next_id not in seen:
            seen.add(next_id)
            chain.append(next_id)
            next_id = self._up.get(next_id)
        return chain


def _above(iro, person, direct: str, above: str, lines: LineManagement) -> str | None:
    """The reason `iro` breaks independence by line-managing `person`, directly or higher up."""
    ids = lines.above(person.pk)
    if iro.pk not in ids:
        return None
    if ids[0] == iro.pk:
        return direct
    route_ids = ids[: ids.index(iro.pk) + 1]
    people = User.objects.in_bulk(route_ids)
    route = " → ".join(str(p) for p in [person, *(people[i] for i in route_ids)])
    return f"{iro} is in the line management above {above}: {route}."


def cppcr_part8_independence_conflicts(
    iro, child, *, lines: LineManagement | None = None
) -> list[str]:
    """Every reason `iro` may not be `child`'s IRO; an empty list when they are independent."""
    reasons: list[str] = []
    if iro.role != Role.IRO:
        reasons.append(f"{iro} is not an independent reviewing officer.")
        return reasons
    worker = child.current_social_worker
    if worker is None:
        return reasons
    lines = lines or LineManagement()
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
        lines,
    )
    if found:
        reasons.append(found)
    if case_manager is not None and case_manager.pk != worker.pk:
        found = _above(
            iro,
            case_manager,
            f"{iro} line-manages the team manager who manages the case, {case_manager}.",
            f"the team manager who manages the case, {case_manager}",
            lines,
        )
        if found:
            reasons.append(found)
    return reasons


def conflicts_if_social_worker(worker, child, *, lines: LineManagement | None = None) -> list[str]:
    """The reasons the child's IRO would lose independence were `worker` their social worker."""
    if child.current_iro is None:
        return []
    previous = child.current_social_worker
    child.current_social_worker = worker
    try:
        return cppcr_part8_independence_conflicts(child.current_iro, child, lines=lines)
    finally:
        child.current_social_worker = previous


def looked_after_family(child) -> list[tuple[str, Child]]:
    """The child's looked-after parents and children in care with an IRO: ("parent" or
    "child", the other child)."""
    family = [
        ("parent", p)
        for p in child.looked_after_parents.filter(in_care=True, current_iro__isnull=False)
    ]
    family += [
        ("child", c)
        for c in child.children_of_looked_after_parent.filter(
            in_care=True, current_iro__isnull=False
        )
    ]
    return family


def looked_after_parent_conflicts(iro, child, *, family=None) -> list[str]:
    """IRO Handbook (rules.md §4 "same IRO"): a looked-after parent and their child have
    different IROs. Every reason `iro` may not be `child`'s IRO on that ground."""
    reasons = []
    for kind, other in looked_after_family(child) if family is None else family:
        if other.current_iro_id != iro.pk:
            continue
        if kind == "parent":
            reasons.append(
                f"{iro} is the IRO of {other.first_name}, {child.first_name}'s looked-after "
                "parent: a looked-after parent and their child have different IROs."
            )
        else:
            reasons.append(
                f"{iro} is the IRO of {other.first_name}, the child of {child.first_name}, a "
                "looked-after parent: a looked-after parent and their child have different IROs."
            )
    return reasons


def iro_appointment_conflicts(
    iro, child, *, lines: LineManagement | None = None, family=None
) -> list[str]:
    """Every reason `iro` may not be appointed as `child`'s IRO (rules.md §4): independence of the
    case, and a looked-after parent and their child having different IROs."""
    reasons = cppcr_part8_independence_conflicts(iro, child, lines=lines)
    if iro.role == Role.IRO:
        reasons += looked_after_parent_conflicts(iro, child, family=family)
    return reasons


def iro_checker(child):
    """`iro_appointment_conflicts` for many IROs and one child, reading what it needs once."""
    lines, family = LineManagement(), looked_after_family(child)
    return lambda iro: iro_appointment_conflicts(iro, child, lines=lines, family=family)


def social_worker_checker(child):
    """`conflicts_if_social_worker` for many social workers and one child, reading once."""
    lines = LineManagement()
    return lambda worker: conflicts_if_social_worker(worker, child, lines=lines)
