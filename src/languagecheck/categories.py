"""The nine finding categories: ids are the public contract and never change.

Definitions, reasons and preferred alternatives restate the guidance facts file
(docs/TERMS.md). They are the fallback explanation for classifier findings that have no close
lexicon entry, and they head each section of the audit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    definition: str
    why: str
    alternatives: tuple[str, ...]


_CATEGORIES = (
    Category(
        "consent-implied",
        "Consent implied",
        "Wording that treats the child as having agreed to, allowed or willingly taken part in abuse.",
        "A child's apparent agreement never makes their abuse acceptable: grooming, age and power "
        "imbalance mean the adult carries the whole responsibility.",
        ("was sexually abused by [the adult]", "was groomed and coerced by [the adult]",
         "complied, which is consistent with coercion"),
    ),
    Category(
        "choice-agency",
        "Choice and agency",
        "Wording that presents the child's own decisions or actions as the cause of harm, or describes "
        "coerced or constrained behaviour as free choice.",
        "Exploiters deliberately constrain a child's options; crediting the child with a free choice "
        "moves responsibility from the adults to the child.",
        ("is being exploited by [the adults]", "was persuaded/pressured/coerced to",
         "is being drawn back by [the adults] through threats, debt or grooming"),
    ),
    Category(
        "sexualising-judgement",
        "Sexualising judgement",
        "Moral or sexual judgements about the child's sexuality, appearance, desires or sexual history.",
        "Judging a child's sexuality or appearance invites the reader to see the child as inviting "
        "abuse, when the abuse is the adults' conduct.",
        ("is being sexually exploited by [the adults]", "is being groomed with attention and affection",
         "omit the judgement and describe the abuse"),
    ),
    Category(
        "transactional-exchange",
        "Transactional exchange",
        "Wording that frames abuse or exploitation as trade, payment, employment or a bargain.",
        "Gifts, money and drugs are tools exploiters use to control a child; describing them as a "
        "bargain or a job implies the child is a willing party to a deal.",
        ("is being given [items] by [the adult] as part of grooming",
         "is being sexually/criminally exploited", "adults are using money/gifts to control her"),
    ),
    Category(
        "relationship-framing",
        "Relationship framing",
        "Wording that presents an abuser or exploiter as a partner, friend or associate, or abuse as a "
        "relationship.",
        "Relationship and friendship words give an adult's abuse of a child the standing of a mutual "
        "tie that the child could end, and can stop it being recognised as a crime.",
        ("[the adult], a [age]-year-old man", "the adult who is sexually exploiting her",
         "is being groomed/exploited by"),
    ),
    Category(
        "minimising",
        "Minimising",
        "Wording that softens, euphemises, trivialises or casts doubt on abuse, including outdated terms "
        "for abuse images and for non-recent abuse.",
        "Soft or hedging words turn offences against a child into something trivial or doubtful and "
        "lower the response.",
        ("name the conduct and the offence", "indecent images of children", "disclosed that"),
    ),
    Category(
        "criminalising",
        "Criminalising",
        "Wording that labels an exploited child by criminal roles, or by offences that others made the "
        "child commit.",
        "Labelling an exploited child by the offences others make them commit hides that the child is "
        "a victim and invites a punitive response.",
        ("is being criminally exploited by [the adults]", "child being exploited to transport drugs",
         "went missing from [placement]"),
    ),
    Category(
        "character-blame",
        "Character blame",
        "Labels about the child's personality, maturity, credibility or worth that move attention from "
        "the abuse to the child, including adultifying and dehumanising labels.",
        "Labels about the child's character, maturity or honesty make the child the problem and reduce "
        "the protection offered.",
        ("is a child who is being exploited", "describe the specific behaviour and its likely cause",
         "account needs further exploration"),
    ),
    Category(
        "risk-not-harm",
        "Risk instead of harm",
        "Risk, vulnerability or 'concern' wording used where the note records that harm has already "
        "occurred.",
        "When the record shows the child has already been harmed, risk wording recasts a victim of crime "
        "as a future concern and lets a risk grade stand in for an investigation.",
        ("has been sexually abused/exploited by [the adults]; record the harm and the protective action",
         "is at risk of further abuse (after the harm is stated)"),
    ),
)

CATEGORIES: dict[str, Category] = {c.id: c for c in _CATEGORIES}
CATEGORY_IDS: tuple[str, ...] = tuple(CATEGORIES)
