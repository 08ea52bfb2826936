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
    "IROServiceNotice",
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
# A query already confined to scoped children (or a service-wide count with no rows) says so,
# with its reason, at the end of its line: "# scoped: <why>".
SCOPED_BY = re.compile(r"#\s*scoped:\s*\S")
ROOT = Path(carereview.__file__).parent


def request_facing_modules():
    for pattern in ("*/views.py", "*/views/*.py", "*/presenters.py", "*/selectors.py"):
        yield from ROOT.glob(pattern)


def test_views_presenters_and_selectors_only_use_scoped_child_queries():
    offences = []
    for path in request_facing_modules():
        for n, line in enumerate(path.read_text().splitlines(), start=1):
            if UNSCOPED.search(line) and not SCOPED_BY.search(line):
                offences.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offences == []


def test_a_scoped_marker_needs_its_reason():
    assert SCOPED_BY.search("Review.objects.filter(child__in=scope)  # scoped: of `scope`")
    assert not SCOPED_BY.search("Review.objects.filter(child__in=scope)  # scoped:")


def test_the_lint_catches_an_unscoped_query():
    assert UNSCOPED.search("children = Child.objects.filter(in_care=True)")
    assert UNSCOPED.search("Episode.objects.all()")
    assert not UNSCOPED.search("Child.objects.visible_to(request.user)")
