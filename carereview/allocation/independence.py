"""IRO independence (Children Act 1989 s25A; CPPCR 2010 Part 8; rules.md §4).

An IRO may not be the child's social worker, anyone who prepares the care plan, manages the case or
controls its resources, nor anyone who line-manages those people. This module says, for one IRO and
one child, every reason the appointment would break that rule, in words a manager can act on.
"""

from carereview.accounts.models import Role


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
    if worker.line_manager_id == iro.pk:
        reasons.append(f"{iro} line-manages the social worker, {worker}.")
    if case_manager is not None and case_manager.line_manager_id == iro.pk:
        reasons.append(f"{iro} line-manages the team manager who manages the case, {case_manager}.")
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
