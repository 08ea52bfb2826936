"""What core (and the schedule refresh) needs from the apps above it, each app declares from its
AppConfig.ready (ADR 0013): nothing below imports them, so these check every declaration is made,
and in the order the refresh relies on."""

from carereview.allocation import services as allocation_services
from carereview.breakglass import models as breakglass_models
from carereview.breakglass import services as breakglass_services
from carereview.children import services as children_services
from carereview.children.models import Child
from carereview.core import access, audit, policy
from carereview.disputes import models as disputes_models
from carereview.followup import services as followup_services
from carereview.portal import models as portal_models
from carereview.representations import models as representations_models


def test_each_app_declares_its_part_of_the_child_scope():
    assert policy._APP_SCOPES == {
        "portal": portal_models.portal_scope,
        "representations": representations_models.complaints_scope,
        "disputes": disputes_models.addressed_scope,
        "breakglass": breakglass_models.granted_scope,
    }


def test_break_glass_marks_reads_and_children_declare_the_child():
    assert audit._READ_MARKS == [breakglass_services.mark_read]
    assert access.the_child_model() is Child


def test_the_schedule_refresh_runs_allocations_step_then_followups():
    # The IRO service's notice before the midway check, as when refresh_summary called them.
    assert children_services._AFTER_REFRESH == [
        allocation_services.after_refresh,
        followup_services.after_refresh,
    ]


def test_followup_records_a_change_of_social_worker():
    assert allocation_services._AFTER_SOCIAL_WORKER_CHANGE == [
        followup_services.record_social_worker_change
    ]
