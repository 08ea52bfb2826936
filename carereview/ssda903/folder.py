"""A folder of 903 files read into tables (``read_folder``): each file recognised by ``reader``,
plain CSV read with numpy (``fastcsv``) where it can be, else with the csv module (``reader``).

Moved out of ``reader`` so that ``fastcsv`` builds on ``reader``'s tables and ``reader`` does not
import ``fastcsv`` back (ADR 0013). What is read, and what is refused, is ``reader``'s docstring.
"""

import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from .reader import (
    COLUMNS,
    USED,
    Categories,
    FileNote,
    ReadError,
    Return,
    _count_rows,
    _csv_rows,
    _encode,
    _NotA903,
    _one_chunk,
    _sniff,
    _xml_rows,
)


def numpy_reader_enabled() -> bool:
    """Whether plain CSV files are read with numpy (``fastcsv``); tests switch it off with
    ``CAREREVIEW_903_CSV_MODULE=1`` to check that the csv module reads the same."""
    return os.environ.get("CAREREVIEW_903_CSV_MODULE") != "1"


def read_folder(folder: Path | str) -> Return:
    """Read every 903 file of ``folder`` (not its subfolders); see the module docstring."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReadError(folder, "is not a folder that can be read")
    try:
        paths = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    except OSError as error:
        raise ReadError(folder, f"cannot be listed ({error.strerror})") from error
    children = Categories()
    sources: dict[str, tuple[Path, list[str], Callable[[], Iterable[list[list[str]]]]]] = {}
    notes: list[FileNote] = []

    def claim(table: str, path: Path) -> None:
        if table in sources:
            raise ReadError(path, f"holds the {table} table, as {sources[table][0].name} does")

    for path in paths:
        kind, detail = _sniff(path)
        if kind == "other":
            notes.append(FileNote(path, None, None, f"skipped: {detail}"))
        elif kind == "xml":
            try:
                xml = _xml_rows(path)
            except _NotA903 as error:
                notes.append(FileNote(path, None, None, f"skipped: {error}"))
                continue
            for table in USED:
                claim(table, path)
                sources[table] = (path, list(COLUMNS[table]), partial(_one_chunk, xml[table]))
        else:
            assert isinstance(detail, tuple)  # ("csv", (table, names))
            table, names = detail
            if table in USED:
                claim(table, path)
                sources[table] = (path, names, partial(_csv_rows, path, names))
            else:
                n_rows = _count_rows(path, names)
                notes.append(FileNote(path, table, n_rows, "recognised, not used"))
    if not sources:
        # Nothing to check: said so with exit 2, not a clean result for an empty return.
        skipped = "; ".join(
            f"{n.path.name} ({n.note.removeprefix('skipped: ')})" for n in notes[:3]
        )
        skipped += f"; and {len(notes) - 3} more" if len(notes) > 3 else ""
        raise ReadError(
            folder,
            "holds no 903 table to check (Header, Episodes or Reviews, as CSV or XML)"
            + (f"; skipped: {skipped}" if skipped else ": it is empty"),
        )
    tables = {}
    for table in USED:  # Header first, so children are numbered in Header order
        if table in sources:
            path, names, chunks = sources[table]
            read = None
            if path.suffix.lower() != ".xml" and numpy_reader_enabled():
                from .fastcsv import read_table

                read = read_table(table, path, names, children)
            tables[table] = read or _encode(table, path, names, chunks(), children)
            notes.append(FileNote(path, table, tables[table].n_rows, "read"))
    notes.sort(key=lambda n: (n.path.name, n.table or ""))
    return Return(tables, children, notes)
