"""Pattern-based pseudonymisation of short excerpts (one sentence) before they leave the store.

What it replaces, in this order (an earlier kind wins where two overlap):

- e-mail addresses -> [EMAIL]; web links -> [LINK]; social-media handles (@name) -> [HANDLE]
- dates of birth (a date after DOB, D.O.B., "date of birth", "born (on|in)") -> [DOB]
- other dates with a day and a month (12/03/2024, 2024-03-12, 12.3.24, 3rd March 2024, March 3rd)
  -> [DATE]; weekdays, months alone and years alone are kept
- UK phone numbers (07700 900123, +44 (0)7700 900123, 0161 496 0000, (020) 7946 0000) -> [PHONE]
- reference numbers: any value after a reference cue (ref, case no, crime number, URN, CRN, log,
  incident, occurrence, NHS number, NI number, collar number, ID), National Insurance numbers,
  NHS-style 3-3-4 digit groups, vehicle registrations, and any token with five or more digits or
  with capital letters and at least two digits (CR/12345/24, 12AB3456) -> [REF]
- addresses: UK postcodes, "Flat 3", house number + street, and capitalised street or building names
  ending in Road, Street, Close, House, ... (with a following town and postcode) -> [ADDRESS]
- names: words after a title (Mr, Mrs, Ms, Miss, Mx, Dr, PC, DC, DS, ...) or a naming cue
  ("known as", "called", "named", "aka"); capitalised words that are not in a list of ordinary
  sentence words, roles and agencies; surnames in capitals (SMITH); initials (J.S., J. S., JS)
  -> [NAME A], [NAME B], ... (the same name gets the same letter within one excerpt only)

Known gaps (why the audit's excerpts are still for internal training use only): names written in
lower case ("jordan"), a first name that is also an ordinary capitalised word in the keep list
("June", "May", "Will" at the start of a sentence), place names that are not street or building
names ("Anytown" is replaced only as a capitalised word), and identifying details in free prose
("the only girl in Year 9 at her school").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# --- recognisers: (kind, compiled pattern, group to replace) -----------------------------------------

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_NUMERIC_DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|[0-3]?\d[/.\-][01]?\d[/.\-](?:\d{4}|\d{2}))"
_WORD_DATE = (rf"(?:{_DAY}\s+(?:of\s+)?{_MONTHS}(?![a-z])\.?(?:,?\s+\d{{4}}|\s+'?\d{{2}}\b)?"
              rf"|{_MONTHS}(?![a-z])\.?\s+{_DAY}(?![\d])(?:,?\s+\d{{4}})?)")
_DATE = rf"(?:{_NUMERIC_DATE}|{_WORD_DATE})"
_DOB_DATE = rf"(?:{_DATE}|{_MONTHS}(?![a-z])\.?\s+\d{{4}}|(?:19|20)\d{{2}})"

_STREET = (r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Crescent|Cres|Place|Pl|"
           r"Gardens|Gdns|Terrace|Grove|Hill|Park|Square|Sq|Walk|Row|Mews|Rise|Parade|View|Green|Vale|"
           r"Fields?|Estate|House|Heights|Wharf|Yard|Lodge|Tower|Towers|Court|Mansions|Buildings|Boulevard)")
_CAP = r"[A-Z][A-Za-z'’\-]+"
_TOWN = r"[A-Z][a-z][\w'’\-]*"
_POSTCODE = r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"
_ADDRESS = (rf"(?:(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?,?\s+(?:\d+[A-Za-z]?,?\s+)?"
            rf"|\d+[A-Za-z]?(?:-\d+)?,?\s+)?"
            rf"(?:{_CAP}\s+){{1,3}}{_STREET}\b\.?"
            rf"(?:,\s*(?!(?:She|He|They|It|The|Her|His|Their|We|I|And|But|Where|When|With|Who|Which)\b){_TOWN}(?:\s+{_TOWN})?)?"
            rf"(?:,?\s*{_POSTCODE})?")
_UPPER_ADDRESS = rf"\b\d+[A-Z]?,?\s+(?:[A-Z'’]+\s+){{1,3}}(?:{_STREET.upper()})\b(?:,?\s*{_POSTCODE})?"
_FLAT = r"\b(?:Flat|Apartment|Apt|Unit)\s+\d+[A-Za-z]?\b"

_REF_CUE = (r"(?:ref(?:erence)?(?:\s+(?:no|number))?|case\s+(?:no|number|ref)|crime\s+(?:ref(?:erence)?|no|number)|"
            r"CRN|URN|CAD|log(?:\s+(?:no|number))?|incident(?:\s+(?:no|number))?|occurrence(?:\s+(?:no|number))?|"
            r"NHS\s+(?:no|number)|NI\s+(?:no|number)|national\s+insurance(?:\s+(?:no|number))?|"
            r"collar(?:\s+(?:no|number))?|warrant(?:\s+(?:no|number))?|ID|PNC(?:\s+(?:id|no))?|"
            r"(?:Mosaic|LCS|Niche|Athena|Liquidlogic)(?:\s+(?:id|no|number|ref))?)")
_REF_VALUE = r"[A-Za-z0-9][A-Za-z0-9/\-]*\d[A-Za-z0-9/\-]*"

_RECOGNISERS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("EMAIL", re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b"), 0),
    ("LINK", re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE), 0),
    ("HANDLE", re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,30}"), 0),
    ("DOB", re.compile(rf"\b(?:D\.?O\.?B\.?|date\s+of\s+birth|born(?:\s+(?:on|in))?)\s*(?:is\s+|was\s+)?[:\-]?\s*"
                       rf"({_DOB_DATE})", re.IGNORECASE), 1),
    ("DATE", re.compile(rf"(?<![\w/.\-]){_DATE}(?![\w/\-])", re.IGNORECASE), 0),
    ("PHONE", re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(0\d{2,4}\)\s?|0)\d[\d\s\-]{5,12}\d(?!\w)"), 0),
    ("REF", re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"), 0),  # NI number
    ("REF", re.compile(r"(?<![\w£$€])\d{3}\s\d{3}\s\d{4}(?!\w)"), 0),  # NHS-style grouping
    ("REF", re.compile(rf"\b{_REF_CUE}\b\.?\s*(?:no\.?|number|#)?\s*[:\-#]?\s*({_REF_VALUE})", re.IGNORECASE), 1),
    ("REF", re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b"), 0),  # vehicle registration
    ("ADDRESS", re.compile(_ADDRESS), 0),
    ("ADDRESS", re.compile(_UPPER_ADDRESS), 0),
    ("ADDRESS", re.compile(_FLAT), 0),
    ("ADDRESS", re.compile(_POSTCODE), 0),
    ("REF", re.compile(r"(?<![\w£$€.,])(?=[A-Za-z0-9/\-]*\d)[A-Za-z0-9]+(?:[/\-][A-Za-z0-9]+)*(?![\w])"), 0),
)

_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Master", "Sir", "Dame", "Lady", "Lord", "Prof", "Rev",
           "PC", "DC", "DS", "DI", "DCI", "PS", "Sgt", "PCSO", "Insp", "Cllr")
_TITLE_NAME = re.compile(
    rf"\b(?:{'|'.join(_TITLES)})\.?\s+((?:\d{{2,6}}\s+)?(?:[A-Z]\.?\s*){{0,2}}[A-Z][A-Za-z'’\-]*(?:\s+[A-Z][A-Za-z'’\-]+)?)")
_QUOTED = r"(?:['\"‘“][^'\"’”\n]{1,40}['\"’”])"
# "known as tiny": any word after a strong cue; "called"/"named" only before a capitalised word or a quote
_STRONG_CUE_NAME = re.compile(
    r"\b(?:known\s+as|aka|a\.k\.a\.|nicknamed|street\s+name|goes\s+by|user\s?name|online\s+name|"
    r"profile\s+name)\s*[:\-]?\s*" rf"({_QUOTED}|[\w.'’\-]*\w(?-i:\s+[A-Z][\w'’\-]*)?)", re.IGNORECASE)
_WEAK_CUE_NAME = re.compile(
    r"\b(?:called|named)\s*[:\-]?\s*" rf"({_QUOTED}|[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)?)")
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,3}[A-Z]\.?(?![\w])|(?<![\w.])[A-Z]\.(?=\s+[A-Z][a-z])")
_CAP_WORD = re.compile(r"(?<![\w'’\-])(?:[A-Z][a-z]*['’][A-Z][a-z]+|[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:[A-Z][a-z]+)?)"
                       r"(?:-[A-Z][a-zß-öø-ÿ]+)*(?![\w\-])")
_UPPER_WORD = re.compile(r"(?<![\w'’\-])[A-Z]{2,}(?:['’\-][A-Z]+)*(?![\w\-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|^[\s\"'‘“(\-•*]+)[\"'‘“(]*$")

# Capitalised words that are ordinary sentence words, roles, agencies, places-in-general, days and
# months: everything else capitalised is treated as a name. Lower-case keys.
_KEEP = frozenset("""
i he she they we you it her his him their them our my your its herself himself themselves myself ourselves
the a an this that these those some any all both each every no none several many most few other another such
and but or so yet nor because although though while whilst when whenever where whereas if unless until since
as after before during at on in into of for from to with without by about above below over under following
despite regarding re per via between through throughout around upon within against towards toward prior due
also however therefore furthermore moreover additionally then there here today tonight yesterday tomorrow
later earlier previously currently recently now still again further finally initially subsequently overall
unfortunately fortunately apparently reportedly allegedly clearly possibly perhaps likely not never only just
even very please yes ok okay what which who whom whose why how is are was were has have had do does did will
would can could should may might must shall being been be let whether once instead rather than both either
neither nothing something someone somebody anyone anybody everyone everybody nobody everything anything
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
morning afternoon evening night weekend week month year date time day days weeks months years hours minutes
mum mother mam mom dad father nan nana nanny gran grandma granny grandad grandfather grandmother aunt auntie
uncle brother sister siblings sibling cousin stepdad stepmum stepfather stepmother carer carers foster parent
parents family child children young person people girl girls boy boys baby teenager teenagers youngster
staff worker workers social services service care police officer officers constable sergeant detective
inspector team school college teacher teachers head headteacher nurse doctor hospital court council authority
local youth offending justice health mental housing placement home homes residential unit manager supervisor
supervision strategy meeting discussion conference plan review assessment referral report record note notes
case contact visit interview return missing episode risk risks concern concerns harm abuse exploitation
safeguarding protection emergency action actions outcome outcomes update summary background analysis
chronology agreed agency agencies professional professionals partnership board education department duty
desk hub front door multi section order bail custody station accident victim victims suspect suspects witness
witnesses informant probation subject english british internet snapchat instagram whatsapp facebook tiktok
facetime youtube twitter telegram christmas easter halloween ramadan eid information intelligence records
discussed noted seen spoke attended visited phoned telephoned checked confirmed advised explained reported
disclosed stated says said told went came left returned found located arrested charged released taken given
made asked informed refused declined appeared presented seemed remains remained continues continued previous
current recent new next last first second third older younger male males female females man men woman women
adult adults peer peers friend friends boyfriend girlfriend partner associates associate group groups gang
gangs drugs drug cannabis alcohol money phone mobile car cars vehicle taxi train bus address flat house hotel
park town city centre area shop party behaviour presentation mood attendance sexual criminal online images
image photos photo video videos messages message texts calls gifts exploited groomed consent consented wanted
chose choosing lifestyle risky vulnerable vulnerability concerned worried worry worries she's he's they're
it's there's i'm i've we've we're you're concerning significant serious high medium low immediate
general practitioner paediatrician paediatric camhs nspcc barnardo's barnardos ofsted cafcass nhs gp
lado mash marac mappa nrm ccte ceop cps
crime email e-mail born called text texted messaged rang call ring ref dob caller log logged incident
occurrence worker practitioner observed observations reason reasons decision recommendation recommendations
attempted attempt unable able weekly daily overnight late early reports nil whereabouts checks check liaised
liaison shared sharing given emotional physical neglect domestic violence substance misuse sleeping staying
stayed going gone coming seems appears believed thought felt feels wants keen happy sad upset angry distressed
quiet withdrawn engaged engaging engagement disengaged lots much more less least approximately approx unknown
known unclear clear thanks thank dear hi hello regards kind best child's person's mosaic liquidlogic niche
athena eclipse system systems consideration considered discussion lives lived living meet met
postcode profile account number numbers reg registration
mr mrs ms miss mx dr master sir dame lady lord prof rev sgt insp cllr
no. yes. none. n/a na tbc
note: plan: action: actions: outcome: update: background: analysis: summary:
""".split())

# Upper-case abbreviations common in case notes; any other 2-3 capital letters are taken as initials.
_ACRONYMS = frozenset("""
YP CYP CSE CCE CE CSA CP CIN CLA LAC CAMHS MASH MARAC MAPPA LADO NRM SW SWs DSL DSO DSP PC DC DS DI DCI PCSO
PS GP AE ED NHS NSPCC CEOP CPS MFH MISPER RHI NFA EHCP EHC SEN SEND SENCO PRU YOT YOS YJS ASB DV DA IDVA ISVA
SARC ICPC RCPC CPC TAC TAF FGM HBV CSC CSCT IRO PA UK GCSE ADHD ASD ASC OCD PTSD SEMH ID ICT IT TV PE RE
AM PM OK NB PTO FYI ASAP TBC NA STI STIs HIV DNA CCTV ANPR PNC PND MOPI UASC UAM LA LAs MP DWP ATM
DOB NI CAD URN CRN RTC MDT MDTs CSPR LSCB LSCP SCR SAR CQC DBS CRB USB SIM SMS DM DMs
""".split())

_NAME_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    kind: str  # NAME EMAIL LINK HANDLE DOB DATE PHONE REF ADDRESS


@dataclass
class Pseudonymised:
    text: str
    highlight: tuple[int, int] | None = None  # the kept span's position in `text`
    replaced: dict[str, int] = field(default_factory=dict)  # kind -> how many


def find_identifiers(text: str, keep: tuple[int, int] | None = None) -> list[Replacement]:
    """Non-overlapping replacements, in text order. `keep` is the flagged span: a capitalised word
    there is taken as a name only when it is not the first word of a sentence (the span's own wording
    is lexicon vocabulary, so its capital comes from its position)."""
    found: list[Replacement] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str) -> None:
        while end > start and text[end - 1] in (" ,;:" if kind == "NAME" else " ,.;:"):
            end -= 1
        if end <= start or any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Replacement(start, end, kind))

    for kind, pattern, group in _RECOGNISERS:
        for m in pattern.finditer(text):
            if kind == "PHONE" and not 10 <= sum(ch.isdigit() for ch in m.group()) <= 13:
                continue
            if kind == "REF" and group == 0 and not _looks_like_reference(m.group()):
                continue
            add(m.start(group), m.end(group), kind)
    for pattern in (_TITLE_NAME, _STRONG_CUE_NAME, _WEAK_CUE_NAME):
        for m in pattern.finditer(text):
            words = m.group(1).split()
            if pattern is _STRONG_CUE_NAME and m.group(1).lower() in _KEEP:
                continue  # "known as a ..."
            end = m.end(1)
            if len(words) > 1 and words[-1].lower() in _KEEP:  # "PC 4521 HUGHES AT": not the "AT"
                end = m.start(1) + m.group(1).rindex(words[-1])
            add(m.start(1), end, "NAME")
    for m in _INITIALS.finditer(text):
        if "".join(ch for ch in m.group() if ch.isalpha()) not in _ACRONYMS:  # D.O.B., P.C.
            add(m.start(), m.end(), "NAME")
    for m in _UPPER_WORD.finditer(text):
        word = m.group()
        if word in _ACRONYMS or word.lower() in _KEEP or word.rstrip("S") in _ACRONYMS:
            continue
        if len(word) <= 3 or not _mostly_upper(text):
            add(m.start(), m.end(), "NAME")
    for m in _CAP_WORD.finditer(text):
        word = m.group()
        if word.lower() in _KEEP or word.lower().rstrip("s") in _KEEP:
            continue
        at_start = bool(_SENTENCE_START.search(text[:m.start()]))
        if at_start and keep is not None and keep[0] <= m.start() < keep[1]:
            continue
        add(m.start(), m.end(), "NAME")
    return _merge_names(text, sorted(found, key=lambda r: r.start))


def _looks_like_reference(token: str) -> bool:
    digits = sum(ch.isdigit() for ch in token)
    if digits >= 5:
        return True
    letters = [ch for ch in token if ch.isalpha()]
    # capital letters and at least two digits (CR/123/24, AB12): not ages ("15yo"), times or money
    return digits >= 2 and bool(letters) and all(ch.isupper() for ch in letters) and len(token) >= 4


def _mostly_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)


def _merge_names(text: str, found: list[Replacement]) -> list[Replacement]:
    """'Jordan' 'Smith' (or 'J.' 'Smith') -> one name, when only spaces or a dot separate them."""
    merged: list[Replacement] = []
    for r in found:
        if (merged and r.kind == "NAME" and merged[-1].kind == "NAME"
                and text[merged[-1].end:r.start].strip(" .") == "" and "\n" not in text[merged[-1].end:r.start]):
            merged[-1] = Replacement(merged[-1].start, r.end, "NAME")
        else:
            merged.append(r)
    return merged


def pseudonymise(text: str, keep: tuple[int, int] | None = None) -> Pseudonymised:
    """Replace identifiers with placeholders; `keep` (start, end) is mapped to its new position.

    An identifier overlapping the kept span is still replaced, and the span grows to cover it.
    """
    letters: dict[str, str] = {}
    counts: dict[str, int] = {}
    out: list[str] = []
    moves: list[tuple[int, int, int, int]] = []  # (old start, old end, new start, new end)
    position = length = 0
    for r in find_identifiers(text, keep):
        out.append(text[position:r.start])
        length += r.start - position
        if r.kind == "NAME":
            surface = " ".join(text[r.start:r.end].replace(".", " ").split()).lower()
            label = f"[NAME {letters.setdefault(surface, _letter(len(letters)))}]"
        else:
            label = f"[{r.kind}]"
        moves.append((r.start, r.end, length, length + len(label)))
        out.append(label)
        length += len(label)
        counts[r.kind] = counts.get(r.kind, 0) + 1
        position = r.end
    out.append(text[position:])
    highlight = None
    if keep is not None:
        highlight = (_moved(keep[0], moves, at_end=False), _moved(keep[1], moves, at_end=True))
    return Pseudonymised(text="".join(out), highlight=highlight, replaced=counts)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = _NAME_LETTERS[rest] + letters
    return letters


def _moved(offset: int, moves: list[tuple[int, int, int, int]], at_end: bool) -> int:
    """Where an offset lands after the replacements; inside one, its start (or end, for an end offset)."""
    shift = 0
    for old_start, old_end, new_start, new_end in moves:
        if old_start < offset < old_end or (offset == old_start and not at_end) or (offset == old_end and at_end):
            return new_end if at_end else new_start
        if old_end <= offset:
            shift = new_end - old_end
    return offset + shift
