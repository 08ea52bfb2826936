"""Reading a 903 folder: recognised by header, lenient about form, precise about errors."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from carereview.ssda903.folder import read_folder
from carereview.ssda903.reader import ReadError, parse_date
from carereview.ssda903.synthetic import write_folder

from .conftest import FIXTURES, check_json, finding_rows, to_xml

GOLDEN = FIXTURES / "golden"


def as_text(folder: Path) -> dict:
    return check_json(folder)


@pytest.fixture
def golden_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "golden"
    folder.mkdir()
    for name in ("header.csv", "episodes.csv", "reviews.csv"):
        shutil.copy(GOLDEN / name, folder / name)
    return folder


def rewrite(path: Path, change) -> None:
    path.write_bytes(change(path.read_bytes()))


def test_parse_date_reads_as_pandas_does():
    assert parse_date("01/02/2020") == date(2020, 2, 1)
    assert parse_date("1/2/2020") == date(2020, 2, 1)
    assert parse_date(" 1/02/2020") == date(2020, 2, 1)
    for bad in ("", "31/02/2020", "01/02/20", "2020-02-01", "01/13/2020", "1/1/1600", "1/1/2300"):
        assert parse_date(bad) is None, bad


def test_bom_whitespace_crlf_and_any_names_read_the_same(golden_copy: Path, tmp_path: Path):
    expected = as_text(golden_copy)
    rewrite(golden_copy / "header.csv", lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"))
    rewrite(golden_copy / "reviews.csv", lambda b: b.replace(b",", b" , ").replace(b"\n", b" \n"))
    rewrite(golden_copy / "episodes.csv", lambda b: b.replace(b"\n", b"\n\n"))  # blank lines
    (golden_copy / "episodes.csv").rename(golden_copy / "EPI 2026.CSV")
    (golden_copy / "header.csv").rename(golden_copy / "children")
    assert as_text(golden_copy) == expected


def test_columns_in_any_order(golden_copy: Path):
    expected = as_text(golden_copy)
    lines = (golden_copy / "reviews.csv").read_text().splitlines()
    swapped = [",".join(reversed(line.split(","))) for line in lines]
    (golden_copy / "reviews.csv").write_text("\n".join(swapped) + "\n")
    assert as_text(golden_copy) == expected


def test_quoted_csv_reads_the_same_as_plain(golden_copy: Path):
    expected = as_text(golden_copy)
    lines = (golden_copy / "episodes.csv").read_text().splitlines()
    quoted = [",".join(f'"{v}"' for v in line.split(",")) for line in lines]
    (golden_copy / "episodes.csv").write_text("\n".join(quoted) + "\n")
    assert as_text(golden_copy) == expected


@pytest.mark.parametrize("faults", [0.0, 0.5])
def test_numpy_and_csv_module_readers_agree(tmp_path: Path, monkeypatch, faults: float):
    folder = tmp_path / "synthetic"
    write_folder(folder, 300, seed=7, faults=faults)
    fast = as_text(folder)
    monkeypatch.setenv("CAREREVIEW_903_CSV_MODULE", "1")
    assert as_text(folder) == fast


def test_other_903_tables_are_recognised_and_not_used(golden_copy: Path):
    (golden_copy / "uasc.csv").write_text("CHILD,SEX,DOB,DUC\nG01,M,14/05/2015,01/01/2033\n")
    (golden_copy / "missing.csv").write_text("CHILD,DOB,MISSING,MIS_START,MIS_END\n")
    (golden_copy / "oc3.csv").write_text("DOB,CHILD,IN_TOUCH,ACTIV,ACCOM\n")
    (golden_copy / "notes.txt").write_text("hello\n")
    (golden_copy / "photo.xlsx").write_bytes(b"PK\x03\x04\x00\xff\xfe")
    data = read_folder(golden_copy)
    notes = {n.path.name: (n.table, n.note) for n in data.files}
    assert notes["uasc.csv"] == ("UASC", "recognised, not used")
    assert notes["missing.csv"] == ("Missing", "recognised, not used")
    assert notes["oc3.csv"] == ("OC3", "recognised, not used")
    assert notes["notes.txt"][0] is None and "not a 903 table" in notes["notes.txt"][1]
    assert notes["photo.xlsx"][0] is None
    assert notes["reviews.csv"] == ("Reviews", "read")


def test_short_rows_are_padded(make_folder):
    folder = make_folder(reviews=[])
    (folder / "reviews.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\nA,01/01/2015\n")
    reviews = read_folder(folder).tables["Reviews"]
    assert reviews.n_rows == 1 and reviews["REVIEW"].blank().tolist() == [True]


def test_extra_values_name_file_row_and_column(make_folder):
    folder = make_folder(reviews=[])
    text = "CHILD,DOB,REVIEW,REVIEW_CODE\nA,01/01/2015,,\nA,01/01/2015,01/06/2025,PN1,oops\n"
    (folder / "reviews.csv").write_text(text)
    with pytest.raises(ReadError) as error:
        read_folder(folder)
    assert error.value.path.name == "reviews.csv"
    assert error.value.row == 1
    assert error.value.column is not None and "#5" in error.value.column
    assert "reviews.csv, row 1, column #5" in str(error.value)


def test_trailing_empty_values_are_tolerated(make_folder):
    folder = make_folder(reviews=[])
    text = "CHILD,DOB,REVIEW,REVIEW_CODE,\nA,01/01/2015,01/06/2025,PN1,\n"
    (folder / "reviews.csv").write_text(text)
    assert read_folder(folder).tables["Reviews"].n_rows == 1


def test_not_utf8_names_file_row_and_column(make_folder):
    folder = make_folder(reviews=[])
    text = "CHILD,DOB,REVIEW,REVIEW_CODE\nA,01/01/2015,01/06/2025,PN1\nB,01/01/2015,caf\xe9,PN1\n"
    (folder / "reviews.csv").write_bytes(text.encode("latin-1"))
    with pytest.raises(ReadError) as error:
        read_folder(folder)
    assert (error.value.row, error.value.column) == (1, "REVIEW")
    assert "UTF-8" in str(error.value)


def test_two_files_of_one_table_are_refused(golden_copy: Path):
    shutil.copy(golden_copy / "reviews.csv", golden_copy / "reviews2.csv")
    with pytest.raises(ReadError, match="Reviews table"):
        read_folder(golden_copy)


def test_a_missing_folder_is_an_error(tmp_path: Path):
    with pytest.raises(ReadError, match="not a folder"):
        read_folder(tmp_path / "nowhere")


# --- XML ---------------------------------------------------------------------------------


def test_xml_gives_the_golden_schedule(tmp_path: Path):
    folder = tmp_path / "xml"
    folder.mkdir()
    (folder / "return.xml").write_text(to_xml(GOLDEN))
    got, expected = check_json(folder), check_json(GOLDEN)
    assert got["children"] == expected["children"]
    # Rows are numbered in document order, child by child, as the validator numbers them (the
    # golden CSV files are in child order too). In XML a review has no DOB of its own: it
    # takes the child's, so G04's review with a wrong DOB (441, INT17) is not wrong there.
    wrong_dob = {("441", "Reviews", 4), ("INT17", "Reviews", 4)}
    assert finding_rows(got) == finding_rows(expected) - wrong_dob


def test_xml_entity_declarations_are_refused(tmp_path: Path):
    folder = tmp_path / "xml"
    folder.mkdir()
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        "<EXPSSDA903><CHILD><HEADER><CHILDID>&lol2;</CHILDID></HEADER></CHILD></EXPSSDA903>"
    )
    (folder / "bomb.xml").write_text(bomb)
    with pytest.raises(ReadError, match="entity"):
        read_folder(folder)


def test_xml_external_entities_are_refused(tmp_path: Path):
    folder = tmp_path / "xml"
    folder.mkdir()
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        "<EXPSSDA903><CHILD><HEADER><CHILDID>&e;</CHILDID></HEADER></CHILD></EXPSSDA903>"
    )
    (folder / "xxe.xml").write_text(xxe)
    with pytest.raises(ReadError, match="entit"):
        read_folder(folder)


def test_malformed_xml_names_the_line(tmp_path: Path):
    folder = tmp_path / "xml"
    folder.mkdir()
    (folder / "bad.xml").write_text("<EXPSSDA903>\n<CHILD><HEADER></CHILD>\n</EXPSSDA903>\n")
    with pytest.raises(ReadError, match=r"bad\.xml.*line 2"):
        read_folder(folder)


def test_other_xml_is_skipped(tmp_path: Path):
    folder = tmp_path / "xml"
    folder.mkdir()
    (folder / "other.xml").write_text("<html><body/></html>")
    (folder / "reviews.csv").write_text(
        "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2015,01/06/2025,PN1\n"
    )
    data = read_folder(folder)
    assert set(data.tables) == {"Reviews"}
    other = next(f for f in data.files if f.path.name == "other.xml")
    assert other.note.startswith("skipped: not a 903 table")


def test_a_folder_with_only_other_files_is_refused(tmp_path: Path):
    folder = tmp_path / "xml"
    folder.mkdir()
    (folder / "other.xml").write_text("<html><body/></html>")
    with pytest.raises(ReadError, match=r"holds no 903 table to check.*other\.xml"):
        read_folder(folder)
