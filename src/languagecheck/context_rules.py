"""Compiled context rules: harm-evidence and risk-phrase families as regexes, cached like lexicons.

Matching here is plain text over one sentence at a time (no spaCy), so it is cheap and testable on
its own. Pattern syntax is the packs' compact phrase syntax (lexicons/README.md) plus:
  {number} {money} {child}   a number, an amount of money, a way of naming the child (YP, she, [Name]...)
  ...                        up to `gap` words (the pack's `gap`, default 4) within the clause
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._version import __version__
from .patterns import PRONOUN_SLOTS, PatternSyntaxError, parts

__all__ = ["PatternSyntaxError", "ContextRules", "Match", "find_harm", "find_risk", "load"]

_CACHE_FORMAT = 2
_COMPILER_MODULES = ("context_rules.py", "context_packs.py", "patterns.py")
SLOTS: dict[str, str] = {
    "number": r"\d{1,3}(?:\.\d+)?",
    "money": r"£\s?\d[\d,]*(?:\.\d\d)?(?:k)?",
    "child": r"(?:YP|CYP|the\s+(?:child|young\s+person|girl|boy)|she|he|they|her|him|them|me|\[name\]|child\s+[a-z])",
}
GAP = "..."
# windows stop at clause boundaries: a negation or a sister in one clause says nothing about the next
_CLAUSE_BREAK = re.compile(r";|\s[-\u2013\u2014]\s|\b(?:but|however|although|though|whereas|except|until)\b",
                           re.IGNORECASE)
# what follows a phrase (a tool's name, 'of further abuse') also stops at punctuation
_AFTER_BREAK = re.compile(_CLAUSE_BREAK.pattern + r"|[,.:()]", re.IGNORECASE)


# whitespace between two words; optional next to punctuation ("risk: high", "score 14 - medium")
_SEP = r"(?:\s+|(?<=[^\w\s])\s*|\s*(?=[^\w\s]))"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Regex:
    """A case-insensitive regex compiled on first use; it pickles as its source.

    The packs hold hundreds of regexes and a note needs few of them (phrases are picked by trigger
    words), so a check does not compile them all at start-up; unpickling a compiled pattern would.
    """

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = re.IGNORECASE, check: bool = False):
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = re.compile(pattern, flags) if check else None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled.search(string, *args)

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled.match(string, *args)

    def finditer(self, string: str, *args: int) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, *args)

    def __getstate__(self) -> tuple[str, int]:
        return self.pattern, self.flags

    def __setstate__(self, state: tuple[str, int]) -> None:
        self.pattern, self.flags = state
        self._compiled = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Regex) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"Regex({self.pattern!r})"


def _word_regex(word: str) -> str:
    out, pos = [], 0
    for m in _PLACEHOLDER.finditer(word):
        out.append(re.escape(word[pos:m.start()]))
        name = m.group(1)
        if name in SLOTS:
            out.append(SLOTS[name])
        elif name in PRONOUN_SLOTS:
            out.append("(?:" + "|".join(PRONOUN_SLOTS[name]) + ")")
        else:
            raise PatternSyntaxError(f"unknown placeholder {{{name}}}")
        pos = m.end()
    out.append(re.escape(word[pos:]))
    return "".join(out)


def _words_regex(text: str) -> str:
    return _SEP.join(_word_regex(w) for w in text.split())


def _phrase_parts(phrase: str, gap: int) -> tuple[str, frozenset[str] | None]:
    """Translate one compact phrase straight to a regex (no enumeration, so no expansion limit).

    Also returns its trigger words: lower-cased words one of which must occur in any text the phrase
    matches (from its most selective required element), so most phrases are skipped by a substring test.
    """
    elements: list[tuple[str, bool, frozenset[str] | None]] = []  # (regex, optional, triggers); "" = gap
    for slot, group, literal in parts(phrase):
        if slot is not None:
            elements.append((_word_regex("{" + slot + "}"), False, None))
        elif group is not None:
            alternatives = [" ".join(a.split()) for a in group.split("|")]
            words = sorted({a for a in alternatives if a}, key=len, reverse=True)
            if not words:
                raise PatternSyntaxError("empty alternatives []")
            elements.append(("(?:" + "|".join(_words_regex(a) for a in words) + ")", "" in alternatives,
                             _triggers(words)))
        else:
            for word in literal.split():
                elements.append(("", False, None) if word == GAP else (_word_regex(word), False, _triggers([word])))
    if not any(regex and not optional for regex, optional, _ in elements):
        raise PatternSyntaxError(f"pattern {phrase!r} can match nothing but gaps or optional words")
    out: list[str] = []
    started = False
    for regex, optional, _ in elements:
        if not regex:  # a gap: up to `gap` more words, within the clause
            if started:
                out.append(rf"(?:\s+[^\s;]+){{0,{gap}}}?")
            continue
        if optional:
            out.append(f"(?:{_SEP}{regex})?" if started else f"(?:{regex}{_SEP})?")
        else:
            out.append(f"{_SEP}{regex}" if started else regex)
            started = True
    required = [t for regex, optional, t in elements if regex and not optional and t]
    triggers = max(required, key=_selectivity) if required else None
    return "".join(out), triggers


_WORD = re.compile(r"[\w'-]+")
# words in nearly every sentence make poor triggers: an element made of them is chosen last
_COMMON = frozenset("a an and are as at be been being by for from had has have he her him his in is it of on or "
                    "she that the their them they this to was were with".split())


def _selectivity(triggers: frozenset[str]) -> tuple[bool, int]:
    return (triggers.isdisjoint(_COMMON), min(map(len, triggers)))


def words_of(text: str) -> frozenset[str]:
    """The lower-cased words of a text, as trigger words are cut."""
    return frozenset(_WORD.findall(text.lower()))


def _triggers(alternatives: list[str]) -> frozenset[str] | None:
    """The longest word of each alternative, lower-cased; None when an alternative holds a slot or no word."""
    out = set()
    for a in alternatives:
        words = _WORD.findall(a.lower())
        if "{" in a or not words:
            return None
        out.add(max(words, key=len))
    return frozenset(out)


def phrase_regex(phrases: list[str], gap: int = 4) -> str:
    """One word-bounded regex source for compact phrases (with slots and gaps)."""
    if not phrases:
        raise PatternSyntaxError("no phrases")
    bodies = [_phrase_parts(p, gap)[0] for p in sorted(set(phrases), key=len, reverse=True)]
    return rf"(?<![\w-])(?:{'|'.join(bodies)})(?![\w-])"


@dataclass(frozen=True)
class Phrase:
    """One pattern of a family: its regex, and words of which one must be in the text for it to match."""

    regex: Regex
    triggers: frozenset[str] | None  # None: always try (slots, raw regexes)
    phrase: bool = True  # False for a raw regex pattern (`inside` exceptions do not look into it)

    def may_match(self, words: frozenset[str]) -> bool:
        return self.triggers is None or not self.triggers.isdisjoint(words)


def compile_patterns(patterns: Any, gap: int = 4) -> tuple[Phrase, ...]:
    out = []
    for p in patterns:
        try:
            if isinstance(p, str):
                body, triggers = _phrase_parts(p, gap)
                out.append(Phrase(Regex(rf"(?<![\w-])(?:{body})(?![\w-])", check=True), triggers))
            else:
                words = frozenset(w.lower() for w in p.get("words", ())) or None
                out.append(Phrase(Regex(p["regex"], check=True), words, phrase=False))
        except re.error as exc:
            raise PatternSyntaxError(f"bad regex: {exc}") from None
    return tuple(out)


@dataclass(frozen=True)
class Context:
    where: str  # before | after | sentence
    window: int  # words, within the clause
    regex: Regex
    kind: str  # negation, hypothetical, other-person, further-harm, ... (for explanations and tests)
    inside: bool = False  # before: also the matched words up to the last (what a phrase's gap skipped over)


def compile_context(contexts: tuple[dict[str, Any], ...], gap: int = 4) -> tuple[Context, ...]:
    out = []
    for context in contexts:
        window = int(context.get("window", 6))
        kind = context.get("kind", "other")
        for where in ("before", "after", "sentence"):
            phrases = context.get(where)
            if phrases:
                phrases = [phrases] if isinstance(phrases, str) else phrases
                out.append(Context(where, window, Regex(phrase_regex(phrases, gap), check=True), kind,
                                   bool(context.get("inside")) and where == "before"))
        if context.get("regex"):
            try:
                out.append(Context("sentence", window, Regex(context["regex"], check=True), kind))
            except re.error as exc:
                raise PatternSyntaxError(f"bad regex: {exc}") from None
    return tuple(out)


@dataclass(frozen=True)
class HarmRule:
    id: str
    describes: str
    score: float
    phrases: tuple[Phrase, ...]
    exceptions: tuple[Context, ...]


@dataclass(frozen=True)
class RiskRule:
    id: str
    severity: str
    score: float
    message: str
    suggestions: tuple[str, ...]
    phrases: tuple[Phrase, ...]
    exceptions: tuple[Context, ...]
    no_harm_message: str | None = None  # numeric scores: an info finding even without harm
    tool_output: bool = False  # a grade or score: info when the note also states a risk of further harm


@dataclass
class ContextRules:
    fingerprint: str
    harm: tuple[HarmRule, ...]
    risk: tuple[RiskRule, ...]
    harm_exceptions: tuple[Context, ...]  # apply to every harm family
    risk_exceptions: tuple[Context, ...]  # apply to every risk family
    judgement: Regex | None  # professional judgement wording next to a score
    further_harm: Regex | None = None  # 'risk of further abuse': the harm is stated as such
    risk_words: frozenset[str] | None = None  # a text with none of these words has no risk wording
    _index: dict[str, Any] = field(default_factory=dict, repr=False)  # built on first use, per kind

    def may_have_risk(self, text: str) -> bool:
        return self.risk_words is None or not self.risk_words.isdisjoint(words_of(text))

    def phrases_for(self, kind: str, words: frozenset[str]) -> dict[int, list[Phrase]]:
        """Family index -> the phrases of that family whose trigger words occur in `words`."""
        if kind not in self._index:
            self._index[kind] = _trigger_index(self.harm if kind == "harm" else self.risk)
        by_word, always = self._index[kind]
        chosen = set(always)
        for word in words:
            chosen.update(by_word.get(word, ()))
        rules = self.harm if kind == "harm" else self.risk
        out: dict[int, list[Phrase]] = {}
        for r, k in sorted(chosen):
            out.setdefault(r, []).append(rules[r].phrases[k])
        return out


def _trigger_index(rules: Any) -> tuple[dict[str, list[tuple[int, int]]], list[tuple[int, int]]]:
    """word -> [(family, phrase)] for phrases with trigger words; and the phrases always tried."""
    by_word: dict[str, list[tuple[int, int]]] = {}
    always = []
    for r, rule in enumerate(rules):
        for k, phrase in enumerate(rule.phrases):
            if phrase.triggers is None:
                always.append((r, k))
            for word in phrase.triggers or ():
                by_word.setdefault(word, []).append((r, k))
    return by_word, always


@dataclass(frozen=True)
class Match:
    family: str
    start: int  # offsets in the sentence
    end: int


def _before(sentence: str, start: int, window: int) -> str:
    region = sentence[:start]
    breaks = list(_CLAUSE_BREAK.finditer(region))
    if breaks:
        region = region[breaks[-1].end():]
    return " ".join(region.split()[-window:])


def _after(sentence: str, end: int, window: int) -> str:
    region = sentence[end:]
    first = _AFTER_BREAK.search(region)
    if first:
        region = region[:first.start()]
    return " ".join(region.split()[:window])


def exception_kind(contexts: tuple[Context, ...], sentence: str, start: int, end: int,
                   phrase: bool = True) -> str | None:
    """The kind of the first exception that applies to sentence[start:end], else None.

    `phrase`: the match came from a compact phrase (whose gaps `inside` exceptions look into); a
    hand-written regex pattern controls its own negation.
    """
    for c in contexts:
        if c.where == "before":
            region = _before(sentence, start, c.window)
            if c.inside and phrase:
                inner = sentence[start:end].split()[:-1]
                region = " ".join([region, *inner]) if inner else region
        elif c.where == "after":
            region = _after(sentence, end, c.window)
        else:
            region = sentence
        if region and c.regex.search(region):
            return c.kind
    return None


def _matches(phrases: list[Phrase], sentence: str, contexts: tuple[Context, ...]) -> list[tuple[int, int]]:
    """(start, end) of every match of these phrases that no exception covers."""
    out = []
    for p in phrases:
        for m in p.regex.finditer(sentence):
            if m.end() > m.start() and exception_kind(contexts, sentence, m.start(), m.end(), p.phrase) is None:
                out.append((m.start(), m.end()))
    return out


def find_harm(rules: ContextRules, sentence: str) -> list[Match]:
    """At most one piece of harm evidence per family in this sentence: the first, longest, unexcepted."""
    found = []
    for r, phrases in rules.phrases_for("harm", words_of(sentence)).items():
        rule = rules.harm[r]
        spans = _matches(phrases, sentence, rule.exceptions + rules.harm_exceptions)
        if spans:
            start, end = min(spans, key=lambda s: (s[0], s[0] - s[1]))
            found.append(Match(rule.id, start, end))
    return sorted(found, key=lambda x: (x.start, x.end))


def find_risk(rules: ContextRules, sentence: str) -> list[Match]:
    """Risk wording in this sentence that no exception covers; overlaps resolved, longest first."""
    candidates = []
    for order, phrases in rules.phrases_for("risk", words_of(sentence)).items():
        rule = rules.risk[order]
        for start, end in _matches(phrases, sentence, rule.exceptions + rules.risk_exceptions):
            candidates.append((start, end, order, rule.id))
    kept: list[tuple[int, int, int, str]] = []
    for c in sorted(set(candidates), key=lambda c: (c[0] - c[1], c[2], c[0])):
        if all(c[1] <= k[0] or c[0] >= k[1] for k in kept):
            kept.append(c)
    return [Match(rule_id, start, end) for start, end, _, rule_id in sorted(kept)]


# --- compile and cache ------------------------------------------------------------------------------


def fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256(f"{__version__}/context/{_CACHE_FORMAT}".encode())
    for module in _COMPILER_MODULES:
        digest.update((Path(__file__).parent / module).read_bytes())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:20]


def compile_rules(paths: list[Path], key: str | None = None) -> ContextRules:
    from .context_packs import load_context_packs

    packs = {p.kind: p for p in load_context_packs(paths)}
    harm, risk = packs["harm"], packs["risk"]
    risk_rules = tuple(RiskRule(f.id, f.severity, f.score, f.message, f.suggestions,
                                compile_patterns(f.patterns, f.gap or risk.gap),
                                compile_context(f.exceptions, risk.gap),
                                " ".join(f.when_no_harm["message"].split()) if f.when_no_harm else None,
                                f.tool_output)
                       for f in risk.families)
    return ContextRules(
        fingerprint=key or fingerprint(paths),
        harm=tuple(HarmRule(f.id, f.describes, f.score, compile_patterns(f.patterns, f.gap or harm.gap),
                            compile_context(f.exceptions, harm.gap)) for f in harm.families),
        risk=risk_rules,
        harm_exceptions=compile_context(harm.common_exceptions, harm.gap),
        risk_exceptions=compile_context(risk.common_exceptions, risk.gap),
        judgement=_optional_regex(risk.judgement, risk.gap),
        further_harm=_optional_regex(risk.further_harm, risk.gap),
        risk_words=_all_triggers(tuple(p for r in risk_rules for p in r.phrases)),
    )


def _all_triggers(phrases: tuple[Phrase, ...]) -> frozenset[str] | None:
    if any(p.triggers is None for p in phrases):
        return None
    return frozenset().union(*(p.triggers for p in phrases if p.triggers))


def _optional_regex(phrases: tuple[str, ...], gap: int) -> Regex | None:
    return Regex(phrase_regex(list(phrases), gap), check=True) if phrases else None


def load(directory: str | Path | None = None) -> ContextRules:
    """The compiled context rules, from the cache when the pack files are unchanged."""
    from .context_packs import context_pack_paths

    return _load(tuple(context_pack_paths(Path(directory) if directory else None)))


@functools.lru_cache(maxsize=4)
def _load(paths: tuple[Path, ...]) -> ContextRules:
    from .compiled import cached_build

    key = fingerprint(list(paths))
    return cached_build("context", key, ContextRules, lambda: compile_rules(list(paths), key))
