from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with `changes` applied (for sort links and pagination)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode()


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page, label, what="page", anchor="", drop=""):
    """GOV.UK pagination for a Django `page`: previous, the first, the last and two either side
    of this one (ellipses between), next; as many links with 30 pages as with 3,000. `label`
    names the navigation; `what` ends the hidden text of "Previous"/"Next"; `anchor` is added to
    each link, and the query parameter `drop` is left out of them (say, "refresh")."""
    if not page.has_other_pages():
        return {"page": None}
    query = context["request"].GET.copy()
    if drop:
        query.pop(drop, None)

    def href(number: int) -> str:
        query["page"] = number
        return "?" + query.urlencode() + anchor

    paginator = page.paginator
    items = [
        {"ellipsis": True}
        if n == paginator.ELLIPSIS
        else {"number": n, "href": href(n), "current": n == page.number}
        for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return {
        "page": page,
        "label": label,
        "what": what,
        "items": items,
        "previous": href(page.previous_page_number()) if page.has_previous() else "",
        "next": href(page.next_page_number()) if page.has_next() else "",
    }


@register.inclusion_tag("govuk/sort_header.html", takes_context=True)
def sort_header(context, key, label, numeric=False):
    view = context["v"]
    active = view.sort == key
    next_order = "asc" if active and view.descending else ("desc" if active else "asc")
    query = context["request"].GET.copy()
    query["sort"] = key
    query["order"] = next_order
    query.pop("page", None)
    if active:
        aria = "descending" if view.descending else "ascending"
    else:
        aria = "none"
    return {"href": "?" + query.urlencode(), "label": label, "aria": aria, "numeric": numeric}


def _calendar(context):
    """The working calendar, read once per request (or once per render, for a PDF)."""
    from carereview.core.calendar import working_calendar

    request = context.get("request")
    if request is not None:
        if not hasattr(request, "_carereview_calendar"):
            request._carereview_calendar = working_calendar()
        return request._carereview_calendar
    if "_carereview_calendar" not in context.render_context:
        context.render_context["_carereview_calendar"] = working_calendar()
    return context.render_context["_carereview_calendar"]


@register.simple_tag(takes_context=True)
def due_date(context, day, fmt="j M Y", empty="", not_before=None):
    """A due date as it is (rules.md §1: never moved) and, where it is not a working day, the
    practical deadline beside it: "20 Feb 2027 (not a working day; last working day: Friday
    19 Feb 2027)". Every page that shows a due date shows it with this tag (issue 12 item 16).
    `not_before` keeps the practical deadline from going back past a date (the review a midway
    check follows). `empty` is shown where there is no date."""
    from django.utils.dateformat import format as date_format
    from django.utils.html import format_html

    if not day:
        return empty
    shown = date_format(day, fmt)
    from carereview.core.calendar import practical_deadline_shown

    practical = practical_deadline_shown(day, _calendar(context), not_before)
    if practical is None:
        return shown
    long_fmt = fmt if fmt.startswith("l") else "l " + fmt
    return format_html(
        '{} <span class="govuk-body-s">(not a working day; last working day: {})</span>',
        shown,
        date_format(practical, long_fmt),
    )
