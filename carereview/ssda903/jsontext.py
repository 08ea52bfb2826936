"""Building the text of many JSON objects at once with numpy, not a Python string per value.

The output of ``check`` is rows of text (a child's opening, each of its reviews, its closing; a
finding), each row the concatenation of a few *pieces*: a constant, an entry of a small table
(a date, ``true``/``false``, a child's quoted identifier) or a decimal number. ``render`` works
out the length of every piece of every row, hence where each lands in the output, and writes
each piece straight to its place in one byte buffer: a group of pieces of one length at a time,
through a view of the buffer that reads a value of that length at every byte offset. No
padding is written, so the pieces can be written in any order.

Tables are ``S`` (bytes) arrays; JSON text never holds a zero byte, so a value's length is its
count of non-zero bytes. (``np.strings`` and ``np.unique`` without indexes are avoided: the
first use of each imports a module, ``np.unique`` numpy.ma, that costs more than the work.)
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

_ZERO: Final = ord("0")


def _at_every_offset(out: np.ndarray, width: int) -> np.ndarray:
    """A view of ``out`` as ``width``-byte strings starting at every byte offset."""
    return np.ndarray((out.size - width + 1,), f"S{width}", buffer=out, strides=(1,))


class Piece:
    """One piece of each row: its length per row, and how to write it."""

    lengths: np.ndarray

    def write(self, out: np.ndarray, offsets: np.ndarray) -> None:
        """Write row ``i``'s piece at ``out[offsets[i]:]``."""
        raise NotImplementedError


class Constant(Piece):
    """The same bytes in every row."""

    def __init__(self, text: bytes, n_rows: int) -> None:
        self.text = text
        self.lengths = np.full(n_rows, len(text), dtype=np.int64)

    def write(self, out: np.ndarray, offsets: np.ndarray) -> None:
        if self.text and offsets.size:
            _at_every_offset(out, len(self.text))[offsets] = self.text


class Lookup(Piece):
    """Row ``i`` holds ``table[index[i]]`` (negative indexes count from the end);
    ``table_lengths`` may be given where known (``lengths(table)``)."""

    def __init__(
        self,
        table: Sequence[bytes] | np.ndarray,
        index: np.ndarray,
        table_lengths: np.ndarray | None = None,
    ) -> None:
        self.table = np.asarray(table, dtype=bytes) if len(table) else np.zeros(1, "S1")
        self.index = np.asarray(index, dtype=np.int64)
        if table_lengths is None:
            table_lengths = lengths(self.table)
        self.lengths = table_lengths[self.index]

    def write(self, out: np.ndarray, offsets: np.ndarray) -> None:
        lengths = self.lengths
        widths = np.flatnonzero(np.bincount(lengths)).tolist() if lengths.size else []
        for width in widths:
            if width == 0:
                continue
            rows = slice(None) if len(widths) == 1 else np.flatnonzero(lengths == width)
            table = self.table.astype(f"S{width}")  # entries of this width are whole
            _at_every_offset(out, width)[offsets[rows]] = table[self.index[rows]]


class Decimal(Piece):
    """Row ``i`` holds the decimal digits of ``values[i]`` (non-negative integers)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.asarray(values, dtype=np.int64)
        top = int(self.values.max()) if self.values.size else 0
        self.powers = 10 ** np.arange(len(str(top)), dtype=np.int64)
        self.lengths = np.maximum(np.searchsorted(self.powers, self.values, side="right"), 1)

    def write(self, out: np.ndarray, offsets: np.ndarray) -> None:
        for width in np.flatnonzero(np.bincount(self.lengths)).tolist():
            rows = np.flatnonzero(self.lengths == width)
            powers = self.powers[width - 1 :: -1]
            digits = (self.values[rows, None] // powers % 10 + _ZERO).astype(np.uint8)
            _at_every_offset(out, width)[offsets[rows]] = digits.view(f"S{width}").reshape(-1)


@dataclass
class Rows:
    """Rows of one kind: their pieces, and the place of each row among all rows."""

    pieces: list[Piece]
    order: np.ndarray

    @property
    def lengths(self) -> np.ndarray:
        return sum((p.lengths for p in self.pieces), np.zeros(self.order.size, np.int64))


def render(kinds: Sequence[Rows]) -> bytearray:
    """The text of all rows of every kind, in their order (each kind's ``order`` numbers its
    rows' places among all rows: together, 0 to the number of rows - 1)."""
    n_rows = sum(kind.order.size for kind in kinds)
    row_length = np.zeros(n_rows, dtype=np.int64)
    for kind in kinds:
        row_length[kind.order] = kind.lengths
    row_start = np.cumsum(row_length) - row_length
    text = bytearray(int(row_length.sum()))
    if text:
        out = np.frombuffer(text, dtype=np.uint8)
        for kind in kinds:
            offsets = row_start[kind.order]
            for piece in kind.pieces:
                piece.write(out, offsets)
                offsets = offsets + piece.lengths
    return text


def plain(texts: Sequence[str]) -> bool:
    """Whether every text is ASCII letters and digits, or empty (as JSON, just quoted)."""
    joined = "".join(texts)
    return joined.isascii() and joined.isalnum()


def lengths(table: np.ndarray) -> np.ndarray:
    """The length of each value of an ``S`` array (none holding a zero byte)."""
    width = table.dtype.itemsize
    return np.count_nonzero(table.view(np.uint8).reshape(table.size, width), axis=1)


def wrapped(table: np.ndarray, before: bytes, after: bytes) -> np.ndarray:
    """``before + value + after`` for each value of an ``S`` array."""
    n, width = table.size, table.dtype.itemsize
    row = len(before) + width + len(after)
    matrix = np.zeros((n, row), dtype=np.uint8)
    matrix[:, : len(before)] = np.frombuffer(before, np.uint8)
    matrix[:, len(before) : len(before) + width] = table.view(np.uint8).reshape(n, width)
    if after and n:
        ends = np.arange(n) * row + len(before) + lengths(table)
        _at_every_offset(matrix.reshape(-1), len(after))[ends] = after
    return matrix.view(f"S{row}").reshape(n)


def json_strings(texts: Sequence[str], ensure_ascii: bool) -> np.ndarray:
    """Each text as a JSON string (``json.dumps``), UTF-8 encoded."""
    if plain(texts):
        return wrapped(np.array(texts, dtype=bytes), b'"', b'"')
    dumps = [json.dumps(text, ensure_ascii=ensure_ascii).encode() for text in texts]
    return np.array(dumps or [b'""'], dtype=bytes)


def day_table(days: np.ndarray, missing: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A table of the ISO text of every day from the earliest to the latest of ``days``
    (``missing`` for NaT, last), and each day's index in it."""
    known = days[~np.isnat(days)]
    low = known.min() if known.size else np.datetime64("2000-01-01", "D")
    high = known.max() if known.size else low
    texts = np.datetime_as_string(np.arange(low, high + 1, dtype="datetime64[D]")).astype(bytes)
    table = np.append(texts, np.array([missing], dtype=bytes))
    index = (days - low).astype(np.int64)
    index[np.isnat(days)] = table.size - 1
    return table, index
