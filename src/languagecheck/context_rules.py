"""Compiled context rules: harm-evidence and risk-phrase families as regexes, cached like lexicons.

Matching here is plain text over one sentence at a time (no spaCy), so it is cheap and testable on
its own. Pattern syntax is the packs' compact phrase syntax (lexicons/README.md) plus:
  {number} {money} {child}   a number, an amount of money, a way of naming the child (YP, she, [Name]...)
  ...                        up to `gap` words (the pack's `gap`, default 4) within the clause
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._version import __version__
from .patterns import _TOKEN, PRONOUN_SLOTS, PatternSyntaxError

__all__ = ["PatternSyntaxError", "ContextRules", "Match", "find_harm", "find_risk", "load"]

_CACHE_FORMAT = 1
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


def _phrase_body(phrase: str, gap: int) -> str:
    """Translate one compact phrase straight to a regex (no enumeration, so no expansion limit)."""
    elements: list[tuple[str, bool]] = []  # (regex, optional); "" regex marks a gap
    pos = 0
    for m in _TOKEN.finditer(phrase):
        if m.start() != pos:
            raise PatternSyntaxError(f"unbalanced bracket near {phrase[pos:pos + 12]!r}")
        pos = m.end()
        slot, group, literal = m.groups()
        if slot is not None:
            elements.append((_word_regex("{" + slot + "}"), False))
        elif group is not None:
            alternatives = [" ".join(a.split()) for a in group.split("|")]
            words = sorted({a for a in alternatives if a}, key=len, reverse=True)
            if not words:
                raise PatternSyntaxError("empty alternatives []")
            elements.append(("(?:" + "|".join(_words_regex(a) for a in words) + ")", "" in alternatives))
        else:
            for word in literal.split():
                elements.append(("", False) if word == GAP else (_word_regex(word), False))
    if pos != len(phrase):
        raise PatternSyntaxError(f"unbalanced bracket near {phrase[pos:pos + 12]!r}")
    if not any(regex and not optional for regex, optional in elements):
        raise PatternSyntaxError(f"pattern {phrase!r} can match nothing but gaps or optional words")
    out: list[str] = []
    started = False
    for regex, optional in elements:
        if not regex:  # a gap: up to `gap` more words, within the clause
            if started:
                out.append(rf"(?:\s+[^\s;]+){{0,{gap}}}?")
            continue
        if optional:
            out.append(f"(?:{_SEP}{regex})?" if started else f"(?:{regex}{_SEP})?")
        else:
            out.append(f"{_SEP}{regex}" if started else regex)
            started = True
    return "".join(out)


def phrase_regex(phrases: list[str], gap: int = 4) -> str:
    """One word-bounded regex source for compact phrases (with slots and gaps)."""
    if not phrases:
        raise PatternSyntaxError("no phrases")
    bodies = [_phrase_body(p, gap) for p in sorted(set(phrases), key=len, reverse=True)]
    return rf"(?<![\w-])(?:{'|'.join(bodies)})(?![\w-])"


def compile_patterns(patterns: Any, gap: int = 4) -> re.Pattern[str]:
    """Phrases and raw regexes in one pattern; a raw regex match sets the group `raw` (see `inside`)."""
    phrases = [p for p in patterns if isinstance(p, str)]
    sources = [phrase_regex(phrases, gap)] if phrases else []
    raw = [p["regex"] for p in patterns if isinstance(p, dict)]
    if raw:
        sources.append("(?P<raw>" + "|".join(f"(?:{r})" for r in raw) + ")")
    try:
        return re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE)
    except re.error as exc:
        raise PatternSyntaxError(f"bad regex: {exc}") from None


@dataclass(frozen=True)
class Context:
    where: str  # before | after | sentence
    window: int  # words, within the clause
    regex: re.Pattern[str]
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
                out.append(Context(where, window, re.compile(phrase_regex(phrases, gap), re.IGNORECASE), kind,
                                   bool(context.get("inside")) and where == "before"))
        if context.get("regex"):
            try:
                out.append(Context("sentence", window, re.compile(context["regex"], re.IGNORECASE), kind))
            except re.error as exc:
                raise PatternSyntaxError(f"bad regex: {exc}") from None
    return tuple(out)


@dataclass(frozen=True)
class HarmRule:
    id: str
    describes: str
    score: float
    pattern: re.Pattern[str]
    exceptions: tuple[Context, ...]


@dataclass(frozen=True)
class RiskRule:
    id: str
    severity: str
    score: float
    message: str
    suggestions: tuple[str, ...]
    pattern: re.Pattern[str]
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
    judgement: re.Pattern[str] | None  # professional judgement wording next to a score
    further_harm: re.Pattern[str] | None = None  # 'risk of further abuse': the harm is stated as such


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


def _from_phrase(m: re.Match[str]) -> bool:
    return "raw" not in m.re.groupindex or m.group("raw") is None


def find_harm(rules: ContextRules, sentence: str) -> list[Match]:
    """At most one piece of harm evidence per family in this sentence (the first that no exception covers)."""
    found = []
    for rule in rules.harm:
        for m in rule.pattern.finditer(sentence):
            if m.end() == m.start():
                continue
            contexts = rule.exceptions + rules.harm_exceptions
            if exception_kind(contexts, sentence, m.start(), m.end(), _from_phrase(m)) is None:
                found.append(Match(rule.id, m.start(), m.end()))
                break
    return sorted(found, key=lambda x: (x.start, x.end))


def find_risk(rules: ContextRules, sentence: str) -> list[Match]:
    """Risk wording in this sentence that no exception covers; overlaps resolved, longest first."""
    candidates = []
    for order, rule in enumerate(rules.risk):
        for m in rule.pattern.finditer(sentence):
            if m.end() == m.start():
                continue
            if exception_kind(rule.exceptions + rules.risk_exceptions, sentence, m.start(), m.end(),
                              _from_phrase(m)) is None:
                candidates.append((m.start(), m.end(), order, rule.id))
    kept: list[tuple[int, int, int, str]] = []
    for c in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
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
    return ContextRules(
        fingerprint=key or fingerprint(paths),
        harm=tuple(HarmRule(f.id, f.describes, f.score, compile_patterns(f.patterns, f.gap or harm.gap),
                            compile_context(f.exceptions, harm.gap)) for f in harm.families),
        risk=tuple(RiskRule(f.id, f.severity, f.score, f.message, f.suggestions,
                            compile_patterns(f.patterns, f.gap or risk.gap), compile_context(f.exceptions, risk.gap),
                            " ".join(f.when_no_harm["message"].split()) if f.when_no_harm else None,
                            f.tool_output)
                   for f in risk.families),
        harm_exceptions=compile_context(harm.common_exceptions, harm.gap),
        risk_exceptions=compile_context(risk.common_exceptions, risk.gap),
        judgement=_optional_regex(risk.judgement, risk.gap),
        further_harm=_optional_regex(risk.further_harm, risk.gap),
    )


def _optional_regex(phrases: tuple[str, ...], gap: int) -> re.Pattern[str] | None:
    return re.compile(phrase_regex(list(phrases), gap), re.IGNORECASE) if phrases else None


def load(directory: str | Path | None = None) -> ContextRules:
    """The compiled context rules, from the cache when the pack files are unchanged."""
    from .context_packs import context_pack_paths

    return _load(tuple(context_pack_paths(Path(directory) if directory else None)))


@functools.lru_cache(maxsize=4)
def _load(paths: tuple[Path, ...]) -> ContextRules:
    from .compiled import cache_dir

    key = fingerprint(list(paths))
    cached = cache_dir() / f"context-{key}.pickle"
    if cached.exists():
        try:
            with cached.open("rb") as fh:
                rules = pickle.load(fh)
            if isinstance(rules, ContextRules) and rules.fingerprint == key:
                return rules
        except Exception:  # a stale or truncated cache file is simply rebuilt
            pass
    rules = compile_rules(list(paths), key)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(rules, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except OSError:  # read-only home: run uncached rather than fail
        pass
    return rules
