"""Keeping a confidential placement address away from those who must not see it (rules.md §7).

A placement address marked confidential (`Episode.address_confidential`) never reaches a parent.
The address may also turn up in free text someone typed (a meeting's venue, an IRO's view, a
decision), so the documents look for its distinctive parts: the first line (house and street) and
any part with a digit in it (house number, postcode). A town name alone is not distinctive enough
to withhold, because the authority's own name often contains it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from carereview.children.models import Child, Episode

WITHHELD = "[address withheld]"


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


def _parts(address: str) -> list[str]:
    return [p.strip() for p in re.split(r"[\n,]+", address) if p.strip()]


def distinctive_parts(address: str) -> list[str]:
    """The parts of an address that identify it: the first line, and any part with a digit."""
    parts = _parts(address)
    if not parts:
        return []
    first = parts[0]
    if len(first) < 4 and len(parts) > 1:  # "1, Example Lane": the number and the street
        first = f"{first} {parts[1]}"
    found = [first] if len(first) >= 4 else []
    found += [p for p in parts[1:] if any(c.isdigit() for c in p) and len(p) >= 5]
    return list(dict.fromkeys(found))


def _pattern(fragment: str) -> re.Pattern[str]:
    tokens = [re.escape(t) for t in re.split(r"[\s,]+", fragment) if t]
    return re.compile(r"[\s,]*".join(tokens), re.IGNORECASE)


class AddressGuard:
    """Finds and removes a child's confidential placement addresses in free text."""

    def __init__(self, addresses: Iterable[str] = ()):
        fragments = {f for a in addresses for f in distinctive_parts(a)}
        # Longest first, so a whole line goes before a shorter piece of it.
        self.patterns = [_pattern(f) for f in sorted(fragments, key=len, reverse=True)]

    @classmethod
    def for_child(cls, child: Child) -> AddressGuard:
        return cls(confidential_addresses(child))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def mentions(self, text: str) -> bool:
        return any(p.search(text or "") for p in self.patterns)

    def redact(self, text: str) -> tuple[str, bool]:
        """`text` with every distinctive part replaced, and whether anything was replaced."""
        changed = False
        for pattern in self.patterns:
            text, n = pattern.subn(WITHHELD, text)
            changed = changed or bool(n)
        return text, changed
