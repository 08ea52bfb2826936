"""Keeping a confidential placement address away from those who must not see it (rules.md §7).

A placement address marked confidential (`Episode.address_confidential`) never reaches a parent.
The address may also turn up in free text someone typed (a meeting's venue, an IRO's view, a
decision), written any way at all: "109 Pretend Rd" for "109 Pretend Row", "NM3-5EN", full-width
digits, a soft hyphen inside a word. `ConfidentialAddressMatcher` normalises both the stored
address and the text the same way (ADR 0009) and finds, as spans of the ORIGINAL text:

- **withheld** (removed automatically): the postcode, whole, with or without its space; the house
  number with the street's distinctive name (any street-type word or none after it); a first line
  without a number (a house name); the carer's full name where it is hidden (rules.md §7, ours);
- **suspected** (marked for the person who checks a parent's version, not removed): the street's
  distinctive name alone, the postcode's outward part, the town and other lines of the address,
  anything shaped like a postcode or like "12 Something Road", and the carer's first name or
  surname alone.

No matcher catches every rewording, so a parent's version is also read by a person before it is
released (documents.release).

Normalising, per character of the original text so every match maps back to it: compatibility
decomposition (NFKD: full-width, ligatures, mathematical letters and digits), format and other
invisible characters dropped (soft hyphen, zero-width space and joiners, bidi marks, variation
selectors, combining accents), any other script's digit as its ASCII digit, a letter confusable with
a Latin letter folded to it (Unicode's confusables, from `confusable-homoglyphs`), case folded.
Letters and digits are kept; everything else is a word break. In a pattern a digit also matches
the Latin letters typed for it ("1O9", "NM3 SEN"), and the house number may come before or after
the street's name ("Pretend Row, No. 109"). The stored address is read the same whether it was
stored a line each, with commas, or on one line. A pattern may then have breaks
between any two of its characters ("N M 3 - 5 E N") but must start and end on a word's edge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from carereview.children.models import Child, Episode

WITHHELD = "[address withheld]"
NAME_WITHHELD = "[name withheld]"

# Street-type words and their abbreviations. For matching they are all one word: "109 Pretend Rd"
# is "109 Pretend Row", because the house number and the distinctive name are what find a house.
STREET_TYPES: frozenset[str] = frozenset(
    """
    road rd row rw street st str avenue ave av avn lane ln la close cl cls drive dr drv crescent
    cres cresc crs court ct crt place pl plc gardens gardn garden gdns gdn gdns terrace terr ter tce
    square sq way wy grove gr gro grv hill hl park pk pde parade mews walk wlk wk rise green grn gn
    vale view vw chase croft end gate yard yd wharf mount mt hights heights hts circus cir boulevard
    blvd bvd broadway path passage approach app embankment esplanade esp causeway highway hwy quay
    meadow meadows mdw orchard villas vls cottages cotts buildings bldgs row rows fields field
    """.split()
)
# Words that do not tell one street from another.
NOT_DISTINCTIVE: frozenset[str] = STREET_TYPES | frozenset(
    {"the", "of", "flat", "apartment", "apt", "unit", "house", "no", "number", "and", "upper"}
    | {"lower", "north", "south", "east", "west", "new", "old", "great", "little"}
)

# A break between words in the folded text (never a letter or digit).
_BREAK = "\x00"
# Letters some scripts use as blanks, which no category marks as invisible.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")

UK_POSTCODE = re.compile(r"^([a-z]{1,2}[0-9][a-z0-9]?)([0-9][a-z]{2})$")
# The numero sign, which compatibility decomposition writes as the letters "No".
_NUMERO = frozenset("\u2116")
# Words that may come between a street's name and its house number: "Pretend Row, No. 109".
_NUMBER_WORDS = ("no", "nr", "num", "number")
# "St" before a name is Saint ("109 St Mary's Road"); "the" comes before some streets' names.
_BEFORE_NAME = ("the", "st", "saint")
# Digits and the letters typed for them ("1O9", "NM3 SEN"): in a pattern, each stands for all
# of its group. Unicode's confusables give the skeleton of a letter of another script; these are
# the Latin letters that look like digits, which that skeleton leaves apart.
_LOOK_ALIKE_GROUPS = ("0o", "1il", "2z", "5s", "8b")
_LOOK_ALIKE = {c: group for group in _LOOK_ALIKE_GROUPS for c in group}


# Lookalikes Unicode added after the package's copy of its confusables list (ADR 0009).
_NOT_IN_THE_PACKAGE = {"Ԛ": "q", "ԛ": "q", "Ԝ": "w", "ԝ": "w", "ı": "i", "ȷ": "j"}


@cache
def _latin_skeleton() -> dict[str, str]:
    """Each non-Latin letter that Unicode lists as confusable with a Latin letter, and that
    letter (lower case). Latin letters themselves stay as they are."""
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[str, str] = dict(_NOT_IN_THE_PACKAGE)
    for char, glyphs in confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        latin = [
            c
            for c in (glyph["c"].replace("\u200e", "") for glyph in glyphs)
            if len(c) == 1 and c.isascii() and c.isalpha()
        ]
        # Greek capital iota looks like both "I" and "l": take the one of the same case.
        same_case = [c for c in latin if c.isupper() == char.isupper()]
        if latin:
            table[char] = (same_case or latin)[0].lower()
    return table


def _fold_char(char: str) -> str:
    """One character of the original text as lower-case ASCII letters and digits; "" for an
    invisible one; _BREAK for anything else (space, punctuation, a symbol)."""
    if char in _INVISIBLE:
        return ""
    if char in _NUMERO:
        return _BREAK  # "№109": the sign is punctuation, not the letters "No" glued to the number
    out = []
    for c in unicodedata.normalize("NFKD", char):
        category = unicodedata.category(c)
        if category in {"Mn", "Me", "Cf"} or c in _INVISIBLE:
            continue  # accents, soft hyphen, zero-width characters, bidi marks
        if category == "Nd" and not c.isascii():
            out.append(str(unicodedata.decimal(c)))
            continue
        if not c.isascii():
            c = _latin_skeleton().get(c, c)
        for f in c.casefold():
            if f.isascii() and f.isalnum():
                out.append(f)
            elif f.isalpha() or f.isdigit():
                out.append(f)  # a letter of another script: a letter, not a break
            else:
                out.append(_BREAK)
    return "".join(out)


@dataclass(frozen=True)
class Folded:
    """Text folded for matching: `text` with one break between words, and for each of its
    characters the index in the original it came from."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text or ""):
        for f in _fold_char(char):
            if f == _BREAK and (not chars or chars[-1] == _BREAK):
                continue
            chars.append(f)
            origin.append(i)
    while chars and chars[-1] == _BREAK:
        chars.pop()
        origin.pop()
    return Folded("".join(chars), tuple(origin))


