"""Pattern-based pseudonymisation of audit excerpts: table-driven, one kind of identifier per table.

Every name, address, number and date below is invented for these tests.
"""

from __future__ import annotations

import pytest

from languagecheck.pseudonymise import find_identifiers, pseudonymise


def check(text: str, expected: str) -> None:
    assert pseudonymise(text).text == expected


@pytest.mark.parametrize("text, expected", [
    ("Seen with Jordan SMITH and Kyle JONES-WRIGHT.", "Seen with [NAME A] and [NAME B]."),
    ("Jordan's mum reported her missing at 22:00.", "[NAME A]'s mum reported her missing at 22:00."),
    ("She was seen in Manchester Piccadilly with O'Connor.", "She was seen in [NAME A] with [NAME B]."),
    ("He told Ms Patel-Singh (social worker) that he chose to sell drugs.",
     "He told Ms [NAME A] (social worker) that he chose to sell drugs."),
    ("Miss J disclosed to Mrs T. Ahmed that she had been assaulted.",
     "Miss [NAME A] disclosed to Mrs [NAME B] that she had been assaulted."),
    ("Dr. Okafor at the hospital confirmed the injuries.", "Dr. [NAME A] at the hospital confirmed the injuries."),
    ("MISSING EPISODE: YP LOCATED BY PC 4521 HUGHES AT 14 MILL LANE.",
     "MISSING EPISODE: YP LOCATED BY PC [NAME A] AT [ADDRESS]."),
    ("She said \"Danny is my boyfriend\" and refused to say more.",
     "She said \"[NAME A] is my boyfriend\" and refused to say more."),
    ("Mum: Sarah Jones. Dad: Unknown.", "Mum: [NAME A]. Dad: Unknown."),
    ("She was with McDonald and Zoë Brown.", "She was with [NAME A] and [NAME B]."),
    # the same name keeps its letter within one excerpt
    ("Tyler collected her; later Tyler drove her to Leeds.", "[NAME A] collected her; later [NAME A] drove her "
                                                            "to [NAME B]."),
])
def test_names(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("YP (J.S., 15) said JS and KT were there.", "YP ([NAME A], 15) said [NAME B] and [NAME C] were there."),
    ("J. Smith and A.B. were present.", "[NAME A] and [NAME B] were present."),
    ("Concerns were shared with CAMHS, the GP, MASH and the school SENCO.",
     "Concerns were shared with CAMHS, the GP, MASH and the school SENCO."),  # acronyms are not initials
])
def test_initials(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("He goes by the street name \"Smokey\" and is known as Big T.",
     "He goes by the street name [NAME A] and is known as [NAME B]."),
    ("She is known as tiny online.", "She is known as [NAME A] online."),
    ("She is known as a runner at the address.", "She is known as a runner at the address."),
    ("Worker called the police and named Jordan as the driver.",
     "Worker called the police and named [NAME A] as the driver."),
])
def test_naming_cues(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Jordan Smith (DOB 12/03/2009) was seen.", "[NAME A] (DOB [DOB]) was seen."),
    ("DOB: 01.04.2008. Address: 7b Station Road, Anytown AB12 3CD.", "DOB: [DOB]. Address: [ADDRESS]."),
    ("Date of birth 2008-04-01; born in April 2008.", "Date of birth [DOB]; born in [DOB]."),
    ("D.O.B. 3rd March 2009, age 15.", "D.O.B. [DOB], age 15."),
    ("On Friday 14th June she was collected.", "On Friday [DATE] she was collected."),
    ("The meeting on 3/4/24 agreed a plan; next review 17 July.",
     "The meeting on [DATE] agreed a plan; next review [DATE]."),
    ("On 2024-05-01 she went missing.", "On [DATE] she went missing."),
    ("She went missing in March 2024 and again on Monday.", "She went missing in March 2024 and again on Monday."),
    ("She is 15 years old and in Year 10.", "She is 15 years old and in Year 10."),
    ("She was at 10 Mayfield Road.", "She was at [ADDRESS]."),  # not the date 10 May
])
def test_dates(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Lives at Flat 12, 34 Queen's Park Road, Leeds, LS6 2AB with mum.", "Lives at [ADDRESS] with mum."),
    ("Found at 14 Acacia Avenue.", "Found at [ADDRESS]."),
    ("Meet at 5pm on Albert Street.", "Meet at 5pm on [ADDRESS]."),
    ("She stayed at Flat 3, Rowan House.", "She stayed at [ADDRESS]."),
    ("Postcode M1 1AE was given.", "Postcode [ADDRESS] was given."),
    ("She went to the park and the shop.", "She went to the park and the shop."),
])
def test_addresses(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Her number is 07700900123 and his is 07700 900 124.", "Her number is [PHONE] and his is [PHONE]."),
    ("Ring 0113 496 0000 or 0113-496-0001, or 999 in an emergency.",
     "Ring [PHONE] or [PHONE], or 999 in an emergency."),
    ("Called +44 (0)7700 900 456 and (0161) 496 0000.", "Called [PHONE] and [PHONE]."),
    ("She had £250 and 20,000 followers at 10.30.", "She had £250 and 20,000 followers at 10.30."),
])
def test_phone_numbers(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Crime number 43/12345/24 and CAD 1234 refer.", "Crime number [REF] and CAD [REF] refer."),
    ("URN 12AB3456789 was linked to NRM referral ref NRM-2024-000123.",
     "URN [REF] was linked to NRM referral ref [REF]."),
    ("NHS no. 943 476 5919; NI number QQ 12 34 56 C.", "NHS no. [REF]; NI number [REF]."),
    ("Mosaic ID 884213 updated.", "Mosaic ID [REF] updated."),
    ("A silver car, reg AB12 CDE, was seen on the A62.", "A silver car, reg [REF], was seen on the A62."),
    ("Case no. 45 discussed at strategy meeting.", "Case no. [REF] discussed at strategy meeting."),
    ("The 15-year-old said 3 men were there.", "The 15-year-old said 3 men were there."),
])
def test_reference_numbers(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Contact via Snapchat @jay_dee99 and email jd@example.co.uk.", "Contact via Snapchat [HANDLE] and email [EMAIL]."),
    ("Profile at https://example.org/u/jd99 was shared.", "Profile at [LINK] was shared."),
])
def test_online_identifiers(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text", [
    "YP continues putting herself at risk by going to the address.",
    "Police attended and she was returned home by officers.",
    "Concerns remain that she is being exploited by older males.",
    "Professionals agreed a safety plan at the strategy meeting on Tuesday.",
    "She said she chose to go with them and wanted to stay.",
])
def test_ordinary_sentences_are_unchanged(text):
    check(text, text)


