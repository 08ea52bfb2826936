"""``carereview ssda903 check``: read a folder, run the review rules and the schedule, report.

Plain Python (no Django): ``run_check`` gives a ``CheckResult``; ``write_json`` and
``write_text`` print it as the command-line contract of spec/ssda903.md says. Output is
streamed child by child, so a return of 200,000 children never becomes one big object.
"""

import codecs
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

import numpy as np

from ..engine import bulk
from ..engine.calendar import WorkingCalendar, default_calendar
from ..engine.periods import SHORT_BREAK_WINDOW_MONTHS
from ..engine.regimes import ADOPTION_ENDED_RESUMES
from . import jsontext
from .business_rules import REVIEW_RULES, Rule
from .folder import read_folder
from .reader import Column, Return

#: The system's own checks (rules.md §3) reported beside the DfE rules, by review status.
DATA_ERRORS = {
    bulk.OUTSIDE_PERIOD: ("outside_period", "the review is outside every period of care"),
    bulk.SAME_DAY: ("same_day", "a second review on the same day, which does not count"),
}


@dataclass(frozen=True, slots=True)
class Flags:
    """The rows one rule flags in one table."""

    rule: Rule
    table: str
    rows: np.ndarray


@dataclass(slots=True)
class CheckResult:
    """Everything ``check`` reports, as columns."""

    as_at: date
    data: Return
    flags: list[Flags]
    schedules: bulk.BulkSchedules
    review_dates: np.ndarray

    @property
    def children(self) -> list[str]:
        return self.data.children.values

    def findings(self) -> Iterator[dict]:
        """Each finding as ``{rule, table, row, child, message}``, rule by rule."""
        for flags in self.flags:
            table = self.data.tables[flags.table]
            children = table["CHILD"].values(flags.rows)
            messages = flags.rule.messages(self.data, flags.table, flags.rows)
            for row, child, message in zip(flags.rows.tolist(), children, messages, strict=True):
                yield {
                    "rule": flags.rule.code,
                    "table": flags.table,
                    "row": row,
                    "child": child,
                    "message": message,
                }

    def data_errors(self) -> Iterator[dict]:
        """Reviews that do not count (rules.md §3): outside every period or a second on a day
        (an unreadable date is rule 166's finding)."""
        reviews = self.data.get("Reviews")
        if reviews is None:
            return
        status = self.schedules.review_status
        for code, (check, message) in DATA_ERRORS.items():
            rows = np.flatnonzero(status == code)
            for row, child in zip(rows.tolist(), reviews["CHILD"].values(rows), strict=True):
                yield {"check": check, "table": "Reviews", "row": row, "child": child,
                       "message": message}  # fmt: skip

    def n_findings(self) -> int:
        return sum(f.rows.size for f in self.flags)


def _strings(column: Column) -> np.ndarray:
    """A code column as a numpy string array (for the engine)."""
    values = np.array(column.categories.values or [""], dtype=str)
    return values[column.codes]


def _schedule(
    data: Return,
    as_at: date,
    calendar: WorkingCalendar,
    short_break_window_months: int,
    adoption_ended_resumes: bool = ADOPTION_ENDED_RESUMES,
) -> tuple:
    n_children = len(data.children.values)
    episodes = data.get("Episodes")
    reviews = data.get("Reviews")
    if episodes is not None:
        ep = bulk.EpisodeColumns(
            child=episodes.coded("CHILD").codes.astype(np.int64),
            decom=episodes["DECOM"].dates(),
            dec=episodes["DEC"].dates(),
            rne=_strings(episodes.coded("RNE")),
            ls=_strings(episodes.coded("LS")),
            place=_strings(episodes.coded("PLACE")),
            rec=_strings(episodes.coded("REC")),
        )
    else:
        empty = np.zeros(0, dtype="datetime64[D]")
        none = np.zeros(0, dtype=str)
        ep = bulk.EpisodeColumns(np.zeros(0, np.int64), empty, empty, none, none, none, none)
    if reviews is not None:
        review_dates = reviews["REVIEW"].dates()
        rv = bulk.ReviewColumns(reviews.coded("CHILD").codes.astype(np.int64), review_dates)
    else:
        review_dates = np.zeros(0, dtype="datetime64[D]")
        rv = bulk.ReviewColumns(np.zeros(0, np.int64), review_dates)
    schedules = bulk.compute_schedules_bulk(
        ep,
        rv,
        n_children,
        as_at,
        calendar,
        short_break_window_months=short_break_window_months,
        adoption_ended_resumes=adoption_ended_resumes,
    )
    return schedules, review_dates


