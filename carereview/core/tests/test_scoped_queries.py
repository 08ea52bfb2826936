"""No view reaches child data through an unscoped query (cf. NHS manage-breast-screening ADR-005).

Views, presenters and selectors may reach children only through `Child.objects.visible_to(...)`
or through a child they already got that way. This reads the source and fails on any other use of
the child-data managers.
"""

import re
from pathlib import Path

import carereview

CHILD_DATA_MODELS = [
    "Child",
    "Episode",
    "Person",
    "Relationship",
    "Review",
    "EarlierReviewRequirement",
    "IROAllocation",
    "SocialWorkerAllocation",
    "AccessEvent",
    "Meeting",
    "ChecklistEntry",
    "Consultation",
    "ConsultationAnswer",
    "Invitation",
    "Exclusion",
    "MatterConsidered",
    "Decision",
    "Dispatch",
    "Representation",
    "AdvocacyRequest",
    "MidwayCheck",
    "SignificantEvent",
    "DecisionUpdate",
    "Dispute",
    "DisputeStep",
]
UNSCOPED = re.compile(r"\b(" + "|".join(CHILD_DATA_MODELS) + r")\.objects\b(?!\.visible_to\()")
ROOT = Path(carereview.__file__).parent


def request_facing_modules():
    for pattern in ("*/views.py", "*/views/*.py", "*/presenters.py", "*/selectors.py"):
        yield from ROOT.glob(pattern)


def test_views_presenters_and_selectors_only_use_scoped_child_queries():
    offences = []
    for path in request_facing_modules():
        for n, line in enumerate(path.read_text().splitlines(), start=1):
            if UNSCOPED.search(line):
                offences.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offences == []


def test_the_lint_catches_an_unscoped_query():
    assert UNSCOPED.search("children = Child.objects.filter(in_care=True)")
    assert UNSCOPED.search("Episode.objects.all()")
    assert not UNSCOPED.search("Child.objects.visible_to(request.user)")
