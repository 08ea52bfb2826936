"""A realistic synthetic authority, from a seed, as plain data (no Django).

Children enter care, move placements, change legal status, leave and return, have short breaks
and are placed for adoption over five years; their reviews follow the statutory schedule
(computed by the engine, so mostly on time and some late); staff, teams, parents and carers come
with them. The loader (`synth.loader`) writes it to the database; `ssda903.write` writes it as the
DfE's CSV files. Every name, address and number is fictional (Ofcom drama ranges, example
domains, a made-up postcode area).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from carereview.engine.calendar import WorkingCalendar, add_months, default_calendar
from carereview.engine.periods import Episode, periods_of_care
from carereview.engine.schedule import compute_schedule

from . import names

ETHNICITIES = (
    ["WBRI"] * 30
    + ["WIRI", "WOTH", "WOTH", "WROM", "MWBC", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN"]
    + ["APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BAFR", "BOTH", "CHNE", "OOTH", "NOBT"]
)
FOSTER = ["U1", "U3", "U4", "U4", "U6", "U6", "U6", "U6"]
OTHER_PLACES = ["K2", "K2", "R1", "P1", "S1", "U6", "K1", "R2"]
LEAVING = ["E4A", "E4A", "E13", "E41", "E45", "E46", "E48", "E5", "E8"]
PLACE_CHANGE_REASONS = ["CARPL", "CLOSE", "STAND", "CREQB", "CREQO", "CHILD", "LAREQ", "OTHER"]
PN_WEIGHTS = [("PN1", 55), ("PN2", 5), ("PN3", 4), ("PN4", 6), ("PN5", 14), ("PN6", 10), ("PN7", 6)]


@dataclass
class Staff:
    key: str
    first_name: str
    last_name: str
    role: str
    team: str | None = None
    line_manager: str | None = None
    fte: float = 1.0

    @property
    def username(self) -> str:
        return self.key


@dataclass
class Team:
    name: str
    kind: str
    manager: str | None


@dataclass
class Person:
    key: str
    first_name: str
    last_name: str
    phone: str
    email: str
    address: str


@dataclass
class Link:
    person: str
    kind: str
    parental_responsibility: bool
    description: str = ""


@dataclass
class SynthEpisode:
    decom: date
    rne: str
    ls: str
    cin: str
    place: str
    place_provider: str
    dec: date | None = None
    rec: str = ""
    reason_place_change: str = ""
    home_post: str = ""
    pl_post: str = ""
    urn: str = ""
    address: str = ""
    confidential: bool = False

    def engine(self) -> Episode:
        return Episode(self.decom, self.dec, self.rne, self.ls, self.place, self.rec or None)


@dataclass
class SynthReview:
    held_on: date
    code: str
    decisions_sent_on: date | None = None
    record_sent_on: date | None = None


@dataclass
class Allocation:
    person: str
    started_on: date
    ended_on: date | None = None
    reason: str = ""


@dataclass
class SynthChild:
    key: str
    first_name: str
    last_name: str
    sex: str
    dob: date
    ethnicity: str
    language: str
    has_disability: bool
    disability: str
    profound: bool
    episodes: list[SynthEpisode] = field(default_factory=list)
    reviews: list[SynthReview] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    siblings: list[str] = field(default_factory=list)
    iro: list[Allocation] = field(default_factory=list)
    social_worker: list[Allocation] = field(default_factory=list)
    upn: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class Authority:
    as_at: date
    teams: list[Team]
    staff: list[Staff]
    people: list[Person]
    children: list[SynthChild]


def _phone(rng: random.Random) -> str:
    return f"07700 900{rng.randrange(1000):03d}"


def _postcode(rng: random.Random) -> str:
    return f"NM{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}" + (
        rng.choice("ABDEFGHJLNPQRSTUWXYZ")
    )


def _address(rng: random.Random) -> tuple[str, str]:
    postcode = _postcode(rng)
    return (
        f"{rng.randint(1, 199)} {rng.choice(names.STREETS)}\n{names.TOWN}\n{postcode}",
        postcode.split()[0],
    )


class _Builder:
    def __init__(
        self,
        seed: int,
        as_at: date,
        calendar: WorkingCalendar,
        n_iros: int,
        n_social_workers: int,
        n_teams: int,
    ):
        self.seed = seed
        self.rng = random.Random(seed)
        self.as_at = as_at
        self.calendar = calendar
        self.n_iros = n_iros
        self.n_social_workers = n_social_workers
        self.n_teams = n_teams
        self.people: list[Person] = []
        self.person_seq = 0
        self.used_names: set[tuple[str, str]] = set()

    # --- staff ---------------------------------------------------------------------------
    def _staff_name(self, rng: random.Random | None = None) -> tuple[str, str]:
        """A first name and surname no other member of staff has. The lists give some 2,900
        pairs; past about 50 draws that are all taken (a national-scale authority: 3,000 IROs and
        more), the surname is double-barrelled, which gives some 140,000 more. Smaller
        authorities never get that far, so their names stay as they were."""
        rng = rng or self.rng
        for attempt in range(10_000):
            first = rng.choice(names.FIRST_NAMES_F + names.FIRST_NAMES_M)
            last = rng.choice(names.SURNAMES)
            if attempt >= 50:
                other = rng.choice(names.SURNAMES)
                if other != last:
                    last = f"{last}-{other}"
            if (first, last) not in self.used_names:
                self.used_names.add((first, last))
                return first, last
        raise ValueError(f"no staff name left after {len(self.used_names)} were given")

    def staff(self) -> tuple[list[Team], list[Staff]]:
        teams: list[Team] = []
        staff: list[Staff] = []

        def add(key, role, team=None, line_manager=None, fte=1.0):
            first, last = self._staff_name()
            person = Staff(key, first, last, role, team, line_manager, fte)
            staff.append(person)
            return person

        iro_team = "Independent Reviewing Service"
        head = add("iro.manager", "iro_manager", iro_team)
        teams.append(Team(iro_team, "iro_service", head.key))
        ftes = [1.0, 1.0, 1.0, 0.8, 1.0, 0.6, 1.0, 0.8]
        for i in range(1, self.n_iros + 1):
            add(f"iro{i}", "iro", iro_team, head.key, ftes[(i - 1) % len(ftes)])
        sw_teams = [
            "Children in Care Team North",
            "Children in Care Team South",
            "Permanence Team",
            "Disabled Children's Team",
        ]
        sw_teams = sw_teams[: self.n_teams] + [
            f"Social Work Team {n}" for n in range(5, self.n_teams + 1)
        ]
        for t, name in enumerate(sw_teams, start=1):
            manager = add(f"tm{t}", "team_manager", name)
            teams.append(Team(name, "social_work", manager.key))
        for i in range(1, self.n_social_workers + 1):
            t = (i - 1) % len(sw_teams) + 1
            add(f"sw{i}", "social_worker", sw_teams[t - 1], f"tm{t}")
        support = "Business Support"
        bs = add("support1", "business_support", support)
        teams.append(Team(support, "support", bs.key))
        add("support2", "business_support", support, bs.key)
        add("complaints", "complaints_manager", support)
        add("admin", "administrator", support)
        # A dual role, as small services have: iro1 also practice-supervises a newly qualified
        # social worker, so iro1 cannot be the IRO of that worker's children (CPPCR Part 8).
        newly_qualified = next(s for s in staff if s.key == "sw1")
        newly_qualified.line_manager = "iro1"
        # The upper rungs of the dispute ladder (rules.md §5): two service managers over the team
        # managers, a head of service and the director. Named from a generator of their own, so
        # adding them leaves everyone else's names (and the children) as they were.
        own = random.Random(f"senior-managers-{self.seed}")

        def senior(key, line_manager=None):
            first, last = self._staff_name(own)
            person = Staff(key, first, last, "senior_manager", None, line_manager, 1.0)
            staff.append(person)
            return person

        director = senior("director")
        head_of_service = senior("head.of.service", director.key)
        managers = [senior(f"service.manager{n}", head_of_service.key) for n in (1, 2)]
        for t in range(1, len(sw_teams) + 1):
            tm = next(s for s in staff if s.key == f"tm{t}")
            tm.line_manager = managers[(t - 1) % 2].key
        return teams, staff

    # --- people ----------------------------------------------------------------------------
    def person(self, first: str, last: str) -> Person:
        self.person_seq += 1
        key = f"p{self.person_seq}"
        address, _ = _address(self.rng)
        email = f"{first.lower()}.{last.lower().replace('-', '')}{self.person_seq}@example.com"
        p = Person(key, first, last, _phone(self.rng), email, address)
        self.people.append(p)
        return p

    # --- children --------------------------------------------------------------------------
    def child(self, n: int, surname: str | None, entry: date, kind: str | None) -> SynthChild:
        """Child number `n`, entering care on `entry`; `kind` of history, or one at random."""
        rng = self.rng
        sex = rng.choice("MF")
        first = rng.choice(names.FIRST_NAMES_M if sex == "M" else names.FIRST_NAMES_F)
        last = surname or rng.choice(names.SURNAMES)
        age_at_entry = rng.choice(
            [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 14, 15, 15, 16, 16]
        )
        dob = entry - timedelta(days=age_at_entry * 365 + rng.randrange(365))
        has_disability = rng.random() < 0.12
        profound = has_disability and rng.random() < 0.3
        child = SynthChild(
            key=f"C{n:06d}",
            first_name=first,
            last_name=last,
            sex=sex,
            dob=dob,
            ethnicity=rng.choice(ETHNICITIES),
            language=rng.choice(names.LANGUAGES),
            has_disability=has_disability,
            disability=(
                "Profound and multiple learning disability"
                if profound
                else rng.choice(["Autism", "Hearing impairment", "Cerebral palsy", "ADHD"])
            )
            if has_disability
            else "",
            profound=profound,
            upn=f"Z{rng.randrange(10**12):012d}",
        )
        if age_at_entry >= 11:
            child.phone = _phone(rng)
        kind = (
            kind
            or rng.choices(
                ["standard", "short_breaks", "adoption", "returns"], weights=[78, 7, 8, 7]
            )[0]
        )
        if kind == "adoption" and age_at_entry > 6:
            kind = "standard"
        self.episodes(child, entry, kind)
        return child

    def _episode(
        self,
        child: SynthChild,
        decom: date,
        rne: str,
        ls: str,
        place: str,
        cin: str,
        reason: str = "",
    ) -> SynthEpisode:
        rng = self.rng
        address, district = _address(rng)
        temp = place in {"T0", "T1", "T2", "T3", "T4"}
        ep = SynthEpisode(
            decom=decom,
            rne=rne,
            ls=ls,
            cin=cin,
            place=place,
            place_provider="" if temp else rng.choice(["PR1", "PR1", "PR1", "PR4", "PR2", "PR5"]),
            reason_place_change=reason,
            home_post=_postcode(rng).split()[0],
            pl_post=district,
            urn=f"SC{rng.randrange(10**6):06d}" if place in {"K1", "K2"} else "",
            address=address,
            confidential=rng.random() < 0.15,
        )
        child.episodes.append(ep)
        return ep

    def _end(self, ep: SynthEpisode, dec: date, rec: str) -> None:
        ep.dec = dec
        ep.rec = rec

    def _run_period(self, child: SynthChild, start: date, stop: date, kind: str) -> date | None:
        """Episodes from `start`; returns the date the period ended, or None if still open."""
        rng = self.rng
        cin = rng.choice(["N1", "N1", "N1", "N2", "N3", "N4", "N5", "N6", "N8"])
        eighteen = (
            child.dob.replace(year=child.dob.year + 18)
            if not (child.dob.month == 2 and child.dob.day == 29)
            else date(child.dob.year + 18, 3, 1)
        )
        stop = min(stop, eighteen)
        ls = rng.choice(["C1", "C1", "V2", "V2", "V2", "L2"])
        place = rng.choice(FOSTER)
        ep = self._episode(child, start, "S", ls, place, cin)
        day = start
        placed_for_adoption = False
        while True:
            step = timedelta(days=rng.randint(90, 720))
            nxt = day + step
            if kind == "returns" and nxt < stop and rng.random() < 0.35:
                # Leaves care (and may come back later as a new period).
                if nxt > self.as_at:
                    return None
                self._end(ep, nxt, rng.choice(LEAVING))
                return nxt
            if nxt >= stop:
                if stop == eighteen and stop <= self.as_at:
                    self._end(ep, stop, rng.choice(["E17", "E5", "E6", "E8"]))
                    return stop
                if stop < self.as_at:
                    self._end(ep, stop, rng.choice(LEAVING))
                    return stop
                return None
            if nxt > self.as_at:
                return None  # still in this episode today
            day = nxt
            self._end(ep, day, "X1")
            if kind == "adoption" and not placed_for_adoption and ep.ls not in {"C2", "E1"}:
                # The route to adoption: a placement order first...
                ep = self._episode(child, day, "L", "E1", ep.place, cin)
                continue
            if kind == "adoption" and not placed_for_adoption and rng.random() < 0.8:
                # ...then placed for adoption (AAR reg 36 reviews from here).
                ep = self._episode(child, day, "P", "E1", rng.choice(["A5", "A6"]), cin, "CARPL")
                placed_for_adoption = True
                # Adopted 6-12 months later, unless the child is still placed at the as-at date.
                adopted = day + timedelta(days=rng.randint(180, 360))
                if adopted <= self.as_at:
                    self._end(ep, adopted, rng.choice(["E11", "E12"]))
                    return adopted
                return None
            if ep.ls in {"C1", "V2", "L2"} and rng.random() < 0.5:
                new_ls = "C2" if ep.ls != "V2" or rng.random() < 0.5 else "V2"
                if new_ls != ep.ls:
                    ep = self._episode(child, day, "L", new_ls, ep.place, cin)
                    continue
            place = (
                rng.choice(FOSTER + OTHER_PLACES)
                if child.dob < day - timedelta(days=365 * 11)
                else rng.choice(FOSTER)
            )
            ep = self._episode(child, day, "P", ep.ls, place, cin, rng.choice(PLACE_CHANGE_REASONS))

    def _short_breaks(self, child: SynthChild, start: date) -> None:
        rng = self.rng
        day = start
        cin = "N1"
        place = rng.choice(["R1", "U6", "K2"])
        while day < self.as_at:
            length = timedelta(days=rng.randint(2, 7))
            ep = self._episode(child, day, "S", "V3", place, cin)
            end = day + length
            if end > self.as_at:
                return
            self._end(ep, end, rng.choice(["E4A", "E8"]))
            gap = rng.randint(20, 120) if rng.random() < 0.93 else rng.randint(200, 300)
            day = end + timedelta(days=gap)

    def episodes(self, child: SynthChild, entry: date, kind: str) -> None:
        if kind == "short_breaks":
            self._short_breaks(child, entry)
            return
        ended = self._run_period(child, entry, self.as_at + timedelta(days=3650), kind)
        if kind == "returns" and ended is not None:
            back = ended + timedelta(days=self.rng.randint(30, 400))
            if back < self.as_at:
                self._run_period(child, back, self.as_at + timedelta(days=3650), "standard")

    # --- reviews ---------------------------------------------------------------------------
    def reviews(self, child: SynthChild) -> None:
        """Hold each review on the statutory rhythm: mostly on time, some late, a few overdue.

        Period by period, ask the engine when the next review is due as things stood then, and
        hold it on a working day shortly before (or, now and then, after) that date.
        """
        rng = self.rng
        episodes = [e.engine() for e in child.episodes]
        held: list[date] = []
        for period in periods_of_care(episodes):
            horizon = min(period.end, self.as_at) if period.end else self.as_at
            for _ in range(60):
                due = compute_schedule(episodes, held, horizon, self.calendar).next_due
                if due is None:
                    break
                late = rng.random() < 0.07
                if late:
                    when = due + timedelta(days=rng.randint(1, 25))
                else:
                    when = due - timedelta(days=rng.choice([0, 0, 1, 2, 3, 5, 7, 10, 14]))
                when = self.calendar.last_working_day_on_or_before(when)
                if held and when <= held[-1]:
                    when = held[-1] + timedelta(days=1)
                if when < period.start or when > horizon or when >= self.as_at:
                    break
                if due < self.as_at - timedelta(days=60) or rng.random() > 0.03:
                    held.append(when)
                else:
                    break  # left overdue: the caseload shows a few of these
        child.reviews = [self._sent(SynthReview(d, self._participation(child, d))) for d in held]

    def _sent(self, review: SynthReview) -> SynthReview:
        """Decisions and record sent a few working days after the review, now and then late."""
        rng, cal = self.rng, self.calendar
        decisions = cal.add_working_days(review.held_on, rng.choice([1, 2, 3, 3, 4, 5, 5, 7]))
        record = cal.add_working_days(review.held_on, rng.choice([8, 12, 15, 18, 20, 20, 26]))
        review.decisions_sent_on = decisions if decisions <= self.as_at else None
        review.record_sent_on = record if record <= self.as_at else None
        return review

    def _participation(self, child: SynthChild, held: date) -> str:
        four = add_months(child.dob, 48)
        if held < four:
            return "PN0"
        codes, weights = zip(*PN_WEIGHTS, strict=True)
        return self.rng.choices(codes, weights=weights)[0]


def generate(
    *,
    seed: int = 2026,
    children: int = 400,
    as_at: date,
    iros: int = 8,
    social_workers: int = 25,
    teams: int = 4,
    calendar: WorkingCalendar | None = None,
    progress=None,
) -> Authority:
    """Build the whole authority. `progress(done, total)` is called as children are made."""
    calendar = calendar or default_calendar()
    b = _Builder(seed, as_at, calendar, iros, social_workers, teams)
    team_list, staff = b.staff()
    iro_keys = [s.key for s in staff if s.role == "iro"]
    sw_keys = [s.key for s in staff if s.role == "social_worker"]
    rng = b.rng
    made: list[SynthChild] = []
    n = 0
    # A few children came into care in the last fortnight and wait for an IRO. The first of
    # them has the social worker whose line manager is iro1 (see staff()), so the manager's
    # allocation page shows an IRO refused for independence.
    recent_groups = max(3, children // 80)
    groups = 0
    while n < children:
        group = 1 if rng.random() < 0.8 else rng.choice([2, 2, 3])
        group = min(group, children - n)
        surname = rng.choice(names.SURNAMES) if group > 1 else None
        recent = groups < recent_groups
        if recent:
            entry = as_at - timedelta(days=rng.randint(1, 12))
        else:
            entry = as_at - timedelta(days=int(5 * 365 * rng.random() ** 1.4) + 13)
        kind: str | None = rng.choices(["standard", "adoption", "returns"], weights=[85, 8, 7])[0]
        if recent:
            kind = "standard"
        elif group == 1:
            kind = None
        siblings = []
        for _ in range(group):
            n += 1
            c = b.child(n, surname, entry, kind)
            b.reviews(c)
            siblings.append(c)
        _family(b, siblings)
        _allocate(
            b,
            siblings,
            iro_keys,
            sw_keys,
            unallocated=recent,
            social_worker="sw1" if groups == 0 else None,
        )
        groups += 1
        made.extend(siblings)
        if progress:
            progress(n, children)
    return Authority(as_at, team_list, staff, b.people, made)


def _family(b: _Builder, siblings: list[SynthChild]) -> None:
    rng = b.rng
    surname = siblings[0].last_name
    mother = b.person(rng.choice(names.FIRST_NAMES_F), surname)
    father = b.person(rng.choice(names.FIRST_NAMES_M), rng.choice([surname] + names.SURNAMES))
    father_pr = rng.random() < 0.6
    grand = b.person(rng.choice(names.FIRST_NAMES_F), surname) if rng.random() < 0.4 else None
    carer = None
    for c in siblings:
        c.siblings = [s.key for s in siblings if s is not c]
        c.links.append(Link(mother.key, "mother", True))
        c.links.append(Link(father.key, "father", father_pr))
        if grand:
            c.links.append(Link(grand.key, "significant", False, "Grandmother"))
        last = c.episodes[-1] if c.episodes else None
        if last and last.place.startswith("U"):
            carer = carer or b.person(rng.choice(names.FIRST_NAMES_F), rng.choice(names.SURNAMES))
            c.links.append(Link(carer.key, "carer", False, "Foster carer"))


def _appointed(b: _Builder, key: str, start: date) -> date:
    """The day the first IRO was appointed (rules.md §4: within 5 working days): mostly 1 to 5
    working days after the child became looked after, about one in twelve later. Drawn from its
    own generator, so that the rest of the authority is the same for a seed as before."""
    own = random.Random(f"iro-appointed:{key}")
    days = own.randint(6, 9) if own.random() < 0.08 else own.randint(1, 5)
    return min(b.calendar.add_working_days(start, days), b.as_at)


def _allocate(
    b: _Builder,
    siblings: list[SynthChild],
    iro_keys: list[str],
    sw_keys: list[str],
    *,
    unallocated: bool,
    social_worker: str | None,
) -> None:
    rng = b.rng
    first = siblings[0]
    if not first.episodes:
        return
    start = first.episodes[0].decom
    sw = social_worker or rng.choice(sw_keys)
    iro = rng.choice([k for k in iro_keys if not (k == "iro1" and sw == "sw1")])
    changed = rng.random() < 0.15
    for c in siblings:
        c.social_worker.append(Allocation(sw, start))
        if unallocated:
            continue
        if changed and (b.as_at - start).days > 400:
            previous = rng.choice([k for k in iro_keys if k != iro])
            switch = start + timedelta(days=rng.randint(120, (b.as_at - start).days - 30))
            c.iro.append(Allocation(previous, start, switch, ""))
            c.iro.append(
                Allocation(
                    iro,
                    switch,
                    None,
                    rng.choice(
                        [
                            "Previous IRO left the service",
                            "Caseload balancing",
                            "IRO on long-term leave",
                            "Child moved placement to the other side of the borough",
                        ]
                    ),
                )
            )
        else:
            c.iro.append(Allocation(iro, _appointed(b, first.key, start)))
