"""Everything that belongs to a set of children, and its deletion in one transaction.

What belongs to a child is found, not listed, so a model added later is covered without a change
here: starting from the children, every foreign key of every installed model is followed back to
the rows that point at something already being deleted.

- A key whose `on_delete` is CASCADE, PROTECT, RESTRICT or DO_NOTHING (or the database's own
  cascade) says the row belongs to what it points at: the row is deleted, and the search goes on
  from it (a review, then its meetings, decisions, consultations and their answers; a portal
  access, then its invitations and the visit requests made through it; ...). PROTECT is there to
  stop a child being deleted by accident in the app, not to keep rows after the child's record has
  been deliberately deleted: `core.AccessEvent` (who read the record) goes with the record.
- A key with SET_NULL or SET_DEFAULT says the row stands on its own: it stays, and the link is
  emptied. (Every such key in the project today is between rows of the same child anyway.)
- The audit log refers to rows by type and id, not by a key: an `AuditEvent` about a deleted row
  is deleted (its snapshot may hold the record's text).
- Outbox messages (`notifications.Message`) name a child in their text as "Name (la_child_id)":
  a message that mentions a deleted child's identifier that way is deleted. So is a message whose
  key names a row being deleted (`MESSAGE_KEYS`: a review's documents, a consultation form, a
  portal link, a representation's emails), with the documents it carries.
- The people in a child's life (`children.Person`) are shared between brothers and sisters: a person
  goes only when nothing that stays refers to them.
- A portal sign-in (a user with a portal role, never staff) goes when nothing that stays refers to
  it, apart from its own rows: its second-factor devices and group links (CASCADE), its access and
  audit events, and the messages to it. Otherwise it stays (counted as kept).

Before anything is deleted, every row found that points at a child must point at one of the
children being deleted: a row of another child's record reached through some key stops the whole
deletion. Deletion is by plain DELETE statements, in one transaction, and the database's foreign
key constraints are checked before it commits: a row left pointing at a deleted one (a key this
search missed) rolls everything back.

Only `records.services.carry_out` calls `erase_children`, for an approved proposal.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connections, models, transaction
from django.db.models import Q, deletion

from carereview.children.models import Child, Person
from carereview.core.models import AuditEvent
from carereview.notifications.models import Message

log = logging.getLogger(__name__)

CHUNK = 500

OWNING = frozenset(
    {
        deletion.CASCADE,
        deletion.PROTECT,
        deletion.RESTRICT,
        deletion.DO_NOTHING,
        deletion.DB_CASCADE,
    }
)
CASCADING = frozenset({deletion.CASCADE, deletion.DB_CASCADE})
#: A portal sign-in's own records, deleted with it: who it read, what it did, what it was sent.
ACCOUNT_OWN = frozenset(
    {"core.AccessEvent.user", "core.AuditEvent.actor", "notifications.Message.user"}
)


class EraseRefused(Exception):
    """The deletion would reach beyond the children's records: nothing was deleted."""


@dataclass(frozen=True)
class Edge:
    """A foreign key (or one-to-one key) of `source`, pointing at another model."""

    source: type[models.Model]
    field: models.ForeignKey

    @property
    def name(self) -> str:
        return f"{self.source._meta.label}.{self.field.name}"

    @property
    def on_delete(self):
        return self.field.remote_field.on_delete

    @property
    def owning(self) -> bool:
        return self.on_delete in OWNING


@dataclass
class Plan:
    """The rows to delete, per model (in the order found), and the links to empty in rows that
    stay."""

    child_pks: set
    rows: dict[type[models.Model], set] = field(default_factory=dict)
    clear: dict[Edge, set] = field(default_factory=lambda: defaultdict(set))
    people_kept: int = 0
    accounts_kept: int = 0

    def counts(self) -> dict[str, int]:
        return {m._meta.label: len(pks) for m, pks in self.rows.items() if pks}

    def cleared(self) -> dict[str, int]:
        return {e.name: len(pks) for e, pks in self.clear.items() if pks}


