"""The environment as the settings read it: environs parses and checks each variable (ADR 0017).

Settings modules make an `Env`, read every variable they need with its type (``env.int``,
``env.bool``, ``env.list``, ``env.dj_db_url`` ...), and call `sealed(env)` before using the
values. With ``Env(eager=False)`` nothing fails until then, so one message names every variable
that is missing or bad, not just the first: `ImproperlyConfigured`, which `carereview` on the
command line turns into that message and exit status 2 (carereview/cli.py).
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvValidationError
from marshmallow import ValidationError
from marshmallow.validate import Regexp

__all__ = ["NOT_BLANK", "Env", "hosts", "names_a_host", "sealed"]

#: A value that is set but only spaces counts as not set.
NOT_BLANK = Regexp(r".*\S", error="is empty")

_NOT_SET = "Environment variable not set."


def names_a_host(hosts: list[str]) -> None:
    """ALLOWED_HOSTS: a comma-separated list with at least one host in it."""
    if not any(host.strip() for host in hosts):
        raise ValidationError("names no host (give the site's host names, separated by commas)")


def hosts(values: list[str] | None) -> list[str]:
    """A list variable's entries without the spaces around them, and without empty ones."""
    return [value.strip() for value in values or [] if value.strip()]


def sealed(env: Env, where: str) -> None:
    """Raise ImproperlyConfigured naming each variable that is missing or bad."""
    try:
        env.seal()
    except EnvValidationError as problem:
        by_name = problem.error_messages
        assert isinstance(by_name, Mapping)  # seal() reports the messages by variable
        lines = []
        for name, messages in by_name.items():
            if _NOT_SET in messages:
                lines.append(f"{name} is not set.")
            else:
                lines.append(f"{name} {'; '.join(_words(m) for m in messages)}.")
        it = "it" if len(lines) == 1 else "them"
        raise ImproperlyConfigured(
            " ".join(lines) + f" {where} read {it} from the environment and will not start "
            f"without {it}."
        ) from problem


def _words(message: str) -> str:
    """marshmallow's "Not a valid integer." as "is not a valid integer"."""
    message = message.rstrip(".")
    if message.startswith("Not "):
        return "is n" + message[1:]
    if message.startswith("Must be") or message.startswith("Invalid"):
        return "is invalid: " + message[0].lower() + message[1:]
    return message
