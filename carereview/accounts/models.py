"""People who sign in: staff now, and children, parents and carers through the portal later.

One user model for everyone. A staff member has a staff role; a portal user (a later issue) has a
portal role and is linked from the Child or Person record they are. Roles decide what a user may
see and do through `carereview.core.policy`, never through Django's groups or flags.
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# The roles are the access policy's vocabulary, so they live in core (ADR 0013); the names stay
# importable from here.
from carereview.core.roles import PORTAL_ROLES, STAFF_ROLES, Role  # noqa: F401


class Team(models.Model):
    class Kind(models.TextChoices):
        IRO_SERVICE = "iro_service", "IRO service"
        SOCIAL_WORK = "social_work", "Social work"
        SUPPORT = "support", "Support and administration"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    manager = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=Role.choices)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # How children and families reach their IRO (the portal, issue 5).
    mobile = models.CharField("mobile, for text messages", max_length=40, blank=True)
    photo = models.ImageField(upload_to="staff-photos/", blank=True)

    # Reminders and messages (issue 6): by email or by text, where the person has both.
    class Contact(models.TextChoices):
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"

    contact_by = models.CharField(
        "send me reminders by", max_length=10, choices=Contact.choices, default=Contact.EMAIL
    )
    # Full-time equivalence, for caseload per FTE (IRO Handbook: 50-70 children per full-time IRO).
    fte = models.DecimalField(
        "full-time equivalence",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("1.00"))],
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_portal_user(self) -> bool:
        return self.role in PORTAL_ROLES

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES
