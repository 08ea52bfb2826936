"""Reading a plain CSV table with numpy, without a Python object per row.

Most 903 files are plain: no quotes, one line per row, every row with the header's number of
commas. For those, ``read_table`` reads the file into one buffer (with zero bytes after it, so
that a fixed-width read past a value's end stays inside), finds the line ends and commas of each
block of lines with numpy, and encodes each needed column from the start and length of its
values:

* a code column (CHILD, LS, ...) by the raw bytes of each value as one sortable key (a ``uint64``
  of up to 8 bytes, else a zero-padded byte string), looked up among the keys seen before;
  only values never seen are decoded, once each, in bulk (``_KeyIndex``);
* a date column by reading the digits of ``dd/mm/YYYY`` directly; other forms fall back to
  ``reader.parse_date``, once per distinct text.

Anything else (quotes, NUL bytes, ragged rows, a stray carriage return, very long values)
returns None, and the caller reads the file with the csv module instead, with the same result.
"""

import os
from pathlib import Path
from typing import Final

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import reader
from .tables import NEEDED

BLOCK_BYTES: Final = 1 << 23
MAX_WIDTH: Final = 64
#: Zero bytes kept after the data: at least the widest fixed-width read (``MAX_WIDTH``).
PAD: Final = MAX_WIDTH
_BOM: Final = b"\xef\xbb\xbf"
_ZERO, _SLASH, _COMMA, _NL, _CR = 48, 47, 44, 10, 13
#: ``_BIG_ENDIAN_MASKS[n]`` keeps the first ``n`` bytes of a big-endian ``uint64``.
_BIG_ENDIAN_MASKS: Final = np.array([((1 << 64) - (1 << (64 - 8 * n))) for n in range(9)], ">u8")


class _NotPlain(Exception):
    """The file needs the csv module."""


def read_table(
    name: str, path: Path, names: list[str], children: reader.Categories
) -> reader.Table | None:
    """The table read with numpy, or None where the file is not plain (see module docstring)."""
    if len(names) < 2:
        return None
    data = _read_padded(path)
    size = len(data) - PAD
    if data.find(b'"', 0, size) >= 0 or data.find(b"\0", 0, size) >= 0:
        return None
    start = len(_BOM) if data.startswith(_BOM) else 0
    header_end = data.find(b"\n", start, size)
    if header_end < 0:
        header_end = size
    if data.count(b",", start, header_end) + 1 != len(names):
        return None
    buf = np.frombuffer(data, np.uint8)
    if size and buf[:size].max() >= 128:
        try:
            bytes(data[:size]).decode("utf-8")
        except UnicodeDecodeError:
            row, column, message = reader._locate_bad_byte(path)
            raise reader.ReadError(path, message, row, column) from None
    wanted = {column: names.index(column) for column in NEEDED[name]}
    categories = {c: children if c == "CHILD" else reader.Categories() for c in wanted}
    parts: dict[str, list] = {c: [] for c in wanted}
    n_rows = 0
    position = header_end + 1
    try:
        while position < size:
            stop = data.find(b"\n", min(position + BLOCK_BYTES, size - 1), size)
            stop = size if stop < 0 else stop + 1
            block = _Block(data, buf, position, stop, len(names))
            for column, index in wanted.items():
                starts, lengths = block.field(index)
                if column in reader.DATE_COLUMNS:
                    parts[column].append(_dates(buf, starts, lengths))
                else:
                    parts[column].append(_codes(buf, starts, lengths, categories[column]))
            n_rows += block.n_rows
            position = stop
    except _NotPlain:
        return None
    columns: dict[str, reader.Column | reader.DateColumn] = {}
    for c in wanted:
        if c in reader.DATE_COLUMNS:
            columns[c] = reader.DateColumn.concatenate(parts[c])
        else:
            codes = np.concatenate(parts[c]) if parts[c] else np.zeros(0, np.int32)
            columns[c] = reader.Column(codes, categories[c])
    return reader.Table(name, path, n_rows, columns)


def _read_padded(path: Path) -> bytearray:
    """The file's bytes followed by ``PAD`` zero bytes (read in place, not copied)."""
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        data = bytearray(size + PAD)
        with memoryview(data) as view:
            got = 0
            while got < size and (n := f.readinto(view[got:size])):
                got += n
        del data[got:size]  # the file shrank meanwhile
        data[got:got] = f.read()  # or grew
    return data


class _Block:
    """The rows of a block of whole lines of a plain CSV file (blank lines are not rows).

    Positions are kept relative to the block's start (fewer additions over the many commas);
    ``field`` gives offsets into the whole buffer. Raises ``_NotPlain`` for anything not plain:
    a carriage return other than just before a line end, or a line without the header's
    number of commas."""

    def __init__(self, data: bytearray, buf: np.ndarray, start: int, stop: int, width: int):
        block = buf[start:stop]
        line_end = np.flatnonzero(block == _NL)
        if data[stop - 1] != _NL:
            line_end = np.append(line_end, stop - start)
        line_start = np.empty_like(line_end)
        line_start[:1] = 0
        line_start[1:] = line_end[:-1] + 1
        content_end = line_end
        carriage_returns = int(np.count_nonzero(block == _CR))
        if carriage_returns:
            cr = np.zeros(line_end.size, dtype=bool)
            nonempty = line_end > line_start
            cr[nonempty] = block[line_end[nonempty] - 1] == _CR
            if int(np.count_nonzero(cr)) != carriage_returns:
                raise _NotPlain
            content_end = line_end - cr
        keep = content_end > line_start
        if not keep.all():
            line_start, content_end = line_start[keep], content_end[keep]
        n = line_start.size
        commas = np.flatnonzero(block == _COMMA)
        if commas.size != n * (width - 1):
            raise _NotPlain
        grid = commas.reshape(n, width - 1)
        # Each line holds its row's commas: the total being right, each has exactly width - 1.
        if n and ((grid[:, 0] < line_start).any() or (grid[:, -1] >= content_end).any()):
            raise _NotPlain
        self.n_rows, self.width, self.start = n, width, start
        self.line_start, self.content_end, self.grid = line_start, content_end, grid

    def field(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """The start (in the whole buffer) and length of each row's value in column ``index``."""
        starts = self.line_start if index == 0 else self.grid[:, index - 1] + 1
        ends = self.content_end if index == self.width - 1 else self.grid[:, index]
        lengths = ends - starts
        if lengths.size and int(lengths.max()) > MAX_WIDTH:
            raise _NotPlain
        return starts + self.start, lengths


def _at_every_offset(buf: np.ndarray, dtype: str) -> np.ndarray:
    """A view of ``buf`` as values of ``dtype`` starting at every byte offset."""
    size = np.dtype(dtype).itemsize
    return np.ndarray((buf.size - size + 1,), dtype, buffer=buf, strides=(1,))


def _windows(buf: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` bytes from each start, as the rows of a byte matrix (a copy)."""
    return sliding_window_view(buf, max(width, 1))[starts]


# --- Code columns ------------------------------------------------------------------------


def _codes(
    buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray, categories: reader.Categories
) -> np.ndarray:
    """Codes of a code column: each row's value as a key, runs of equal keys folded (a child's
    rows come together), the distinct ones looked up."""
    if starts.size == 0:
        return np.zeros(0, np.int32)
    width = int(lengths.max())
    if width <= 8:
        # Big-endian, so that keys sort as the values do (IDs often come in order).
        keys = (_at_every_offset(buf, ">u8")[starts] & _BIG_ENDIAN_MASKS[lengths]).astype(np.uint64)
    else:
        matrix = _windows(buf, starts, width)
        matrix[np.arange(width) >= lengths[:, None]] = 0
        keys = matrix.view(f"S{width}").reshape(-1)
    kind = keys.dtype.kind  # "u" or "S": one index of each per Categories
    index = categories.raw_keys.get(kind)
    if not isinstance(index, _KeyIndex):  # None: the first column of this kind
        index = categories.raw_keys[kind] = _KeyIndex(keys.dtype)
    change = np.ones(keys.size, dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=change[1:])
    heads = np.flatnonzero(change)
    if heads.size * 2 > keys.size:
        return _seeded_codes(index, keys, categories)
    run_lengths = np.diff(np.append(heads, keys.size))
    return np.repeat(_seeded_codes(index, keys[heads], categories), run_lengths)


def _seeded_codes(
    index: "_KeyIndex", keys: np.ndarray, categories: reader.Categories, seed: int = 1024
) -> np.ndarray:
    """``index.codes(keys)``, the first time seeding the index with the first rows: most
    columns have few distinct values, so the rest is then a lookup rather than a sort."""
    if index.keys.size or keys.size <= 4 * seed:
        return index.codes(keys, categories)
    first = index.codes(keys[:seed], categories)
    return np.concatenate([first, index.codes(keys[seed:], categories)])


class _KeyIndex:
    """The raw keys of a column's values seen so far (sorted) and the code of each.

    ``normal_values`` counts the values this index added to its ``Categories`` from raw bytes
    that needed no normalising. While it is all of the ``Categories``' values, a new key of
    such bytes is a new value: they are added without looking them up."""

    __slots__ = ("codes_of_keys", "keys", "normal_values")

    def __init__(self, dtype: np.dtype) -> None:
        self.keys = np.zeros(0, dtype=dtype)
        self.codes_of_keys = np.zeros(0, dtype=np.int32)
        self.normal_values = 0

    def codes(self, keys: np.ndarray, categories: reader.Categories) -> np.ndarray:
        """The code of each key, new values added to ``categories`` in order of first
        appearance (so children keep the file's order)."""
        known = self.keys
        if known.size:
            at = np.minimum(np.searchsorted(known, keys), known.size - 1)
            hit = known[at] == keys
            if hit.all():
                return self.codes_of_keys[at]
            missing = np.flatnonzero(~hit)
            new = keys[missing]
        else:
            new = keys
        appearance: slice | np.ndarray
        inverse: slice | np.ndarray
        if new.size < 2 or bool((new[1:] > new[:-1]).all()):  # in order, each once
            new_keys, appearance, inverse = new, slice(None), slice(None)
        else:
            new_keys, first, inverse = np.unique(new, return_index=True, return_inverse=True)
            appearance = np.argsort(first, kind="stable")
        new_codes = np.empty(new_keys.size, dtype=np.int32)
        new_codes[appearance] = self._add(new_keys[appearance], categories)
        if not known.size:
            self.keys, self.codes_of_keys = new_keys, new_codes
            return new_codes[inverse]
        codes = np.empty(keys.size, dtype=np.int32)
        codes[hit] = self.codes_of_keys[at[hit]]
        codes[missing] = new_codes[inverse]
        all_keys = np.concatenate([known, new_keys])
        order = np.argsort(all_keys, kind="stable")
        self.keys = all_keys[order]
        self.codes_of_keys = np.concatenate([self.codes_of_keys, new_codes])[order]
        return codes

    def _add(self, keys: np.ndarray, categories: reader.Categories) -> range | list[int]:
        """The codes of the values of keys never seen, in order."""
        raw = keys.astype(">u8").view("S8") if keys.dtype == np.uint64 else keys
        if _normal(raw) and self.normal_values == len(categories.values):
            self.normal_values += raw.size
            return categories.extend_new(raw.astype(str).tolist())
        texts = b"\n".join(raw.tolist()).decode("utf-8").split("\n") if raw.size else []
        return categories.codes([text.strip().upper() for text in texts])


def _normal(raw: np.ndarray) -> bool:
    """Whether every byte of some raw values is printable ASCII other than a lower-case
    letter (or padding): each value is then its own normal form, decoded as ASCII."""
    octets = raw.view(np.uint8)
    if octets.size == 0:
        return True
    printable = (octets == 0) | ((octets > 32) & (octets < 127))
    return bool((printable & ((octets < ord("a")) | (octets > ord("z")))).all())


# --- Date columns ------------------------------------------------------------------------


def _month_table() -> tuple[np.ndarray, np.ndarray]:
    """The first day (days since 1970) and length of every month a pandas timestamp can hold,
    indexed by ``(year - first year) * 12 + month - 1``."""
    months = np.arange(
        np.datetime64(f"{reader._FIRST_DAY.year}-01", "M"),
        np.datetime64(f"{reader._LAST_DAY.year + 1}-01", "M") + 1,
    )
    first_days = months.astype("datetime64[D]").astype(np.int64)
    return first_days[:-1], np.diff(first_days)


def _two_digit_table() -> np.ndarray:
    """The number written by two bytes read as a big-endian ``uint16``: 0 to 99 where both
    are ASCII digits, -1 otherwise."""
    table = np.full(1 << 16, -1, dtype=np.int16)
    tens, units = np.divmod(np.arange(100), 10)
    table[(tens + _ZERO) * 256 + units + _ZERO] = np.arange(100)
    return table


_MONTH_FIRST_DAY, _MONTH_LENGTH = _month_table()
_TWO_DIGITS: Final = _two_digit_table()
_FIRST = np.datetime64(reader._FIRST_DAY, "D").astype(np.int64)
_LAST = np.datetime64(reader._LAST_DAY, "D").astype(np.int64)
#: Bytes 2 and 5 of ``dd/mm/YYYY`` in its first 8 bytes read as a big-endian ``uint64``.
_SLASH_BYTES: Final = np.uint64(0x0000FF0000FF0000)
_SLASHES: Final = np.uint64(0x00002F00002F0000)


def _dates(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> reader.DateColumn:
    """A date column: ``dd/mm/YYYY`` read from the digits; other forms by ``parse_date``.

    The first 8 bytes (``dd/mm/YY``) and the last 2 (``YY``) of each value are read as
    big-endian integers; each pair of digits is then one lookup in ``_TWO_DIGITS``."""
    head = _at_every_offset(buf, ">u8")[starts].astype(np.uint64)
    tail = _at_every_offset(buf, ">u2")[starts + 8].astype(np.uint16)
    day = _TWO_DIGITS[head >> np.uint64(48)].astype(np.int64)
    month = _TWO_DIGITS[(head >> np.uint64(24)) & np.uint64(0xFFFF)].astype(np.int64)
    century = _TWO_DIGITS[head & np.uint64(0xFFFF)].astype(np.int64)
    year_of_century = _TWO_DIGITS[tail]
    month_index = ((century * 100 + year_of_century) - reader._FIRST_DAY.year) * 12 + month - 1
    valid = (
        (lengths == 10) & ((head & _SLASH_BYTES) == _SLASHES)
        & (century >= 0) & (year_of_century >= 0)  # all digits (day and month: >= 1 below)
        & (month >= 1) & (month <= 12) & (day >= 1)
        & (month_index >= 0) & (month_index < _MONTH_LENGTH.size)
    )  # fmt: skip
    month_index[~valid] = 0
    valid &= day <= _MONTH_LENGTH[month_index]
    value = _MONTH_FIRST_DAY[month_index] + day - 1
    valid &= (value >= _FIRST) & (value <= _LAST)
    days = np.where(valid, value, np.iinfo(np.int64).min).view("datetime64[D]")
    blanks = lengths == 0
    # Other forms, and canonical-looking values that are not dates (31/02/2020, unreadable).
    odd = np.flatnonzero(~valid & ~blanks)
    odd_texts: list[str] = []
    distinct: dict[bytes, tuple[str, object]] = {}
    for row, start, length in zip(
        odd.tolist(), starts[odd].tolist(), lengths[odd].tolist(), strict=True
    ):
        raw = buf[start : start + length].tobytes()
        if raw not in distinct:
            text = raw.decode("utf-8").strip()
            distinct[raw] = (text, reader.parse_date(text) or reader.NAT)
        text, days[row] = distinct[raw]
        blanks[row] = not text
        odd_texts.append(text.upper())
    return reader.DateColumn(days, blanks, odd, odd_texts)
