"""Bad input for ``ssda903 check`` (issue 7, item 8): malformed 903 folders from Hypothesis.

Wrong headers, bad dates, odd encodings (latin-1, UTF-16, mixed), byte order marks, huge fields,
binary junk, XML bombs and external entities, deep nesting, empty files, folders and symlinks
where files should be. Each folder goes through the checker's own ``main`` in process (as the
``carereview ssda903 check`` command runs it, without Django), and a handful through the real
command in a subprocess. For every case:

* no exception escapes (a traceback), and the exit status is 0 or 2 (spec/ssda903.md);
* 2: nothing on stdout and one line on stderr, ``CommandError: ...``, naming the folder or the
  file (and row and column where the reader knows them);
* 0: one JSON object on stdout, as the contract says; each note on stderr names a file;
* nothing is written: the folder's listing, sizes and times, and the working folder, are as
  they were.

Exit 2, with one clear line, for anything that cannot be read: a used table that cannot be read
(a byte that is not UTF-8, a row with extra values, a field over the csv module's limit, XML that
is not well-formed or declares entities), a 903 table in UTF-16 or UTF-32 (with the way out: save
it as CSV UTF-8), and a folder with no table to check (empty, or only junk and other files). A
file that is not a 903 table beside one that is (a README, binary junk, a header that matches no
table) is named on stderr and skipped, as the reader's rules say. Exit 0 is for a folder whose
tables are read: bad values in them (dates that are not dates, unknown codes) are the return's
own errors, reported as findings, as the contract says ("exit status 0 even when there are
findings").

The number of cases run is printed at the end of the module.
"""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carereview.ssda903 import cli
from carereview.ssda903.tables import COLUMNS, USED

from .conftest import REPO

AS_AT = "2026-03-31"
FUZZ = settings(
    deadline=None,
    database=None,  # nothing written in the working folder, not even Hypothesis's examples
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)
#: Cases run, by test, and their exit statuses (printed at the end of the module).
CASES: Counter = Counter()
OUTCOMES: Counter = Counter()
#: max_examples of each generating test: together at least 1,000 folders.
EXAMPLES = {"csv": 420, "xml": 260, "junk": 200, "filesystem": 120, "huge": 25}
assert sum(EXAMPLES.values()) >= 1000

ERROR_LINE = re.compile(r"CommandError: (?P<message>[^\n]+)\n")
NOTE_LINE = re.compile(r"ssda903 check: (?P<name>.+?): (?P<note>[^\n]+)")
HUGE = 1 << 20  # 1 MB


# --- Running the check and judging what it did -------------------------------------------


