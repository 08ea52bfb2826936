"""Who may use the portal for which child, how they were let in, and what they asked for.

Nobody signs up: a member of staff grants a `PortalAccess` for one child to the child, a parent or
a carer, and sends a `PortalInvitation`, a single-use link that expires. Accepting it makes (or
links) the person's sign-in. Revoking the access ends it at once: the scope in core.policy only
counts accesses that are active, and a user left with none is deactivated.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from carereview.accounts.models import Role
from carereview.reviews.models import ScopedQuerySet


class PortalAccessQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(activated_at__isnull=False, revoked_at__isnull=True)

    def of(self, user):
        """A portal user's own active accesses (the children whose portal they may use)."""
        return self.active().filter(user=user, user__is_active=True).visible_to(user, "portal")


class PortalAccess(models.Model):
    """One person's access to the portal for one child: the child themself, a parent or a carer."""

    ROLES = [(Role.CHILD, "The child"), (Role.PARENT, "Parent"), (Role.CARER, "Carer")]

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="portal_accesses"
    )
    # Empty when the access is the child's own.
    person = models.ForeignKey(
        "children.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="portal_accesses",
    )
    role = models.CharField(max_length=10, choices=ROLES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_accesses",
    )
    # A child younger than the setting's age is invited only with an adult's help (ours).
    with_help_from = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)

    objects = PortalAccessQuerySet.as_manager()

    # For display on the staff's portal page, set by portal.views.access (not stored).
    second_step_on: bool
    removal_waiting: "SecondStepRemoval | None"

    class Meta:
        ordering = ["child", "granted_at"]
        constraints = [
            # One live access per person (or the child) per child.
            models.UniqueConstraint(
                fields=["child", "person"],
                condition=models.Q(revoked_at__isnull=True, person__isnull=False),
                name="one_live_access_per_person",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(revoked_at__isnull=True, person__isnull=True),
                name="one_live_access_for_the_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def name(self) -> str:
        return self.child.full_name if self.person_id is None else str(self.person)

    @property
    def first_name(self) -> str:
        if self.person is None:
            return self.child.preferred_name or self.child.first_name
        return self.person.first_name

    @property
    def is_child(self) -> bool:
        return self.person_id is None

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Access ended"
        if self.activated_at:
            return "Using the portal"
        return "Invited"

    def already_sent(self, queryset, **same):
        """What this person already sent that is `same` (the same words, the same day: the
        caller says which fields), from `queryset`, or None. A second press of "Send" (or six
        at once) is the first one, received once. The access row is locked first (call it in
        the transaction that would make the new one), so of two presses at once the second
        waits for the first to commit, then finds it."""
        PortalAccess.objects.select_for_update().filter(pk=self.pk).first()
        return queryset.filter(access=self, **same).order_by("pk").first()


class InvitationScopedQuerySet(ScopedQuerySet):
    child_path = "access__child"


class PortalInvitation(models.Model):
    """A single-use link to set up a sign-in, sent by email or text. Only its hash is kept."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"

    access = models.ForeignKey(PortalAccess, on_delete=models.CASCADE, related_name="invitations")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sent_to = models.CharField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A link to choose a new password, for someone already using the portal.
    resets_password = models.BooleanField(default=False)
    # Sent to an address or number the person had not used with us: they were told at the ones
    # they had (issue 12, item 5).
    to_new_contact = models.BooleanField(default=False)
    # A newer invitation, or revoking the access, cancels any link not yet used.
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["access", "sent_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.access.name} by {self.get_channel_display().lower()}"


class SecondStepRemoval(models.Model):
    """Turning off a person's second step (they lost their phone), asked for by one member of
    staff and approved, or refused, by a different one (issue 12, item 5). Only an approval
    removes it."""

    access = models.ForeignKey(
        PortalAccess, on_delete=models.CASCADE, related_name="second_step_removals"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)

    objects = InvitationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["access", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["access"],
                condition=models.Q(decided_at__isnull=True),
                name="one_waiting_second_step_removal",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="second_step_removal_by_a_second_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Second step removal for {self.access.name}"

    @property
    def is_waiting(self) -> bool:
        return self.decided_at is None


class VisitRequest(models.Model):
    """A child or family member asks the IRO to visit outside reviews; the IRO answers."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="visit_requests"
    )
    access = models.ForeignKey(
        PortalAccess, on_delete=models.PROTECT, related_name="visit_requests"
    )
    iro = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="visit_requests"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    why = models.TextField("what you want to talk about")
    when_suits = models.CharField("when suits you", max_length=300, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField("the IRO's answer", blank=True)
    visit_on = models.DateField("visit arranged for", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    # The answer as this person may read it, set by portal.views.pages (not stored).
    answer_for_them: str

    class Meta:
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"Visit asked for by {self.access.name}"


def portal_scope(user) -> Q:
    """core.policy's "portal" scope: the children `user` holds an active access for, and nothing
    once revoked (moved from core.policy.child_scope; ADR 0013)."""
    live = PortalAccess.objects.filter(
        user=user, activated_at__isnull=False, revoked_at__isnull=True
    )
    return Q(pk__in=live.values("child_id"))
