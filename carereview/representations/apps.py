from django.apps import AppConfig


class RepresentationsConfig(AppConfig):
    name = "carereview.representations"
    label = "representations"
    verbose_name = "Representations and advocacy"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import child_kwarg

        child_kwarg("representation_id", "representations.Representation")
        child_kwarg("advocacy_id", "representations.AdvocacyRequest")

        from carereview.core.calendar import register_stored_dates

        # Worked out in working days: again after a bank-holiday change (issue 12 item 10).
        register_stored_dates(
            "representation stage dates",
            count="carereview.representations.services.stage_date_records",
            recompute="carereview.representations.services.recompute_stage_dates",
        )

        # This app's part of the child scope (core.policy.add_scope; ADR 0013).
        from carereview.core.policy import add_scope
        from carereview.representations.models import complaints_scope

        add_scope("representations", complaints_scope)
