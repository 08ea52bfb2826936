"""The project's own deployment checks for signing in (issue 7), run by `carereview check --deploy`
next to Django's: staff's second step is required, and the session limits are sound."""

from django.conf import settings
from django.core.checks import Error, Tags, register

SECOND_FACTOR_CHOICES = ("required", "relaxed")


@register(Tags.security)
def second_factor_setting(app_configs, **kwargs):
    """Always: CAREREVIEW["STAFF_SECOND_FACTOR"] is one of the two values."""
    value = settings.CAREREVIEW.get("STAFF_SECOND_FACTOR")
    if value not in SECOND_FACTOR_CHOICES:
        return [
            Error(
                f'CAREREVIEW["STAFF_SECOND_FACTOR"] is {value!r}.',
                hint='Set it to "required" (or "relaxed" for the local demo only).',
                id="carereview.E701",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def second_factor_required_in_deployment(app_configs, **kwargs):
    if settings.CAREREVIEW.get("STAFF_SECOND_FACTOR") != "required":
        return [
            Error(
                'CAREREVIEW["STAFF_SECOND_FACTOR"] is not "required": staff could sign in with '
                "a password alone.",
                hint='"relaxed" is for the local demo and the tests only. Production settings '
                'set "required".',
                id="carereview.E702",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def session_limits_in_deployment(app_configs, **kwargs):
    idle = settings.CAREREVIEW.get("SESSION_IDLE_MINUTES")
    most = settings.CAREREVIEW.get("SESSION_MAX_HOURS")
    errors = []
    if not isinstance(idle, int) or not 0 < idle <= 30:
        errors.append(
            Error(
                f'CAREREVIEW["SESSION_IDLE_MINUTES"] is {idle!r}.',
                hint="Sessions must end after at most 30 minutes without activity.",
                id="carereview.E703",
            )
        )
    if not isinstance(most, int) or not 0 < most <= 12:
        errors.append(
            Error(
                f'CAREREVIEW["SESSION_MAX_HOURS"] is {most!r}.',
                hint="Sessions must end after at most 12 hours in all.",
                id="carereview.E704",
            )
        )
    elif settings.SESSION_COOKIE_AGE > most * 3600:
        errors.append(
            Error(
                'SESSION_COOKIE_AGE outlasts CAREREVIEW["SESSION_MAX_HOURS"].',
                hint="Make the session cookie last no longer than the longest session.",
                id="carereview.E705",
            )
        )
    return errors
