import pytest

from carereview.notifications import backends


@pytest.fixture(autouse=True)
def empty_outbox():
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture
def staff(service):
    """The service, with a work email address for everyone (reminders need somewhere to go)."""
    for user in vars(service).values():
        user.email = f"{user.username}@northmoor.example.org"
        user.save(update_fields=["email"])
    return service