def snapshot(folder: Path) -> dict:
    """Everything under ``folder`` (not following links): kind, size and modification time."""
    seen: dict[str, tuple[int, int, int]] = {}
    if not os.path.lexists(folder):
        return seen
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = os.path.join(root, name)
            info = os.lstat(path)
            seen[os.path.relpath(path, folder)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    info = os.lstat(folder)
    seen["."] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return seen


def run_in_process(folder: Path, *extra: str) -> tuple[int, bytes, str]:
    """``cli.main`` with stdout and stderr as the real ones are (UTF-8; stderr escapes)."""
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(
        err_bytes, encoding="utf-8", errors="backslashreplace", write_through=True
    )
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        status = cli.main([str(folder), "--as-at", AS_AT, *extra])
    except SystemExit as leaving:  # argparse: a usage message and 2
        assert isinstance(leaving.code, int)
        status = leaving.code
    finally:
        sys.stdout, sys.stderr = saved
        out.flush()
        err.flush()
    return status, out_bytes.getvalue(), err_bytes.getvalue().decode()


def judge(folder: Path, status, stdout: bytes, stderr: str, names: list[str], fmt="json") -> None:
    """The contract for any folder: see the module docstring."""
    assert "Traceback" not in stderr, stderr
    assert status in (0, 2), (status, stderr)
    if status == 2:
        assert stdout == b"", stdout[:200]
        found = ERROR_LINE.fullmatch(stderr)
        assert found, f"not one clear line: {stderr!r}"
        message = found["message"]
        named = str(folder) in message or any(n in message for n in names)
        assert named, f"names no file: {message}"
        return
    if fmt == "json":
        result = json.loads(stdout)
        assert set(result) == {"as_at", "children", "findings", "data_errors"}
        assert result["as_at"] == AS_AT
        for finding in result["findings"]:
            assert finding["table"] in USED and isinstance(finding["row"], int)
    else:
        assert stdout.decode().startswith("SSDA903 check as at 31/03/2026\n")
    for line in stderr.splitlines():
        note = NOTE_LINE.fullmatch(line)
        assert note, f"an unexpected line on stderr: {line!r}"
        assert note["name"] in names, f"a note on no file of the folder: {line!r}"


def check_folder(folder: Path, kind: str, *, fmt: str = "json") -> tuple[int, bytes, str]:
    """Run the check on ``folder`` from an empty working folder; judge it; nothing written."""
    names = []
    for name in sorted(os.listdir(folder)) if folder.is_dir() else []:
        # A name that is not UTF-8 is shown escaped: \xe9 (text) or \udce9 (stderr).
        raw = name.encode("utf-8", "surrogateescape")
        names += [
            raw.decode("utf-8", "backslashreplace"),
            name.encode("utf-8", "backslashreplace").decode(),
        ]
    before = snapshot(folder)
    work = Path(tempfile.mkdtemp(prefix="cwd-"))
    here = os.getcwd()
    os.chdir(work)
    try:
        status, stdout, stderr = run_in_process(folder, "--format", fmt)
    finally:
        os.chdir(here)
    try:
        assert os.listdir(work) == [], "the check wrote in the working folder"
    finally:
        shutil.rmtree(work)
    assert snapshot(folder) == before, "the check changed the folder"
    judge(folder, status, stdout, stderr, names, fmt)
    CASES[kind] += 1
    OUTCOMES[status] += 1
    return status, stdout, stderr


class Scratch:
    """A fresh folder per Hypothesis example (the tmp_path fixture is one per test)."""

    def __enter__(self) -> Path:
        self.root = Path(tempfile.mkdtemp(prefix="fuzz903-"))
        self.folder = self.root / "return"
        self.folder.mkdir()
        return self.folder

    def __exit__(self, *_exc) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module", autouse=True)
def report_counts(request):
    yield
    total = sum(CASES.values())
    detail = ", ".join(f"{kind} {n}" for kind, n in sorted(CASES.items()))
    line = (
        f"ssda903 check fuzz: {total} malformed folders checked ({detail}): "
        f"{OUTCOMES[2]} refused with one line and exit 2, {OUTCOMES[0]} read with exit 0 "
        "(tables readable; bad values reported as findings); no traceback, nothing written"
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(line)
    else:
        print(line)
    generated = sum(CASES[kind] for kind in EXAMPLES)
    if all(CASES[kind] for kind in EXAMPLES):  # the whole module ran, not a selection
        assert generated >= 1000, line


# --- Strategies ----------------------------------------------------------------------------

GOOD_DATES = ["01/01/2015", "14/05/2014", "30/11/2025", "1/2/2020", " 1/02/2020", "29/02/2024"]
BAD_DATES = [
    "2026-02-30",
    "30/02/2026",
    "31/04/2025",
    "29/02/2023",
    "00/00/0000",
    "32/01/2020",
    "01/13/2020",
    "1/1/99999",
    "01/01/1600",
    "31/12/9999",
    "12/04/2262",
    "01/02/20",
    "01-02-2020",
    "0x1F/02/2020",
    "٠١/٠٢/٢٠٢٠",  # Arabic-Indic digits
    "０１/０２/２０２０",  # full-width digits
    "01/02/2020\u200b",
    "-1/-1/-2020",
    "NaN",
    "null",
    "   ",
]
CODES = {
    "SEX": ["1", "2", "M", "F", "U", "X"],
    "REVIEW_CODE": [f"PN{i}" for i in range(8)] + ["PN8", "pn1", "P N1", ""],
    "RNE": list("SLPTUB") + ["Z"],
    "LS": ["C1", "C2", "V2", "V3", "V4", "J1", "E1", "Q9"],
    "CIN": [f"N{i}" for i in range(1, 9)] + ["N0"],
    "PLACE": ["U1", "U4", "T0", "A3", "Z11", "H5", "P2", "Z1", "??"],
    "PLACE_PROVIDER": ["PR0", "PR1", "PR5", "PR9"],
    "REC": ["X1", "E11", "E4A", "E2", "E99"],
    "REASON_PLACE_CHANGE": ["CARPL", "OTHER", "NOPE"],
}
CHILD_IDS = ["1", "2", "3", "A1", "001", " 1 ", "", "ß", "\u0130", "1\u202e", "🙂", "x" * 20]
HOSTILE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters='\n\r,"'), max_size=12
)


def value_for(column: str) -> st.SearchStrategy[str]:
    if column in ("DOB", "DECOM", "DEC", "REVIEW", "MC_DOB"):
        return st.one_of(st.sampled_from(GOOD_DATES + BAD_DATES + [""]), HOSTILE_TEXT)
    if column == "CHILD":
        return st.one_of(st.sampled_from(CHILD_IDS), HOSTILE_TEXT)
    if column in CODES:
        return st.one_of(st.sampled_from(CODES[column]), HOSTILE_TEXT)
    return st.one_of(st.just(""), HOSTILE_TEXT)


@st.composite
def header_of(draw, table: str) -> list[str]:
    """The table's header, right or wrong."""
    columns = list(COLUMNS[table])
    kind = draw(
        st.sampled_from(
            ["exact", "shuffled", "lower", "spaced", "missing", "extra", "duplicate", "other",
             "random", "trailing", "quoted"]
        )
    )  # fmt: skip
    if kind == "shuffled":
        columns = draw(st.permutations(columns))
    elif kind == "lower":
        columns = [c.lower() for c in columns]
    elif kind == "spaced":
        columns = [f" {c} " for c in columns]
    elif kind == "missing":
        del columns[draw(st.integers(0, len(columns) - 1))]
    elif kind == "extra":
        columns.insert(draw(st.integers(0, len(columns))), draw(st.sampled_from(["X", "NAME"])))
    elif kind == "duplicate":
        columns.append(draw(st.sampled_from(columns)))
    elif kind == "other":
        columns = list(COLUMNS[draw(st.sampled_from(sorted(COLUMNS)))])
    elif kind == "random":
        columns = draw(st.lists(HOSTILE_TEXT, min_size=0, max_size=6))
    elif kind == "trailing":
        columns = [*columns, "", ""]
    elif kind == "quoted":
        columns = [f'"{c}"' for c in columns]
    return columns


@st.composite
def csv_lines(draw, table: str) -> list[str]:
    """A header and rows of ``table``, with ragged, quoted and odd rows now and then."""
    header = draw(header_of(table))
    lines = [",".join(header)]
    width = len(COLUMNS[table])
    for _ in range(draw(st.integers(0, 8))):
        cells = [draw(value_for(c)) for c in COLUMNS[table]]
        shape = draw(
            st.sampled_from(["plain"] * 6 + ["short", "long", "long_blank", "quote", "nul", "cr"])
        )
        if shape == "short":
            cells = cells[: draw(st.integers(0, width - 1))]
        elif shape == "long":
            cells += [draw(st.sampled_from(["X", "1", "é"]))]
        elif shape == "long_blank":
            cells += ["", " "]
        elif shape == "quote":
            at = draw(st.integers(0, len(cells) - 1))
            cells[at] = draw(st.sampled_from(['"', '"a,b"', '"x\ny"', 'a"b', '""']))
        elif shape == "nul":
            cells[0] += "\x00"
        elif shape == "cr":
            cells[-1] += "\r"
        lines.append(",".join(cells))
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", " ", ",,,", "\t"])))
    return lines


ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be",
             "utf-32", "mixed"]  # fmt: skip
BOMS = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf\xef\xbb\xbf",
    b"\x00\x00\xfe\xff",
]


@st.composite
def encoded(draw, lines: list[str]) -> bytes:
    """The lines as bytes in some encoding, with a byte order mark, line ends and damage."""
    end = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    if encoding == "mixed":  # each line its own encoding, as when files are pasted together
        data = b"".join(
            (line + end).encode(draw(st.sampled_from(["utf-8", "latin-1", "utf-16-le"])), "replace")
            for line in lines
        )
    else:
        data = (end.join(lines) + draw(st.sampled_from([end, ""]))).encode(encoding, "replace")
    data = draw(st.sampled_from(BOMS)) + data if draw(st.booleans()) else data
    if draw(st.integers(0, 4)) == 0:  # a few bytes of damage somewhere
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    if draw(st.integers(0, 9)) == 0:  # cut short
        data = data[: draw(st.integers(0, len(data)))]
    return data


NAMES = ["header.csv", "episodes.csv", "reviews.csv", "Reviews 2026.CSV", "children", "x.txt",
         "uasc.csv", ".hidden.csv", "a.xml", "notes.md"]  # fmt: skip


@st.composite
def csv_folder(draw) -> dict[str, bytes]:
    files = {}
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True)):
        table = draw(st.sampled_from([*USED, *USED, "UASC", "OC3"]))
        files[name] = draw(encoded(draw(csv_lines(table))))
    return files


# XML --------------------------------------------------------------------------------------

