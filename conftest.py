import importlib

import pytest

from carereview.core.testing import make_service


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
