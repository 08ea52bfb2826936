"""Read an SSDA903 folder (CSV or XML) into compact columns (spec/ssda903.md).

A CSV file is recognised by its header: the exact set of a table's column names, in any order,
whatever the file's name. A UTF-8 byte order mark, spaces around names and values, Windows line
ends and blank lines are read, not refused; every value is stripped and upper-cased (as the DfE
validator upper-cases). A file that is not a 903 table is named and skipped; a 903 table in
UTF-16 or UTF-32, and a folder with no table to check, are refused (``ReadError``). An XML
file is an ``EXPSSDA903`` document: ``CHILD/HEADER/{CHILDID, ..., AREVIEW{REVIEW,
REVIEW_CODE}}`` and ``CHILD/EPISODE{..., PL, ...}``; entity declarations and external entities
are refused (the protections of defusedxml), so a hostile file cannot expand itself or read
other files.

Only the columns the checks and the schedule read are kept, each as a ``Column``: an int32 code
per row into the column's distinct values. Child identifiers share one ``Categories`` across
tables, so "same child" is integer equality. A blank value is the empty string ``""``; blank
matches blank, as pandas' merge matches missing keys in the validator.

``row`` numbers are 0-based data rows of the file (blank lines are not rows, as in pandas).
Anything that stops a used file being read raises ``ReadError`` naming the file, row and column.
"""

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Final, NoReturn
from xml.parsers import expat

import numpy as np
from numpy.typing import DTypeLike

from .tables import COLUMNS, NEEDED, USED, XML_NAMES, table_of

CHUNK_ROWS: Final = 1 << 16
NAT: Final = np.datetime64("NaT", "D")

#: pandas' ``to_datetime(format="%d/%m/%Y")``, which the validator uses: day 1-31 (one digit,
#: two, or a space and one), month 1-12 (one or two digits), a four-digit year, nothing else.
_DMY: Final = re.compile(r"(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])/(1[0-2]|0[1-9]|[1-9])/(\d\d\d\d)")
#: The dates a pandas timestamp can hold; the validator reads others as missing.
_FIRST_DAY: Final = date(1677, 9, 22)
_LAST_DAY: Final = date(2262, 4, 11)


def parse_date(text: str) -> date | None:
    """A ``dd/mm/YYYY`` date as the DfE validator reads it, or None where it cannot be read."""
    found = _DMY.fullmatch(text)
    if found is None:
        return None
    try:
        day = date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        return None
    return day if _FIRST_DAY <= day <= _LAST_DAY else None


