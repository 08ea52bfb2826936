"""The roles a user has (accounts.models.User.role): what `core.policy` decides access by.

Declared here, below every app, because the policy speaks of them and core imports no app above
it (ADR 0013); `carereview.accounts.models` gives the same names to the rest of the code.
"""

from django.db import models


class Role(models.TextChoices):
    IRO = "iro", "Independent reviewing officer"
    IRO_MANAGER = "iro_manager", "IRO manager"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    # Service managers, heads of service and the director: the upper rungs of the dispute
    # resolution ladder (rules.md §5), reached through line management.
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    BUSINESS_SUPPORT = "business_support", "Business support"
    COMPLAINTS_MANAGER = "complaints_manager", "Complaints manager"
    ADMINISTRATOR = "administrator", "Administrator"
    # Portal roles: reserved for the portal of a later issue.
    CHILD = "child", "Child or young person"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"


STAFF_ROLES = frozenset(
    {
        Role.IRO,
        Role.IRO_MANAGER,
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.SENIOR_MANAGER,
        Role.BUSINESS_SUPPORT,
        Role.COMPLAINTS_MANAGER,
        Role.ADMINISTRATOR,
    }
)
PORTAL_ROLES = frozenset({Role.CHILD, Role.PARENT, Role.CARER})