XML_HEADER_FIELDS = ["CHILDID", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
XML_EPISODE_FIELDS = ["DECOM", "RNE", "LS", "CIN", "PL", "PLACE_PROVIDER", "DEC", "REC"]


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def xml_child(draw) -> str:
    parts = ["<CHILD><HEADER>"]
    for field in draw(st.lists(st.sampled_from(XML_HEADER_FIELDS), max_size=8)):
        column = "CHILD" if field == "CHILDID" else field
        parts.append(f"<{field}>{xml_escape(draw(value_for(column)))}</{field}>")
    for _ in range(draw(st.integers(0, 3))):
        review = xml_escape(draw(value_for("REVIEW")))
        code = xml_escape(draw(value_for("REVIEW_CODE")))
        parts.append(
            f"<AREVIEW><REVIEW>{review}</REVIEW><REVIEW_CODE>{code}</REVIEW_CODE></AREVIEW>"
        )
    parts.append("</HEADER>")
    for _ in range(draw(st.integers(0, 3))):
        parts.append("<EPISODE>")
        for field in draw(st.lists(st.sampled_from(XML_EPISODE_FIELDS), max_size=8)):
            column = "PLACE" if field == "PL" else field
            parts.append(f"<{field}>{xml_escape(draw(value_for(column)))}</{field}>")
        parts.append("</EPISODE>")
    parts.append("</CHILD>")
    return "".join(parts)


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE EXPSSDA903 [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n<EXPSSDA903><CHILD><HEADER><CHILDID>&lol9;</CHILDID></HEADER></CHILD></EXPSSDA903>\n"
)
QUADRATIC = (
    f'<?xml version="1.0"?><!DOCTYPE EXPSSDA903 [<!ENTITY a "{"a" * 50000}">]>'
    f"<EXPSSDA903><CHILD><HEADER><CHILDID>{'&a;' * 2000}</CHILDID></HEADER></CHILD></EXPSSDA903>"
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE EXPSSDA903 [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    "<EXPSSDA903><CHILD><HEADER><CHILDID>&secret;</CHILDID></HEADER></CHILD></EXPSSDA903>"
)
PARAMETER = (
    '<?xml version="1.0"?><!DOCTYPE EXPSSDA903 [<!ENTITY % remote SYSTEM '
    '"http://127.0.0.1:9/evil.dtd"> %remote;]><EXPSSDA903/>'
)
EXTERNAL_DTD = '<!DOCTYPE EXPSSDA903 SYSTEM "http://127.0.0.1:9/x.dtd"><EXPSSDA903/>'
UNPARSED = (
    '<!DOCTYPE EXPSSDA903 [<!NOTATION gif SYSTEM "gif"><!ENTITY pic SYSTEM "x.gif" NDATA gif>]>'
    "<EXPSSDA903/>"
)
XINCLUDE = (
    '<EXPSSDA903 xmlns:xi="http://www.w3.org/2001/XInclude"><CHILD><HEADER><CHILDID>'
    '<xi:include href="file:///etc/passwd" parse="text"/></CHILDID></HEADER></CHILD></EXPSSDA903>'
)
BOMBS = [BILLION_LAUGHS, QUADRATIC, EXTERNAL, PARAMETER, EXTERNAL_DTD, UNPARSED, XINCLUDE]


@st.composite
def xml_document(draw) -> bytes:
    kind = draw(
        st.sampled_from(["document"] * 4 + ["bomb", "deep", "wrong_root", "broken", "encoding"])
    )
    if kind == "bomb":
        return draw(st.sampled_from(BOMBS)).encode()
    if kind == "deep":
        depth = draw(st.sampled_from([100, 1000, 10_000, 100_000]))
        tag = draw(st.sampled_from(["CHILD", "HEADER", "x", "AREVIEW"]))
        closed = draw(st.booleans())
        body = f"<{tag}>" * depth + (f"</{tag}>" * depth if closed else "")
        return f"<EXPSSDA903>{body}</EXPSSDA903>".encode()
    children = "".join(draw(st.lists(xml_child(), max_size=4)))
    root = "EXPSSDA903" if kind != "wrong_root" else draw(st.sampled_from(["expssda903", "X", "A"]))
    declaration = draw(
        st.sampled_from(
            ["", '<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-8"?>',
             '<?xml version="1.0" encoding="ISO-8859-1"?>',
             '<?xml version="1.0" encoding="UTF-16"?>',
             '<?xml version="1.0" encoding="no-such-encoding"?>', '<?xml version="9.9"?>']
        )
    )  # fmt: skip
    extras = draw(st.sampled_from(["", "<!-- a comment -->", "<?pi data?>", "<![CDATA[<x>]]>"]))
    text = f"{declaration}<{root}>{extras}{children}</{root}>"
    encoding = "utf-8"
    if kind == "encoding":
        encoding = draw(st.sampled_from(["utf-16", "latin-1", "utf-8-sig", "utf-32", "cp500"]))
    data = text.encode(encoding, "replace")
    if kind == "broken":
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from([b"", b"<", b"&", b"\x00", b"\xff\xfe", b"</X>"]))
    return data


@st.composite
def xml_folder(draw) -> dict[str, bytes]:
    files = {"a.xml": draw(xml_document())}
    if draw(st.booleans()):
        other = draw(st.sampled_from(["b.xml", "reviews.csv"]))
        files[other] = (
            draw(xml_document())
            if other.endswith(".xml")
            else draw(encoded(draw(csv_lines("Reviews"))))
        )
    return files


# --- The tests -------------------------------------------------------------------------------


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).write_bytes(data)


@settings(FUZZ, max_examples=EXAMPLES["csv"])
@given(files=csv_folder(), fmt=st.sampled_from(["json", "json", "text"]))
def test_malformed_csv_folders(files, fmt):
    with Scratch() as folder:
        write_files(folder, files)
        check_folder(folder, "csv", fmt=fmt)


@settings(FUZZ, max_examples=EXAMPLES["xml"])
@given(files=xml_folder())
def test_malformed_xml_folders(files):
    with Scratch() as folder:
        write_files(folder, files)
        status, stdout, stderr = check_folder(folder, "xml")
        if b"<!ENTITY" in files["a.xml"]:  # the first file read: refused, whatever follows
            assert status == 2 and "a.xml: cannot be read: entity declarations" in stderr, stderr
        assert b"root:" not in stdout  # nothing of /etc/passwd


