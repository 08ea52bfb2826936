"""GOV.UK Frontend components as template tags (ADR 0015): pages use these, the components own the
markup. `{% load components %}`, then for example:

    {% tag "Late" %}                                   a status in its one colour
    {% tag_text "Overdue" %}Overdue 3 days{% endtag_text %}
    {% summary_list %}
      {% summary_row "Name" href=change_url %}{{ child.full_name }}{% endsummary_row %}
    {% endsummary_list %}
    {% table classes="app-table--compact" %}
      {% caption size="s" %}Meetings{% endcaption %}
      {% thead %}{% tr %}
        {% th %}When{% endth %}{% th numeric=True %}Days{% endth %}
      {% endtr %}{% endthead %}
      {% tbody %}{% for m in meetings %}{% tr %}
        {% th row=True %}…{% endth %}{% td numeric=True %}…{% endtd %}
      {% endtr %}{% endfor %}{% endtbody %}
    {% endtable %}
    {% task_list tasks %}
    {% back_link url %}Back to the child{% endback_link %}
    {% inset_text %}…{% endinset_text %}   {% warning_text %}…{% endwarning_text %}
    {% notification_banner title="Important" %}…{% endnotification_banner %}
    {% panel title="Sent" %}…{% endpanel %}   {% details summary="Help" %}…{% enddetails %}

The table's parts are rendered in Python (a caseload has thousands of cells); the larger
components are templates under govuk/. Every tag takes `classes` (added to the component's own)
and other keyword arguments as HTML attributes (`id`, `data_x` → data-x, `aria_x` → aria-x).
"""

import re
import uuid

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from carereview.core.components import colour_of, html_attrs

register = template.Library()

# A row without actions in a list where another row has some gets GOV.UK's --no-actions class;
# a row cannot see the others, so it leaves this mark and the list settles it.
_NO_ACTIONS = "\x00govuk-no-actions\x00"


def _classes(base: str, extra: str = "", **flags: bool) -> str:
    names = [base] + [f"{base}--{flag.replace('_', '-')}" for flag, on in flags.items() if on]
    if extra:
        names.append(extra)
    return " ".join(names)


def _element(name: str, classes: str, attrs: dict, content: str, lead: str = "") -> str:
    """`<name{lead} class="…"{attrs}>content</name>`: one of the table's elements around its
    already rendered (so already escaped) content; `lead` is markup made with format_html."""
    return format_html(
        '<{}{} class="{}"{}>{}</{}>',
        name,
        lead,
        classes,
        html_attrs(**attrs),
        mark_safe(content),  # noqa: S308 - rendered template
        name,
    )


# Tags --------------------------------------------------------------------------------------------


@register.simple_tag
def tag(status, text=None, classes=""):
    """A GOV.UK tag for `status`, in the colour STATUS_COLOURS gives it; `text` if it says more."""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}{}">{}</strong>',
        colour_of(status),
        f" {classes}" if classes else "",
        status if text is None else text,
    )


@register.simple_block_tag(end_name="endtag_text")
def tag_text(content, status, classes=""):
    """A GOV.UK tag for `status` whose words are the block's (say, "Overdue 3 days")."""
    return tag(status, mark_safe(content.strip()), classes)  # noqa: S308 - rendered template


# Table -------------------------------------------------------------------------------------------


_CAPTION_START = re.compile(r'^(\s*<caption) class="')


@register.simple_block_tag(end_name="endtable")
def table(content, classes="", **attrs):
    """A GOV.UK table: a `{% caption %}`, a `{% thead %}` and a `{% tbody %}`.

    It sits in a container that scrolls sideways when the table is wider than the screen, so the
    page itself never does (WCAG 2.2 1.4.10 Reflow, at 320 CSS pixels). The container can take
    focus, so a keyboard can scroll it, and is a region named by the table's caption.
    """
    caption_id = f"table-caption-{uuid.uuid4().hex[:12]}"
    content, captioned = _CAPTION_START.subn(rf'\1 id="{caption_id}" class="', content, count=1)
    html = _element("table", _classes("govuk-table", classes), attrs, content)
    if not captioned:
        return format_html('<div class="app-table-container">{}</div>', html)
    return format_html(
        '<div class="app-table-container" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
        caption_id,
        html,
    )


