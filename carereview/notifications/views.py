"""The outbox page (administrators): every message, its status, attempts and last error.

It shows who a message is for and what kind of reminder it is, never its subject or text: those
name a child, and the administrator sees no case content (core.policy).
"""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from .models import Message
from .outbox import stuck_after

PAGE_SIZE = 50

#: What each message is, from the first part of its key (reminders.py, and the services that
#: send documents, portal links and the complaints team's emails).
KINDS = {
    "invitation": "Invitation to a review",
    "decisions": "Decisions of a review",
    "record": "Record of a review",
    "consultation": "Consultation form",
    "portal-link": "Portal sign-in link",
    "representation-received": "Representation acknowledged",
    "representation-team": "New representation, to the complaints team",
    "representation-extended": "Representation reply date extended",
    "advocacy-team": "Request for an advocate, to the complaints team",
    "unbooked": "Review coming due, not booked",
    "unbooked-overdue": "Review overdue, not booked",
    "papers-late": "Papers late",
    "decisions-late": "Decisions not sent",
    "record-late": "Record not sent",
    "decision-due": "Decision due soon",
    "decision-overdue": "Decision overdue",
    "dispute-due": "Dispute response due",
    "dispute-overdue": "Dispute response overdue",
}


def kind(message: Message) -> str:
    return KINDS.get(message.key.split(":", 1)[0], "Message")


def masked(address: str) -> str:
    """An address shown only in part (for a message to someone who is not a user)."""
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}•••@{domain}"
    return "•••" + address[-4:]


def outbox(request):
    status = request.GET.get("status", "")
    if status not in Message.Status.values:
        status = ""
    counts = dict(Message.objects.values_list("status").annotate(n=Count("id")).order_by())
    # Still not sent after OUTBOX_STUCK_AFTER_ATTEMPTS tries: listed first, for a person to look.
    stuck = Message.objects.filter(
        status=Message.Status.RETRYING, attempts__gte=stuck_after()
    ).count()
    messages = (
        Message.objects.select_related("user")
        .annotate(documents=Count("attachments"))
        .order_by("-created_at", "-id")
    )
    if status:
        messages = messages.filter(status=status)
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "message": m,
            "kind": kind(m),
            "to": str(m.user) if m.user else masked(m.to),
        }
        for m in page
    ]
    filters = [("", "All", sum(counts.values()))] + [
        (value, label, counts.get(value, 0)) for value, label in Message.Status.choices
    ]
    return render(
        request,
        "notifications/outbox.html",
        {
            "rows": rows,
            "page": page,
            "status": status,
            "status_label": Message.Status(status).label if status else "",
            "filters": filters,
            "stuck": stuck,
            "stuck_after": stuck_after(),
        },
    )