def words(text: str) -> list[str]:
    return [w for w in fold(text).text.split(_BREAK) if w]


# --- patterns over folded text ----------------------------------------------------------------

_B = re.escape(_BREAK)
_START = rf"(?:(?<={_B})|^)"
_END = rf"(?={_B}|$)"


def _loose(word: str, *, look_alike: bool = True) -> str:
    """A folded word, allowing a break between any two of its characters and (with
    `look_alike`) a letter for the digit it looks like, or the other way round."""

    def one(c: str) -> str:
        group = _LOOK_ALIKE.get(c) if look_alike else None
        return f"[{group}]" if group else re.escape(c)

    return f"{_B}?".join(one(c) for c in word)


def _street_type() -> str:
    return "(?:" + "|".join(_loose(t) for t in sorted(STREET_TYPES, key=len, reverse=True)) + ")"


def _words_pattern(parts: list[str]) -> str:
    return f"{_B}?".join(_loose(p) for p in parts)


Kind = Literal["withheld", "name", "suspected"]


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: Kind
    why: str


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    kind: Kind
    why: str


def _split_lines(address: str) -> list[list[str]]:
    """The address's parts as lists of folded words: its lines (or comma-separated parts), with
    a postcode found anywhere in a line taken out as a part of its own, so that an address stored
    on one line ("109 Pretend Row Newtown NM3 5EN") is read as the same address on three."""
    parts: list[list[str]] = []
    for piece in re.split(r"[\n,;]+", address or ""):
        line = words(piece)
        rest: list[str] = []
        i = 0
        while i < len(line):
            for width in (2, 1):
                if _postcode(line[i : i + width]) and (
                    width == 1 or not _postcode(line[i : i + 1])
                ):
                    if rest:
                        parts.append(rest)
                        rest = []
                    parts.append(line[i : i + width])
                    i += width
                    break
            else:
                rest.append(line[i])
                i += 1
        if rest:
            parts.append(rest)
    return parts