@register.simple_block_tag(end_name="endcaption")
def caption(content, size="", hidden=False, classes=""):
    """The table's caption; `size` is s, m, l or xl; `hidden` keeps it for screen readers only."""
    names = ["govuk-table__caption"]
    if size:
        names.append(f"govuk-table__caption--{size}")
    if hidden:
        names.append("govuk-visually-hidden")
    if classes:
        names.append(classes)
    return format_html(
        '<caption class="{}">{}</caption>',
        " ".join(names),
        mark_safe(content),  # noqa: S308 - rendered template
    )


@register.simple_block_tag(end_name="endthead")
def thead(content, classes="", **attrs):
    """The table's head: a `{% tr %}` of `{% th %}` cells."""
    return _element("thead", _classes("govuk-table__head", classes), attrs, content)


@register.simple_block_tag(end_name="endtbody")
def tbody(content, classes="", **attrs):
    return _element("tbody", _classes("govuk-table__body", classes), attrs, content)


@register.simple_block_tag(end_name="endtr")
def tr(content, classes="", **attrs):
    return _element("tr", _classes("govuk-table__row", classes), attrs, content)


@register.simple_block_tag(end_name="endth")
def th(content, row=False, numeric=False, classes="", **attrs):
    """A header cell: a column's (scope="col") or, with `row=True`, a row's (scope="row")."""
    if "scope" in attrs:
        raise TypeError('th: the scope is the component\'s; say row=True for scope="row"')
    return _element(
        "th",
        _classes("govuk-table__header", classes, numeric=numeric),
        attrs,
        content,
        lead=format_html(' scope="{}"', "row" if row else "col"),
    )


@register.simple_block_tag(end_name="endtd")
def td(content, numeric=False, classes="", **attrs):
    return _element("td", _classes("govuk-table__cell", classes, numeric=numeric), attrs, content)


# Summary list ------------------------------------------------------------------------------------


@register.simple_block_tag(end_name="endsummary_list")
def summary_list(content, classes="", no_border=False, **attrs):
    """A GOV.UK summary list of `{% summary_row %}`s."""
    if "govuk-summary-list__actions" in content:
        content = content.replace(_NO_ACTIONS, " govuk-summary-list__row--no-actions")
    else:
        content = content.replace(_NO_ACTIONS, "")
    return render_to_string(
        "govuk/summary_list.html",
        {
            "classes": _classes("govuk-summary-list", classes, no_border=no_border),
            "attrs": html_attrs(**attrs),
            "rows": mark_safe(content),  # noqa: S308 - rendered template
        },
    )


@register.simple_block_tag(end_name="endsummary_card")
def summary_card(content, title, heading_level=2, aside="", classes="", **attrs):
    """The GOV.UK summary card: `title` (a heading of `heading_level`), `aside` beside it (a
    status tag, say), and the block (a summary list, and whatever goes with it) as its content."""
    return _block(
        "govuk/summary_card.html",
        content,
        classes,
        "govuk-summary-card",
        title=title,
        heading_level=int(heading_level),
        aside=aside,
        attrs=html_attrs(**attrs),
    )


@register.simple_block_tag(end_name="endsummary_row")
def summary_row(content, key, href="", action="Change", hidden=None, classes="", **attrs):
    """One row: `key`, the block as its value, and with `href` an action link whose words are
    `action` and, for screen readers, `hidden` (by default the key, in lower case)."""
    if hidden is None:
        hidden = str(key)[:1].lower() + str(key)[1:]
    return render_to_string(
        "govuk/summary_row.html",
        {
            "classes": _classes("govuk-summary-list__row", classes),
            "no_actions": "" if href else _NO_ACTIONS,
            "attrs": html_attrs(**attrs),
            "key": key,
            "value": mark_safe(content.strip()),  # noqa: S308 - rendered template
            "href": href,
            "action": action,
            "hidden": hidden,
        },
    )


# Task list ---------------------------------------------------------------------------------------


@register.inclusion_tag("govuk/task_list.html")
def task_list(tasks, id_prefix="task"):
    """The GOV.UK task list: each task has `title`, `status`, and may have `href` and `hint` (a
    line, or a list of lines).
    "Completed" and "Cannot start yet" show as text, any other status as its tag."""

    def part(task, name):
        value = task.get(name, "") if isinstance(task, dict) else getattr(task, name, "")
        if name == "hint" and isinstance(value, str):
            return [value] if value else []
        return value

    return {
        "tasks": [
            {
                "id": f"{id_prefix}-{number}",
                **{name: part(task, name) for name in ("title", "href", "hint", "status")},
            }
            for number, task in enumerate(tasks, start=1)
        ]
    }


