"""A model's relation to another app's model is an import too (ADR 0013), though made by a label
("portal.PortalAccess") that import-linter cannot see: a relation may point only to a model of a
lower layer, as an import may. The layers are read from pyproject's import-linter contract, so
there is one order.

A relation to the user model through `settings.AUTH_USER_MODEL` is Django's swappable setting: it
names no app, so it is not counted (core's logs name their user that way)."""

import tomllib
from pathlib import Path

from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parents[3]

# Known relations up, to remove (ADR 0013, "What is left"). The list only shrinks: an entry that
# no longer matches fails the test, as a new relation up does.
KNOWN = {
    # The access log names the child it was about; core knows the child model only as declared
    # (core.access.declare_child_model), but the log's foreign key is by label.
    "core.AccessEvent.child -> children.Child",
}


def layer_ranks() -> dict[str, int]:
    """Each app's layer (0 for the lowest), from the "layers" contract; apps of one layer
    ("a | b") share it, and are independent of each other."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["id"] == "layers")
    ranks = {}
    for rank, layer in enumerate(reversed(contract["layers"])):
        for app in layer.replace("|", " ").split():
            ranks[app] = rank
    return ranks


def _app(model: type[models.Model]) -> str | None:
    parts = model.__module__.split(".")
    return parts[1] if parts[0] == "carereview" and len(parts) > 1 else None


def relations_up(ranks: dict[str, int]) -> list[str]:
    """Every relation a model declares (not the reverse side another model's declaration adds)
    to a model of another app that is not below it."""
    found = []
    for model in apps.get_models():
        source = _app(model)
        if source is None:
            continue
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            if getattr(field, "swappable_setting", None):
                continue  # settings.AUTH_USER_MODEL: the setting names the model, not an app
            target = _app(field.related_model)
            if target is None or target == source:
                continue
            if ranks[target] >= ranks[source]:
                found.append(
                    f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
                )
    return found


def test_every_app_has_a_layer():
    ranks = layer_ranks()
    assert {_app(m) for m in apps.get_models()} - {None} <= set(ranks)


def test_no_model_relation_points_to_a_higher_layer():
    assert set(relations_up(layer_ranks())) == KNOWN


def test_a_relation_up_is_found():
    # The same walk, with the order turned upside down: every relation to another app points up.
    ranks = {app: -rank for app, rank in layer_ranks().items()}
    assert "reviews.Review.child -> children.Child" in relations_up(ranks)
