import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carereview.children.models import Child
from carereview.core.calendar import today, working_calendar
from carereview.synth import loader, ssda903
from carereview.synth.followup import add_decisions, complete_midway_checks
from carereview.synth.generator import generate
from carereview.synth.portal import open_portal


def progress_bar(label: str, stream=None):
    stream = stream or sys.stderr
    width = 30
    shown = {"filled": -1}
    tty = stream.isatty()

    def show(done: int, total: int) -> None:
        filled = int(width * done / max(total, 1))
        if filled == shown["filled"] and done < total:
            return
        shown["filled"] = filled
        if not tty and done < total:
            return
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


class Command(BaseCommand):
    help = (
        "Build a realistic synthetic authority from a seed: children with five years of care "
        "history and reviews, staff, teams, parents and carers. Plainly fictional people only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--children", type=int, default=400)
        parser.add_argument("--iros", type=int, default=8)
        parser.add_argument("--social-workers", type=int, default=25)
        parser.add_argument("--teams", type=int, default=4)
        parser.add_argument(
            "--as-at",
            type=date.fromisoformat,
            default=None,
            help="The date the history runs up to (default: today).",
        )
        parser.add_argument(
            "--ssda903",
            type=Path,
            default=None,
            metavar="DIR",
            help="Also write the children as SSDA903 CSV files in DIR.",
        )
        parser.add_argument(
            "--no-load",
            action="store_true",
            help="Do not load the database (with --ssda903: files only).",
        )
        parser.add_argument(
            "--password",
            default=None,
            help="Password for every staff sign-in (default: a random one).",
        )

    def handle(self, *args, **opts):
        if opts["children"] < 1:
            raise CommandError("--children must be at least 1.")
        if opts["no_load"] and not opts["ssda903"]:
            raise CommandError("--no-load only makes sense with --ssda903 DIR.")
        if not opts["no_load"] and Child.objects.exists():
            raise CommandError(
                f"The database already holds {Child.objects.count()} children; synth loads into "
                "an empty database only. Use a fresh database (or --no-load --ssda903 DIR)."
            )
        as_at = opts["as_at"] or today()
        calendar = working_calendar() if not opts["no_load"] else None
        authority = generate(
            seed=opts["seed"],
            children=opts["children"],
            as_at=as_at,
            iros=opts["iros"],
            social_workers=opts["social_workers"],
            teams=opts["teams"],
            calendar=calendar,
            progress=progress_bar("Generating children"),
        )
        if opts["ssda903"]:
            counts = ssda903.write(authority, opts["ssda903"])
            self.stdout.write(
                f"Wrote SSDA903 files to {opts['ssda903']}: {counts['header']} children, "
                f"{counts['episodes']} episodes, {counts['reviews']} reviews."
            )
        if not opts["no_load"]:
            password = opts["password"] or make_demo_password()
            counts = loader.load(
                authority, password=password, progress=progress_bar("Computing schedules")
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {counts['children']} children, {counts['episodes']} episodes, "
                    f"{counts['reviews']} reviews, {counts['people']} related people, "
                    f"{counts['staff']} staff in {counts['teams']} teams; "
                    f"{counts['booked']} upcoming reviews booked."
                )
            )
            decided = add_decisions(as_at=authority.as_at, seed=opts["seed"])
            checked = complete_midway_checks(as_at=authority.as_at, seed=opts["seed"])
            self.stdout.write(
                f"{decided} decisions of the latest reviews, most done on time; "
                f"{checked} midway checks done."
            )
            portal_users = open_portal(password=password, as_at=authority.as_at)
            if portal_users:
                self.stdout.write(
                    f"Portal sign-ins made for {portal_users[0][2]}, a parent and a carer."
                )
            if not opts["password"]:
                self.stdout.write(f"Every staff sign-in uses the password: {password}")


def make_demo_password() -> str:
    import secrets

    return "demo-" + secrets.token_urlsafe(9)
