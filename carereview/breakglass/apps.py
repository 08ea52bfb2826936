from django.apps import AppConfig


class BreakglassConfig(AppConfig):
    name = "carereview.breakglass"
    label = "breakglass"
    verbose_name = "Break-glass access"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import child_kwarg

        child_kwarg("grant_id", "breakglass.BreakGlassGrant")
