from django.apps import AppConfig


class BreakglassConfig(AppConfig):
    name = "carereview.breakglass"
    label = "breakglass"
    verbose_name = "Break-glass access"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import child_kwarg

        child_kwarg("grant_id", "breakglass.BreakGlassGrant")

        # This app's part of the child scope (core.policy.add_scope; ADR 0013).
        from carereview.breakglass.models import granted_scope
        from carereview.core.policy import add_scope

        add_scope("breakglass", granted_scope)

        # Break-glass reads are marked in the access log (core.audit.add_read_mark; ADR 0013).
        from carereview.breakglass.services import mark_read
        from carereview.core.audit import add_read_mark

        add_read_mark(mark_read)
