"""The synthetic return generator: deterministic and realistic in size."""

from pathlib import Path

from carereview.ssda903.folder import read_folder
from carereview.ssda903.synthetic import write_folder


def test_same_seed_same_files(tmp_path: Path):
    write_folder(tmp_path / "a", 200, seed=3, faults=0.2)
    write_folder(tmp_path / "b", 200, seed=3, faults=0.2)
    for name in ("header.csv", "episodes.csv", "reviews.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_about_five_episodes_and_several_reviews_a_child(tmp_path: Path):
    counts = write_folder(tmp_path, 2000, seed=1)
    assert counts["header"] == 2000
    assert 4 <= counts["episodes"] / 2000 <= 6
    assert 5 <= counts["reviews"] / 2000 <= 10
    data = read_folder(tmp_path)
    assert set(data.tables) == {"Header", "Episodes", "Reviews"}
