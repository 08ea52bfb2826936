"""What the demo prints (issue 12, item 25): a sign-in for the IRO and the social worker of the
portal's child, and every email whole (decoded, its links on one line)."""

import io
import re

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils.module_loading import import_string

from carereview.children.models import Child

LINK = "http://127.0.0.1:8000/portal/invitation/" + "Zq3_x-" * 12 + "/"


def _printed(message: EmailMessage) -> str:
    from carereview.config.settings import local

    stream = io.StringIO()
    backend = import_string(local.MAILERS["default"]["BACKEND"])(stream=stream)
    assert backend.send_messages([message]) == 1
    return stream.getvalue()


def test_a_printed_email_shows_its_long_links_whole_and_its_text_decoded():
    body = (
        "Hello Zoë. Open this link to choose a password — it works once: "
        f"{LINK}\nA second line after the link, with café and naïve in it.\n"
    )
    out = _printed(EmailMessage("Your sign-in – Zoë", body, "iro@example.org", ["zoe@example.com"]))
    assert LINK in out
    assert "Hello Zoë." in out and "café and naïve" in out
    assert "Subject: Your sign-in – Zoë" in out
    assert "=\n" not in out and "=C3" not in out  # no quoted-printable soft breaks or escapes


def test_a_printed_email_names_its_attachments_without_their_bytes():
    message = EmailMessage("Decisions", f"See {LINK}", "iro@example.org", ["p@example.com"])
    message.attach("decisions.pdf", b"%PDF-1.7 " + b"\x00\xff" * 2000, "application/pdf")
    out = _printed(message)
    assert LINK in out
    assert re.search(r"decisions\.pdf.*application/pdf.*4,009 bytes", out)
    assert "%PDF" not in out


@pytest.mark.django_db
def test_demo_prints_sign_ins_for_the_iro_and_social_worker_of_the_portals_child(
    tmp_path, settings, capsys
):
    settings.VAR_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("demo", no_serve=True, children=80)  # 80: the seed gives a portal child
    assert (tmp_path / "static" / "build" / "app.css").exists()  # collected, as in production
    out = capsys.readouterr().out
    password = (tmp_path / "demo-password.txt").read_text().strip()
    child = Child.objects.get(portal_user__username="demo.child")
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if child.full_name in line and "IRO" in line)
    staff = "\n".join(lines[start : start + 3])
    for user in (child.current_iro, child.current_social_worker):
        assert user is not None
        assert re.search(rf"username {re.escape(user.username)}\s+password {password}", staff)


@pytest.mark.django_db
def test_demo_prints_where_to_sign_in_whole_for_staff_and_the_portal(tmp_path, settings, capsys):
    """A new user reads where to go beside the sign-ins, as whole addresses on the port asked
    for, with or without serving: not a path to put together with a line printed later."""
    settings.VAR_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("demo", no_serve=True, port=8123, children=80)
    out = capsys.readouterr().out
    staff = out.index("http://127.0.0.1:8123/sign-in/")
    portal = out.index("http://127.0.0.1:8123/portal/")
    assert staff < out.index("username iro1") < portal < out.index("username demo.parent")
