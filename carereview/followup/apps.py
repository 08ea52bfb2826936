from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "carereview.followup"
    label = "followup"
    verbose_name = "Between reviews: decisions, midway checks and significant events"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import child_kwarg

        from .selectors import decision_child

        child_kwarg("decision_id", "reviews.Decision", decision_child)
        child_kwarg("check_id", "followup.MidwayCheck")
        child_kwarg("event_id", "followup.SignificantEvent")

        # Kept in step by every schedule refresh (children.services.after_refresh; ADR 0013).
        from carereview.children.services import after_refresh as add_step
        from carereview.followup.services import after_refresh

        add_step(after_refresh)

        # A change of social worker is a significant event (allocation.services; ADR 0013).
        from carereview.allocation.services import after_social_worker_change
        from carereview.followup.services import record_social_worker_change

        after_social_worker_change(record_social_worker_change)
