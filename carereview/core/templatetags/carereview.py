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


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
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
