"""Where the child is resolved, and the read logged, for every route (issue 12, item 3).

A route whose URL carries the id of a child, or of anything that belongs to one (a review, a
meeting, a consultation, a decision, a dispute...), reaches that child here and nowhere else:

* each app declares, once, which URL keyword names which of its models (`child_kwarg`, called
  from its `AppConfig.ready`), and which keywords name no child data (`not_child_data`);
* `PolicyMiddleware` calls `resolve` before the view runs: the object is looked up THROUGH the
  scope (`visible_to(user, purpose)`, the purpose the route declares in `core.policy`), so a child
  out of scope is a 404 before any view code runs; every id in the URL must lead to the same child;
* after the view answered with the child's data (a 2xx page or file; a redirect or a refusal shows
  nothing), `log_read` writes the one access event for the request (`core.audit.record_access`,
  which marks break-glass reads).

A route with a keyword nobody declared cannot run (`UndeclaredUrlKeyword`), and the route walk in
`core/tests/test_policy_routes.py` fails, so a new route cannot forget the log.

A view may describe the read in words (`describe`); otherwise the event names the route.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import Http404


class UndeclaredUrlKeyword(ImproperlyConfigured):
    """A URL keyword that is neither a known child-data id nor declared as something else."""


# (user, purpose, value) -> the child the value leads to, within the user's scope, or None.
Lookup = Callable[[Any, str, Any], Model | None]


@dataclass(frozen=True)
class ChildKwarg:
    name: str
    model: str  # "app_label.Model"
    lookup: Lookup | None = None


_CHILD_KWARGS: dict[str, ChildKwarg] = {}
_NOT_CHILD_DATA: dict[str, str] = {}
_CHILD_MODEL: dict[str, type] = {}


def child_kwarg(name: str, model: str, lookup: Lookup | None = None) -> None:
    """Declare that the URL keyword `name` is the id of a `model` row that belongs to a child."""
    held = _CHILD_KWARGS.get(name)
    if held is not None and held.model != model:
        raise ImproperlyConfigured(f"URL keyword {name!r} already names {held.model}")
    _CHILD_KWARGS[name] = ChildKwarg(name, model, lookup)


def not_child_data(name: str, why: str) -> None:
    """Declare that the URL keyword `name` leads to no child's record (and say why)."""
    if name in _CHILD_KWARGS:
        raise ImproperlyConfigured(f"URL keyword {name!r} already names child data")
    _NOT_CHILD_DATA[name] = why


def declare_child_model(model: type) -> None:
    """Declare the model that is the child (children's AppConfig.ready): core names no app
    (ADR 0013)."""
    held = _CHILD_MODEL.get("child")
    if held is not None and held is not model:
        raise ImproperlyConfigured(f"The child model is already declared as {held!r}")
    _CHILD_MODEL["child"] = model


def the_child_model() -> Any:  # the model an app declared (children.Child), unknown to core
    try:
        return _CHILD_MODEL["child"]
    except KeyError:
        raise ImproperlyConfigured("No app declared the child model (core.access)") from None


def child_kwargs() -> dict[str, ChildKwarg]:
    return dict(_CHILD_KWARGS)


def known_kwargs() -> set[str]:
    return set(_CHILD_KWARGS) | set(_NOT_CHILD_DATA)


def carries_child(kwargs) -> bool:
    return any(name in _CHILD_KWARGS for name in kwargs)


def scoped_child(user, purpose: str, model: str, value) -> Model | None:
    """The child that `model` row `value` belongs to, looked up through `visible_to`; or None."""
    Child = the_child_model()
    Model = apps.get_model(model)  # noqa: TID251 (the label an app declared, not a literal)
    children = Child.objects.visible_to(user, purpose)
    if Model is Child:
        return children.filter(pk=value).first()
    rows = Model.objects.all()
    # A model reached through its child (reviews.models.ScopedQuerySet) applies the scope itself;
    # any other is read only as far as its child's pk, and that child must be in scope.
    if hasattr(rows, "visible_to"):
        rows = rows.visible_to(user, purpose)
    path = getattr(rows, "child_path", "child")
    return children.filter(pk__in=rows.filter(pk=value).values(path)).first()


def resolve(request, route: str, kwargs: dict, purpose: str):
    """The child the URL's ids lead to, within `purpose`'s scope; 404 if none, or if two ids lead
    to different children. None for a route that carries no child data."""
    unknown = set(kwargs) - known_kwargs()
    if unknown:
        raise UndeclaredUrlKeyword(
            f"{route}: URL keyword(s) {sorted(unknown)} are not declared (core.access)"
        )
    if any(isinstance(v, int) and not 0 < v < 2**63 for v in kwargs.values()):
        raise Http404("Not found")  # no row has such an id, and a database could not hold it
    found = []
    for name, value in kwargs.items():
        declared = _CHILD_KWARGS.get(name)
        if declared is None:
            continue
        if declared.lookup is not None:
            child = declared.lookup(request.user, purpose, value)
        else:
            child = scoped_child(request.user, purpose, declared.model, value)
        if child is None:
            raise Http404("Not found")
        found.append(child)
    if not found:
        return None
    if len({c.pk for c in found}) != 1:
        raise Http404("Not found")
    request.child = found[0]
    request._access_route = route
    return found[0]


def describe(request, action: str) -> None:
    """Words for this request's access event (written once, by the middleware)."""
    request.access_action = action


def log_read(request, response) -> None:
    """The one access event for a request that resolved a child and answered with its data."""
    child = getattr(request, "child", None)
    shown = 200 <= response.status_code < 300  # a redirect or a refusal shows nothing
    if child is None or not shown or getattr(request, "_access_logged", False):
        return
    from carereview.core import audit

    request._access_logged = True
    action = getattr(request, "access_action", None) or f"opened {request._access_route}"
    audit.record_access(request, child, action[:120])