class ReadError(Exception):
    """A file of the folder cannot be read: names the file, row and column."""

    def __init__(
        self, path: Path | str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        self.path = Path(path)
        self.row = row
        self.column = column
        self.detail = message
        where = [str(path)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}")


class Categories:
    """Distinct values of a column (stripped, upper-cased) and the code of each.

    The dictionary from value to code is made on first need (``code``): a reader that knows
    its values are new adds them with ``extend_new``, which costs no dictionary, and ``find``
    scans the list until there is one."""

    __slots__ = ("_by_raw", "_by_value", "raw_keys", "values")

    def __init__(self) -> None:
        self.values: list[str] = []
        self._by_value: dict[str, int] | None = {}
        self._by_raw: dict[str, int] = {}
        #: Raw UTF-8 values already coded, as sortable keys with their codes (for ``fastcsv``:
        #: one index per kind of key).
        self.raw_keys: dict[str, object] = {}

    def _index(self) -> dict[str, int]:
        if self._by_value is None:
            self._by_value = {value: code for code, value in enumerate(self.values)}
        return self._by_value

    def code(self, value: str) -> int:
        """The code of a normalised value, added if new."""
        by_value = self._index()
        code = by_value.get(value)
        if code is None:
            code = by_value[value] = len(self.values)
            self.values.append(value)
        return code

    def codes(self, values: list[str]) -> list[int]:
        """``code`` of each normalised value, in order."""
        return [self.code(v) for v in values]

    def extend_new(self, values: list[str]) -> range:
        """Add values known to be distinct and new (unchecked); their codes."""
        start = len(self.values)
        self.values.extend(values)
        if start == 0:
            self._by_value = None  # made on first need
        elif self._by_value is not None:
            self._by_value.update(zip(values, range(start, len(self.values)), strict=True))
        return range(start, len(self.values))

    def find(self, value: str) -> int | None:
        """The code of a normalised value, or None where it never occurs."""
        if self._by_value is not None:
            return self._by_value.get(value)
        try:
            return self.values.index(value)
        except ValueError:
            return None

    def encode(self, raw_values: list[str]) -> np.ndarray:
        """The codes of raw values (each stripped and upper-cased) as an int32 array."""
        by_raw = self._by_raw
        for raw in [v for v in dict.fromkeys(raw_values) if v not in by_raw]:
            by_raw[raw] = self.code(raw.strip().upper())
        return np.fromiter(map(by_raw.__getitem__, raw_values), np.int32, len(raw_values))

    def lookup(self, function: Callable[[str], object], dtype: DTypeLike) -> np.ndarray:
        """``function`` of every distinct value, as an array indexed by code."""
        return np.array([function(v) for v in self.values], dtype=dtype)


@dataclass(slots=True)
class Column:
    """One column: a code per row into ``categories.values``."""

    codes: np.ndarray
    categories: Categories

    def values(self, rows: np.ndarray | None = None) -> list[str]:
        """The (normalised) values of the given rows, or of every row."""
        codes = self.codes if rows is None else self.codes[rows]
        values = self.categories.values
        return [values[c] for c in codes.tolist()]

    def blank(self) -> np.ndarray:
        """True where the value is blank."""
        code = self.categories.find("")
        return self.codes == code if code is not None else np.zeros(self.codes.size, bool)

    def isin(self, values: Iterable[str]) -> np.ndarray:
        """True where the value is one of ``values``."""
        wanted = set(values)
        lut = self.categories.lookup(lambda v: v in wanted, bool)
        return lut[self.codes] if lut.size else np.zeros(self.codes.size, bool)

    def dates(self) -> np.ndarray:
        """The values read as ``dd/mm/YYYY`` dates (``datetime64[D]``; NaT where blank or bad)."""
        lut = self.categories.lookup(lambda v: parse_date(v) or NAT, "datetime64[D]")
        return lut[self.codes] if lut.size else np.full(self.codes.size, NAT)


@dataclass(slots=True)
class DateColumn:
    """A date column: each row's date (NaT where blank or unreadable) and whether it is blank.

    A row's text as written (stripped and upper-cased, for messages) is its date as
    ``dd/mm/YYYY``, or blank, except for the ``odd_rows`` (in order), whose texts are kept in
    ``odd_texts``: dates written otherwise (``1/2/2020``) and values that are not dates."""

    days: np.ndarray
    blanks: np.ndarray
    odd_rows: np.ndarray
    odd_texts: list[str]

    def dates(self) -> np.ndarray:
        return self.days

    def blank(self) -> np.ndarray:
        return self.blanks

    def values(self, rows: np.ndarray | None = None) -> list[str]:
        """The texts of the given rows, or of every row (see the class docstring)."""
        rows = np.arange(self.days.size) if rows is None else np.asarray(rows, dtype=np.int64)
        isos = np.datetime_as_string(self.days[rows]).tolist()
        blanks = self.blanks[rows].tolist()
        texts = [
            "" if blank else f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"
            for iso, blank in zip(isos, blanks, strict=True)
        ]
        if self.odd_rows.size:
            at = np.minimum(np.searchsorted(self.odd_rows, rows), self.odd_rows.size - 1)
            for i in np.flatnonzero(self.odd_rows[at] == rows).tolist():
                texts[i] = self.odd_texts[at[i]]
        return texts

    @classmethod
    def from_strings(cls, values: list[str]) -> "DateColumn":
        """Parse raw strings, each distinct value once."""
        distinct = {}
        for v in dict.fromkeys(values):
            text = v.strip().upper()
            day = parse_date(v.strip())
            odd = bool(text) and (day is None or day.strftime("%d/%m/%Y") != text)
            distinct[v] = (day or NAT, not text, text if odd else None)
        parsed = [distinct[v] for v in values]
        days = np.array([p[0] for p in parsed], dtype="datetime64[D]")
        blanks = np.array([p[1] for p in parsed], dtype=bool)
        odd_rows = np.array([i for i, p in enumerate(parsed) if p[2] is not None], np.int64)
        return cls(days, blanks, odd_rows, [parsed[i][2] for i in odd_rows.tolist()])

    @classmethod
    def concatenate(cls, parts: list["DateColumn"]) -> "DateColumn":
        if not parts:
            return cls.from_strings([])
        offsets = np.cumsum([0] + [p.days.size for p in parts[:-1]]).tolist()
        return cls(
            np.concatenate([p.days for p in parts]),
            np.concatenate([p.blanks for p in parts]),
            np.concatenate([p.odd_rows + at for p, at in zip(parts, offsets, strict=True)]),
            [text for p in parts for text in p.odd_texts],
        )


#: The date columns of the used tables.
DATE_COLUMNS: Final = frozenset({"DOB", "DECOM", "DEC", "REVIEW"})


@dataclass(slots=True)
class Table:
    """A used table as read from one file: its rows' needed columns."""

    name: str
    path: Path
    n_rows: int
    columns: dict[str, "Column | DateColumn"]

    def __getitem__(self, column: str) -> "Column | DateColumn":
        return self.columns[column]

    def coded(self, column: str) -> "Column":
        """A column read as codes (every column but a date column)."""
        found = self.columns[column]
        if not isinstance(found, Column):
            raise TypeError(f"{self.name}.{column} is a date column, not a column of codes")
        return found


@dataclass(slots=True)
class FileNote:
    """What was done with one file of the folder."""

    path: Path
    table: str | None
    n_rows: int | None
    note: str


@dataclass(slots=True)
class Return:
    """The used tables of a folder, the shared child identifiers, and a note per file."""

    tables: dict[str, Table]
    children: Categories
    files: list[FileNote] = field(default_factory=list)

    def get(self, name: str) -> Table | None:
        return self.tables.get(name)


# --- CSV ---------------------------------------------------------------------------------


def _sniff(path: Path) -> tuple[str, str | tuple[str, list[str]] | None]:
    """What a file looks like: ("csv", header), ("xml", None) or ("other", reason)."""
    try:
        with path.open("rb") as f:
            start = f.read(1 << 16)
    except OSError as error:
        raise ReadError(path, f"cannot be opened ({error.strerror})") from error
    text = start.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return "xml", None
    wide = _wide_encoding(start)
    if wide is not None:
        # Excel's "Unicode Text" and some case systems write UTF-16: a 903 table in it is
        # refused with the way out, not skipped as if it were some other file.
        raise ReadError(
            path,
            f"is {wide} text, and a 903 file is read as UTF-8 (as the DfE's validator reads "
            'it): save it again as "CSV UTF-8"',
        )
    line = start.split(b"\n", 1)[0].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r")
    try:
        header = next(csv.reader([line.decode("utf-8")]), [])
    except (UnicodeDecodeError, csv.Error):
        return "other", "not a 903 table (not UTF-8 CSV text)"
    names = [name.strip().upper() for name in header]
    while names and not names[-1]:
        names.pop()
    table = table_of(names)
    if table is None:
        return "other", "not a 903 table (its header matches no table of the return)"
    return "csv", (table, names)


_WIDE_MARKS: Final = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def _wide_encoding(start: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" where ``start`` (a file's first bytes) is such text, with or without
    a byte order mark, whose first line is the header of a 903 table; otherwise None."""
    candidates = [(mark, enc, name) for mark, enc, name in _WIDE_MARKS if start.startswith(mark)]
    if not candidates and b"\x00" in start[:8]:  # no mark: NULs are the other half of ASCII
        candidates = [(b"", enc, name) for _, enc, name in _WIDE_MARKS]
    for mark, encoding, name in candidates:
        body = start[len(mark) :]
        body = body[: len(body) - len(body) % (4 if name == "UTF-32" else 2)]
        try:
            first = body.decode(encoding).split("\n", 1)[0].rstrip("\r")
            names = [n.strip().upper() for n in next(csv.reader([first]), [])]
        except (UnicodeDecodeError, csv.Error):
            continue
        while names and not names[-1]:
            names.pop()
        if table_of(names) is not None:
            return name
    return None


def _locate_bad_byte(path: Path) -> tuple[int | None, str | None, str]:
    """The data row and column of the first byte that is not UTF-8, and a description."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start
    else:
        return None, None, "cannot be decoded"
    head = data[:offset]
    line_start = head.rfind(b"\n") + 1
    previous_lines = head[:line_start].splitlines()
    data_rows = sum(1 for line in previous_lines[1:] if line.strip())
    header = next(csv.reader([data.split(b"\n", 1)[0].decode("utf-8-sig", "replace")]), [])
    field_index = head[line_start:].count(b",")
    column = header[field_index].strip() if field_index < len(header) else f"#{field_index + 1}"
    byte = data[offset : offset + 1].hex().upper()
    return data_rows, column, f"is not UTF-8 text (byte 0x{byte}); save it as UTF-8"


def _csv_rows(path: Path, names: list[str]) -> Iterator[list[list[str]]]:
    """The data rows of a CSV file in chunks, each row padded to the header's width."""
    width = len(names)
    row_number = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f, strict=False)
            next(reader, None)
            while chunk := list(islice(reader, CHUNK_ROWS)):
                if any(len(row) != width for row in chunk):
                    chunk = _fit(path, chunk, names, row_number)
                row_number += len(chunk)
                yield chunk
    except UnicodeDecodeError as error:
        row, column, message = _locate_bad_byte(path)
        raise ReadError(path, message, row, column) from error
    except csv.Error as error:
        raise ReadError(path, f"is not valid CSV ({error})", row_number) from error


def _fit(path: Path, chunk: list[list[str]], names: list[str], first_row: int) -> list[list[str]]:
    """Drop blank lines, pad short rows with blanks and refuse rows with extra values."""
    width = len(names)
    fitted = []
    for row in chunk:
        if len(row) == width:
            fitted.append(row)
        elif len(row) <= 1 and not "".join(row).strip():
            continue  # a blank line is not a row
        elif len(row) < width:
            fitted.append(row + [""] * (width - len(row)))
        else:
            extra = next((i for i in range(width, len(row)) if row[i].strip()), None)
            if extra is not None:
                raise ReadError(
                    path,
                    f"has {len(row)} values where the header has {width} columns "
                    f"(unexpected {row[extra].strip()!r})",
                    first_row + len(fitted),
                    f"#{extra + 1} (after {names[-1]})",
                )
            fitted.append(row[:width])
    return fitted


# --- XML ---------------------------------------------------------------------------------


class _Refused(Exception):
    pass


class _NotA903(Exception):
    pass


def _one_chunk(rows: list[list[str]]) -> list[list[list[str]]]:
    return [rows]


def _refuse(*_args: object) -> NoReturn:
    raise _Refused("entity declarations and external entities are not accepted")


def _xml_rows(path: Path) -> dict[str, list[list[str]]]:
    """The Header, Episodes and Reviews rows of an ``EXPSSDA903`` document, in document order.

    Each review takes its child's CHILDID and DOB; each episode its child's CHILDID. Parsed with
    expat directly, streaming, with entity declarations, external entities and external DTDs
    refused.
    """
    rows: dict[str, list[list[str]]] = {name: [] for name in USED}
    stack: list[str] = []
    text: list[str] = []
    child_header: dict[str, str] = {}
    episodes: list[dict[str, str]] = []
    reviews: list[dict[str, str]] = []
    current: dict[str, str] | None = None

    def start(tag: str, _attrs: object) -> None:
        nonlocal current, child_header, episodes, reviews
        stack.append(tag)
        text.clear()
        depth = len(stack)
        if depth == 1 and tag != "EXPSSDA903":
            raise _NotA903(f"not a 903 table (its root element is <{tag}>, not <EXPSSDA903>)")
        if depth == 2 and tag == "CHILD":
            child_header, episodes, reviews = {}, [], []
        elif depth == 3 and tag == "EPISODE" and stack[1] == "CHILD":
            current = {}
            episodes.append(current)
        elif depth == 4 and tag == "AREVIEW" and stack[2] == "HEADER":
            current = {}
            reviews.append(current)

    def end(tag: str) -> None:
        nonlocal current
        depth = len(stack)
        value = "".join(text)
        text.clear()
        if depth >= 2 and stack[1] == "CHILD":
            if depth == 4 and stack[2] == "HEADER" and tag not in ("AREVIEW",):
                child_header[XML_NAMES.get(tag, tag)] = value
            elif depth == 4 and stack[2] == "EPISODE" and current is not None:
                current[XML_NAMES.get(tag, tag)] = value
            elif depth == 5 and stack[3] == "AREVIEW" and current is not None:
                current[XML_NAMES.get(tag, tag)] = value
            elif depth in (3, 4) and tag in ("EPISODE", "AREVIEW"):
                current = None
            elif depth == 2:
                _emit_child(rows, child_header, episodes, reviews)
        stack.pop()

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        with path.open("rb") as f:
            parser.ParseFile(f)
    except _Refused as error:
        raise ReadError(path, f"cannot be read: {error}", None, None) from error
    except expat.ExpatError as error:
        raise ReadError(
            path,
            f"is not well-formed XML ({expat.ErrorString(error.code)}) at line {error.lineno}, "
            f"character {error.offset}",
        ) from error
    except LookupError as error:  # an encoding declaration Python does not know
        raise ReadError(path, f"is in an encoding that cannot be read ({error})") from error
    return rows


def _emit_child(
    rows: dict[str, list[list[str]]],
    header: dict[str, str],
    episodes: list[dict[str, str]],
    reviews: list[dict[str, str]],
) -> None:
    child = header.get("CHILD", "")
    rows["Header"].append([header.get(c, "") for c in COLUMNS["Header"]])
    for episode in episodes:
        episode = {**episode, "CHILD": child}
        rows["Episodes"].append([episode.get(c, "") for c in COLUMNS["Episodes"]])
    for review in reviews:
        review = {**review, "CHILD": child, "DOB": header.get("DOB", "")}
        rows["Reviews"].append([review.get(c, "") for c in COLUMNS["Reviews"]])


# --- The folder --------------------------------------------------------------------------


def _encode(
    name: str,
    path: Path,
    names: list[str],
    chunks: Iterable[list[list[str]]],
    children: Categories,
) -> Table:
    """Encode the needed columns of a used table's rows (lists of strings), chunk by chunk."""
    wanted = {column: names.index(column) for column in NEEDED[name]}
    categories = {c: children if c == "CHILD" else Categories() for c in wanted}
    parts: dict[str, list] = {c: [] for c in wanted}
    n_rows = 0
    for chunk in chunks:
        n_rows += len(chunk)
        by_column = list(zip(*chunk, strict=True)) if chunk else []
        for column, index in wanted.items():
            values = list(by_column[index]) if by_column else []
            if column in DATE_COLUMNS:
                parts[column].append(DateColumn.from_strings(values))
            else:
                parts[column].append(categories[column].encode(values))
    columns: dict[str, Column | DateColumn] = {}
    for c in wanted:
        if c in DATE_COLUMNS:
            columns[c] = DateColumn.concatenate(parts[c])
        else:
            codes = np.concatenate(parts[c]) if parts[c] else np.zeros(0, np.int32)
            columns[c] = Column(codes, categories[c])
    return Table(name, path, n_rows, columns)


def _count_rows(path: Path, names: list[str]) -> int:
    return sum(len(chunk) for chunk in _csv_rows(path, names))
