"""``carereview ssda903 check``: read a folder, run the review rules and the schedule, report.

Plain Python (no Django): ``run_check`` gives a ``CheckResult``; ``write_json`` and
``write_text`` print it as the command-line contract of spec/ssda903.md says. Output is
streamed child by child, so a return of 200,000 children never becomes one big object.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

import numpy as np

from ..engine import bulk
from ..engine.calendar import WorkingCalendar, default_calendar
from .business_rules import REVIEW_RULES, Rule
from .reader import Column, Return, read_folder

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
            for row, child in zip(flags.rows.tolist(), children, strict=True):
                yield {
                    "rule": flags.rule.code,
                    "table": flags.table,
                    "row": row,
                    "child": child,
                    "message": flags.rule.message(self.data, flags.table, row),
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


def _schedule(data: Return, as_at: date, calendar: WorkingCalendar) -> tuple:
    n_children = len(data.children.values)
    episodes = data.get("Episodes")
    reviews = data.get("Reviews")
    if episodes is not None:
        ep = bulk.EpisodeColumns(
            child=episodes["CHILD"].codes.astype(np.int64),
            decom=episodes["DECOM"].dates(),
            dec=episodes["DEC"].dates(),
            rne=_strings(episodes["RNE"]),
            ls=_strings(episodes["LS"]),
            place=_strings(episodes["PLACE"]),
            rec=_strings(episodes["REC"]),
        )
    else:
        empty = np.zeros(0, dtype="datetime64[D]")
        none = np.zeros(0, dtype=str)
        ep = bulk.EpisodeColumns(np.zeros(0, np.int64), empty, empty, none, none, none, none)
    if reviews is not None:
        review_dates = reviews["REVIEW"].dates()
        rv = bulk.ReviewColumns(reviews["CHILD"].codes.astype(np.int64), review_dates)
    else:
        review_dates = np.zeros(0, dtype="datetime64[D]")
        rv = bulk.ReviewColumns(np.zeros(0, np.int64), review_dates)
    schedules = bulk.compute_schedules_bulk(ep, rv, n_children, as_at, calendar)
    return schedules, review_dates


def run_check(
    folder: Path | str, as_at: date, calendar: WorkingCalendar | None = None
) -> CheckResult:
    """Read ``folder``, run the review rules and every child's schedule as at ``as_at``.

    Raises ``reader.ReadError`` where a file cannot be read. Changes nothing.
    """
    data = read_folder(folder)
    flags = []
    for rule in REVIEW_RULES:
        for table, rows in rule.flags(data).items():
            if rows.size:
                flags.append(Flags(rule, table, rows))
    schedules, review_dates = _schedule(data, as_at, calendar or default_calendar())
    return CheckResult(as_at, data, flags, schedules, review_dates)


# --- Output ------------------------------------------------------------------------------


class _DayText:
    """ISO text of the days in a range, made once: ``prefix + text + suffix`` per day."""

    def __init__(self, days: np.ndarray, prefix: str = "", suffix: str = "") -> None:
        known = days[~np.isnat(days)]
        self.low = known.min() if known.size else np.datetime64("2000-01-01", "D")
        high = known.max() if known.size else self.low
        span = np.arange(self.low, high + 1, dtype="datetime64[D]")
        texts = np.datetime_as_string(span).tolist()
        self.texts = [prefix + t + suffix for t in texts]
        self.texts.append(None)  # NaT

    def of(self, days: np.ndarray) -> list:
        index = (days - self.low).astype(np.int64)
        index[np.isnat(days)] = len(self.texts) - 1
        texts = self.texts
        return [texts[i] for i in index.tolist()]


def _iso(days: np.ndarray) -> list[str | None]:
    """ISO dates of a ``datetime64[D]`` array (None for NaT)."""
    return _DayText(days).of(days)


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
        counted = counted[reviews["CHILD"].codes[counted] != blank]
    child = reviews["CHILD"].codes[counted].astype(np.int64)
    days = result.review_dates[counted].astype(np.int64)
    key = child * (1 << 32) + (days - days.min() if days.size else days)
    if key.size > 1 and not (key[1:] >= key[:-1]).all():
        order = np.argsort(key, kind="stable")
        counted, child = counted[order], child[order]
    offsets = np.zeros(n + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.bincount(child, minlength=n))
    return counted, offsets


def _review_json(result: CheckResult, rows: np.ndarray) -> list[str]:
    """Each counted review's JSON object, in the order of ``rows``."""
    s = result.schedules
    held_days, due_days = result.review_dates[rows], s.review_due[rows]
    held = _DayText(held_days, '{"date": "', '", "due": "').of(held_days)
    due = _DayText(due_days, "", '", "on_time": ').of(due_days)
    tails: dict[int, str] = {}
    key = (s.review_on_time[rows].astype(np.int64) * 4 + s.review_regime[rows] + 1) * 100000
    key += s.review_sequence[rows]
    for k in np.unique(key).tolist():
        on_time, regime, sequence = k // 100000 // 4, k // 100000 % 4 - 1, k % 100000
        tails[k] = (
            f'{"true" if on_time else "false"}, "regime": "{bulk.REGIMES[regime]}", '
            f'"sequence": {sequence}}}'
        )
    tail = [tails[k] for k in key.tolist()]
    return list(map("".join, zip(held, due, tail, strict=True)))


