"""A child's case record: the child, their episodes of care (SSDA903 shape) and related people.

Child data is only ever reached through `Child.objects.visible_to(user)` (see core.policy): a view
never queries children, episodes or people unscoped.
"""

from django.conf import settings
from django.db import models

from . import codes


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user, purpose: str = "case") -> "ChildQuerySet":
        """The children `user` may see for `purpose` ("case" or "scheduling"), by core.policy."""
        from carereview.core.policy import child_scope

        return self.filter(child_scope(user, purpose))

    def in_care(self) -> "ChildQuerySet":
        return self.filter(in_care=True)


class Child(models.Model):
    la_child_id = models.CharField("child identifier (903 CHILD)", max_length=20, unique=True)
    upn = models.CharField("unique pupil number", max_length=13, blank=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    preferred_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField()
    # rules.md §7: a child who died before 18 is kept 15 years after death (records.retention).
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=[("M", "Male"), ("F", "Female"), ("U", "Unknown")])
    ethnicity = models.CharField(max_length=4, choices=codes.choices(codes.ETHNIC))
    first_language = models.CharField(max_length=60, default="English")
    has_disability = models.BooleanField(default=False)
    disability_details = models.TextField(blank=True)
    # rules.md §4: under 4 or profoundly disabled, the IRO observes the child where they live.
    profound_disability = models.BooleanField(default=False)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    siblings = models.ManyToManyField("self", symmetrical=True, blank=True)
    # rules.md §4 "same IRO": a looked-after parent and their child have different IROs. The
    # child's mother or father who is (or was) a looked-after child of this authority.
    looked_after_parents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="children_of_looked_after_parent"
    )

    # Current allocations, kept in step with the allocation history by allocation.services.
    current_iro = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="iro_children",
    )
    current_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="social_work_children",
    )

    # A summary derived from episodes and reviews by children.services.refresh_summary.
    in_care = models.BooleanField(default=False)
    looked_after_since = models.DateField(null=True, blank=True)
    current_legal_status = models.CharField(max_length=3, blank=True)
    current_placement = models.CharField(max_length=4, blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    # The child's own sign-in to the portal (a later issue).
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_record",
    )

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["current_iro", "next_review_due"]),
            models.Index(fields=["in_care", "current_iro"]),
            # Issue 7: the caseload counts and "which IROs' children may this manager see" read
            # this index alone (an index-only scan), not the rows of every child of 50 IROs.
            models.Index(
                fields=["current_iro", "next_review_due", "id"],
                condition=models.Q(in_care=True),
                name="child_in_care_iro_due",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def legal_status_label(self) -> str:
        return codes.LS.get(self.current_legal_status, "")

    @property
    def placement_label(self) -> str:
        return codes.PLACE.get(self.current_placement, "")


class Episode(models.Model):
    """One SSDA903 episode: a spell with one legal status and one placement."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="episodes")
    decom = models.DateField("date episode commenced")
    rne = models.CharField("reason for new episode", max_length=1, choices=codes.choices(codes.RNE))
    ls = models.CharField("legal status", max_length=2, choices=codes.choices(codes.LS))
    cin = models.CharField("category of need", max_length=2, choices=codes.choices(codes.CIN))
    place = models.CharField("placement type", max_length=3, choices=codes.choices(codes.PLACE))
    place_provider = models.CharField(
        "placement provider", max_length=3, blank=True, choices=codes.choices(codes.PLACE_PROVIDER)
    )
    dec = models.DateField("date episode ceased", null=True, blank=True)
    rec = models.CharField(
        "reason episode ceased", max_length=3, blank=True, choices=codes.choices(codes.REC)
    )
    reason_place_change = models.CharField(
        max_length=6, blank=True, choices=codes.choices(codes.REASON_PLACE_CHANGE)
    )
    home_post = models.CharField("home postcode district", max_length=10, blank=True)
    pl_post = models.CharField("placement postcode district", max_length=10, blank=True)
    urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    placement_address = models.TextField(blank=True)
    # rules.md §7: a parent never sees a placement address marked confidential.
    address_confidential = models.BooleanField("address confidential from parents", default=False)

    class Meta:
        ordering = ["child", "decom", "id"]
        indexes = [models.Index(fields=["child", "decom"])]

    def __str__(self) -> str:
        return f"{self.decom:%d/%m/%Y} {self.ls} {self.place}"

    @property
    def legal_status_label(self) -> str:
        return codes.LS.get(self.ls, self.ls)

    @property
    def placement_label(self) -> str:
        return codes.PLACE.get(self.place, self.place)

    @property
    def rec_label(self) -> str:
        return codes.REC.get(self.rec, self.rec)


class Person(models.Model):
    """Someone in a child's life: a parent, carer or other significant person."""

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person_record",
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Relationship(models.Model):
    class Kind(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        PARENT = "parent", "Parent"
        CARER = "carer", "Carer"
        SIGNIFICANT = "significant", "Other significant person"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relationships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=120, blank=True, help_text="For example: grandmother")
    parental_responsibility = models.BooleanField(default=False)

    class Meta:
        ordering = ["child", "kind", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["child", "person", "kind"], name="one_kind_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()})"

    @property
    def is_parent(self) -> bool:
        return self.kind in {self.Kind.MOTHER, self.Kind.FATHER, self.Kind.PARENT}
