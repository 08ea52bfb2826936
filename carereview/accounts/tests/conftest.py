"""The session warning's browser test (test_session_warning_browser.py) uses the live server,
whose transactional tests empty every table when they end, migrations' seed rows included. So it
runs after every other test but before tests/system (which seed again what they need, and run
last): placed just before the first of those, or last when they are not being run."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent
SYSTEM = HERE.parents[2] / "tests" / "system"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    mine = [
        i for i in items if Path(str(i.path)).parent == HERE and i.get_closest_marker("browser")
    ]
    if not mine:
        return
    rest = [i for i in items if i not in mine]
    first_system = next(
        (n for n, i in enumerate(rest) if SYSTEM in Path(str(i.path)).parents), len(rest)
    )
    items[:] = rest[:first_system] + mine + rest[first_system:]