@register.simple_tag
def task_status(status, id=""):
    """A task's status: "Completed" and "Cannot start yet" as text, any other as its tag."""
    if str(status) in ("Completed", "Cannot start yet"):
        return format_html(
            '<div class="govuk-task-list__status{}" id="{}">{}</div>',
            " govuk-task-list__status--cannot-start-yet" if status == "Cannot start yet" else "",
            id,
            status,
        )
    return format_html('<div class="govuk-task-list__status" id="{}">{}</div>', id, tag(status))


# Service navigation ------------------------------------------------------------------------------


@register.inclusion_tag("govuk/service_navigation.html", takes_context=True)
def service_navigation(
    context, service_name, service_href, items=(), sign_out="", sign_out_hidden=""
):
    """The GOV.UK service navigation: the service's name, `items` (each `href`, `text`, and
    `current`), and a sign-out button posting to `sign_out`. Without JavaScript every link shows;
    with it, a phone's narrow screen gets the Menu button (govuk-frontend's ServiceNavigation)."""
    return {
        "service_name": service_name,
        "service_href": service_href,
        "items": items,
        "sign_out": sign_out,
        "sign_out_hidden": sign_out_hidden,
        "csrf_token": context.get("csrf_token"),
    }


# Small components --------------------------------------------------------------------------------


def _block(template_name: str, content: str, classes: str, base: str, **extra) -> str:
    return render_to_string(
        template_name,
        {
            "content": mark_safe(content),  # noqa: S308 - rendered template
            "classes": _classes(base, classes),
            **extra,
        },
    )


@register.simple_block_tag(end_name="endback_link")
def back_link(content, href, classes="", **attrs):
    """The GOV.UK back link to `href`, in a navigation landmark named "Back"."""
    return _block(
        "govuk/back_link.html",
        content,
        classes,
        "govuk-back-link",
        href=href,
        attrs=html_attrs(**attrs),
    )


@register.simple_block_tag(end_name="endinset_text")
def inset_text(content, classes="", **attrs):
    return _block(
        "govuk/inset_text.html", content, classes, "govuk-inset-text", attrs=html_attrs(**attrs)
    )


@register.simple_block_tag(end_name="endwarning_text")
def warning_text(content, classes="", icon_fallback="Warning", has_list=False, **attrs):
    """The GOV.UK warning text; `icon_fallback` is what a screen reader hears for the "!", and
    `has_list` lets the block hold a list (its text is then a div, not a strong)."""
    return _block(
        "govuk/warning_text.html",
        content,
        classes,
        "govuk-warning-text",
        icon_fallback=icon_fallback,
        element="div" if has_list else "strong",
        attrs=html_attrs(**attrs),
    )


@register.simple_block_tag(end_name="endnotification_banner")
def notification_banner(
    content, title="", heading="", success=False, title_id="", classes="", **attrs
):
    """The GOV.UK notification banner: "Important" (role region) or, with `success`, "Success"
    (role alert). `heading` is its first line; the block may add more."""
    return _block(
        "govuk/notification_banner.html",
        content,
        " ".join(
            c for c in ("govuk-notification-banner--success" if success else "", classes) if c
        ),
        "govuk-notification-banner",
        title=title or ("Success" if success else "Important"),
        heading=heading,
        success=success,
        title_id=title_id or "govuk-notification-banner-title",
        attrs=html_attrs(**attrs),
    )


@register.simple_block_tag(end_name="endpanel")
def panel(content, title, heading_level=1, classes="", **attrs):
    """The GOV.UK confirmation panel: `title` (a heading of `heading_level`), and the block as
    its body."""
    return _block(
        "govuk/panel.html",
        content,
        classes,
        "govuk-panel",
        title=title,
        heading_level=int(heading_level),
        attrs=html_attrs(**attrs),
    )


@register.simple_block_tag(end_name="enddetails")
def details(content, summary, open=False, classes="", **attrs):
    return _block(
        "govuk/details.html",
        content,
        classes,
        "govuk-details",
        summary=summary,
        open=open,
        attrs=html_attrs(**attrs),
    )


@register.simple_block_tag(takes_context=True, end_name="endcapture")
def capture(context, content, name):
    """Keep the rendered block in the variable `name`, for a component's argument that has markup
    or template logic in it (a panel's title, say); shows nothing where it stands."""
    context[name] = mark_safe(content.strip())  # noqa: S308 - rendered template
    return ""
