"""Issue 12 item 23: every document's title and heading are chosen by its kind, in one place
(documents.headings), so no document is headed as another (the exclusion letter was headed as an
invitation)."""

import re
from html import unescape

import pytest

from carereview.documents import headings, invitations, letters, records, release
from carereview.reviews.models import Dispatch


def _title_and_h1(html: str) -> tuple[str, str]:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found is not None
    title = found.group(1)
    (h1,) = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return unescape(title).strip(), unescape(h1).strip()


def _every_document(case):
    """(kind, for the child, html) for every document a review produces, for every recipient."""
    review = case.review
    yield "exclusion_letter", False, invitations.render_exclusion_letter_html(case.exclusion)
    for name, invitation in case.invitations.items():
        yield "invitation", name == "child", invitations.render_invitation_html(review, invitation)
    yield "child_letter", True, letters.render_child_letter_html(review)
    for recipient in records.recipients_for(review):
        version = release.record_version(review, recipient)
        if version is None:
            continue
        child = recipient.kind == "child"
        yield ("child_letter" if child else "record"), child, records.render_record_html(version)
        yield "decisions", child, records.render_decisions_html(version)


@pytest.mark.django_db
def test_every_document_is_headed_as_its_kind(case):
    seen = {}
    for kind, for_child, html in _every_document(case):
        expected = headings.heading_about(
            kind, case.child, for_child=for_child, held_on=case.review.held_on
        )
        assert _title_and_h1(html) == (expected.title, expected.h1), (kind, for_child)
        seen[(kind, for_child)] = expected.h1
    # Every kind a review sends (the care plan is text in the portal, not a document) is here.
    documents = {k for k in Dispatch.Kind.values if k != Dispatch.Kind.CARE_PLAN}
    assert {kind for kind, _ in seen} == documents
    assert set(headings.HEADINGS) == set(seen)
    # No two kinds share a heading, and no heading names another kind's document.
    assert len(set(seen.values())) == len(seen), seen
    for (kind, _), h1 in seen.items():
        if kind != "invitation":
            assert "invitation" not in h1.lower(), (kind, h1)


@pytest.mark.django_db
def test_the_exclusion_letter_says_why_in_its_heading(case):
    html = invitations.render_exclusion_letter_html(case.exclusion)
    title, h1 = _title_and_h1(html)
    assert h1 == f"Why you are not invited to the review meeting for {case.child.full_name}"
    assert title == h1
    assert "Your invitation" not in html
