from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "carereview.allocation"
    label = "allocation"

    def ready(self):
        # Kept in step by every schedule refresh (children.services.after_refresh; ADR 0013).
        from carereview.allocation.services import after_refresh
        from carereview.children.services import after_refresh as add_step

        add_step(after_refresh)
