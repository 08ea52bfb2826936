"""Each recipient's version of the record: what it holds and what it leaves out (rules.md §7)."""

from html import unescape

from carereview.core.authority import authority
from carereview.documents.pdf import html_to_pdf
from carereview.documents.records import (
    Recipient,
    recipients_for,
    render_decisions_html,
    render_decisions_pdf,
    render_record_html,
    render_record_pdf,
)
from carereview.documents.release import record_version

from .conftest import ADDRESS_LINE, HIDDEN_FROM_CARER, HIDDEN_FROM_MOTHER, POSTCODE


def _recipient(case, person):
    return next(r for r in recipients_for(case.review) if r.person == person)


def _full(case):
    return next(r for r in recipients_for(case.review) if r.staff == case.service.iro)


def test_recipients_have_their_kinds(case):
    kinds = {(r.kind, r.name) for r in recipients_for(case.review)}
    assert kinds == {
        ("child", "Robin Quenby"),
        ("parent", "Morgan Quenby"),
        ("parent", "Felix Quenby"),
        ("carer", "Cara Holt"),
        ("other", "Greta Quenby"),
        ("full", str(case.service.iro)),
        ("full", str(case.service.social_worker)),
    }


def test_recipients_have_keys_for_urls(case):
    keys = {r.key for r in recipients_for(case.review)}
    assert keys == {
        "child",
        f"person-{case.mother.pk}",
        f"person-{case.father.pk}",
        f"person-{case.carer.pk}",
        f"person-{case.gran.pk}",
        f"staff-{case.service.iro.pk}",
        f"staff-{case.service.social_worker.pk}",
    }


def test_a_parent_excluded_from_the_review_gets_no_version(case):
    assert record_version(case.review, _recipient(case, case.father)) is None


def test_a_parent_never_sees_the_confidential_address_nor_a_matter_hidden_from_them(case):
    version = record_version(case.review, _recipient(case, case.mother))
    assert version is not None
    assert version.kind == "parent"
    assert version.placement_address is None
    assert "contact" not in [m.matter for m in version.matters]
    html = unescape(render_record_html(version))
    for secret in (ADDRESS_LINE, POSTCODE, HIDDEN_FROM_MOTHER, "Contact and family time"):
        assert secret not in html
    for secret in (ADDRESS_LINE, POSTCODE, HIDDEN_FROM_MOTHER):
        assert all(secret not in str(value) for value in vars(version).values())
    # What they may see is there, with the address taken out of the IRO's words.
    assert "Placement address" not in html
    assert "[address withheld]" in html and "is settled in year 5" in html
    assert HIDDEN_FROM_CARER in html
    assert "Robin will start swimming lessons" in html
    assert authority().authority_name in html
    # rules.md §7 (ours, default): the carer's name is left out where the address is hidden.
    assert "Morgan Quenby (Mother)" in html and "The child's carer" in html
    assert "Cara Holt" not in html
    assert "PN1: Child attends and speaks for themselves" in html
    assert "Some parts of the record are not included in this copy." in html
    # The version says what was withheld, without repeating it.
    assert "Placement address (confidential from parents)" in version.omitted
    assert "Matter not shared with this person: Contact and family time" in version.omitted
    assert any("the IRO's view on Education" in o for o in version.omitted)
    assert not any(ADDRESS_LINE in o or HIDDEN_FROM_MOTHER in o for o in version.omitted)


def test_a_parent_sees_an_address_that_is_not_confidential(case):
    case.child.episodes.update(address_confidential=False)
    version = record_version(case.review, _recipient(case, case.mother))
    assert version is not None and version.placement_address is not None
    assert version.placement_address.startswith(ADDRESS_LINE)
    assert ADDRESS_LINE in unescape(render_record_html(version))
    assert version.omitted == ["Matter not shared with this person: Contact and family time"]


def test_a_carer_sees_the_address_but_not_what_is_hidden_from_them(case):
    version = record_version(case.review, _recipient(case, case.carer))
    assert version is not None
    assert version.kind == "carer"
    html = unescape(render_record_html(version))
    assert ADDRESS_LINE in html and POSTCODE in html
    assert f"Robin walks to school from {ADDRESS_LINE}" in html
    assert HIDDEN_FROM_MOTHER in html
    assert HIDDEN_FROM_CARER not in html and "Leisure and activities" not in html
    assert version.omitted == ["Matter not shared with this person: Leisure and activities"]