@st.composite
def junk_folder(draw) -> dict[str, bytes]:
    files = {}
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True)):
        prefix = draw(
            st.sampled_from(
                [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"<", b"<?xml", b"\x00\x00\x00",
                 b"CHILD,DOB,REVIEW,REVIEW_CODE\n", b"\xef\xbb\xbfCHILD,DOB,REVIEW,REVIEW_CODE\r\n",
                 b"PK\x03\x04", b"%PDF-1.7\n", b"\x1f\x8b\x08"]
            )
        )  # fmt: skip
        files[name] = prefix + draw(st.binary(max_size=2048))
    return files


@settings(FUZZ, max_examples=EXAMPLES["junk"])
@given(files=junk_folder(), fmt=st.sampled_from(["json", "text"]))
def test_binary_junk(files, fmt):
    with Scratch() as folder:
        write_files(folder, files)
        check_folder(folder, "junk", fmt=fmt)


OUTSIDE = Path(__file__)  # a real file outside the folder, for links to point at


@st.composite
def filesystem_folder(draw) -> list[tuple[str, str, bytes]]:
    """Entries (name, kind, data): files, empty files, folders, links of every kind, pipes."""
    good = b"CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,01/06/2025,PN1\n"
    kinds = ["file", "empty", "blank", "folder", "link_in", "link_out", "link_dangling",
             "link_loop", "link_folder", "link_dev", "fifo", "nested"]  # fmt: skip
    entries = []
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=0, max_size=4, unique=True)):
        entries.append((name, draw(st.sampled_from(kinds)), good))
    return entries


def make_entries(folder: Path, entries) -> None:
    for name, kind, data in entries:
        path = folder / name
        if kind == "file":
            path.write_bytes(data)
        elif kind == "empty":
            path.write_bytes(b"")
        elif kind == "blank":
            path.write_bytes(b"\n \r\n\t\n")
        elif kind == "folder":
            path.mkdir()
        elif kind == "nested":
            path.mkdir()
            (path / "reviews.csv").write_bytes(data)
        elif kind == "link_in":
            (folder / f"target-{name}").write_bytes(data)
            path.symlink_to(folder / f"target-{name}")
        elif kind == "link_out":
            path.symlink_to(OUTSIDE)
        elif kind == "link_dangling":
            path.symlink_to(folder / "nowhere" / "nothing.csv")
        elif kind == "link_loop":
            path.symlink_to(path)
        elif kind == "link_folder":
            path.symlink_to(folder.parent)
        elif kind == "link_dev":
            path.symlink_to("/dev/zero")
        elif kind == "fifo":
            os.mkfifo(path)


@settings(FUZZ, max_examples=EXAMPLES["filesystem"])
@given(
    entries=filesystem_folder(),
    where=st.sampled_from(["folder"] * 6 + ["missing", "file", "link", "dangling"]),
)
def test_folders_and_links_where_files_should_be(entries, where):
    with Scratch() as folder:
        make_entries(folder, entries)
        target = folder
        if where == "missing":
            target = folder / "no-such-folder"
        elif where == "file":
            target = folder.parent / "a-file.csv"
            target.write_bytes(b"CHILD,DOB,REVIEW,REVIEW_CODE\n")
        elif where == "link":
            target = folder.parent / "link-to-folder"
            target.symlink_to(folder)
        elif where == "dangling":
            target = folder.parent / "dangling"
            target.symlink_to(folder.parent / "gone")
        status, _, stderr = check_folder(target, "filesystem")
        if where in ("missing", "file", "dangling"):
            assert status == 2 and "is not a folder" in stderr, stderr


