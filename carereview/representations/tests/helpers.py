"""Shared by the representations tests and the portal's help tests."""

from datetime import date

from django.core import mail
from django.utils import timezone

from carereview.core.testing import make_child
from carereview.notifications import outbox
from carereview.portal.testing import make_portal_user

#: A Wednesday before Christmas: stage 1 is due Monday 4 Jan 2027, 20 working days Monday 18 Jan.
RECEIVED = date(2026, 12, 16)
DUE = date(2027, 1, 4)
EXTENDED = date(2027, 1, 18)

HOSTILE_TEXT = "<script>alert('x')</script>"


def on_day(monkeypatch, day: date) -> None:
    """Make `today` (core.calendar.today, via timezone.localdate) the given day."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def family(service, *, mother_email: str = ""):
    """A child with an IRO, and portal sign-ins for the child and for their mother.
    Returns (child, (child_access, child_user), (mother_access, mother_user))."""
    child = make_child(iro=service.iro, social_worker=service.social_worker, dob=date(2017, 4, 2))
    mother = child.relationships.get().person
    if mother_email:
        mother.email = mother_email
        mother.save(update_fields=["email"])
    own = make_portal_user(child, by=service.iro)
    parent = make_portal_user(child, by=service.social_worker, person=mother)
    outbox.deliver_due()  # the portal links, as the worker would
    mail.outbox.clear()
    return child, own, parent
