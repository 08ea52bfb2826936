"""A child's reviews from booking to record (rules.md §3-4), and what the schedule engine says.

A review is a process (rules.md §3): booked as one meeting or several, prepared through a
checklist and consultation, held, recorded, and its decisions and record sent. `held_on` is the
date of the meeting that completes it (ours); until then it is empty and the review does not move
the clock.
"""

from django.conf import settings
from django.db import models

from carereview.children import codes


class ScopedQuerySet(models.QuerySet):
    """Reached only through the child it belongs to: `visible_to` applies core.policy's scope."""

    child_path = "child"

    def visible_to(self, user, purpose: str = "case"):
        from carereview.children.models import Child

        children = Child.objects.visible_to(user, purpose).values("pk")
        return self.filter(**{f"{self.child_path}__in": children})


class ReviewScopedQuerySet(ScopedQuerySet):
    child_path = "review__child"


class Review(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="reviews")
    # The date of the meeting that completes the review (rules.md §3, ours); empty until held.
    held_on = models.DateField(null=True, blank=True)
    # The next review due date when this review was booked: booking warns against it.
    due_when_booked = models.DateField(null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    # The child's choices (seeds; rules.md §4 "child's choices").
    class Chairing(models.TextChoices):
        IRO = "iro", "The IRO chairs"
        CHILD = "child", "The child chairs"
        CO_CHAIR = "co_chair", "The child and the IRO chair together"

    choice_who = models.TextField("who the child wants to come", blank=True)
    choice_topics = models.TextField("what the child wants to talk about", blank=True)
    choice_where = models.CharField("where the child wants it", max_length=200, blank=True)
    choice_when = models.CharField("when the child wants it", max_length=200, blank=True)
    choice_chairing = models.CharField(max_length=10, choices=Chairing.choices, blank=True)
    # The child may change their choices in the portal until this day (set by the IRO; if empty,
    # a setting's number of working days before the first meeting).
    choices_cutoff = models.DateField(
        "the child can change their choices until", null=True, blank=True
    )
    choices_updated_at = models.DateTimeField(null=True, blank=True)
    choices_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: One more at each save of the choices: a form saved over a change made since it was opened
    #: (the IRO's page and the child's portal at once) is stopped (services.save_choices).
    choices_version = models.PositiveIntegerField(default=0)

    # The meeting record (rules.md §4 "matters", "participation", "decisions").
    wishes_and_feelings = models.TextField(
        "the child's wishes and feelings, in their own words", blank=True
    )
    parents_views = models.TextField("the parents' views", blank=True)
    record_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_updated_at = models.DateTimeField(null=True, blank=True)
    # Optimistic lock: a save names the version it started from; a stale save is refused.
    version = models.PositiveIntegerField(default=0)

    # After the review (rules.md §4 "record", "care plan").
    decisions_sent_on = models.DateField(null=True, blank=True)
    record_sent_on = models.DateField(null=True, blank=True)
    child_letter = models.TextField("letter to the child", blank=True)
    care_plan_explained_on = models.DateField(null=True, blank=True)
    care_plan_copied_on = models.DateField(null=True, blank=True)
    # The updated care plan as copied to the parents (seeds), which they read in the portal.
    care_plan_for_parents = models.TextField(
        "the updated care plan, as given to parents", blank=True
    )
    participation_code = models.CharField(
        max_length=3, blank=True, choices=codes.choices(codes.PARTICIPATION)
    )
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # What the schedule engine computed; refreshed whenever episodes or reviews change.
    counts = models.BooleanField(default=False)
    due_on = models.DateField(null=True, blank=True)
    on_time = models.BooleanField(null=True)
    regime = models.CharField(max_length=20, blank=True)
    sequence = models.PositiveSmallIntegerField(null=True)
    data_error = models.CharField(max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["child", "held_on", "id"]
        indexes = [models.Index(fields=["child", "held_on"])]

    def __str__(self) -> str:
        if self.held_on:
            return f"Review held {self.held_on:%d/%m/%Y}"
        return "Review not yet held"

    @property
    def participation_label(self) -> str:
        return codes.PARTICIPATION.get(self.participation_code, "")


class EarlierReviewRequirement(models.Model):
    """CPPCR reg 33(3): a review required earlier than the schedule, with its reason and date."""

    class Reason(models.TextChoices):
        IRO_REQUEST = "iro_request", "The IRO asked for it"
        WELFARE_NOT_SAFEGUARDED = "reg30_visit", "Social worker visit: welfare not safeguarded"
        REMAND_ENDED = "remand_ended", "End of remand, custody or accommodation"
        PLAN_CHANGE = "plan_change", "Proposed significant change to the care plan (reg 32(2))"

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="earlier_reviews"
    )
    reason = models.CharField(max_length=30, choices=Reason.choices)
    details = models.TextField(blank=True)
    required_by = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["required_by"]

    def __str__(self) -> str:
        from carereview.core.calendar import due_words

        due = due_words(self.required_by, "d/m/Y")
        return f"Review required by {due} ({self.get_reason_display()})"


class Meeting(models.Model):
    """One meeting of a review. Postponing or cancelling never moves the due date (rules.md §3)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Booked"
        HELD = "held", "Held"
        POSTPONED = "postponed", "Postponed"
        CANCELLED = "cancelled", "Cancelled"

    class Change(models.TextChoices):
        NONE = "", "No change asked for"
        POSTPONE = "postpone", "Postpone"
        CANCEL = "cancel", "Cancel"

    class Approval(models.TextChoices):
        NOT_NEEDED = "", "Not needed"
        PENDING = "pending", "Waiting for a manager"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="meetings")
    on = models.DateField("date")
    at = models.TimeField("time")
    venue = models.CharField(max_length=200, blank=True)
    by_video = models.BooleanField(default=False)
    video_details = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    change = models.CharField(max_length=10, choices=Change.choices, blank=True, default="")
    change_reason = models.TextField(blank=True)
    change_new_on = models.DateField(null=True, blank=True)
    change_new_at = models.TimeField(null=True, blank=True)
    change_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval = models.CharField(max_length=10, choices=Approval.choices, blank=True, default="")
    approval_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_decided_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)

    objects = ReviewScopedQuerySet.as_manager()

    class Meta:
        ordering = ["review", "on", "at", "id"]

    def __str__(self) -> str:
        return f"Meeting {self.on:%d/%m/%Y} {self.at:%H:%M} ({self.get_status_display()})"


class ChecklistEntry(models.Model):
    """One item of the IRO's preparation, dated and by whom (rules.md §4; seeds)."""

    class Item(models.TextChoices):
        CHILD_SEEN = "child_seen", "Spoke with the child alone (or observed them where they live)"
        SOCIAL_WORKER_CONTACT = "sw_contact", "In contact with the social worker"
        CARE_PLAN = "care_plan", "Care plan received"
        EDUCATION_PLAN = "pep", "Personal education plan received"
        HEALTH_PLAN = "health_plan", "Health plan received"
        REPORTS_READ = "reports_read", "Reports read"
        PROFESSIONALS = "professionals", "Professionals spoken to"
        FAMILY = "family", "Family spoken to"

    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        SPOKE_ALONE = "spoke_alone", "Spoke with the child alone"
        OBSERVED = "observed", "Observed the child where they live"
        REFUSED = "refused", "The child did not want to"
        AGE = "age", "Not appropriate for the child's age"
        UNDERSTANDING = "understanding", "Not appropriate for the child's understanding"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="checklist")
    item = models.CharField(max_length=20, choices=Item.choices)
    done_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.DONE)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "item"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="one_entry_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} on {self.done_on:%d/%m/%Y}"


