"""The environment is parsed by environs (config.environment; issue 13, item 5): a missing or bad
variable stops the settings with a message that names it, and the command line says so (exit 2)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from marshmallow.validate import Range

from carereview.config.environment import NOT_BLANK, Env, hosts, names_a_host, sealed
from carereview.config.testing import run_cli


def test_every_missing_or_bad_variable_is_named_at_once(monkeypatch):
    monkeypatch.delenv("CR_TEST_SECRET", raising=False)
    monkeypatch.setenv("CR_TEST_PORT", "twenty-five")
    monkeypatch.setenv("CR_TEST_PROXIES", "-1")
    monkeypatch.setenv("CR_TEST_HOSTS", " , ")
    monkeypatch.setenv("CR_TEST_BLANK", "   ")
    env = Env(eager=False)
    env.str("CR_TEST_SECRET")
    env.int("CR_TEST_PORT", 587)
    env.int("CR_TEST_PROXIES", 1, validate=Range(min=0))
    env.list("CR_TEST_HOSTS", validate=names_a_host)
    env.str("CR_TEST_BLANK", validate=NOT_BLANK)
    with pytest.raises(ImproperlyConfigured) as raised:
        sealed(env, "These settings")
    message = str(raised.value)
    assert "CR_TEST_SECRET is not set." in message
    assert "CR_TEST_PORT is not a valid integer." in message
    assert "CR_TEST_PROXIES is invalid: must be greater than or equal to 0." in message
    assert "CR_TEST_HOSTS names no host" in message
    assert "CR_TEST_BLANK is empty." in message
    assert message.endswith(
        "These settings read them from the environment and will not start without them."
    )


def test_sound_variables_pass(monkeypatch):
    monkeypatch.setenv("CR_TEST_HOSTS", " iro.example.org, ,www.iro.example.org ")
    monkeypatch.setenv("CR_TEST_DB", "postgres://u@127.0.0.1:5432/carereview")
    env = Env(eager=False)
    listed: list[str] = env.list("CR_TEST_HOSTS", validate=names_a_host)
    database = env.dj_db_url("CR_TEST_DB", conn_max_age=60)
    sealed(env, "These settings")
    assert hosts(listed) == ["iro.example.org", "www.iro.example.org"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "carereview"


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "carereview.config.settings.production",
    "SECRET_KEY": "x" * 60,
    "DATABASE_URL": "postgres://u@127.0.0.1:5432/carereview",
    "ALLOWED_HOSTS": "iro.example.org",
}


SHOW = (
    "from django.conf import settings; "
    "print(settings.ALLOWED_HOSTS, settings.CAREREVIEW['TRUSTED_PROXY_COUNT'], "
    "settings.NOTIFICATIONS['SMTP']['port'], settings.SECURE_SSL_REDIRECT)"
)


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("ALLOWED_HOSTS", " , ", "ALLOWED_HOSTS names no host"),
        ("ALLOWED_HOSTS", "", "ALLOWED_HOSTS names no host"),
        ("SECRET_KEY", "  ", "SECRET_KEY is empty"),
        ("TRUSTED_PROXY_COUNT", "one", "TRUSTED_PROXY_COUNT is not a valid integer"),
        ("SMTP_PORT", "25x", "SMTP_PORT is not a valid integer"),
        ("SECURE_SSL_REDIRECT", "perhaps", "SECURE_SSL_REDIRECT is not a valid boolean"),
        ("DATABASE_URL", "nosuchdb://x", "DATABASE_URL"),
    ],
)
def test_a_bad_value_stops_the_command_line_naming_the_variable(variable, value, said):
    result = run_cli("shell", "-c", SHOW, **{**PRODUCTION, variable: value})
    assert result.returncode == 2, result.stdout + result.stderr
    assert said in result.stderr
    assert "Traceback" not in result.stderr


def test_production_reads_its_environment_typed():
    result = run_cli(
        "shell",
        "-c",
        SHOW,
        **{
            **PRODUCTION,
            "ALLOWED_HOSTS": "iro.example.org, www.iro.example.org",
            "TRUSTED_PROXY_COUNT": "2",
            "SMTP_HOST": "smtp.example.org",
            "SMTP_PORT": "2525",
            "SECURE_SSL_REDIRECT": "false",
        },
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.splitlines()[-1] == "['iro.example.org', 'www.iro.example.org'] 2 2525 False"
    )
