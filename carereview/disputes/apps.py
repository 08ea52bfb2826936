from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "carereview.disputes"
    label = "disputes"
    verbose_name = "Dispute resolution"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import child_kwarg

        child_kwarg("dispute_id", "disputes.Dispute")
        child_kwarg("step_id", "disputes.DisputeStep")

        from carereview.core.calendar import register_stored_dates

        # Worked out in working days: again after a bank-holiday change (issue 12 item 10).
        register_stored_dates(
            "dispute response dates",
            count="carereview.disputes.services.response_date_records",
            recompute="carereview.disputes.services.recompute_response_dates",
        )

        # This app's part of the child scope (core.policy.add_scope; ADR 0013).
        from carereview.core.policy import add_scope
        from carereview.disputes.models import addressed_scope

        add_scope("disputes", addressed_scope)
