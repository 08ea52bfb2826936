import importlib

import pytest

from carereview.core.testing import make_service

# pytest-xdist's schedulers that keep each worker's tests in the collected order. pytest-django
# orders database tests before transactional ones (whose flush empties every table, the data
# migrations' rows included) and tests/system/conftest.py puts the browser tests last; "load"
# hands each worker its tests in that order. "worksteal" (a worker takes over the end of another's
# queue) and "loadscope"/"loadfile"/"loadgroup" (a file's tests sent together) can run a database
# test after a flush on the same worker, where it would find no bank holidays.
ORDER_KEEPING_DIST = {"no", "load", "each"}


def pytest_configure(config):
    dist = getattr(config.option, "dist", "no")
    if dist not in ORDER_KEEPING_DIST:
        raise pytest.UsageError(
            f"--dist {dist} would run tests out of their collected order on a worker; "
            "use --dist load (pytest-xdist's default with -n)."
        )


@pytest.fixture
def service(db):
    """One person in every staff role, in an IRO team and two social work teams."""
    return make_service()


# The rows the data migrations seed (bank holidays, consultation forms), present again in each
# transactional test: an earlier transactional test ends by emptying every table, seeds included.
@pytest.fixture(autouse=True)
def seeded_rows(request):
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from carereview.core.calendar import forget_bank_holidays

    importlib.import_module("carereview.core.migrations.0002_seed_bank_holidays").seed(apps, None)
    importlib.import_module("carereview.reviews.migrations.0003_consultation_forms").seed(
        apps, None
    )
    forget_bank_holidays()
