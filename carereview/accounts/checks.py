"""The project's own deployment checks for signing in (issue 7), run by `carereview check --deploy`
next to Django's: staff's second step is required, and the session limits are sound."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from carereview.core.authority import Authority, authority

# That CAREREVIEW["STAFF_SECOND_FACTOR"] is "required" or "relaxed", and the session limits whole
# numbers, is the authority's settings' own check (carereview.E001, core.authority); these checks
# say nothing until it passes.


def _choices() -> Authority | None:
    try:
        return authority()
    except ImproperlyConfigured:
        return None  # carereview.E001 says what is wrong


@register(Tags.security, deploy=True)
def second_factor_required_in_deployment(app_configs, **kwargs):
    choices = _choices()
    if choices is not None and choices.staff_second_factor != "required":
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
    choices = _choices()
    if choices is None:
        return []
    idle = choices.session_idle_minutes
    most = choices.session_max_hours
    errors = []
    if not 0 < idle <= 30:
        errors.append(
            Error(
                f'CAREREVIEW["SESSION_IDLE_MINUTES"] is {idle!r}.',
                hint="Sessions must end after at most 30 minutes without activity.",
                id="carereview.E703",
            )
        )
    if not 0 < most <= 12:
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