def _children_json(
    result: CheckResult, rows: np.ndarray, offsets: np.ndarray, start: int, stop: int, lead: str
) -> str:
    """The ``"id": {...}`` members of children ``start .. stop - 1``, each after ``lead`` or
    a comma; built with list and numpy operations rather than a loop over children."""
    s = result.schedules
    names = result.children
    kids = np.array([c for c in range(start, stop) if names[c]], dtype=np.int64)
    if kids.size == 0:
        return ""
    counts = offsets[kids + 1] - offsets[kids]
    lo, hi = int(offsets[start]), int(offsets[stop])
    reviews = _review_json(result, rows[lo:hi])
    rank = np.arange(lo, hi) - np.repeat(offsets[kids], counts)
    separators = ("", ", ")
    reviews = list(map(str.__add__, [separators[r > 0] for r in rank.tolist()], reviews))
    heads = [f', {_json_string(names[k])}: {{"reviews": [' for k in kids.tolist()]
    heads[0] = lead + heads[0][2:]
    due = s.next_due[kids]
    tails = _DayText(due, '], "next_due": "', '", "overdue": ').of(due)
    tails = [t or '], "next_due": null, "overdue": ' for t in tails]
    flags = ("false}", "true}")
    tails = list(map(str.__add__, tails, [flags[o] for o in s.overdue[kids].tolist()]))
    head_at = np.cumsum(2 + counts) - (2 + counts)
    parts = np.empty(int(kids.size * 2 + counts.sum()), dtype=object)
    parts[head_at] = heads
    parts[np.repeat(head_at + 1, counts) + rank] = reviews
    parts[head_at + counts + 1] = tails
    return "".join(parts.tolist())


def _json_string(text: str) -> str:
    return f'"{text}"' if text.isalnum() and text.isascii() else json.dumps(text)


def write_json(result: CheckResult, out: TextIO, block: int = 20000) -> None:
    """The contract's JSON object: ``as_at``, ``children``, ``findings`` (and the system's own
    ``data_errors``), streamed a block of children at a time."""
    rows, offsets = _child_reviews(result)
    n = len(result.children)
    out.write(f'{{"as_at": "{result.as_at.isoformat()}", "children": {{')
    lead = ""
    for start in range(0, n, block):
        text = _children_json(result, rows, offsets, start, min(start + block, n), lead)
        if text:
            out.write(text)
            lead = ", "
    out.write('}, "findings": [')
    _write_list(out, result.findings())
    out.write('], "data_errors": [')
    _write_list(out, result.data_errors())
    out.write("]}\n")


def _write_list(out: TextIO, items: Iterator[dict], block: int = 10000) -> None:
    buffer: list[str] = []
    first = True
    for item in items:
        buffer.append(("" if first else ", ") + json.dumps(item, ensure_ascii=False))
        first = False
        if len(buffer) >= block:
            out.write("".join(buffer))
            buffer.clear()
    out.write("".join(buffer))


def _dmy(iso: str | None) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else "-"


def write_text(result: CheckResult, out: TextIO) -> None:
    """A readable report: files, then each child's schedule, then the findings."""
    s = result.schedules
    out.write(f"SSDA903 check as at {result.as_at:%d/%m/%Y}\n\nFiles\n")
    for note in result.data.files:
        rows = "" if note.n_rows is None else f", {note.n_rows} rows"
        table = f" ({note.table}{rows})" if note.table else ""
        out.write(f"  {note.path.name}{table}: {note.note}\n")
    rows, offsets = _child_reviews(result)
    names = result.children
    next_due = _iso(s.next_due)
    reviews = _review_json(result, rows)
    shown = [c for c in range(len(names)) if names[c]]
    n_overdue = int(s.overdue.sum())
    out.write(f"\nChildren: {len(shown)}, {n_overdue} with a review overdue\n")
    width = max((len(names[c]) for c in shown), default=5)
    for child in shown:
        mine = [json.loads(r) for r in reviews[int(offsets[child]) : int(offsets[child + 1])]]
        late = sum(not r["on_time"] for r in mine)
        if next_due[child] is None:
            status = "no open period of care"
        else:
            status = f"next review due {_dmy(next_due[child])}"
            if s.overdue[child]:
                status += " (OVERDUE)"
        plural = "" if len(mine) == 1 else "s"
        out.write(f"  {names[child]:<{width}}  {status}; {len(mine)} review{plural}, {late} late\n")
        for r in mine:
            when = "on time" if r["on_time"] else "LATE"
            out.write(
                f"  {'':<{width}}    {_dmy(r['date'])} due {_dmy(r['due'])} {when}, "
                f"{r['regime'].replace('_', ' ')} #{r['sequence']}\n"
            )
    out.write(f"\nFindings: {result.n_findings()}\n")
    for f in result.findings():
        out.write(f"  {f['rule']:<5} {f['table']} row {f['row']} ({f['child']}): {f['message']}\n")
    errors = list(result.data_errors())
    out.write(f"\nReviews that do not count: {len(errors)}\n")
    for e in errors:
        out.write(f"  {e['table']} row {e['row']} ({e['child']}): {e['message']}\n")
