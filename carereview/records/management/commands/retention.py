"""`carereview retention list|propose|approve|show|delete`: records past their retention date
(rules.md §7), and their deletion with a second administrator's approval. See records.services."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carereview.core.calendar import today
from carereview.records import services
from carereview.records.erase import EraseRefused
from carereview.records.models import RetentionProposal
from carereview.records.retention import Rule


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)", returncode=2) from error


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "-"


class Command(BaseCommand):
    help = (
        "Records past their retention date (the 75th birthday, or 15 years after a death before "
        "18), and deleting them: an administrator proposes, a different administrator approves, "
        "then `delete` deletes exactly the approved records still past their date, and logs it."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser(
            "list", help="List the records past their retention date: identifier, rule, date."
        )
        listing.add_argument(
            "--as-at", type=_date, default=None, metavar="YYYY-MM-DD", help="Default: today."
        )
        propose = actions.add_parser(
            "propose", help="Propose deleting every record past its retention date."
        )
        propose.add_argument(
            "--by", required=True, metavar="USERNAME", help="The administrator proposing it."
        )
        propose.add_argument(
            "--as-at",
            type=_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="Past their date on this day (default: today; never a later day).",
        )
        approve = actions.add_parser(
            "approve",
            help="Approve another administrator's proposal (only where "
            'CAREREVIEW["RETENTION_APPROVAL"] allows the command line; otherwise on the web).',
        )
        approve.add_argument("proposal", type=int, metavar="PROPOSAL_ID")
        approve.add_argument(
            "--by",
            required=True,
            metavar="USERNAME",
            help="The administrator approving it: not the one who proposed it.",
        )
        show = actions.add_parser("show", help="Show a proposal and, once done, its deletion log.")
        show.add_argument("proposal", type=int, metavar="PROPOSAL_ID")
        delete = actions.add_parser(
            "delete", help="Delete the records of an approved proposal (asks first)."
        )
        delete.add_argument("proposal", type=int, metavar="PROPOSAL_ID")
        delete.add_argument("--yes", action="store_true", help="Do not ask.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"do_{action}")(**options)
        except (services.RetentionRefused, EraseRefused) as refused:
            raise CommandError(str(refused), returncode=2) from refused

    def _rows(self, rows) -> None:
        self.stdout.write("child\trule\tretention date")
        for identifier, rule, until in rows:
            self.stdout.write(f"{identifier}\t{Rule.LABELS[rule]}\t{until.isoformat()}")

    def do_list(self, *, as_at, **options):
        as_at = as_at or today()
        due = services.past_retention(as_at)
        self._rows((d.la_child_id, d.retention.rule, d.retention.until) for d in due)
        self.stdout.write(f"{len(due)} past their retention date on {as_at.isoformat()}.")

    def do_propose(self, *, by, as_at, **options):
        proposal = services.propose(by, as_at)
        items = list(proposal.children.all())
        self._rows((i.la_child_id, i.rule, i.retention_until) for i in items)
        self.stdout.write(
            self.style.SUCCESS(
                f"Proposal {proposal.pk}: delete {len(items)} records past their retention date "
                f"on {proposal.as_at.isoformat()}, proposed by {by}."
            )
        )
        self.stdout.write(
            "A different administrator approves it on the web, signed in: Retention, "
            f"/admin/retention/{proposal.pk}/"
            + (
                f" (or: carereview retention approve {proposal.pk} --by USERNAME)"
                if services.approval_from_command_line()
                else ""
            )
        )

    def do_approve(self, *, proposal, by, **options):
        approved = services.approve(proposal, by)
        items = list(approved.children.all())
        self._rows((i.la_child_id, i.rule, i.retention_until) for i in items)
        self.stdout.write(
            self.style.SUCCESS(
                f"Proposal {approved.pk} approved by {by} (proposed by "
                f"{approved.proposed_by.username}): {len(items)} records."
            )
        )
        self.stdout.write(f"To delete them: carereview retention delete {approved.pk}")

    def do_show(self, *, proposal, **options):
        found = RetentionProposal.objects.select_related("proposed_by", "approved_by").filter(
            pk=proposal
        )
        p = found.first()
        if p is None:
            raise CommandError(f"There is no retention proposal {proposal}", returncode=2)
        self.stdout.write(f"Proposal {p.pk}: {p.get_status_display()}")
        self.stdout.write(f"Past their retention date on {p.as_at.isoformat()}")
        self.stdout.write(f"Proposed by {p.proposed_by.username} at {_when(p.proposed_at)}")
        if p.approved_by:
            self.stdout.write(
                f"Approved by {p.approved_by.username} at {_when(p.approved_at)} "
                f"({p.get_approved_via_display() or 'how not recorded'})"
            )
        self._rows((i.la_child_id, i.rule, i.retention_until) for i in p.children.all())
        entry = getattr(p, "deletion_log", None)
        if entry is not None:
            self._log(entry)

    def _log(self, entry) -> None:
        self.stdout.write(f"Deleted at {_when(entry.deleted_at)} (run by {entry.run_by or '-'}):")
        self.stdout.write(f"  records: {', '.join(entry.child_ids) or 'none'}")
        for kept in entry.kept:
            self.stdout.write(f"  kept {kept['la_child_id']}: {kept['reason']}")
        for table, n in entry.rows_deleted.items():
            self.stdout.write(f"  {table}: {n} deleted")
        for link, n in entry.links_cleared.items():
            self.stdout.write(f"  {link}: {n} links emptied")
        if entry.people_kept or entry.accounts_kept:
            self.stdout.write(
                f"  kept because other records use them: {entry.people_kept} related people, "
                f"{entry.accounts_kept} portal sign-ins"
            )
        self.stdout.write(f"  {entry.total_rows} rows deleted in all.")

    def do_delete(self, *, proposal, yes, **options):
        if not yes:
            p, going, kept, plan = services.preview(proposal)
            self.stdout.write(
                f"Proposal {p.pk}, proposed by {p.proposed_by.username} and approved by "
                f"{p.approved_by.username}, deletes these records for good, with everything "
                "that belongs to them:"
            )
            self.stdout.write(f"  {', '.join(i.la_child_id for i in going) or 'none'}")
            for k in kept:
                self.stdout.write(f"  kept {k['la_child_id']}: {k['reason']}")
            self.stdout.write(
                f"  {sum(plan.counts().values())} rows in {len(plan.counts())} tables"
            )
            self.stdout.flush()
            try:
                answer = input('Type "delete" to delete them: ')
            except EOFError:
                answer = ""
            if answer.strip().lower() != "delete":
                raise CommandError("Nothing was deleted.", returncode=1)
        entry = services.carry_out(proposal)
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {len(entry.child_ids)} records of proposal {proposal}; "
                f"logged as deletion {entry.pk}."
            )
        )
        self._log(entry)