class ConsultationForm(models.Model):
    """A consultation form: questions for one audience (seeds; CPPCR reg 35)."""

    class Audience(models.TextChoices):
        CHILD_UNDER_8 = "child_under_8", "Child under 8"
        CHILD_8_11 = "child_8_11", "Child aged 8 to 11"
        CHILD_12_PLUS = "child_12_plus", "Young person aged 12 or over"
        PARENT = "parent", "Parent"
        CARER = "carer", "Carer"

    audience = models.CharField(max_length=20, choices=Audience.choices, unique=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)

    class Meta:
        ordering = ["audience"]

    def __str__(self) -> str:
        return self.title


class ConsultationQuestion(models.Model):
    form = models.ForeignKey(ConsultationForm, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["form", "position"]
        constraints = [
            models.UniqueConstraint(fields=["form", "position"], name="one_question_per_place")
        ]

    def __str__(self) -> str:
        return self.text


class Consultation(models.Model):
    """A consultation form sent to one person for one review, and their answers."""

    class Method(models.TextChoices):
        PAPER = "paper", "On paper"
        EMAIL = "email", "By email"
        ONLINE = "online", "Online (portal)"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="consultations")
    form = models.ForeignKey(ConsultationForm, on_delete=models.PROTECT, related_name="+")
    # Either the child or a related person.
    for_child = models.BooleanField(default=False)
    person = models.ForeignKey(
        "children.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField()
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.PAPER)
    returned_on = models.DateField(null=True, blank=True)
    # Online (issue 5): answers are saved as the person goes, then submitted to the IRO.
    last_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A child chooses whether their social worker may also read what they wrote (issue 5).
    share_with_social_worker = models.BooleanField(default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReviewScopedQuerySet.as_manager()

    class Meta:
        ordering = ["review", "sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.form} sent {self.sent_on:%d/%m/%Y}"

    @property
    def respondent(self) -> str:
        return str(self.review.child) if self.for_child else str(self.person)


class ConsultationAnswer(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ConsultationQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["consultation", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer[:40]}"


class Invitation(models.Model):
    """Someone invited to the review (or the child, or a professional), and whether they came."""

    class Method(models.TextChoices):
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"
        BOTH = "both", "Letter and email"

    class Attendance(models.TextChoices):
        UNKNOWN = "", "Not recorded"
        ATTENDED = "attended", "Came"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Did not come"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="invitations")
    for_child = models.BooleanField(default=False)
    person = models.ForeignKey(
        "children.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=120, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.LETTER)
    sent_on = models.DateField(null=True, blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True, default="")

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    @property
    def name(self) -> str:
        if self.for_child:
            return self.review.child.full_name
        return str(self.person or self.staff or "")

    @property
    def email(self) -> str:
        """Where an emailed copy goes: the child's, the person's or the staff member's address."""
        if self.for_child:
            return self.review.child.email
        who = self.person or self.staff
        assert who is not None, "an invitation is for the child, a person or a member of staff"
        return who.email


class Exclusion(models.Model):
    """A parent not invited, with the reason in writing and a separate meeting offered (seeds)."""

    class Outcome(models.TextChoices):
        WAITING = "", "No answer yet"
        ACCEPTED = "accepted", "Accepted: to meet the IRO separately"
        HELD = "held", "Met the IRO separately"
        DECLINED = "declined", "Declined"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey("children.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField()
    separate_meeting_offered_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    outcome_note = models.TextField(blank=True)
    # The parent asked for the separate meeting through the portal (issue 5); the IRO answers.
    separate_meeting_requested_at = models.DateTimeField(null=True, blank=True)
    separate_meeting_request_note = models.TextField(blank=True)

    objects = ReviewScopedQuerySet.as_manager()

    # For display in the portal, set by portal.views.pages (not stored).
    reason_for_parent: str

    class Meta:
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="one_exclusion_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} not invited"


class MatterConsidered(models.Model):
    """One matter of CPPCR Schedule 7 considered at the review, with the IRO's view."""

    class Matter(models.TextChoices):
        CHANGES = (
            "changes",
            "Changes since the last review, and whether its decisions were carried out",
        )
        LEGAL_STATUS = "legal_status", "Legal status"
        PERMANENCE = "permanence", "The plan for permanence"
        CONTACT = "contact", "Contact and family time"
        PLACEMENT = "placement", "Whether the placement still meets the child's needs"
        EDUCATION = "education", "Education"
        HEALTH = "health", "Health, and the latest health assessment"
        IDENTITY = "identity", "Identity: cultural, religious and linguistic needs"
        LEISURE = "leisure", "Leisure and activities"
        LEAVING_CARE = "leaving_care", "Arrangements for leaving care"
        WISHES = "wishes", "The child's wishes and feelings"
        VISITS = "visits", "How often the social worker visits"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="matters")
    matter = models.CharField(max_length=20, choices=Matter.choices)
    iro_view = models.TextField("the IRO's view")
    # People who must not see this part of the record (rules.md §7): their copy leaves it out.
    hidden_from = models.ManyToManyField("children.Person", blank=True, related_name="+")

    class Meta:
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "matter"], name="one_view_per_matter")
        ]

    def __str__(self) -> str:
        return self.get_matter_display()


class Decision(models.Model):
    """A decision of the review: what, who is responsible and by when (CPPCR reg 36)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("decision")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_decisions",
    )
    owner_description = models.CharField(
        "who is responsible",
        max_length=200,
        blank=True,
        help_text="A person or a role, for example: the foster carer",
    )
    due_on = models.DateField("by when")
    # The decision as the child reads it (their letter, their copy, their portal), written or
    # confirmed by the IRO; empty until then, and never filled from `text` (issue 12 item 24).
    child_wording = models.TextField("the decision in the child's words", blank=True)

    # Tracked between reviews (issue 6): the owner (or the IRO for an owner outside the system)
    # records progress and marks it done with a note.
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress_note = models.TextField(blank=True)
    done_on = models.DateField(null=True, blank=True)
    progress_updated_at = models.DateTimeField(null=True, blank=True)
    progress_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReviewScopedQuerySet.as_manager()

    class Meta:
        ordering = ["review", "due_on", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner else self.owner_description

    def is_overdue(self, on) -> bool:
        return self.status != self.Status.DONE and self.due_on < on


class DecisionUpdate(models.Model):
    """One update of a decision's progress: the history the IRO reads."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=Decision.Status.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class DecisionScoped(ScopedQuerySet):
        child_path = "decision__review__child"

    objects = DecisionScoped.as_manager()

    class Meta:
        ordering = ["decision", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.at:%d/%m/%Y}"


class Dispatch(models.Model):
    """Something sent to someone: an invitation, a letter, the decisions, the record."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        EXCLUSION_LETTER = "exclusion_letter", "Letter giving the reason for not inviting"
        DECISIONS = "decisions", "Decisions of the review"
        RECORD = "record", "Record of the review"
        CHILD_LETTER = "child_letter", "Letter to the child"
        CARE_PLAN = "care_plan", "Updated care plan"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="dispatches")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.CharField(max_length=200)
    person = models.ForeignKey(
        "children.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    for_child = models.BooleanField(default=False)
    method = models.CharField(max_length=10)
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["review", "sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} on {self.sent_on:%d/%m/%Y}"


class PostedLetter(models.Model):
    """A letter business support printed and posted (issue 12, item 21): a dispatch that went on
    paper leaves their list of letters to print and post once marked posted."""

    dispatch = models.OneToOneField(Dispatch, on_delete=models.CASCADE, related_name="posted")
    posted_on = models.DateField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Posted {self.posted_on:%d/%m/%Y}"
