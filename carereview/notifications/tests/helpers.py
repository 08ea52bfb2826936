"""Helpers for the notifications tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

LONDON = ZoneInfo("Europe/London")


def at_london(year: int, month: int, day: int, hour: int = 7, minute: int = 30):
    """Freeze the clock at a London wall-clock time."""
    return time_machine.travel(datetime(year, month, day, hour, minute, tzinfo=LONDON), tick=False)