def _is_number(word: str) -> bool:
    return bool(re.fullmatch(r"[0-9]+[a-z]?", word))


def _postcode(line: list[str]) -> tuple[str, str] | None:
    m = UK_POSTCODE.match("".join(line))
    return (m.group(1), m.group(2)) if m else None


def _street(line: list[str], j: int) -> tuple[list[str], list[str]]:
    """After the house number at `line[j]`: the street's distinctive name, and the words after
    the street (the town, where the address was stored on one line). The name ends at the first
    street-type word after it; "St" before a name is Saint; "109 The Green" has only its
    street-type word to go on."""
    name: list[str] = []
    after = line[j + 1 :]
    for k, w in enumerate(after):
        nxt = after[k + 1] if k + 1 < len(after) else ""
        if w in STREET_TYPES:
            if name:
                return name, after[k + 1 :]
            if w == "st" and nxt and nxt not in NOT_DISTINCTIVE:
                continue  # Saint
            return [w], after[k + 1 :]
        if w in NOT_DISTINCTIVE or w == "saint":
            continue
        name.append(w)
    return name, []


def _address_rules(address: str) -> list[_Rule]:
    """The rules that find one stored address in text."""
    rules: list[_Rule] = []
    lines = _split_lines(address)
    # "1, Example Lane": a number alone on its line belongs to the next line.
    merged: list[list[str]] = []
    for line in lines:
        if merged and all(_is_number(w) for w in merged[-1]) and not _postcode(line):
            merged[-1] = merged[-1] + line
        else:
            merged.append(line)
    street_seen = False
    before_name = "(?:" + "|".join(_loose(w) for w in _BEFORE_NAME) + ")"
    number_word = "(?:" + "|".join(_loose(w) for w in _NUMBER_WORDS) + ")"
    queue = list(merged)
    i = -1
    while queue:
        line = queue.pop(0)
        i += 1
        postcode = _postcode(line)
        if postcode:
            outward, inward = postcode
            rules.append(_rule(_words_pattern([outward + inward]), "withheld", "postcode"))
            rules.append(
                _rule(_loose(outward, look_alike=False), "suspected", "part of the postcode")
            )
            continue
        numbers = [j for j, w in enumerate(line) if _is_number(w)]
        # The house number is the last of the numbers before the street ("Flat 2 109 ...").
        while len(numbers) > 1 and numbers[1] == numbers[0] + 1:
            numbers.pop(0)
        if numbers and numbers[0] + 1 < len(line):
            j = numbers[0]
            name, after = _street(line, j)
            if name:
                house = _loose(line[j])
                street = f"(?:{_B}?{before_name}){{0,2}}{_B}?" + _words_pattern(name)
                street_type = f"(?:{_B}?{_street_type()})?"
                rules.append(_rule(house + street + street_type, "withheld", "house and street"))
                # "Pretend Row 109", "Pretend Row, No. 109"
                rules.append(
                    _rule(
                        street.removeprefix(f"{_B}?")
                        + street_type
                        + f"(?:{_B}?{number_word})?{_B}?"
                        + house,
                        "withheld",
                        "street and house",
                    )
                )
                rules.append(
                    _rule(
                        _words_pattern(name) + street_type,
                        "suspected",
                        "the street's name",
                    )
                )
                if j > 0:  # "Flat 2 109 Pretend Row": the flat as a part of its own
                    queue.insert(0, line[:j])
                if after:
                    queue.insert(0, after)
                street_seen = True
                continue
        if any(any(c.isdigit() for c in w) for w in line) and len("".join(line)) >= 5:
            rules.append(_rule(_words_pattern(line), "withheld", "a part of the address"))
            continue
        distinctive = [w for w in line if w not in NOT_DISTINCTIVE]
        if i == 0 and not street_seen and distinctive:
            # The first line without a number: a house's name, or a street alone.
            rules.append(
                _rule(
                    _words_pattern(distinctive) + f"(?:{_B}?{_street_type()})?",
                    "withheld",
                    "the first line",
                )
            )
            street_seen = True
        elif distinctive:
            rules.append(_rule(_words_pattern(distinctive), "suspected", "a line of the address"))
    return rules


