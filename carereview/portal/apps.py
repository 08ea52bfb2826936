from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "carereview.portal"
    label = "portal"
    verbose_name = "The portal for children, parents and carers"

    def ready(self):
        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import child_kwarg, not_child_data

        child_kwarg("access_id", "portal.PortalAccess")
        child_kwarg("visit_id", "portal.VisitRequest")
        not_child_data("token", "a single-use sign-in link, before anyone is signed in")
        not_child_data("position", "a question's number, on a child's form")

        # This app's part of the child scope (core.policy.add_scope; ADR 0013).
        from carereview.core.policy import add_scope
        from carereview.portal.models import portal_scope

        add_scope("portal", portal_scope)