def test_flagged_span_is_tracked_and_its_capital_kept():
    text = "Promiscuous behaviour noted by staff at 14 Acacia Avenue."
    done = pseudonymise(text, keep=(0, len("Promiscuous behaviour")))
    assert done.text == "Promiscuous behaviour noted by staff at [ADDRESS]."
    assert done.text[slice(*done.highlight)] == "Promiscuous behaviour"
    assert pseudonymise(text).text.startswith("[NAME A] behaviour")  # without the span, a capital is a name


def test_span_after_replacements_moves():
    text = "Jordan Smith (DOB 12/03/2009) continues putting herself at risk."
    start = text.index("putting")
    done = pseudonymise(text, keep=(start, start + len("putting herself at risk")))
    assert done.text == "[NAME A] (DOB [DOB]) continues putting herself at risk."
    assert done.text[slice(*done.highlight)] == "putting herself at risk"
    assert done.replaced == {"NAME": 1, "DOB": 1}


def test_identifier_inside_the_span_is_still_replaced():
    text = "She is in a relationship with Tyler Brown who is 24."
    start = text.index("relationship with Tyler")
    done = pseudonymise(text, keep=(start, start + len("relationship with Tyler")))
    assert done.text == "She is in a relationship with [NAME A] who is 24."
    assert done.text[slice(*done.highlight)] == "relationship with [NAME A]"


def test_replacements_do_not_overlap():
    text = "Jordan Smith, DOB 01/02/2009, 14 Acacia Avenue, AB1 2CD, 07700 900123, ref CR/1/23456."
    found = find_identifiers(text)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert [r.kind for r in found] == ["NAME", "DOB", "ADDRESS", "PHONE", "REF"]


def test_many_names_get_distinct_labels():
    assert pseudonymise("Seen with Jordan Lee Smith.").text == "Seen with [NAME A]."  # one name, not three
    names = [f"Q{chr(97 + i % 26)}{chr(97 + i // 26)}zz" for i in range(28)]
    separate = pseudonymise("Seen with " + ", ".join(names) + ".").text
    assert "[NAME Z]" in separate and "[NAME AA]" in separate and "[NAME AB]" in separate