def _rule(body: str, kind: Kind, why: str) -> _Rule:
    return _Rule(re.compile(f"{_START}{body}{_END}"), kind, why)


# Anything shaped like an address, whoever's it is: for the person who checks, never removed.
_SHAPES = [
    _rule(r"[a-z]{1,2}[0-9][a-z0-9]?" + f"{_B}?" + r"[0-9][a-z]{2}", "suspected", "a postcode"),
    _rule(
        r"[0-9]+[a-z]?" + f"(?:{_B}[a-z]+)" + "{1,3}" + f"{_B}{_street_type()}",
        "suspected",
        "a house and street",
    ),
]


def _name_rules(names: Iterable[str]) -> list[_Rule]:
    rules = []
    for name in names:
        parts = words(name)
        if not parts:
            continue
        rules.append(_rule(_words_pattern(parts), "name", "the carer's name"))
        if len(parts) > 1:  # "I like living with Cara": a name alone is for a person to judge
            for part, why in ((parts[0], "the carer's first name"), (parts[-1], "their surname")):
                if len(part) > 2:
                    rules.append(_rule(_loose(part), "suspected", why))
    return rules


class ConfidentialAddressMatcher:
    """Finds a child's confidential placement addresses (and, where hidden, the carers' names)
    in free text, whatever the spelling."""

    def __init__(self, addresses: Iterable[str] = (), *, names: Iterable[str] = ()):
        self.rules: list[_Rule] = []
        for address in addresses:
            self.rules += _address_rules(address)
        self.rules += _name_rules(names)

    @classmethod
    def for_child(cls, child: Child, *, names: Iterable[str] = ()) -> ConfidentialAddressMatcher:
        return cls(confidential_addresses(child), names=names)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def find(self, text: str, *, suspected: bool = False) -> list[Found]:
        """Spans of `text` (in the original) to withhold, and with `suspected` also those a
        person should look at; overlapping spans are merged, the strongest kind kept."""
        if not self.rules or not text:
            return []
        folded = fold(text)
        rules = self.rules + (_SHAPES if suspected else [])
        found: list[Found] = []
        for rule in rules:
            if rule.kind == "suspected" and not suspected:
                continue
            for m in rule.pattern.finditer(folded.text):
                if m.end() > m.start():
                    start, end = folded.span(m.start(), m.end())
                    found.append(Found(start, end, rule.kind, rule.why))
        return _merge(found)

    def mentions(self, text: str) -> bool:
        return bool(self.find(text))

    def redact(self, text: str) -> tuple[str, bool]:
        """`text` with every part to withhold replaced, and whether anything was replaced."""
        spans = self.find(text)
        if not spans:
            return text, False
        out, at = [], 0
        for f in spans:
            out.append(text[at : f.start])
            out.append(NAME_WITHHELD if f.kind == "name" else WITHHELD)
            at = f.end
        out.append(text[at:])
        return "".join(out), True


_RANK = {"withheld": 0, "name": 1, "suspected": 2}


def _merge(found: list[Found]) -> list[Found]:
    merged: list[Found] = []
    for f in sorted(found, key=lambda f: (f.start, -f.end, _RANK[f.kind])):
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            kind = last.kind if _RANK[last.kind] <= _RANK[f.kind] else f.kind
            why = last.why if kind == last.kind else f.why
            merged[-1] = Found(last.start, max(last.end, f.end), kind, why)
        else:
            merged.append(f)
    return merged


def latest_episode(child: Child) -> Episode | None:
    return child.episodes.order_by("-decom", "-id").first()


def confidential_addresses(child: Child) -> list[str]:
    """Every placement address of the child ever marked confidential, latest first."""
    addresses = (
        child.episodes.filter(address_confidential=True)
        .exclude(placement_address="")
        .order_by("-decom", "-id")
        .values_list("placement_address", flat=True)
    )
    return list(dict.fromkeys(a.strip() for a in addresses if a.strip()))