def tables() -> list[type[models.Model]]:
    """Every model with a table of its own: installed models and many-to-many through tables."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def edges() -> dict[type[models.Model], list[Edge]]:
    """The keys pointing at each model, by the model they point at."""
    found: dict[type[models.Model], list[Edge]] = defaultdict(list)
    for model in tables():
        for f in model._meta.local_concrete_fields:
            # many-to-one and one-to-one keys with a column: ForeignKey and OneToOneField
            if isinstance(f, models.ForeignKey) and f.related_model:
                target = f.related_model._meta.concrete_model
                assert target is not None  # a model with a table is its own or a parent's
                found[target].append(Edge(model, f))
    return found


def _chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _manager(model, using):
    return model._base_manager.using(using)


def _target_values(edge: Edge, pks: set, using: str) -> set:
    """The values `edge` holds when it points at the rows `pks` (their pks, or its to_field)."""
    target = edge.field.target_field
    if target.primary_key:
        return pks
    model = edge.field.related_model
    values = set()
    for chunk in _chunks(pks):
        values.update(
            _manager(model, using).filter(pk__in=chunk).values_list(target.attname, flat=True)
        )
    return values


def _pointing(edge: Edge, values: set, using: str) -> list[tuple]:
    """(pk, value) of the rows of `edge.source` whose `edge` holds one of `values`."""
    found = []
    for chunk in _chunks(values):
        found.extend(
            _manager(edge.source, using)
            .filter(**{f"{edge.field.attname}__in": chunk})
            .values_list("pk", edge.field.attname)
        )
    return found


def _replacement(edge: Edge):
    """The value a SET_NULL, SET_DEFAULT or SET(...) key takes when what it points at goes."""
    on_delete = edge.on_delete
    if on_delete in (deletion.SET_NULL, deletion.DB_SET_NULL):
        return None
    if on_delete in (deletion.SET_DEFAULT, deletion.DB_SET_DEFAULT):
        return edge.field.get_default()
    captured = []

    class Capture:
        def add_field_update(self, field, value, objs):
            captured.append(value)

    on_delete(Capture(), edge.field, [], None)
    if len(captured) != 1:
        raise EraseRefused(f"{edge.name}: on_delete {on_delete!r} is not understood here")
    return captured[0]


#: The first part of an outbox message's key, and the row its second part is the id of: the
#: message goes with that row (issue 12: every email is an outbox message). The parts are
#: separated by ":" (documents, representations) or "." (what a person is told about their
#: sign-in).
MESSAGE_KEYS = {
    "invitation": "reviews.Review",
    "decisions": "reviews.Review",
    "record": "reviews.Review",
    "consultation": "reviews.Consultation",
    "portal-link": "portal.PortalInvitation",
    "representation-received": "representations.Representation",
    "representation-team": "representations.Representation",
    "representation-extended": "representations.Representation",
    "advocacy-team": "representations.AdvocacyRequest",
    # What a person is told about their sign-in (`portal.<what>.<id>.<contact digest>`).
    "portal.new-link-elsewhere": "portal.PortalInvitation",
    "portal.invite-elsewhere": "portal.PortalInvitation",
    "portal.second-step-off": "portal.SecondStepRemoval",
}


class _Planner:
    def __init__(self, child_pks: Iterable, using: str):
        self.using = using
        self.edges = edges()
        self.plan = Plan(child_pks=set(child_pks))
        self.queue: list[tuple[type[models.Model], set]] = []
        self.audited: dict[type[models.Model], set] = {}
        self.Child = Child
        self.Person = Person
        self.User = get_user_model()
        self.AuditEvent = AuditEvent
        self.Message = Message

    def add(self, model, pks: Iterable) -> bool:
        model = model._meta.concrete_model
        have = self.plan.rows.setdefault(model, set())
        new = set(pks) - have
        if not new:
            return False
        have |= new
        self.queue.append((model, new))
        # Multi-table inheritance: a row's parent rows are part of it.
        for parent, ptr in model._meta.parents.items():
            if ptr is not None:
                values = set()
                for chunk in _chunks(new):
                    values.update(
                        _manager(model, self.using)
                        .filter(pk__in=chunk)
                        .values_list(ptr.attname, flat=True)
                    )
                self.add(parent, values)
        return True

    def spread(self) -> None:
        """Follow the keys back from each newly found row until nothing new is found."""
        while self.queue:
            model, new = self.queue.pop(0)
            for edge in self.edges.get(model, ()):
                rows = _pointing(edge, _target_values(edge, new, self.using), self.using)
                if not rows:
                    continue
                pks = {pk for pk, _ in rows}
                if edge.owning or (model is self.User and edge.name in ACCOUNT_OWN):
                    self.add(edge.source, pks)
                else:
                    self.plan.clear[edge] |= pks

    def audit(self) -> bool:
        """The audit log's entries about the rows being deleted (by type and id, not a key).
        True when any was added."""
        found = set()
        for model, pks in list(self.plan.rows.items()):
            if model is self.AuditEvent:
                continue
            done = self.audited.setdefault(model, set())
            new = pks - done
            done |= new
            for chunk in _chunks(str(pk) for pk in new):
                found.update(
                    _manager(self.AuditEvent, self.using)
                    .filter(object_type=model._meta.label, object_id__in=chunk)
                    .values_list("pk", flat=True)
                )
        return self.add(self.AuditEvent, found)

    def referenced(self, target) -> set:
        """The rows of `target` that rows being deleted point at."""
        found = set()
        for model, pks in list(self.plan.rows.items()):
            for f in model._meta.local_concrete_fields:
                if not (isinstance(f, models.ForeignKey) and f.related_model):
                    continue
                if f.related_model._meta.concrete_model is not target:
                    continue
                values: set[Any] = set()
                for chunk in _chunks(pks):
                    values.update(
                        v
                        for v in _manager(model, self.using)
                        .filter(pk__in=chunk)
                        .values_list(f.attname, flat=True)
                        if v is not None
                    )
                if not f.target_field.primary_key:
                    values = {
                        pk
                        for chunk in _chunks(values)
                        for pk in _manager(target, self.using)
                        .filter(**{f"{f.target_field.attname}__in": chunk})
                        .values_list("pk", flat=True)
                    }
                found |= values
        return found - self.plan.rows.get(target, set())

    def still_used(self, target, candidates: set, allowed) -> set:
        """Those of `candidates` (rows of `target`) that a row staying points at, through a key
        that `allowed(edge)` does not excuse."""
        used: set[Any] = set()
        if not candidates:
            return used
        for edge in self.edges.get(target, ()):
            if allowed(edge):
                continue
            going = self.plan.rows.get(edge.source, set())
            values = _target_values(edge, candidates, self.using)
            for pk, value in _pointing(edge, values, self.using):
                if pk not in going:
                    used.add(value)
        if used and any(not e.field.target_field.primary_key for e in self.edges.get(target, ())):
            return candidates  # keys to a non-pk field: keep everyone, rather than guess
        return used

    def owners(self) -> bool:
        """People and portal sign-ins that only the deleted records used. True when any was
        added."""
        added = False
        people = self.referenced(self.Person)
        used = self.still_used(self.Person, people, allowed=lambda edge: False)
        self.plan.people_kept = len(used)
        added |= self.add(self.Person, people - used)

        from carereview.accounts.models import PORTAL_ROLES

        accounts = self.referenced(self.User)
        portal = set(
            _manager(self.User, self.using)
            .filter(pk__in=accounts, role__in=list(PORTAL_ROLES))
            .values_list("pk", flat=True)
        )
        used = self.still_used(
            self.User,
            portal,
            allowed=lambda edge: edge.on_delete in CASCADING or edge.name in ACCOUNT_OWN,
        )
        self.plan.accounts_kept = len(used)
        added |= self.add(self.User, portal - used)
        return added

    def messages(self) -> None:
        """Outbox messages that name a child being deleted ("Name (la_child_id)")."""
        identifiers = list(
            _manager(self.Child, self.using)
            .filter(pk__in=self.plan.child_pks)
            .values_list("la_child_id", flat=True)
        )
        found = set()
        for chunk in _chunks(identifiers, 100):
            mentions = Q()
            for identifier in chunk:
                mentions |= Q(body__contains=f"({identifier})")
            found.update(
                _manager(self.Message, self.using).filter(mentions).values_list("pk", flat=True)
            )
        for prefix, label in MESSAGE_KEYS.items():
            model = apps.get_model(label)  # noqa: TID251 (labels of a table, not one literal)
            pks = self.plan.rows.get(model._meta.concrete_model, set())
            for chunk in _chunks(sorted(pks), 100):
                about = Q()
                for pk in chunk:
                    about |= (
                        Q(key=f"{prefix}:{pk}")
                        | Q(key__startswith=f"{prefix}:{pk}:")
                        | Q(key__startswith=f"{prefix}.{pk}.")
                    )
                found.update(
                    _manager(self.Message, self.using).filter(about).values_list("pk", flat=True)
                )
        self.add(self.Message, found)

    def check_other_children(self) -> None:
        """Every row found that points at a child points at one of these children."""
        for edge in self.edges.get(self.Child, ()):
            pks = self.plan.rows.get(edge.source)
            if not pks or edge.source is self.Child:
                continue
            child_keys = [e.field for e in self.edges[self.Child] if e.source is edge.source]
            for chunk in _chunks(pks):
                rows = _manager(edge.source, self.using).filter(pk__in=chunk)
                for values in rows.values_list(*[f.attname for f in child_keys]):
                    present = [v for v in values if v is not None]
                    if present and not set(present) & self.plan.child_pks:
                        raise EraseRefused(
                            f"Deleting these records would also delete rows of another child's "
                            f"record ({edge.source._meta.label}): nothing was deleted. Check the "
                            f"foreign keys that lead there."
                        )

    def run(self) -> Plan:
        self.add(self.Child, self.plan.child_pks)
        self.spread()
        self.messages()
        self.spread()
        while True:
            added = self.owners()
            self.spread()
            added |= self.audit()
            self.spread()
            if not added:
                break
        self.check_other_children()
        for edge in list(self.plan.clear):
            self.plan.clear[edge] -= self.plan.rows.get(edge.source, set())
        return self.plan


def plan_erasure(child_pks: Iterable, *, using: str = "default") -> Plan:
    """What deleting these children's records would delete, without deleting anything."""
    return _Planner(child_pks, using).run()


