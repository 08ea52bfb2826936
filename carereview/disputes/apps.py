from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "carereview.disputes"
    label = "disputes"
    verbose_name = "Dispute resolution"

    def ready(self) -> None:
        from carereview.core.calendar import register_stored_dates

        # Worked out in working days: again after a bank-holiday change (issue 12 item 10).
        register_stored_dates(
            "dispute response dates",
            count="carereview.disputes.services.response_date_records",
            recompute="carereview.disputes.services.recompute_response_dates",
        )
