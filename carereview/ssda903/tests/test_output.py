"""The JSON ``check`` prints, built with numpy (``jsontext``), is byte for byte what
``json.dumps`` makes of the same objects; and awkward identifiers read the same either way."""

import io
import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from carereview.engine import bulk
from carereview.ssda903 import jsontext
from carereview.ssda903.check import CheckResult, run_check, write_json
from carereview.ssda903.synthetic import write_folder

from .conftest import FIXTURES, check_json

AS_AT = date(2026, 3, 31)


def _iso(day: np.datetime64) -> str | None:
    return None if np.isnat(day) else str(day)


def dumps_json(result: CheckResult) -> str:
    """The contract's JSON, the plain way: ``json.dumps`` of each child's member (its key
    ASCII-escaped) and of each finding and data error (not escaped)."""
    s = result.schedules
    reviews = result.data.get("Reviews")
    counted = defaultdict(list)
    if reviews is not None:
        for row in np.flatnonzero(s.review_status == bulk.COUNTED).tolist():
            counted[int(reviews.coded("CHILD").codes[row])].append(row)
    members = []
    for child, name in enumerate(result.children):
        if not name:
            continue
        mine = sorted(counted[child], key=lambda row: (result.review_dates[row], row))
        member = {
            "reviews": [
                {
                    "date": _iso(result.review_dates[row]),
                    "due": _iso(s.review_due[row]),
                    "on_time": bool(s.review_on_time[row]),
                    "regime": bulk.REGIMES[int(s.review_regime[row])],
                    "sequence": int(s.review_sequence[row]),
                }
                for row in mine
            ],
            "next_due": _iso(s.next_due[child]),
            "overdue": bool(s.overdue[child]),
        }
        members.append(f"{json.dumps(name)}: {json.dumps(member)}")
    findings = [json.dumps(f, ensure_ascii=False) for f in result.findings()]
    errors = [json.dumps(e, ensure_ascii=False) for e in result.data_errors()]
    return (
        f'{{"as_at": "{result.as_at.isoformat()}", "children": {{{", ".join(members)}}}, '
        f'"findings": [{", ".join(findings)}], "data_errors": [{", ".join(errors)}]}}\n'
    )


def printed(result: CheckResult, block: int = 20000) -> str:
    out = io.StringIO()
    write_json(result, out, block=block)
    return out.getvalue()


def awkward(folder: Path, source: Path) -> Path:
    """``source``'s tables with identifiers of every awkward kind: lower case, spaces around,
    longer than 8 bytes, not ASCII, blank; Windows line ends; no final line end."""
    folder.mkdir()
    for name in ("header.csv", "episodes.csv", "reviews.csv"):
        lines = (source / name).read_text(encoding="utf-8").splitlines()
        out = [lines[0]]
        for number, line in enumerate(lines[1:]):
            child, rest = line.split(",", 1)
            child = {
                1: child.lower() + "a",
                2: f" {child} ",
                3: child + "LONGER-ID",
                4: child + "é",
                5: "" if number % 7 == 0 else child,
            }.get(int(child[-1]) % 6 if child[-1:].isdigit() else 0, child)
            out.append(f"{child},{rest}")
        (folder / name).write_bytes("\r\n".join(out).encode("utf-8"))
    return folder


@pytest.mark.parametrize(("children", "faults"), [(400, 0.0), (300, 0.6)])
def test_json_is_json_dumps_byte_for_byte(tmp_path: Path, children: int, faults: float):
    write_folder(tmp_path / "plain", children, seed=children, faults=faults)
    for folder in (tmp_path / "plain", awkward(tmp_path / "awkward", tmp_path / "plain")):
        result = run_check(folder, AS_AT)
        expected = dumps_json(result)
        assert printed(result) == expected
        assert printed(result, block=7) == expected  # blocks of children join up


def test_golden_and_sample_json_is_json_dumps():
    for folder in (FIXTURES / "golden", FIXTURES / "be903-fake"):
        result = run_check(folder, date(2026, 11, 20))
        assert printed(result) == dumps_json(result)


def test_awkward_identifiers_read_the_same_with_the_csv_module(tmp_path: Path, monkeypatch):
    write_folder(tmp_path / "plain", 300, seed=5, faults=0.5)
    folder = awkward(tmp_path / "awkward", tmp_path / "plain")
    fast = check_json(folder)
    assert "\u00c9" in json.dumps(fast, ensure_ascii=False)  # the non-ASCII ones were read
    monkeypatch.setenv("CAREREVIEW_903_CSV_MODULE", "1")
    assert check_json(folder) == fast


def test_the_json_writes_to_a_utf8_byte_stream_or_decodes(tmp_path: Path):
    result = run_check(awkward(tmp_path / "awkward", _synthetic(tmp_path)), AS_AT)
    expected = dumps_json(result)
    for encoding in ("utf-8", "latin-1"):  # straight to the bytes; decoded and encoded again
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding=encoding)
        write_json(result, stream)
        stream.flush()
        assert raw.getvalue().decode(encoding) == expected


def _synthetic(tmp_path: Path) -> Path:
    write_folder(tmp_path / "plain", 200, seed=9, faults=0.3)
    return tmp_path / "plain"


def test_render_lays_pieces_of_rows_of_several_kinds_in_order():
    values = np.array([0, 7, 10, 99, 100, 123456])
    heads = jsontext.Rows(
        [jsontext.Constant(b"<", 2), jsontext.Lookup([b"a", b"bcd", b""], np.array([1, 2]))],
        np.array([0, 3]),
    )
    items = jsontext.Rows(
        [jsontext.Decimal(values), jsontext.Constant(b";", values.size)],
        np.array([1, 2, 4, 5, 6, 7]),
    )
    assert bytes(jsontext.render([heads, items])) == b"<bcd0;7;<10;99;100;123456;"
    assert bytes(jsontext.render([])) == b""


def test_wrapped_and_json_strings():
    table = np.array([b"A1", b"", b"xyz"])
    assert jsontext.wrapped(table, b'"', b'":').tolist() == [b'"A1":', b'"":', b'"xyz":']
    assert jsontext.lengths(table).tolist() == [2, 0, 3]
    texts = ["A1", "é", 'q"']
    assert [s.decode() for s in jsontext.json_strings(texts, ensure_ascii=True).tolist()] == [
        json.dumps(t) for t in texts
    ]
    assert [s.decode() for s in jsontext.json_strings(texts, ensure_ascii=False).tolist()] == [
        json.dumps(t, ensure_ascii=False) for t in texts
    ]
