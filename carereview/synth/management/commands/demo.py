import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from carereview.accounts.models import Role, User
from carereview.children.models import Child
from carereview.core.frontend import FrontendUnavailable, ensure_frontend
from carereview.synth.management.commands.synth import make_demo_password

ROLE_ORDER = [
    Role.IRO,
    Role.IRO_MANAGER,
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.SENIOR_MANAGER,
    Role.BUSINESS_SUPPORT,
    Role.COMPLAINTS_MANAGER,
    Role.ADMINISTRATOR,
]


class Command(BaseCommand):
    help = (
        "Set up and serve a demonstration: install the front end if missing, migrate the SQLite "
        "file under var/, load the synthetic authority once, print a sign-in for each staff role "
        "and serve on 127.0.0.1."
    )
    # Checked once the front end is installed (below): before, the missing front-end folder would
    # be the first thing a fresh machine prints.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Set up, then stop.")
        parser.add_argument("--children", type=int, default=400)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **opts):
        var = Path(settings.VAR_DIR)
        var.mkdir(parents=True, exist_ok=True)
        try:
            ensure_frontend(log=self.stdout.write)
        except FrontendUnavailable as problem:
            raise CommandError(str(problem)) from problem
        self.check()
        # As in production (issue 13, item 3): hashed, compressed copies under var/static, which
        # WhiteNoise serves. Only files that changed are copied again.
        self.stdout.write("Collecting static files…")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Migrating the database…")
        call_command("migrate", verbosity=0, interactive=False)
        password_file = var / "demo-password.txt"
        if not Child.objects.exists():
            password = make_demo_password()
            self.stdout.write("Loading the synthetic authority (once)…")
            call_command(
                "synth",
                children=opts["children"],
                seed=opts["seed"],
                password=password,
                stdout=self.stdout._out,
            )
            password_file.write_text(password + "\n")
        password = password_file.read_text().strip() if password_file.exists() else "(set by synth)"
        self.stdout.write("")
        site = f"http://127.0.0.1:{opts['port']}"
        self.stdout.write(
            self.style.SUCCESS(f"Sign in at {site}/sign-in/ as any of these (one for each role):")
        )
        for role in ROLE_ORDER:
            user = User.objects.filter(role=role, is_active=True).order_by("username").first()
            if user:
                self._sign_in(role.label, user, password)
        portal = User.objects.filter(role__in=[Role.CHILD, Role.PARENT, Role.CARER], is_active=True)
        portal = portal.filter(username__startswith="demo.").order_by("role")
        if portal:
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nThe portal for children, parents and carers, at {site}/portal/:"
                )
            )
            for user in portal:
                self._sign_in(user.get_role_display(), user, password)
            # The staff who work with the portal's child, to see both sides of the same case.
            child = Child.objects.filter(portal_accesses__user__in=portal).distinct().first()
            if child is not None:
                self.stdout.write(
                    self.style.SUCCESS(f"\n{child.full_name}'s IRO and social worker:")
                )
                for label, user in (
                    (Role.IRO.label, child.current_iro),
                    (Role.SOCIAL_WORKER.label, child.current_social_worker),
                ):
                    if user is not None:
                        self._sign_in(label, user, password)
        if opts["no_serve"]:
            return
        address = f"127.0.0.1:{opts['port']}"
        self.stdout.write(self.style.SUCCESS(f"\nServing on http://{address}/ (Ctrl-C to stop)"))
        threading.Thread(target=deliver_outbox_every, args=(3,), daemon=True).start()
        # The demo shows the real error pages (issue 12, item 6), not Django's debug pages that
        # list every URL: debug off. Static files are served by WhiteNoise, as in production
        # (runserver's own static handler is off when debug is).
        settings.DEBUG = False
        call_command("runserver", address, use_reloader=False)

    def _sign_in(self, label: str, user: User, password: str) -> None:
        self.stdout.write(f"  {label:<32} username {user.username:<14} password {password}")


def deliver_outbox_every(seconds: float) -> None:
    """Every email and text is an outbox message (issue 12): the demo sends (prints) them as they
    are made, beside the server. The daily reminders need `carereview worker`."""
    from django.db import close_old_connections

    from carereview.notifications.outbox import deliver_due

    while True:
        try:
            deliver_due()
        except Exception as error:  # noqa: BLE001 - the demo goes on; the message is kept
            print(f"Messages could not be sent: {type(error).__name__}", flush=True)
        finally:
            close_old_connections()
        time.sleep(seconds)