@st.composite
def huge_folder(draw) -> tuple[str, bytes]:
    """One file with a field (or line, or text) of at least 1 MB."""
    size = HUGE + draw(st.integers(0, 4096))
    filler = draw(st.sampled_from([b"A", b"9", b"\xc3\xa9", b" ", b"/", b"\x00"]))
    big = (filler * size)[:size]
    where = draw(
        st.sampled_from(["child", "review", "unused_column", "header", "line", "xml_text",
                         "xml_attribute", "quoted"])
    )  # fmt: skip
    head = b"CHILD,DOB,REVIEW,REVIEW_CODE\n"
    if where == "child":
        return "reviews.csv", head + big + b",01/01/2015,01/06/2025,PN1\n"
    if where == "review":
        return "reviews.csv", head + b"1,01/01/2015," + big + b",PN1\n"
    if where == "unused_column":
        header = ",".join(COLUMNS["Header"]).encode() + b"\n"
        return "header.csv", header + b"1,F,01/01/2015,WBRI," + big + b",,\n"
    if where == "header":
        return "reviews.csv", b"CHILD,DOB," + big + b",REVIEW_CODE\n1,01/01/2015,01/06/2025,PN1\n"
    if where == "line":
        return "reviews.csv", head + big  # no line end at all
    if where == "quoted":
        return "reviews.csv", head + b'1,01/01/2015,"' + big + b'",PN1\n'
    text = big.replace(b"\x00", b"x").replace(b"/", b"x")
    if where == "xml_attribute":
        return "a.xml", b'<EXPSSDA903 note="' + text + b'"><CHILD/></EXPSSDA903>'
    return (
        "a.xml",
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>"
        + text
        + b"</CHILDID></HEADER></CHILD></EXPSSDA903>",
    )


@settings(FUZZ, max_examples=EXAMPLES["huge"])
@given(file=huge_folder())
def test_huge_fields(file):
    name, data = file
    assert len(data) >= HUGE
    with Scratch() as folder:
        (folder / name).write_bytes(data)
        check_folder(folder, "huge")


# --- Cases whose outcome is known exactly ------------------------------------------------


