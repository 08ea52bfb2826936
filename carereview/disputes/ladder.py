"""The dispute resolution ladder (rules.md §5): its stages, and who each stage is addressed to.

The ladder is a setting, `CAREREVIEW["DISPUTE_LADDER"]`: a list of stages, lowest first, each
`{code, label, addressee, working_days}`. The addressee is found from the child's record:

* ``social_worker``: the child's current social worker;
* ``team_manager``: the manager of that worker's team, or failing that the worker's line manager;
* ``line_manager``: the line manager of the previous stage's addressee. Reaching a stage by
  skipping others walks the chain through the skipped stages too.

Nobody found (or someone who could not answer: a closed account, a role that cannot respond) is
refused with a message that names the missing manager, so the IRO or the administrator can act.
"""

from __future__ import annotations

from dataclasses import dataclass

from carereview.core.authority import authority


class NoAddressee(Exception):
    """Nobody can be found to address a stage to; the message says who is missing."""


@dataclass(frozen=True)
class Stage:
    position: int
    code: str
    label: str
    addressee: str
    working_days: int


def stages() -> list[Stage]:
    """The configured ladder, lowest stage first. A malformed setting is a configuration error
    (ImproperlyConfigured from `authority()`; the system check carereview.E001 names it)."""
    return [
        Stage(position, stage.code, stage.label, stage.addressee, stage.working_days)
        for position, stage in enumerate(authority().dispute_ladder)
    ]


def get(code: str) -> Stage | None:
    return next((s for s in stages() if s.code == code), None)


def first() -> Stage:
    return stages()[0]


def labels() -> dict[str, str]:
    """Stage code to label; a code no longer in the ladder shows as itself."""
    return {s.code: s.label for s in stages()}


def label(code: str) -> str:
    return labels().get(code, code)


def above(stage: Stage) -> list[Stage]:
    return [s for s in stages() if s.position > stage.position]


def _name(user) -> str:
    return user.get_full_name() or user.username


def _rung(child, stage: Stage, previous):
    """The person for one stage, given the previous stage's addressee (None at the bottom)."""
    worker = child.current_social_worker
    if stage.addressee in ("social_worker", "team_manager") or previous is None:
        if worker is None:
            raise NoAddressee(
                f"{child.full_name} has no social worker allocated, so {stage.label} has nobody "
                "to address it to. Allocate a social worker first."
            )
    if stage.addressee == "social_worker":
        return worker
    if stage.addressee == "team_manager":
        team = worker.team
        manager = team.manager if team is not None else None
        if manager is not None and manager.pk != worker.pk:
            return manager
        if worker.line_manager is not None:
            return worker.line_manager
        where = f"{team.name} has no team manager" if team is not None else "they have no team"
        raise NoAddressee(
            f"{stage.label} has nobody to address it to: {_name(worker)}'s team manager is "
            f"missing ({where}, and no line manager is recorded for them). Ask the "
            "administrator to record the team manager."
        )
    # line_manager: of the previous stage's addressee (the social worker at the bottom).
    base = previous if previous is not None else worker
    if base.line_manager is None:
        raise NoAddressee(
            f"{stage.label} has nobody to address it to: no line manager is recorded for "
            f"{_name(base)}. Ask the administrator to record {_name(base)}'s line manager."
        )
    return base.line_manager


def _check_can_answer(stage: Stage, user) -> None:
    if not user.is_active:
        raise NoAddressee(
            f"{stage.label} would go to {_name(user)}, whose account is closed. Ask the "
            "administrator to record who now manages this."
        )
    from carereview.core.policy import PERMISSIONS

    if not PERMISSIONS["respond_to_dispute"](user):
        raise NoAddressee(
            f"{stage.label} would go to {_name(user)} ({user.get_role_display()}), who cannot "
            "respond to a dispute. Ask the administrator to record the right manager."
        )


def chain(child, target: Stage, *, after: Stage | None = None, previous=None) -> list:
    """The addressees of every stage above `after` (the bottom if None) up to `target`, in order:
    [(stage, user), ...]. `previous` is the addressee of `after`. Raises NoAddressee."""
    start = after.position + 1 if after is not None else 0
    walked = []
    people_so_far = {previous.pk} if previous is not None else set()
    for stage in stages()[start : target.position + 1]:
        person = _rung(child, stage, previous)
        if person.pk in people_so_far:
            raise NoAddressee(
                f"{stage.label} would go back to {_name(person)}, who was addressed at an "
                "earlier stage: the line management recorded goes round in a circle. Ask the "
                "administrator to correct it."
            )
        people_so_far.add(person.pk)
        walked.append((stage, person))
        previous = person
    if not walked:
        raise NoAddressee(f"{target.label} is not above the current stage.")
    _check_can_answer(target, walked[-1][1])
    return walked


def addressee(child, target: Stage, *, after: Stage | None = None, previous=None):
    """The person `target` is addressed to (see `chain`)."""
    return chain(child, target, after=after, previous=previous)[-1][1]


def preview(child, targets: list[Stage], *, after: Stage | None = None, previous=None) -> dict:
    """For the forms: each stage's addressee, or the reason there is none. {code: (user, why)}."""
    result = {}
    for stage in targets:
        try:
            result[stage.code] = (addressee(child, stage, after=after, previous=previous), "")
        except NoAddressee as missing:
            result[stage.code] = (None, str(missing))
    return result
