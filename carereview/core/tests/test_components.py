"""GOV.UK components as one layer (issue 13 item 2, ADR 0015): the tags render the GOV.UK markup,
a status has one colour, and no page writes a component's markup by hand."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from carereview.core.components import STATUS_COLOURS, UnknownStatus, colour_of

ROOT = Path(__file__).resolve().parents[2]  # the carereview package
COMPONENTS = ROOT / "core" / "templates" / "govuk"

# The components whose markup only their templates or tags (core/templatetags/components.py)
# write. Any of these block classes in a page's template means hand-written markup came back.
OWNED = (
    "govuk-summary-list",
    "govuk-summary-card",
    "govuk-table",
    "govuk-tag",
    "govuk-task-list",
    "govuk-service-navigation",
    "govuk-notification-banner",
    "govuk-inset-text",
    "govuk-warning-text",
    "govuk-panel",
    "govuk-back-link",
    "govuk-details",
)
HAND_WRITTEN = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in OWNED) + r")(?![-\w])"
    # The back link's landmark is the component's too.
    r'|(<nav aria-label="Back")'
)

# Templates allowed to write one of those classes, each with the reason. Keep this short.
ALLOWED: dict[str, str] = {}


def render(source: str, **context) -> str:
    return Template("{% load components %}" + source).render(Context(context))


def squash(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def page_templates():
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        if COMPONENTS in path.parents:
            continue
        yield path


def test_no_page_writes_a_components_markup_by_hand():
    found = []
    for path in page_templates():
        name = str(path.relative_to(ROOT))
        if name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for match in HAND_WRITTEN.finditer(line):
                found.append(f"{name}:{number}: {match.group(0)}")
    assert not found, (
        "Use the component tags ({% load components %}), not hand-written markup:\n"
        + ("\n".join(found))
    )


def test_the_scan_finds_hand_written_markup():
    # The pattern the scan uses catches a block class, not its elements or a look-alike.
    assert HAND_WRITTEN.search('<dl class="govuk-summary-list">')
    assert HAND_WRITTEN.search('<strong class="app-x govuk-tag govuk-tag--red">')
    assert HAND_WRITTEN.search('<a class="govuk-back-link" href="/">')
    assert HAND_WRITTEN.search('<nav aria-label="Back">{% back_link u %}')
    assert not HAND_WRITTEN.search('<dt class="govuk-summary-list__key">')
    assert not HAND_WRITTEN.search('<td class="govuk-table__cell">')
    assert not HAND_WRITTEN.search('<p class="govuk-tagline">')


def test_every_allowed_template_still_exists_and_says_why():
    for name, reason in ALLOWED.items():
        assert (ROOT / name).exists(), name
        assert reason.strip(), name


# Tags -------------------------------------------------------------------------------------------


def test_a_status_has_one_colour_whatever_its_case():
    assert colour_of("Late") == colour_of("late") == "red"
    assert colour_of("Completed") == "green"
    assert colour_of("carried_out") == colour_of("Carried out") == "grey"
    assert render('{% tag "Late" %}') == '<strong class="govuk-tag govuk-tag--red">Late</strong>'
    assert render('{% tag_text "Overdue" %}Overdue {{ n }} days{% endtag_text %}', n=3) == (
        '<strong class="govuk-tag govuk-tag--red">Overdue 3 days</strong>'
    )


def test_an_unknown_status_is_an_error_not_a_guess():
    with pytest.raises(UnknownStatus):
        colour_of("Something new")
    with pytest.raises(UnknownStatus):
        render("{% tag s %}", s="Something new")


def test_each_status_is_listed_once():
    from carereview.core import components

    listed = [s.casefold() for statuses in components._BY_COLOUR.values() for s in statuses]
    assert len(listed) == len(set(listed)) == len(STATUS_COLOURS)


def test_every_status_a_template_names_has_a_colour():
    named = set()
    for path in page_templates():
        named |= set(re.findall(r'\{% tag(?:_text)? "([^"]+)"', path.read_text()))
    assert named, "the scan found no statuses"
    assert not {s for s in named if s.casefold() not in STATUS_COLOURS}


def test_the_review_stages_and_model_statuses_have_colours():
    from carereview.notifications.models import Message
    from carereview.records.models import RetentionProposal
    from carereview.reviews.presenters import STAGES

    for status in [*STAGES, "Not booked", *Message.Status.values]:
        colour_of(status)
    for status in RetentionProposal.Status.values:
        colour_of(status)


# Summary list -----------------------------------------------------------------------------------


def test_a_summary_row_with_an_action_names_its_key_for_screen_readers():
    html = render(
        '{% summary_list %}{% summary_row "Date of birth" href="/change/" %}1 May 2012'
        '{% endsummary_row %}{% summary_row "Name" %}Alex{% endsummary_row %}{% endsummary_list %}'
    )
    assert squash(html) == (
        '<dl class="govuk-summary-list">'
        '<div class="govuk-summary-list__row">'
        '<dt class="govuk-summary-list__key">Date of birth</dt>'
        '<dd class="govuk-summary-list__value">1 May 2012</dd>'
        '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="/change/">Change'
        '<span class="govuk-visually-hidden"> date of birth</span></a></dd></div>'
        '<div class="govuk-summary-list__row govuk-summary-list__row--no-actions">'
        '<dt class="govuk-summary-list__key">Name</dt>'
        '<dd class="govuk-summary-list__value">Alex</dd></div></dl>'
    )


def test_a_summary_list_without_actions_has_no_no_actions_rows():
    html = render(
        '{% summary_list %}{% summary_row "Name" %}Alex{% endsummary_row %}{% endsummary_list %}'
    )
    assert "--no-actions" not in html and "\x00" not in html


def test_a_summary_row_action_words_and_hidden_text_can_be_given():
    html = render(
        '{% summary_list %}{% summary_row "Record sent" href="/send/" action="Send" '
        'hidden="the record" %}Not yet{% endsummary_row %}{% endsummary_list %}'
    )
    assert 'href="/send/">Send<span class="govuk-visually-hidden"> the record</span></a>' in html


def test_the_summary_card_has_its_title_and_what_goes_beside_it():
    html = squash(
        render(
            '{% summary_card "Mother" heading_level=3 aside=status %}{% summary_list %}'
            '{% summary_row "Name" %}Sam{% endsummary_row %}{% endsummary_list %}'
            "{% endsummary_card %}",
            status="Invited",
        )
    )
    assert html.startswith(
        '<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper">'
        '<h3 class="govuk-summary-card__title">Mother</h3>Invited</div>'
        '<div class="govuk-summary-card__content"><dl class="govuk-summary-list">'
    )


def test_a_summary_key_is_escaped():
    html = render(
        "{% summary_list %}{% summary_row k %}v{% endsummary_row %}{% endsummary_list %}", k="<b>"
    )
    assert "&lt;b&gt;" in html and "<b>" not in html


# Table ------------------------------------------------------------------------------------------


def test_a_tables_headers_have_their_scope_and_numbers_align():
    html = render(
        '{% table classes="app-table--compact" %}{% caption size="s" %}Caseload{% endcaption %}'
        "{% thead %}{% tr %}{% th %}Name{% endth %}{% th numeric=True %}Children{% endth %}"
        "{% endtr %}{% endthead %}{% tbody %}{% tr %}{% th row=True %}Sam{% endth %}"
        '{% td numeric=True data_sort="3" %}3{% endtd %}{% endtr %}{% endtbody %}{% endtable %}'
    )
    wrapper = re.fullmatch(
        r'<div class="app-table-container" role="region" aria-labelledby="(table-caption-\w+)" '
        r'tabindex="0">(.*)</div>',
        html,
    )
    assert wrapper, html
    caption_id, html = wrapper.groups()
    assert html == (
        '<table class="govuk-table app-table--compact">'
        f'<caption id="{caption_id}" class="govuk-table__caption govuk-table__caption--s">'
        "Caseload</caption>"
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Name</th>'
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Children</th>'
        '</tr></thead><tbody class="govuk-table__body"><tr class="govuk-table__row">'
        '<th scope="row" class="govuk-table__header">Sam</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric" data-sort="3">3</td>'
        "</tr></tbody></table>"
    )


def test_a_wide_table_scrolls_in_its_own_region_named_by_its_caption():
    """WCAG 1.4.10: the table scrolls inside a focusable region, never the page; the region is
    named by the caption, whose id is unique to each table on the page."""
    source = "{% table %}{% caption %}Reviews{% endcaption %}{% endtable %}"
    first, second = render(source + source).split("</div>")[:2]
    found = [re.search(r'aria-labelledby="([^"]+)"', part) for part in (first, second)]
    ids = [match.group(1) for match in found if match]
    assert len(ids) == 2
    assert ids[0] != ids[1]
    for part, caption_id in zip((first, second), ids, strict=True):
        assert f'<caption id="{caption_id}" class="govuk-table__caption">Reviews</caption>' in part
    # No caption: the container still scrolls, but is no named region.
    bare = render("{% table %}{% tbody %}{% endtbody %}{% endtable %}")
    assert bare.startswith('<div class="app-table-container"><table class="govuk-table">')


def test_a_header_cell_takes_no_scope_of_its_own():
    with pytest.raises(TypeError):
        render('{% th scope="row" %}Due{% endth %}')


def test_a_hidden_caption_stays_for_screen_readers():
    html = render("{% caption hidden=True %}Meetings{% endcaption %}")
    assert html == '<caption class="govuk-table__caption govuk-visually-hidden">Meetings</caption>'


def test_attribute_values_are_escaped():
    html = render("{% td id=x %}.{% endtd %}", x='"><script>')
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


# Task list --------------------------------------------------------------------------------------


def test_the_task_list_links_each_task_to_its_status():
    tasks = [
        {
            "title": "Care plan received",
            "href": "/care-plan/",
            "hint": ["Due by 3 Dec"],
            "status": "Late",
        },
        {"title": "Reports read", "href": "/reports/", "status": "Completed"},
        {"title": "Record the review", "status": "Cannot start yet"},
    ]
    html = squash(render('{% task_list tasks id_prefix="checklist" %}', tasks=tasks))
    assert (
        '<li class="govuk-task-list__item govuk-task-list__item--with-link">'
        '<div class="govuk-task-list__name-and-hint">'
        '<a class="govuk-link govuk-task-list__link" href="/care-plan/" '
        'aria-describedby="checklist-1-hint checklist-1-status">Care plan received</a>'
        '<div id="checklist-1-hint" class="govuk-task-list__hint">Due by 3 Dec</div></div>'
        '<div class="govuk-task-list__status" id="checklist-1-status">'
        '<strong class="govuk-tag govuk-tag--red">Late</strong></div></li>'
    ) in html
    assert '<div class="govuk-task-list__status" id="checklist-2-status">Completed</div>' in html
    assert '<li class="govuk-task-list__item"><div class="govuk-task-list__name-and-hint">' in html
    assert (
        'class="govuk-task-list__status govuk-task-list__status--cannot-start-yet" '
        'id="checklist-3-status">Cannot start yet</div>'
    ) in html


# Service navigation -----------------------------------------------------------------------------


def test_the_service_navigation_has_the_menu_toggle_hidden_until_javascript_shows_it():
    items = [
        {"href": "/", "text": "My caseload", "current": True},
        {"href": "/r/", "text": "Requests"},
    ]
    html = render(
        '{% service_navigation "Independent reviewing service" "/" items sign_out="/out/" '
        'sign_out_hidden="Sam Smith" %}',
        items=items,
    )
    assert 'data-module="govuk-service-navigation"' in html
    assert (
        '<button type="button" class="govuk-service-navigation__toggle '
        'govuk-js-service-navigation-toggle" aria-controls="navigation" hidden>Menu</button>'
    ) in html
    assert '<ul class="govuk-service-navigation__list" id="navigation">' in html
    assert (
        'aria-current="page"><strong class="govuk-service-navigation__active-fallback">My caseload'
        in html
    )
    assert 'Sign out<span class="govuk-visually-hidden"> Sam Smith</span>' in html


@pytest.mark.django_db
def test_the_staff_site_has_the_menu_toggle_too(client, service):
    client.force_login(service.iro)
    html = client.get("/", follow=True).content.decode()
    assert "govuk-js-service-navigation-toggle" in html
    assert 'aria-controls="navigation"' in html and 'id="navigation"' in html


def test_the_front_end_starts_service_navigation():
    init = (ROOT / "core" / "static" / "js" / "init.js").read_text()
    assert "initAll()" in init  # initAll starts every data-module, ServiceNavigation among them


# Small components -------------------------------------------------------------------------------


def test_back_link_inset_warning_banner_panel_details():
    assert render('{% back_link "/x/" %}Back{% endback_link %}') == (
        '<nav aria-label="Back"><a href="/x/" class="govuk-back-link">Back</a></nav>\n'
    )
    assert render("{% inset_text %}Note{% endinset_text %}").strip() == (
        '<div class="govuk-inset-text">Note</div>'
    )
    warning = render("{% warning_text %}Late{% endwarning_text %}")
    assert '<span class="govuk-visually-hidden">Warning</span> Late</strong>' in warning
    banner = squash(
        render(
            "{% notification_banner success=True heading=m %}{% endnotification_banner %}",
            m="Saved.",
        )
    )
    assert (
        'class="govuk-notification-banner govuk-notification-banner--success" role="alert"'
        in banner
    )
    assert '<p class="govuk-notification-banner__heading">Saved.</p>' in banner
    panel = squash(render('{% panel title="Sent" heading_level=2 %}Ref 1{% endpanel %}'))
    assert panel == (
        '<div class="govuk-panel govuk-panel--confirmation">'
        '<h2 class="govuk-panel__title">Sent</h2>'
        '<div class="govuk-panel__body">Ref 1</div></div>'
    )
    details = squash(render('{% details summary="Help" %}Text{% enddetails %}'))
    assert '<span class="govuk-details__summary-text">Help</span>' in details


def test_capture_keeps_markup_for_an_argument():
    html = render(
        '{% capture "title" %}{% if a %}One{% else %}Two{% endif %}{% endcapture %}'
        "{% panel title=title %}{% endpanel %}",
        a=False,
    )
    assert '<h1 class="govuk-panel__title">Two</h1>' in html