def one_file(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = tmp_path / "return"
    folder.mkdir()
    (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("bomb", BOMBS[:4], ids=["billion-laughs", "quadratic", "xxe", "param"])
def test_xml_bombs_and_external_entities_are_refused(tmp_path, bomb):
    status, stdout, stderr = check_folder(one_file(tmp_path, "a.xml", bomb.encode()), "known")
    assert status == 2
    assert "a.xml: cannot be read: entity declarations and external entities" in stderr
    assert "root:" not in stderr


def test_a_byte_not_utf8_names_the_file_row_and_column(tmp_path):
    data = (
        b"CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,01/06/2025,PN1\n"
        b"2,01/01/2015,01/06/2025,PN1\n3,01/01/2015,0\xe9/06/2025,PN1\n"
    )
    status, _, stderr = check_folder(one_file(tmp_path, "reviews.csv", data), "known")
    assert status == 2
    assert "reviews.csv, row 2, column REVIEW: is not UTF-8 text (byte 0xE9)" in stderr


def test_extra_values_name_the_row_and_column(tmp_path):
    data = b"CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,01/06/2025,PN1\n2,01/01/2015,x,PN1,JUNK\n"
    status, _, stderr = check_folder(one_file(tmp_path, "reviews.csv", data), "known")
    assert status == 2 and "reviews.csv, row 1, column #5" in stderr


def test_a_huge_field_in_a_used_table_is_a_clear_error(tmp_path):
    data = b"CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015," + b"9" * HUGE + b",PN1\n"
    status, _, stderr = check_folder(one_file(tmp_path, "reviews.csv", data), "known")
    assert status == 2 and "reviews.csv, row 0: is not valid CSV (field larger" in stderr


def test_an_unknown_xml_encoding_is_a_clear_error(tmp_path):
    data = b'<?xml version="1.0" encoding="EBCDIC-XX"?><EXPSSDA903/>'
    status, _, stderr = check_folder(one_file(tmp_path, "a.xml", data), "known")
    assert status == 2 and "a.xml: is in an encoding that cannot be read" in stderr


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    folder = tmp_path / "return"
    folder.mkdir()
    (folder / os.fsdecode(b"r\xe9views.csv")).write_bytes(b"junk")
    (folder / "reviews.csv").write_bytes(
        b"CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,01/06/2025,PN1\n"
    )
    for fmt in ("json", "text"):
        status, stdout, stderr = check_folder(folder, "known", fmt=fmt)
        assert status == 0
        shown = stdout.decode() if fmt == "text" else stderr
        assert "r\\xe9views.csv" in shown or "r\\udce9views.csv" in shown


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
def test_a_utf16_table_is_refused_with_the_way_out(tmp_path, encoding):
    """Refused, exit 2, with or without a byte order mark: the reader reads UTF-8 only (as the
    DfE's validator does), and the message says how to save the file so that it reads."""
    data = "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,01/06/2025,PN1\n".encode(encoding)
    status, stdout, stderr = check_folder(one_file(tmp_path, "reviews.csv", data), "known")
    assert status == 2 and stdout == b""
    wide = "UTF-32" if "32" in encoding else "UTF-16"
    assert f"reviews.csv: is {wide} text" in stderr and 'save it again as "CSV UTF-8"' in stderr


def test_utf16_text_that_is_not_a_903_table_is_skipped_beside_one_that_is(tmp_path):
    folder = one_file(tmp_path, "notes.txt", "Notes for the return\n".encode("utf-16"))
    (folder / "reviews.csv").write_bytes(
        b"CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,01/06/2025,PN1\n"
    )
    status, stdout, stderr = check_folder(folder, "known")
    assert status == 0 and "1" in json.loads(stdout)["children"]
    assert stderr == "ssda903 check: notes.txt: skipped: not a 903 table (not UTF-8 CSV text)\n"


@pytest.mark.parametrize("files", [{}, {"junk.csv": bytes(range(256))}, {"readme.txt": b"Hi\n"}])
def test_a_folder_with_no_table_to_check_is_refused(tmp_path, files):
    folder = tmp_path / "return"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    status, stdout, stderr = check_folder(folder, "known")
    assert status == 2 and stdout == b""
    assert "holds no 903 table to check" in stderr
    assert ("it is empty" in stderr) == (not files)
    for name in files:
        assert name in stderr


def test_a_latin1_file_that_is_ascii_reads(tmp_path):
    data = "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,01/06/2025,PN1\n".encode("latin-1")
    status, stdout, _ = check_folder(one_file(tmp_path, "reviews.csv", data), "known")
    assert status == 0 and "1" in json.loads(stdout)["children"]


# --- A handful through the real command ----------------------------------------------------


SUBPROCESS_CASES = {
    "billion-laughs": ("a.xml", BILLION_LAUGHS.encode(), 2),
    "xxe": ("a.xml", EXTERNAL.encode(), 2),
    "latin-1": ("reviews.csv", b"CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,\xe9,PN1\n", 2),
    "utf-16": (
        "reviews.csv",
        "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,x,PN1\n".encode("utf-16"),
        2,
    ),
    "bad-dates": ("reviews.csv", b"CHILD,DOB,REVIEW,REVIEW_CODE\n1,30/02/2026,2026-02-30,PN1\n", 0),
    "junk": ("reviews.csv", bytes(range(256)) * 8, 2),
    "huge": ("reviews.csv", b"CHILD,DOB,REVIEW,REVIEW_CODE\n1," + b"A" * HUGE + b",x,PN1\n", 2),
    "deep": ("a.xml", b"<EXPSSDA903>" + b"<x>" * 50_000 + b"</x>" * 50_000 + b"</EXPSSDA903>", 0),
}


@pytest.mark.parametrize("case", sorted(SUBPROCESS_CASES))
def test_the_command_itself(tmp_path, case):
    name, data, expected = SUBPROCESS_CASES[case]
    folder = one_file(tmp_path, name, data)
    work = tmp_path / "cwd"
    work.mkdir()
    before = snapshot(folder)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "carereview", "ssda903", "check", str(folder), "--as-at", AS_AT],
        capture_output=True,
        cwd=work,
        env=env,
        check=False,
        timeout=60,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == expected, stderr
    assert snapshot(folder) == before and os.listdir(work) == []
    judge(folder, result.returncode, result.stdout, stderr, [name])
    CASES["subprocess"] += 1
