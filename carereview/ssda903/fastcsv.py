"""Reading a plain CSV table with numpy, without a Python object per value.

Most 903 files are plain: no quotes, one line per row, every row with the header's number of
commas. For those, ``read_table`` finds the line ends and commas of the bytes with numpy, copies
each needed column into a small byte matrix, and encodes it: code columns by their distinct
values (one Python decode per distinct value), date columns by reading the digits of
``dd/mm/YYYY`` directly (other forms fall back to ``reader.parse_date`` row by row). Anything
else (quotes, NUL bytes, ragged rows, a stray carriage return, very long values) returns None,
and the caller reads the file with the csv module instead, with the same result.
"""

from pathlib import Path
from typing import Final

import numpy as np

from . import reader
from .tables import NEEDED

BLOCK_BYTES: Final = 1 << 23
MAX_WIDTH: Final = 64
_BOM: Final = b"\xef\xbb\xbf"
_ZERO, _SLASH, _COMMA, _NL, _CR = 48, 47, 44, 10, 13
_FIRST = np.datetime64(reader._FIRST_DAY, "D")
_LAST = np.datetime64(reader._LAST_DAY, "D")


class _NotPlain(Exception):
    """The file needs the csv module."""


def read_table(
    name: str, path: Path, names: list[str], children: reader.Categories
) -> reader.Table | None:
    """The table read with numpy, or None where the file is not plain (see module docstring)."""
    data = path.read_bytes()
    if b'"' in data or b"\0" in data:
        return None
    start = len(_BOM) if data.startswith(_BOM) else 0
    header_end = data.find(b"\n", start)
    if header_end < 0:
        header_end = len(data)
    if data.count(b",", start, header_end) + 1 != len(names):
        return None
    buf = np.frombuffer(data, np.uint8)
    if (buf >= 128).any():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            row, column, message = reader._locate_bad_byte(path)
            raise reader.ReadError(path, message, row, column) from None
    wanted = {column: names.index(column) for column in NEEDED[name]}
    categories = {c: children if c == "CHILD" else reader.Categories() for c in wanted}
    parts: dict[str, list] = {c: [] for c in wanted}
    n_rows = 0
    position = header_end + 1
    try:
        while position < len(data):
            stop = data.find(b"\n", min(position + BLOCK_BYTES, len(data) - 1))
            stop = len(data) if stop < 0 else stop + 1
            block = buf[position:stop]
            n_rows += _read_block(path, block, len(names), wanted, categories, parts, n_rows)
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


def _read_block(
    path: Path,
    block: np.ndarray,
    width: int,
    wanted: dict[str, int],
    categories: dict[str, reader.Categories],
    parts: dict[str, list],
    first_row: int,
) -> int:
    """Encode the needed columns of one block of whole lines; the number of rows in it."""
    line_end = np.flatnonzero(block == _NL)
    if block.size and block[-1] != _NL:
        line_end = np.append(line_end, block.size)
    line_start = np.zeros(line_end.size, dtype=np.int64)
    line_start[1:] = line_end[:-1] + 1
    cr = np.zeros(line_end.size, dtype=bool)
    nonempty = line_end > line_start
    cr[nonempty] = block[line_end[nonempty] - 1] == _CR
    if int(np.count_nonzero(block == _CR)) != int(cr.sum()):
        raise _NotPlain
    content_end = line_end - cr
    keep = content_end > line_start  # a blank line is not a row
    line_start, content_end = line_start[keep], content_end[keep]
    n = line_start.size
    commas = np.flatnonzero(block == _COMMA)
    if commas.size != n * (width - 1):
        raise _NotPlain
    per_line = np.searchsorted(commas, content_end) - np.searchsorted(commas, line_start)
    if (per_line != width - 1).any():
        raise _NotPlain
    grid = commas.reshape(n, width - 1)
    for column, index in wanted.items():
        starts = line_start if index == 0 else grid[:, index - 1] + 1
        ends = content_end if index == width - 1 else grid[:, index]
        matrix, lengths = _gather(block, starts, ends)
        if column in reader.DATE_COLUMNS:
            parts[column].append(_dates(matrix, lengths))
        else:
            parts[column].append(
                _codes(path, column, matrix, lengths, categories[column], first_row)
            )
    return n


