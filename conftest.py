import pytest

from carereview.core.testing import make_service


@pytest.fixture
def service(db):
    """One person in every staff role, in an IRO team and two social work teams."""
    return make_service()