def run_check(
    folder: Path | str,
    as_at: date,
    calendar: WorkingCalendar | None = None,
    *,
    short_break_window_months: int = SHORT_BREAK_WINDOW_MONTHS,
    adoption_ended_resumes: bool = ADOPTION_ENDED_RESUMES,
) -> CheckResult:
    """Read ``folder``, run the review rules and every child's schedule as at ``as_at``, with
    the given calendar (default: the package's bank holidays), short-breaks window and choice on
    the end of an adoption placement (default: the rulebook's; a deployment passes its
    authority's settings).

    Raises ``reader.ReadError`` where a file cannot be read. Changes nothing.
    """
    data = read_folder(folder)
    flags = []
    for rule in REVIEW_RULES:
        for table, rows in rule.flags(data).items():
            if rows.size:
                flags.append(Flags(rule, table, rows))
    schedules, review_dates = _schedule(
        data,
        as_at,
        calendar or default_calendar(),
        short_break_window_months,
        adoption_ended_resumes,
    )
    return CheckResult(as_at, data, flags, schedules, review_dates)


# --- Output ------------------------------------------------------------------------------


def _child_reviews(result: CheckResult) -> tuple[np.ndarray, np.ndarray]:
    """Counted review rows sorted by (child, date), and each child's start offset in them.

    Reviews of the blank CHILD are left out (they are findings, not a child's)."""
    s = result.schedules
    counted = np.flatnonzero(s.review_status == bulk.COUNTED)
    reviews = result.data.get("Reviews")
    n = len(result.children)
    if reviews is None or counted.size == 0:
        return counted[:0], np.zeros(n + 1, dtype=np.int64)
    blank = result.data.children.find("")
    if blank is not None:
        counted = counted[reviews.coded("CHILD").codes[counted] != blank]
    child = reviews.coded("CHILD").codes[counted].astype(np.int64)
    days = result.review_dates[counted].astype(np.int64)
    key = child * (1 << 32) + (days - days.min() if days.size else days)
    if key.size > 1 and not (key[1:] >= key[:-1]).all():
        order = np.argsort(key, kind="stable")
        counted, child = counted[order], child[order]
    offsets = np.zeros(n + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.bincount(child, minlength=n))
    return counted, offsets


