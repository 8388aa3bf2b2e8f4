#!/usr/bin/env python3
"""Write data/templated/rnh-*.jsonl: templated risk-not-harm notes, single and grouped by case.

Deterministic (fixed seed). At most 150 notes, so templates stay well under a quarter of the corpus.
Every sentence is our own invention; nothing is taken from published reviews or inquiries.

Fields beyond data/ANNOTATION_GUIDE.md: `case_id` and `case_order` group the notes of one child's
case; `case_gold` is true when the note's risk wording is a risk-not-harm failure once the earlier
notes of its case are read with it (the note itself records no harm, so it carries no span).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "templated"
SEED = 4

GIRL = {"sub": "she", "obj": "her", "pos": "her", "Sub": "She", "Pos": "Her"}
BOY = {"sub": "he", "obj": "him", "pos": "his", "Sub": "He", "Pos": "His"}
NAMES = ["YP", "[Name]", "Child A", "CYP"]

# harm recorded, in many registers and levels of detail (girl/boy neutral through pronouns)
HARM = [
    "{N} disclosed to {pos} key worker that a man aged about 30 raped {obj} at a flat in [town] last weekend.",
    "{N} told the SW that two older men made {obj} perform sex acts on them in a car park.",
    "In {pos} ABE interview {N} described being sexually assaulted by a 24-year-old man {sub} met online.",
    "A crime of sexual activity with a child has been recorded and the 27-year-old suspect is on bail.",
    "Police found {N} at 03:00 in a hotel room with three adult men, and {sub} had been given vodka and pills.",
    "{N} returned after two nights missing with bruising to {pos} thighs and a new phone {sub} could not explain.",
    "The clinic confirmed that {N}, aged 13, has been diagnosed with gonorrhoea.",
    "{N} (14) is 16 weeks pregnant and has named a 23-year-old man from [area] as the father.",
    "Indecent images of {N} were found on the phone of a 41-year-old man, who has been charged.",
    "A man {sub} met on Snapchat threatened to share the pictures {sub} had sent unless {sub} sent more.",
    "{N} said the men give {obj} cannabis and £20 in return for sex at the house on [street].",
    "{N} was found in a flat 60 miles from home with 40 wraps of heroin and £600 in cash.",
    "{N} was arrested in [town] for possession with intent to supply after police stopped a car driven by adults.",
    "{N} told staff the older boys stabbed {obj} in the leg because {sub} lost a drugs package.",
    "{N} says {sub} owes the group £1,500 and has to work off the debt by carrying drugs to [town].",
    "Staff found sexually explicit messages from a 35-year-old man asking {N} to meet him at a hotel.",
    "{N} attended the SARC with {pos} carer after saying a man had sex with {obj} while {sub} was drunk.",
    "An adult man has been live-streaming {N} on a webcam site and sending {obj} gift cards.",
    "{N} was collected from the children's home at midnight by an unknown man in a black Mercedes and came "
    "back at 05:00 drunk and crying.",
    "The strategy discussion recorded that offences have been disclosed against three men.",
    "Police have issued child abduction warning notices to two men, aged 29 and 33, who were found with {N} in a car.",
    "The man who groomed {N} online and then sexually abused {obj} in his car was charged yesterday.",
    "{N} has been sexually exploited by a group of men in [town] since the summer.",
    "{N} was found by police locked in a bedroom at a cannabis farm, with burns on {pos} hands from the lamps.",
    "During the health appointment {N} said a man at the shop touched {obj} under {pos} clothes in the stockroom.",
    "{N}'s mum found photos of {N} naked that an adult had asked for and saved on the family tablet.",
    "{N} (12) asked the school nurse for emergency contraception and said the man is 'about 20'.",
    "A positive reasonable grounds decision was made by the NRM for {N} last month.",
]

# risk wording that is wrong once harm is recorded; [[ ]] marks the risk-not-harm span
RISK = [
    "Summary for the panel: {N} is [[at risk of CSE]].",
    "The referral describes {N} as [[at high risk of sexual exploitation]].",
    "The tracker still shows {N} as [[medium risk of CSE]].",
    "{Sub} is [[vulnerable to exploitation]] and a worker will be allocated.",
    "Screening outcome: [[CSE risk: high]].",
    "The review records {obj} as [[at risk of criminal exploitation]].",
    "Assessment summary: [[extra-familial risk]], to be monitored.",
    "{Sub} [[remains at risk when missing]] and the plan continues.",
    "The MFH log describes {obj} as [[exposed to risky adults]].",
    "Reason for referral: [[suspected CSE]].",
    "There are [[significant CSE concerns]] and the case stays open.",
    "{Sub} has been [[assessed as low risk]] on the screening tool and the case will close.",
    "[[CSE screening score 19]] entered on the system.",
    "The panel noted that [[the risk has reduced]] since last month.",
    "{N} is [[vulnerable to grooming]] because of {pos} learning needs.",
    "{Sub} [[may be at risk of sexual abuse]] and school will keep an eye on {obj}.",
    "The case is held as [[risk outside the home]].",
    "{N} is [[a potential victim of CSE]] according to the referral.",
    "The chronology lists {obj} as [[at risk of county lines exploitation]].",
    "There are [[indicators of exploitation]] noted by school.",
    "The plan states {sub} is [[at risk of significant harm]] and will be reviewed in three months.",
    "{Sub} is [[at risk of being groomed]] and safety work is planned.",
    "Recorded on the missing log as [[CCE category 2]].",
    "The team records [[grooming concerns]] and no other action.",
]

# the same risk wording in a note that records no harm: correct there (prevention)
RISK_PLAIN = [r.replace("[[", "").replace("]]", "") for r in RISK]
RISK = [r.replace("]]", "||risk-not-harm]]") for r in RISK]  # the annotation guide's span markup

# risk of further harm, stated after the harm: correct
FURTHER = [
    "{Sub} remains at high risk of further sexual exploitation by the same men, and the plan addresses this.",
    "There is a continuing risk of further abuse from the suspect's associates while he is on bail.",
    "The risk of repeat exploitation by the group is high, so a disruption plan is in place.",
    "{Sub} is at risk of further criminal exploitation by the line and a relocation is being considered.",
    "We agreed that the risk of {obj} being re-exploited is high while the men remain in the area.",
    "The assessment names the harm first and records an ongoing risk of further abuse by the man.",
]

# no harm recorded (prevention and early concern); denials and negations
NO_HARM = [
    "{N} has been seen with older teenagers at the skate park, but there is no disclosure and nothing to "
    "suggest {sub} has been harmed.",
    "{N} denies any contact with adults online, and {pos} phone showed messages only from classmates.",
    "{N} has been late home twice this month and says {sub} was at a friend's house, which the friend's mum confirmed.",
    "There is no evidence that {N} has been given anything by adults or asked to carry anything.",
    "School raised a concern after {N} was seen getting into a car, which turned out to be driven by {pos} uncle.",
    "{N} has started using a new gaming app and Mum wanted advice on privacy settings.",
    "An unknown account sent {N} a friend request, which {sub} declined and reported straight away.",
    "{N} has been missing for a few hours twice and came home safe each time; {sub} would not say where "
    "{sub} had been.",
]

OTHERS = [
    "Her older sister was sexually exploited by the same network two years ago and has since moved away.",
    "The man known to the family has previous convictions for sexual offences against a child in 2015.",
    "{Pos} younger brother, aged 9, is at risk of being approached by the same group.",
    "The address on [street] is a high-risk location and has been flagged to the patrol teams.",
    "The male, aged 38, is assessed as posing a high risk of sexual harm to children.",
]

FILLER = [
    "Mum gave consent for information to be shared with school and health.",
    "{N} engaged well and talked about {pos} favourite football team.",
    "{N} said \"I just want things to go back to normal\".",
    "The foster carer reports {sub} is sleeping better and eating well.",
    "{N} decided {sub} wants to join the art club on Thursdays.",
    "Next visit booked for Tuesday after school.",
    "Dad consented to the referral and asked to be kept updated.",
    "{N} chose to stay with {pos} nan for the weekend, which the SW agreed.",
    "The DSL will meet {obj} weekly and has shared the plan with Mum.",
    "{Pos} relationship with {pos} key worker is warm and {sub} asked for the same worker.",
    "An ISVA has been offered and {N} has agreed to meet her.",
    "The police officer in the case will update the family on Friday.",
]

OPENERS = [
    ("csc-case-note", "Home visit to {N} ({age}) at the family address."),
    ("csc-case-note", "Statutory visit to {N} ({age}) at {pos} foster placement."),
    ("supervisor-review", "Management oversight of the case of {N} ({age})."),
    ("strategy-minutes", "Strategy discussion regarding {N} ({age})."),
    ("return-home-interview", "RHI completed with {N} ({age}) at the children's home."),
    ("police-log", "Log entry: {N} ({age}) seen by PC [Name] at the station."),
    ("school-referral", "DSL referral to MASH for {N} ({age}), Year {year}."),
    ("health-referral", "Safeguarding referral from the school nurse for {N} ({age})."),
]
LATER_OPENERS = [
    ("csc-case-note", "Follow-up visit to {N} six weeks after the last entry."),
    ("supervisor-review", "Supervision note: case of {N} reviewed with the allocated SW."),
    ("strategy-minutes", "Review strategy meeting for {N}."),
    ("police-log", "Update to the missing log for {N}."),
    ("csc-case-note", "Case summary prepared for the transfer of {N} to the locality team."),
    ("supervisor-review", "Three-month review of {N}'s plan."),
]
TEAMS = ["Northgate Locality Team", "Exploitation Hub", "MASH", "Children in Care Team", "East CIN Team",
         "Missing and Exploitation Team", "Riverside Locality Team", "Youth Justice Service"]


def fill(template: str, who: dict[str, str], name: str, rng: random.Random) -> str:
    return template.format(N=name, age=rng.randint(12, 16), year=rng.randint(7, 11), **who)


def sentence_case(text: str) -> str:
    return text[0].upper() + text[1:]


class Writer:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.count = 0

    def note(self, parts: list[str], register: str, team: str | None = None, date: str | None = None,
             **extra: object) -> dict[str, object]:
        self.count += 1
        rng = self.rng
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        return {"id": f"rnh-tpl-{self.count:04d}", "register": register, "team": team or rng.choice(TEAMS),
                "date": date or f"{rng.choice([2023, 2024, 2025])}-{month:02d}-{day:02d}",
                "text": " ".join(sentence_case(p) for p in parts), **extra}

    def person(self) -> tuple[dict[str, str], str]:
        return self.rng.choice([GIRL, BOY]), self.rng.choice(NAMES)

    def pick(self, pool: list[str], who: dict[str, str], name: str, k: int = 1) -> list[str]:
        return [fill(t, who, name, self.rng) for t in self.rng.sample(pool, k)]

    def opener(self, later: bool, who: dict[str, str], name: str) -> tuple[str, str]:
        register, template = self.rng.choice(LATER_OPENERS if later else OPENERS)
        return register, fill(template, who, name, self.rng)


def single_notes(w: Writer) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    positives, negatives = [], []
    for k in range(30):  # harm and risk wording in the same note
        who, name = w.person()
        register, first = w.opener(False, who, name)
        body = w.pick(HARM, who, name, 1 + (k % 3 == 0)) + w.pick(RISK, who, name) + w.pick(FILLER, who, name, 2)
        if k % 4 == 1:
            body.insert(1, fill(w.rng.choice(OTHERS), who, name, w.rng))
        positives.append(w.note([first, *body], register))
    for k in range(30):  # risk wording without harm, or harm with risk of further harm, or other people
        who, name = w.person()
        register, first = w.opener(False, who, name)
        if k % 3 == 0:
            body = w.pick(HARM, who, name) + w.pick(FURTHER, who, name) + w.pick(FILLER, who, name, 2)
        elif k % 3 == 1:
            body = w.pick(NO_HARM, who, name) + w.pick(RISK_PLAIN, who, name) + w.pick(FILLER, who, name, 2)
        else:
            body = w.pick(NO_HARM, who, name) + [fill(w.rng.choice(OTHERS), who, name, w.rng)] + \
                w.pick(RISK_PLAIN, who, name) + w.pick(FILLER, who, name)
        negatives.append(w.note([first, *body], register))
    return positives, negatives


def case_notes(w: Writer) -> list[dict[str, object]]:
    notes: list[dict[str, object]] = []
    for c in range(30):
        who, name = w.person()
        case = f"rnh-case-{c + 1:03d}"
        start = (w.rng.choice(TEAMS), w.rng.choice([2023, 2024]), w.rng.randint(1, 9))

        def on(order: int, case: str = case, start: tuple[str, int, int] = start) -> dict[str, object]:
            team, year, month = start  # one team; notes a month or so apart, in order
            return {"case_id": case, "case_order": order, "team": team,
                    "date": f"{year}-{month + order - 1:02d}-{w.rng.randint(1, 28):02d}"}
        kind = ("harm-then-risk", "harm-then-risk", "harm-then-risk", "risk-then-harm", "harm-then-further")[c % 5]
        register, first = w.opener(False, who, name)
        if kind == "risk-then-harm":  # risk wording before any harm is recorded stays correct
            notes.append(w.note([first, *w.pick(NO_HARM, who, name), *w.pick(RISK_PLAIN, who, name),
                                 *w.pick(FILLER, who, name)], register, case_gold=False, **on(1)))
            register, later = w.opener(True, who, name)
            notes.append(w.note([later, *w.pick(HARM, who, name), *w.pick(FILLER, who, name, 2)], register,
                                case_gold=False, **on(2)))
            continue
        notes.append(w.note([first, *w.pick(HARM, who, name), *w.pick(FILLER, who, name, 2)], register,
                            case_gold=False, **on(1)))
        for order in (2, 3)[: 1 + (c % 2)]:
            register, later = w.opener(True, who, name)
            if kind == "harm-then-further":
                body, gold = w.pick(FURTHER, who, name), False
            else:
                body, gold = w.pick(RISK_PLAIN, who, name), True
            notes.append(w.note([later, *body, *w.pick(FILLER, who, name, 2)], register,
                                case_gold=gold, **on(order)))
    return notes


def main() -> None:
    w = Writer()
    positives, negatives = single_notes(w)
    cases = case_notes(w)
    total = len(positives) + len(negatives) + len(cases)
    assert total <= 150, total
    OUT.mkdir(parents=True, exist_ok=True)
    for name, notes in (("rnh-single.jsonl", positives + negatives), ("rnh-cases.jsonl", cases)):
        with (OUT / name).open("w", encoding="utf-8") as fh:
            for note in notes:
                fh.write(json.dumps(note, ensure_ascii=False) + "\n")
    print(f"{total} notes: {len(positives)} positives, {len(negatives)} negatives, {len(cases)} case notes")


if __name__ == "__main__":
    main()
