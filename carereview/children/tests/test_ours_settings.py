"""Issue 12 item 20: each **(ours)** choice of rules.md that the schedule makes is the
authority's setting, read where the schedule is worked out (not a constant in the engine)."""

from datetime import date

import pytest

from carereview.children.models import Episode
from carereview.children.services import refresh_summary
from carereview.core.testing import make_child


@pytest.mark.django_db
@pytest.mark.parametrize("resumes, due", [(True, date(2024, 11, 20)), (False, date(2024, 7, 29))])
def test_the_standard_regime_after_an_adoption_placement_follows_the_setting(
    settings, service, resumes, due
):
    settings.CAREREVIEW = {
        **settings.CAREREVIEW,
        "ADOPTION_ENDED_RESUMES_FROM_LAST_REVIEW": resumes,
    }
    child = make_child(
        iro=service.iro,
        start=date(2024, 2, 1),
        reviews=[date(2024, 2, 28), date(2024, 5, 20)],
        as_at=date(2024, 6, 1),
    )
    Episode.objects.filter(child=child).update(place="A6", dec=date(2024, 7, 1), rec="X1")
    Episode.objects.create(
        child=child, decom=date(2024, 7, 1), rne="P", ls="C2", cin="N1", place="U1"
    )
    refresh_summary(child, as_at=date(2024, 7, 2))
    child.refresh_from_db()
    assert child.next_review_due == due
