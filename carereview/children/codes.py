"""SSDA903 code lists with readable labels (../shared/spec/ssda903.md)."""

SEX = {"M": "Male", "F": "Female", "U": "Unknown", "1": "Male", "2": "Female"}

ETHNIC = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WOTH": "Any other White background",
    "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Caribbean",
    "BAFR": "African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

RNE = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement and carer",
    "T": "Change of placement, same carer",
    "U": "Change of legal status and placement, same carer",
    "B": "Change of legal status, placement and carer",
}

LS = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order",
    "E1": "Placement order",
    "V2": "Accommodated under section 20",
    "V3": "Short breaks (individual stays recorded)",
    "V4": "Short breaks (agreements recorded)",
    "J1": "Remanded to local authority accommodation or youth detention",
    "J2": "Police protection and in local authority accommodation (PACE)",
    "J3": "Youth rehabilitation order with residence or fostering requirement",
    "L1": "Police protection",
    "L2": "Emergency protection order",
    "L3": "Child assessment order with accommodation",
}

CIN = {f"N{i}": f"N{i}" for i in range(1, 9)}

PLACE = {
    "A3": "Placed for adoption with consent, with former foster carers",
    "A4": "Placed for adoption with consent, not with former foster carers",
    "A5": "Placed for adoption with placement order, with former foster carers",
    "A6": "Placed for adoption with placement order, not with former foster carers",
    "K1": "Secure children's home",
    "K2": "Children's home",
    "K3": "Residential school",
    "P1": "Placed with parents",
    "P3": "Independent living",
    "R1": "Residential care home",
    "R2": "NHS or health trust",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution or prison",
    "S1": "Semi-independent living",
    "T0": "Temporary placement",
    "T1": "Temporary: hospital",
    "T2": "Temporary: holiday",
    "T3": "Temporary: absence",
    "T4": "Temporary: other",
    "U1": "Foster placement with relative or friend (long term)",
    "U2": "Foster placement with relative or friend (FFA)",
    "U3": "Foster placement with relative or friend (other)",
    "U4": "Foster placement with other foster carer (long term)",
    "U5": "Foster placement with other foster carer (FFA)",
    "U6": "Foster placement with other foster carer (other)",
    "Z11": "Other placement",
    "Z12": "Other placement (supported lodgings)",
    "Z13": "Other placement (other)",
    "Z14": "Other placement (unregulated)",
    "H5": "Semi-independent (older returns)",
    "P2": "Independent living (older returns)",
    "Z1": "Other placement (older returns)",
}

PLACE_PROVIDER = {f"PR{i}": f"PR{i}" for i in range(6)}

REC = {
    "X1": "Episode ceased, period continues",
    "E11": "Adopted: application unopposed",
    "E12": "Adopted: consent dispensed with",
    "E2": "Died",
    "E3": "Care taken over by another local authority",
    "E4A": "Returned home to parents as part of the care plan",
    "E4B": "Returned home to parents not as part of the care plan",
    "E13": "Left care to live with parents, relative or other (no parental responsibility)",
    "E41": "Residence or child arrangements order",
    "E45": "Special guardianship order: former foster carers",
    "E46": "Special guardianship order: carers other than former foster carers",
    "E47": "Special guardianship order: relatives or friends (former foster carers)",
    "E48": "Special guardianship order: relatives or friends (not former foster carers)",
    "E5": "Moved to independent living (supportive)",
    "E6": "Moved to independent living (no formal support)",
    "E7": "Transferred to residential care funded by adult social services",
    "E8": "Period of care ceased for any other reason",
    "E9": "Sentenced to custody",
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment: aged 18 or over",
    "E16": "Child moved abroad",
    "E17": "Aged 18 and remained with current carers (staying put)",
}

REASON_PLACE_CHANGE = {
    "CARPL": "Change to the care plan",
    "CLOSE": "Placement closed",
    "ALLEG": "Allegation (s47)",
    "STAND": "Standards of care concern",
    "APPRR": "Approval removed",
    "CREQB": "Carer request: behaviour",
    "CREQO": "Carer request: other",
    "CHILD": "Child's request",
    "LAREQ": "Responsible authority's request",
    "PLACE": "Change in the status of the placement",
    "CUSTOD": "Custody arrangement",
    "OTHER": "Other",
}

PARTICIPATION = {
    "PN0": "Child aged under 4 at the time of the review",
    "PN1": "Child attends and speaks for themselves",
    "PN2": "Child attends; an advocate speaks for them",
    "PN3": "Child attends and conveys their views symbolically",
    "PN4": "Child attends but does not speak or convey views",
    "PN5": "Child does not attend but briefs an advocate or the IRO",
    "PN6": "Child does not attend but conveys views through a facilitative medium",
    "PN7": "Child does not attend and their views are not conveyed",
}


def choices(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(code, f"{code}: {label}") for code, label in table.items()]