def _gather(block: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple:
    """Each row's value as a row of a zero-padded byte matrix, and the value lengths."""
    lengths = ends - starts
    width = int(lengths.max()) if lengths.size else 0
    if width > MAX_WIDTH:
        raise _NotPlain
    width = max(width, 1)
    index = starts[:, None] + np.arange(width)
    if starts.size and int(starts[-1]) + width > block.size:
        np.minimum(index, block.size - 1, out=index)
    matrix = block[index]
    if lengths.size and int(lengths.min()) != width:
        matrix[np.arange(width) >= lengths[:, None]] = 0
    return matrix, lengths


def _distinct_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct value and each row's group number.

    Rows of one child come together, so runs of equal values are folded first."""
    n = matrix.shape[0]
    change = np.ones(n, dtype=bool)
    change[1:] = (matrix[1:] != matrix[:-1]).any(axis=1)
    heads = np.flatnonzero(change)
    if heads.size * 2 > n:
        return _distinct(matrix)
    first, inverse = _distinct(matrix[heads])
    return heads[first], inverse[np.cumsum(change) - 1]


def _distinct(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n, width = matrix.shape
    words = -(-width // 8)
    if width != words * 8:
        padded = np.zeros((n, words * 8), dtype=np.uint8)
        padded[:, :width] = matrix
        matrix = padded
    keys = matrix.view(np.uint64)
    if words == 1:
        _, first, inverse = np.unique(keys[:, 0], return_index=True, return_inverse=True)
        return first, inverse.reshape(-1)
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return order[new], inverse


def _codes(
    path: Path,
    column: str,
    matrix: np.ndarray,
    lengths: np.ndarray,
    categories: reader.Categories,
    first_row: int,
) -> np.ndarray:
    """Codes of a code column: each distinct value decoded, normalised and looked up once."""
    if matrix.shape[0] == 0:
        return np.zeros(0, np.int32)
    if matrix.shape[1] <= 8:
        return _short_codes(matrix, categories)
    first, inverse = _distinct_rows(matrix)
    raw = matrix[first].view(f"S{matrix.shape[1]}").reshape(-1).tolist()
    codes = list(map(categories.by_bytes.get, raw))
    if None in codes:
        # New values in order of first appearance, so children keep the file's order.
        for group in np.argsort(first, kind="stable").tolist():
            if codes[group] is None:
                codes[group] = categories.by_bytes[raw[group]] = _code_of(raw[group], categories)
    return np.array(codes, dtype=np.int32)[inverse]


def _code_of(raw: bytes, categories: reader.Categories) -> int:
    return categories.code(raw.decode("utf-8").strip().upper())


def _short_codes(matrix: np.ndarray, categories: reader.Categories) -> np.ndarray:
    """Codes of values of at most 8 bytes, each read as one uint64 key: keys already known are
    found by ``searchsorted``; only new ones are decoded."""
    n, width = matrix.shape
    if width != 8:
        padded = np.zeros((n, 8), dtype=np.uint8)
        padded[:, :width] = matrix
        matrix = padded
    keys = matrix.view(np.uint64).reshape(-1)
    known, known_codes = categories.short_keys
    at = np.minimum(np.searchsorted(known, keys), max(known.size - 1, 0))
    hit = known[at] == keys if known.size else np.zeros(n, dtype=bool)
    if not hit.all():
        missing = np.flatnonzero(~hit)
        new_keys, first = np.unique(keys[missing], return_index=True)
        rows = missing[first]
        raw = matrix[rows].view("S8").reshape(-1).tolist()
        new_codes = np.empty(new_keys.size, dtype=np.int32)
        for group in np.argsort(rows, kind="stable").tolist():  # order of first appearance
            new_codes[group] = _code_of(raw[group], categories)
        keys_all = np.concatenate([known, new_keys])
        codes_all = np.concatenate([known_codes, new_codes])
        order = np.argsort(keys_all, kind="stable")
        known, known_codes = keys_all[order], codes_all[order]
        categories.short_keys = (known, known_codes)
        at = np.searchsorted(known, keys)
    return known_codes[at]


def _dates(matrix: np.ndarray, lengths: np.ndarray) -> reader.DateColumn:
    """A date column: ``dd/mm/YYYY`` read from the digits; other forms by ``parse_date``."""
    n = matrix.shape[0]
    if matrix.shape[1] >= 10:
        digit = [matrix[:, k] - np.uint8(_ZERO) for k in range(10)]  # wraps below "0"
        canonical = (lengths == 10) & (matrix[:, 2] == _SLASH) & (matrix[:, 5] == _SLASH)
        for k in (0, 1, 3, 4, 6, 7, 8, 9):
            canonical &= digit[k] <= 9
        day = digit[0].astype(np.int32) * 10 + digit[1]
        month = digit[3].astype(np.int32) * 10 + digit[4]
        year = (
            digit[6].astype(np.int32) * 1000 + digit[7].astype(np.int32) * 100
            + digit[8].astype(np.int32) * 10 + digit[9]
        )  # fmt: skip
        canonical &= (month >= 1) & (month <= 12) & (day >= 1)
        month = np.where(canonical, month, 1)
        year = np.where(canonical, year, 2000)
        first = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
        first_day = first.astype("datetime64[D]")
        length = ((first + 1).astype("datetime64[D]") - first_day).astype(np.int32)
        value = first_day + (day - 1)
        valid = canonical & (day <= length) & (value >= _FIRST) & (value <= _LAST)
        days = np.where(valid, value, reader.NAT)
        # A canonical-looking value that is not a date (31/02/2020) is simply unreadable.
        canonical = (lengths == 10) & (matrix[:, 2] == _SLASH) & (matrix[:, 5] == _SLASH)
        for k in (0, 1, 3, 4, 6, 7, 8, 9):
            canonical &= digit[k] <= 9
    else:
        days = np.full(n, reader.NAT)
        canonical = np.zeros(n, dtype=bool)
    raw = matrix.view(f"S{matrix.shape[1]}").reshape(-1)
    blanks = lengths == 0
    other = np.flatnonzero(~canonical & ~blanks)
    if other.size:
        texts = [v.decode("utf-8", "replace").strip() for v in raw[other].tolist()]
        days[other] = [reader.parse_date(t) or reader.NAT for t in texts]
        blanks[other] = [not t for t in texts]
    return reader.DateColumn(days, blanks, raw)
