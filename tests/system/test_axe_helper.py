"""The axe helper is not vacuous: it fails, naming rule, impact and target, on a faulty page."""

import pytest
from playwright.sync_api import Page

from tests.system.browsing import check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_check_axe_lists_each_violation(page: Page):
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Faulty</title></head>'
        '<body><main><h1>Faulty</h1><img id="no-alt" src="data:,"></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        check_axe(page)
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "target: #no-alt" in message