@dataclass
class Erased:
    rows_deleted: dict[str, int]
    links_cleared: dict[str, int]
    people_kept: int
    accounts_kept: int


def _files(plan: Plan, using: str) -> list[tuple]:
    found = []
    for model, pks in plan.rows.items():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                for chunk in _chunks(pks):
                    for name in (
                        _manager(model, using)
                        .filter(pk__in=chunk)
                        .values_list(f.attname, flat=True)
                    ):
                        if name:
                            found.append((f.storage, name))
    return found


def _delete_files(files: list[tuple]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            log.warning("A deleted record's file could not be removed from storage")


def erase_children(child_pks: Iterable, *, using: str = "default") -> Erased:
    """Delete the children's records and everything that belongs to them, in one transaction.

    Raises EraseRefused (or the database's IntegrityError) with nothing deleted."""
    connection = connections[using]
    with transaction.atomic(using=using):
        locked = set(
            _manager(Child, using)
            .select_for_update()
            .filter(pk__in=list(child_pks))
            .values_list("pk", flat=True)
        )
        plan = plan_erasure(locked, using=using)
        files = _files(plan, using)
        cleared = {}
        for edge, pks in plan.clear.items():
            value = _replacement(edge)
            n = 0
            for chunk in _chunks(pks):
                n += (
                    _manager(edge.source, using)
                    .filter(pk__in=chunk)
                    .update(**{edge.field.name: value})
                )
            if n:
                cleared[edge.name] = n
        deleted = {}
        quote = connection.ops.quote_name
        # Rows found later point at rows found earlier: delete those first. The keys are checked
        # at the end in any case (deferred on both databases).
        for model in reversed(list(plan.rows)):
            pks = plan.rows[model]
            key = model._meta.pk
            assert key is not None and key.column is not None  # a concrete model's key
            n = 0
            for chunk in _chunks(pks):
                marks = ", ".join(["%s"] * len(chunk))
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"DELETE FROM {quote(model._meta.db_table)} "  # noqa: S608 - names quoted
                        f"WHERE {quote(key.column)} IN ({marks})",
                        [model._meta.pk.get_db_prep_value(pk, connection) for pk in chunk],
                    )
                    n += cursor.rowcount
            if n:
                deleted[model._meta.label] = n
        referring = {
            edge.source._meta.db_table for model in plan.rows for edge in edges().get(model, ())
        }
        connection.check_constraints(table_names=sorted(referring))
        transaction.on_commit(lambda: _delete_files(files), using=using)
    return Erased(deleted, cleared, plan.people_kept, plan.accounts_kept)