class _Names:
    """Each child's identifier as JSON text (UTF-8), by child code: the opening of its member
    of ``children`` (``, "id": {"reviews": [``, ASCII-escaped as ``json.dumps`` does by
    default) and its string in findings (not escaped), each table made on first use."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        #: ASCII letters and digits (the same escaped or not, and only quoted), as bytes.
        self._plain = np.array(names, dtype=bytes) if jsontext.plain(names) else None
        self._tables: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def _table(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        if kind not in self._tables:
            opening = kind == "opening"
            if self._plain is not None:
                before, after = (b', "', b'": {"reviews": [') if opening else (b'"', b'"')
                strings = jsontext.wrapped(self._plain, before, after)
            else:
                strings = jsontext.json_strings(self.names, ensure_ascii=opening)
                if opening:
                    strings = jsontext.wrapped(strings, b", ", b': {"reviews": [')
            self._tables[kind] = (strings, jsontext.lengths(strings))
        return self._tables[kind]

    def openings(self, children: np.ndarray) -> jsontext.Lookup:
        """``, "id": {"reviews": [`` of each of the given children."""
        table, lengths = self._table("opening")
        return jsontext.Lookup(table, children, lengths)

    def strings(self, children: np.ndarray) -> jsontext.Lookup:
        """The JSON string of each of the given children, as in findings."""
        table, lengths = self._table("string")
        return jsontext.Lookup(table, children, lengths)


def _review_tails(result: CheckResult, rows: np.ndarray) -> jsontext.Lookup:
    """The end of each review's object, from ``", "on_time": `` on: one text per distinct
    (on time, regime, sequence)."""
    s = result.schedules
    regime = s.review_regime[rows].astype(np.int64)
    key = (s.review_on_time[rows].astype(np.int64) * 4 + regime + 1) << 32
    key += s.review_sequence[rows]
    distinct, index = np.unique(key, return_inverse=True)
    tails = []
    for k in distinct.tolist():
        on_time, regime_code, sequence = k >> 34, (k >> 32) % 4 - 1, k & 0xFFFFFFFF
        tails.append(
            f'", "on_time": {"true" if on_time else "false"}, '
            f'"regime": "{bulk.REGIMES[regime_code]}", "sequence": {sequence}}}'.encode()
        )
    return jsontext.Lookup(tails, index.reshape(-1))


def _children_json(
    result: CheckResult,
    rows: np.ndarray,
    offsets: np.ndarray,
    kids: np.ndarray,
    first: bool,
    names: _Names,
) -> bytearray:
    """The ``"id": {...}`` members of the children ``kids`` (consecutive codes, the blank
    CHILD left out), each after a comma unless ``first``: three kinds of rows, a child's
    opening, each of its reviews and its closing, laid out by ``jsontext``."""
    s = result.schedules
    counts = offsets[kids + 1] - offsets[kids]
    lo, hi = int(offsets[kids[0]]), int(offsets[kids[-1] + 1])
    mine = rows[lo:hi]
    rank = np.arange(lo, hi) - np.repeat(offsets[kids], counts)
    head_at = np.cumsum(2 + counts) - (2 + counts)

    opening = jsontext.Rows([names.openings(kids)], head_at)
    held, due = result.review_dates[mine], s.review_due[mine]
    days, day_index = jsontext.day_table(np.concatenate([held, due]), missing=b"")
    held_texts = np.concatenate(  # the first review of a child, then the others
        [jsontext.wrapped(days, b'{"date": "', b""), jsontext.wrapped(days, b', {"date": "', b"")]
    )
    review = jsontext.Rows(
        [
            jsontext.Lookup(held_texts, day_index[: mine.size] + np.where(rank > 0, days.size, 0)),
            jsontext.Lookup(jsontext.wrapped(days, b'", "due": "', b""), day_index[mine.size :]),
            _review_tails(result, mine),
        ],
        np.repeat(head_at + 1, counts) + rank,
    )
    next_due, next_index = jsontext.day_table(s.next_due[kids], missing=b"")
    closings = [
        b'], "next_due": ' + (b'"' + day + b'"' if day else b"null") + b', "overdue": ' + flag
        for day in next_due.tolist()
        for flag in (b"false}", b"true}")
    ]
    closing = jsontext.Rows(
        [jsontext.Lookup(closings, next_index * 2 + s.overdue[kids])], head_at + counts + 1
    )
    text = jsontext.render([opening, review, closing])
    if first:
        del text[:2]  # no comma before the first member
    return text


def _items_json(
    prefix: dict, rows: np.ndarray, children: np.ndarray, messages: list[str], first: bool,
    names: _Names,
) -> bytearray:  # fmt: skip
    """``json.dumps({**prefix, "row": row, "child": child, "message": message},
    ensure_ascii=False)`` for each row, comma-separated (a comma first unless ``first``)."""
    n = rows.size
    distinct = {message: i for i, message in enumerate(dict.fromkeys(messages))}
    endings = [f', "message": {json.dumps(m, ensure_ascii=False)}}}'.encode() for m in distinct]
    if len(endings) == 1:
        ending: jsontext.Piece = jsontext.Constant(endings[0], n)
    else:
        index = np.array([distinct[m] for m in messages], dtype=np.int64)
        ending = jsontext.Lookup(endings, index)
    head = ", " + json.dumps(prefix, ensure_ascii=False)[:-1] + ', "row": '
    item = jsontext.Rows(
        [
            jsontext.Constant(head.encode(), n),
            jsontext.Decimal(rows),
            jsontext.Constant(b', "child": ', n),
            names.strings(children),
            ending,
        ],
        np.arange(n),
    )
    text = jsontext.render([item])
    if first:
        del text[:2]  # no comma before the first item
    return text


def _findings_json(result: CheckResult, names: _Names) -> Iterator[bytearray]:
    """The findings' objects, comma-separated, one ``Flags`` at a time (as ``findings``)."""
    first = True
    for flags in result.flags:
        table = result.data.tables[flags.table]
        messages = flags.rule.messages(result.data, flags.table, flags.rows)
        prefix = {"rule": flags.rule.code, "table": flags.table}
        children = table.coded("CHILD").codes[flags.rows]
        yield _items_json(prefix, flags.rows, children, messages, first, names)
        first = False


def _data_errors_json(result: CheckResult, names: _Names) -> Iterator[bytearray]:
    """The data errors' objects, comma-separated (as ``data_errors``)."""
    reviews = result.data.get("Reviews")
    if reviews is None:
        return
    status = result.schedules.review_status
    first = True
    for code, (check, message) in DATA_ERRORS.items():
        rows = np.flatnonzero(status == code)
        if rows.size:
            prefix = {"check": check, "table": "Reviews"}
            children = reviews.coded("CHILD").codes[rows]
            yield _items_json(prefix, rows, children, [message] * rows.size, first, names)
            first = False


def _utf8_writer(out: TextIO) -> Callable[[bytearray], object]:
    """A function writing UTF-8 text to ``out``: straight to the bytes under it where it
    encodes as UTF-8 (no decoding and encoding again), else decoded."""
    raw = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if raw is not None and encoding and codecs.lookup(encoding).name == "utf-8":

        def write(text: bytearray) -> None:
            out.flush()
            raw.write(text)

        return write
    return lambda text: out.write(text.decode("utf-8"))


def write_json(result: CheckResult, out: TextIO, block: int = 20000) -> None:
    """The contract's JSON object: ``as_at``, ``children``, ``findings`` (and the system's own
    ``data_errors``), streamed a block of children at a time. The same text as
    ``json.dumps`` of the objects ``findings`` and ``data_errors`` give, built with numpy."""
    rows, offsets = _child_reviews(result)
    n = len(result.children)
    names = _Names(result.children)
    blank = result.data.children.find("")
    write = _utf8_writer(out)
    out.write(f'{{"as_at": "{result.as_at.isoformat()}", "children": {{')
    first = True
    for start in range(0, n, block):
        kids = np.arange(start, min(start + block, n))
        if blank is not None:
            kids = kids[kids != blank]
        if kids.size:
            write(_children_json(result, rows, offsets, kids, first, names))
            first = False
    out.write('}, "findings": [')
    for text in _findings_json(result, names):
        write(text)
    out.write('], "data_errors": [')
    for text in _data_errors_json(result, names):
        write(text)
    out.write("]}\n")


def _iso(days: np.ndarray) -> list[str | None]:
    """ISO dates of a ``datetime64[D]`` array (None for NaT)."""
    table, index = jsontext.day_table(days, missing=b"")
    texts = [text.decode() or None for text in table.tolist()]
    return [texts[i] for i in index.tolist()]


def _dmy(iso: str | None) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else "-"


def write_text(result: CheckResult, out: TextIO) -> None:
    """A readable report: files, then each child's schedule, then the findings."""
    s = result.schedules
    out.write(f"SSDA903 check as at {result.as_at:%d/%m/%Y}\n\nFiles\n")
    for note in result.data.files:
        n_rows = "" if note.n_rows is None else f", {note.n_rows} rows"
        table = f" ({note.table}{n_rows})" if note.table else ""
        # A file name that is not UTF-8 (its bytes kept as surrogates) is shown escaped.
        name = note.path.name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        out.write(f"  {name}{table}: {note.note}\n")
    rows, offsets = _child_reviews(result)
    names = result.children
    next_due = _iso(s.next_due)
    held, due = _iso(result.review_dates[rows]), _iso(s.review_due[rows])
    on_time = s.review_on_time[rows].tolist()
    regime = [bulk.REGIMES[r].replace("_", " ") for r in s.review_regime[rows].tolist()]
    sequence = s.review_sequence[rows].tolist()
    shown = [c for c in range(len(names)) if names[c]]
    n_overdue = int(s.overdue.sum())
    out.write(f"\nChildren: {len(shown)}, {n_overdue} with a review overdue\n")
    width = max((len(names[c]) for c in shown), default=5)
    for child in shown:
        mine = range(int(offsets[child]), int(offsets[child + 1]))
        late = sum(not on_time[r] for r in mine)
        if next_due[child] is None:
            status = "no open period of care"
        else:
            status = f"next review due {_dmy(next_due[child])}"
            if s.overdue[child]:
                status += " (OVERDUE)"
        plural = "" if len(mine) == 1 else "s"
        out.write(f"  {names[child]:<{width}}  {status}; {len(mine)} review{plural}, {late} late\n")
        for r in mine:
            when = "on time" if on_time[r] else "LATE"
            out.write(
                f"  {'':<{width}}    {_dmy(held[r])} due {_dmy(due[r])} {when}, "
                f"{regime[r]} #{sequence[r]}\n"
            )
    out.write(f"\nFindings: {result.n_findings()}\n")
    for f in result.findings():
        out.write(f"  {f['rule']:<5} {f['table']} row {f['row']} ({f['child']}): {f['message']}\n")
    errors = list(result.data_errors())
    out.write(f"\nReviews that do not count: {len(errors)}\n")
    for e in errors:
        out.write(f"  {e['table']} row {e['row']} ({e['child']}): {e['message']}\n")
