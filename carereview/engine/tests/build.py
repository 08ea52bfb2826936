"""Short ways to write dates and episodes in the rule tests."""

from datetime import date, datetime

from carereview.engine.periods import Episode


def d(text: str) -> date:
    """A dd/mm/YYYY date, as the 903 writes it."""
    return datetime.strptime(text, "%d/%m/%Y").date()


def ep(
    decom: str,
    dec: str | None = None,
    *,
    rne: str = "S",
    ls: str = "C2",
    place: str = "U1",
    rec: str | None = None,
) -> Episode:
    """An episode; REC defaults to E13 where the episode has ended."""
    ended = dec is not None
    return Episode(
        d(decom),
        d(dec) if dec is not None else None,
        rne,
        ls,
        place,
        rec or ("E13" if ended else None),
    )
