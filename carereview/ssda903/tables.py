"""The tables of the SSDA903 return and the columns that identify them (spec/ssda903.md)."""

from typing import Final

#: Every table of the return, by the exact set of its CSV column names (in file order).
COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}

#: The tables the system reads; the others are recognised and reported as not used.
USED: Final[tuple[str, ...]] = ("Header", "Episodes", "Reviews")

#: The columns of each used table that the checks and the schedule read.
NEEDED: Final[dict[str, tuple[str, ...]]] = {
    "Header": ("CHILD", "DOB", "MOTHER"),
    "Episodes": ("CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE", "REC"),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
}

#: XML element names that differ from the CSV column names (``CHILDID`` and ``PL``).
XML_NAMES: Final[dict[str, str]] = {"CHILDID": "CHILD", "PL": "PLACE"}

_BY_COLUMN_SET: Final = {frozenset(columns): name for name, columns in COLUMNS.items()}


def table_of(header: list[str] | tuple[str, ...]) -> str | None:
    """The table whose column set is exactly ``header`` (any order), or None."""
    return _BY_COLUMN_SET.get(frozenset(header)) if len(set(header)) == len(header) else None
