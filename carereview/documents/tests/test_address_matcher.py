"""The confidential address in any spelling (issue 12, item 1): house number with the street's
distinctive name, and the postcode, found however the text writes them; ordinary text left alone.

Property-based: Hypothesis writes the address the ways people (and the audit) did: another
street-type word or its abbreviation, hyphens, dots or no space for spaces, any case, full-width
characters, a soft hyphen or zero-width character inside a word, letters from another script that
look Latin. The matcher (`ConfidentialAddressMatcher`, which the record versions use) must take
it out.
"""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from carereview.documents.addresses import ConfidentialAddressMatcher

# Synthetic streets; none is a real place.
NAMES = [
    "Pretend",
    "Quillon",
    "Marrowby",
    "Tansley Vale",
    "Oakhurst",
    "Brindlecombe",
    "St Elbury's",
]
STREET_TYPES = [
    ("Row", ["Row", "Rw"]),
    ("Road", ["Road", "Rd"]),
    ("Street", ["Street", "St", "Str"]),
    ("Avenue", ["Avenue", "Ave", "Av"]),
    ("Lane", ["Lane", "Ln"]),
    ("Close", ["Close", "Cl"]),
    ("Drive", ["Drive", "Dr"]),
    ("Crescent", ["Crescent", "Cres"]),
    ("Court", ["Court", "Ct"]),
    ("Place", ["Place", "Pl"]),
    ("Gardens", ["Gardens", "Gdns"]),
    ("Terrace", ["Terrace", "Terr"]),
    ("Square", ["Square", "Sq"]),
    ("Grove", ["Grove", "Gr"]),
    ("Park", ["Park", "Pk"]),
    ("Way", ["Way"]),
    ("Hill", ["Hill"]),
    ("Mews", ["Mews"]),
]
ANY_TYPE = [a for _, abbreviations in STREET_TYPES for a in abbreviations]
INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
SEPARATORS = [" ", "  ", "-", ".", ", ", "\u00a0", " - ", "/", "\t", "\n"]
# Letters of other scripts that look like Latin ones (Cyrillic and Greek), for writing only.
LOOKALIKE = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "x": "х",
    "y": "у",
    "i": "і",
    "A": "А",
    "B": "В",
    "E": "Е",
    "H": "Н",
    "K": "К",
    "M": "М",
    "O": "О",
    "P": "Р",
    "T": "Т",
    "N": "Ν",
    "Q": "Ԛ",
}


def full_width(c: str) -> str:
    return chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c


@st.composite
def spelt(draw, word: str) -> str:
    """`word` as someone might type it: case, width, lookalike letters, invisible characters."""
    out = []
    for i, c in enumerate(word):
        if c.isalpha():
            c = c.upper() if draw(st.booleans()) else c.lower()
        style = draw(st.sampled_from(["plain", "plain", "wide", "lookalike"]))
        if style == "wide":
            c = full_width(c)
        elif style == "lookalike":
            c = LOOKALIKE.get(c, c)
        if i and draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
        out.append(c)
    return "".join(out)


@st.composite
def postcodes(draw) -> tuple[str, str]:
    area = draw(st.text("ABCDEFGHJKLMNOPRSTUWYZ", min_size=1, max_size=2))
    district = str(draw(st.integers(1, 29)))
    sector = str(draw(st.integers(0, 9)))
    unit = draw(st.text("ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2))
    return area + district, sector + unit


@st.composite
def an_address_and_a_spelling(draw):
    number = draw(st.integers(1, 999))
    suffix = draw(st.sampled_from(["", "", "A", "b"]))
    name = draw(st.sampled_from(NAMES))
    stored_type, _ = draw(st.sampled_from(STREET_TYPES))
    outward, inward = draw(postcodes())
    # However the address was stored: a line each, with commas, all on one line, after a flat.
    street_line = f"{number}{suffix} {name} {stored_type}"
    flat = draw(st.integers(1, 30))
    stored = draw(
        st.sampled_from(
            [
                f"{street_line}\nNewtown\n{outward} {inward}",
                f"{street_line}, Newtown, {outward} {inward}",
                f"{street_line} Newtown {outward} {inward}",
                f"{street_line} Newtown {outward}{inward}",
                f"Flat {flat} {street_line}\nNewtown\n{outward} {inward}",
                f"{flat}/{street_line}, Newtown {outward} {inward}",
            ]
        )
    )
    sep = draw(st.sampled_from(SEPARATORS))
    house = spelt(f"{number}{suffix}")
    written_name = sep.join(draw(spelt(w)) for w in name.split())
    street = draw(st.sampled_from([*ANY_TYPE, ""]))
    written = draw(house) + sep + written_name
    if street:
        written += draw(st.sampled_from(SEPARATORS)) + draw(spelt(street))
    return stored, written, (outward, inward)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(an_address_and_a_spelling())
def test_the_house_number_and_street_are_found_in_any_spelling(example):
    stored, written, _ = example
    text = f"We met at {written} on Tuesday."
    redacted, changed = ConfidentialAddressMatcher([stored]).redact(text)
    assert changed, text
    assert written not in redacted
    assert redacted.startswith("We met at ") and redacted.endswith(" on Tuesday.")


@settings(max_examples=300, deadline=None)
@given(
    an_address_and_a_spelling(),
    st.sampled_from(["", " ", "  ", "-", ".", "\u00a0", "\u200b", "\u00ad", " - "]),
    st.booleans(),
    st.data(),
)
def test_the_postcode_is_found_whole_with_or_without_its_space(example, sep, dotted, data):
    stored, _, (outward, inward) = example
    written = data.draw(spelt(outward)) + sep + data.draw(spelt(inward))
    if dotted:  # "N.M.3.5.E.N"
        written = ".".join(written)
    text = f"Post to {written}, please."
    redacted, changed = ConfidentialAddressMatcher([stored]).redact(text)
    assert changed, text
    assert written not in redacted
    assert redacted.startswith("Post to ") and redacted.endswith(", please.")


@pytest.mark.parametrize(
    "written",
    [
        "109 Pretend Rd",
        "109-Pretend-Row",
        "109.Pretend.Row",
        "NM3-5EN",
        "nm35en",
        "１０９ Pretend Row",
        "109 Pre\u00adtend Row",
        "109 Pre\u200btend Row",
        "109 Рretend Row",
        "ＮＭ３ ５ＥＮ",
    ],
)
def test_the_spellings_the_audit_used(written):
    stored = "109 Pretend Row\nNewtown\nNM3 5EN"
    redacted, changed = ConfidentialAddressMatcher([stored]).redact(f"Venue: {written}.")
    assert changed and written not in redacted


@pytest.mark.parametrize(
    "written",
    [
        # the number after the street, as many write it
        "Pretend Row 109",
        "Pretend Row, No. 109",
        "Pretend Rd number 109",
        "Pretend Row no109",
        # the numero sign, and letters typed for the digits they look like
        "\u2116109 Pretend Row",
        "1O9 Pretend Row",
        "I09 Pretend Row",
        "l09 Pretend Row",
        "NM3 SEN",
        "N.M.3 S.E.N",
        "Pretend Row IO9",
    ],
)
def test_other_orders_and_lookalike_digits(written):
    stored = "109 Pretend Row\nNewtown\nNM3 5EN"
    redacted, changed = ConfidentialAddressMatcher([stored]).redact(f"Venue: {written}.")
    assert changed and written not in redacted, redacted


@pytest.mark.parametrize(
    "stored",
    [
        "109 Pretend Row Newtown NM3 5EN",
        "109 Pretend Row, Newtown NM3 5EN",
        "Flat 2 109 Pretend Row\nNewtown\nNM3 5EN",
        "2/109 Pretend Row NM3 5EN",
        "109 Pretend Row Newtown NM35EN",
    ],
)
@pytest.mark.parametrize("written", ["109 Pretend Row", "109 Pretend Rd", "NM3 5EN", "nm3-5en"])
def test_the_address_is_found_however_it_was_stored(stored, written):
    redacted, changed = ConfidentialAddressMatcher([stored]).redact(f"Venue: {written}.")
    assert changed and written not in redacted, (stored, redacted)


@pytest.mark.parametrize(
    "written", ["109 St Quillon's Rd", "109 Saint Quillons Road", "109 St. Quillons"]
)
def test_saint_and_street_are_told_apart(written):
    stored = "109 St Quillon's Road\nNewtown\nNM3 5EN"
    redacted, changed = ConfidentialAddressMatcher([stored]).redact(f"Venue: {written}.")
    assert changed and written not in redacted, redacted


ORDINARY = [
    "It took 109 days to agree the plan.",
    "Robin scored 109 points and pretended to be a pirate.",
    "The contact centre is at 109 Other Road.",
    "Robin's school is on 12 Pretend Row.",
    "1109 Pretend Row is a different house.",
    "The postcode NM3 5EX is the school's.",
    "See NM35 ENT in the file.",
    "Robin went to Newtown with the social worker.",
    "The 109 bus goes along Pretend Row.",
    "Pretend Row has 109 houses.",
    "Pretend Row 1090 is not a house.",
    "Take the lo9 form.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_left_alone(text):
    stored = "109 Pretend Row\nNewtown\nNM3 5EN"
    assert ConfidentialAddressMatcher([stored]).redact(text) == (text, False)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ.,-'0123456789"
        ),
        max_size=200,
    )
)
def test_random_ordinary_text_raises_no_false_alarm(text):
    folded = "".join(c for c in text.lower() if c.isalnum())
    # letters typed for digits count as those digits ("NM3 SEN")
    digits = folded.translate(str.maketrans("oilszb", "011528"))
    assume("pretend" not in folded and "nm35en" not in digits)
    stored = "109 Pretend Row\nNewtown\nNM3 5EN"
    assert ConfidentialAddressMatcher([stored]).redact(text) == (text, False)