def test_another_significant_person_does_not_see_the_confidential_address(case):
    version = record_version(case.review, _recipient(case, case.gran))
    assert version is not None
    assert version.kind == "other"
    assert version.placement_address is None
    html = unescape(render_record_html(version))
    assert ADDRESS_LINE not in html and POSTCODE not in html
    assert HIDDEN_FROM_MOTHER in html and HIDDEN_FROM_CARER in html


def test_the_full_version_has_everything_in_schedule_7_order(case):
    version = record_version(case.review, _full(case))
    assert version is not None
    assert version.kind == "full"
    assert version.omitted == []
    assert [m.matter for m in version.matters] == [
        "changes",
        "contact",
        "education",
        "health",
        "leisure",
    ]
    assert version.placement == "Foster placement with other foster carer (long term)"
    assert version.participation_code == "PN1"
    assert version.attended == [
        "Robin Quenby (the child)",
        "Morgan Quenby (Mother)",
        f"{case.service.social_worker} (Social worker)",
    ]
    assert version.apologies == ["Cara Holt (Carer)"]
    assert [(d.text, d.owner_label) for d in version.decisions] == [
        ("Robin will start swimming lessons", "the foster carer"),
        ("Plan a day out with Gran", str(case.service.social_worker)),
        ("Check the school plan is working", str(case.service.iro)),
    ]
    assert version.next_review_due == case.child.next_review_due
    html = unescape(render_record_html(version))
    for text in (
        ADDRESS_LINE,
        POSTCODE,
        HIDDEN_FROM_MOTHER,
        HIDDEN_FROM_CARER,
        "I like living with Cara.",
        "Morgan wants more family time.",
        f"{case.child.next_review_due:%-d %B %Y}",
        "Foster placement with other foster carer (long term)",
    ):
        assert text in html
    assert "not included in this copy" not in html


def test_the_child_gets_the_letter_not_the_record(case):
    version = record_version(case.review, Recipient("child", "Robin Quenby"))
    assert version is not None
    assert version.kind == "child"
    assert version.body.startswith("Dear Robin,")
    assert version.matters == [] and version.placement_address is None
    html = unescape(render_record_html(version))
    assert "Dear Robin," in html
    assert HIDDEN_FROM_MOTHER not in html and "Matters considered" not in html

    case.review.child_letter = "Dear Robin,\n\nThis is the letter as your IRO wrote it."
    case.review.save()
    version = record_version(case.review, Recipient("child", "Robin Quenby"))
    assert version is not None
    assert "as your IRO wrote it" in unescape(render_record_html(version))


def test_the_decisions_on_their_own(case):
    version = record_version(case.review, _recipient(case, case.mother))
    assert version is not None
    html = unescape(render_decisions_html(version))
    assert "Plan a day out with Gran" in html
    assert HIDDEN_FROM_CARER not in html and "I like living with Cara" not in html


def test_record_pdfs_are_valid_for_every_recipient(case):
    for recipient in recipients_for(case.review):
        version = record_version(case.review, recipient)
        if version is None:
            continue
        for pdf in (render_record_pdf(version), render_decisions_pdf(version)):
            assert pdf.startswith(b"%PDF-")
            assert len(pdf) > 1024


def test_record_pdf_is_accessible(case):
    version = record_version(case.review, _full(case))
    assert version is not None
    pdf = html_to_pdf(render_record_html(version), uncompressed=True)
    assert b"/Lang (en-GB)" in pdf
    assert b"/StructTreeRoot" in pdf and b"/Marked true" in pdf  # tagged
    assert b"/DisplayDocTitle true" in pdf
    assert b"pdfuaid" in pdf  # declares PDF/UA
    assert b"Child in Care Review record: Robin Quenby" in pdf  # the title (XMP)
    assert b"/MediaBox [0 0 595" in pdf  # A4: 595 x 842 points
