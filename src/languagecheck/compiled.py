"""Compile lexicon packs into a cached, ready-to-match form.

A check must not pay for YAML parsing, schema validation or the 40k-entry lemma lookup table on every
run, so compilation happens once per pack content and is pickled to the user's cache directory.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._version import __version__
from .phrase_index import PhraseIndex

_CACHE_FORMAT = 5
_COMPILER_MODULES = ("compiled.py", "patterns.py", "lexicon.py", "phrase_index.py")


@dataclass
class CompiledEntry:
    id: str
    category: str
    severity: str
    score: float
    message: str
    suggestions: tuple[Any, ...]
    # (kind, window, regex source): compiled on first use, because unpickling compiled
    # patterns recompiles every one of them on every run
    requires: tuple[tuple[str, int, str], ...]
    exceptions: tuple[tuple[str, int, str], ...]
    flag_examples: tuple[str, ...] = ()  # marked [[span]] examples: the classifier embeds them


@dataclass
class CompiledLexicon:
    fingerprint: str
    entries: dict[str, CompiledEntry]
    phrase_patterns: list[tuple[str, tuple[str, ...]]]  # (entry id, lemma sequence)
    token_patterns: list[tuple[str, list[dict[str, Any]]]]  # (entry id, spaCy Matcher pattern)
    lemmas: dict[str, str] = field(default_factory=dict)  # lower-cased form -> lemma, reduced
    phrase_index: PhraseIndex | None = None  # phrase_patterns, ready to match (phrase_index.py)

    def lemma(self, lower: str) -> str:
        lower = normalise(lower)
        return self.lemmas.get(lower, lower)

    def lemmatize(self, lowers: list[str]) -> list[str]:
        """Lemmas of a run of lower-cased words (whitespace tokens left out), contractions in context."""
        return contextual_lemmas(lowers, self.lemmas.get)


# curly and modifier apostrophes are read as ' ; soft hyphens and zero-width characters are ignored
_NORMALISE = {0x2019: "'", 0x2018: "'", 0x02BC: "'", 0x00AD: None, 0x200B: None, 0x200C: None, 0x200D: None,
              0x2060: None, 0xFEFF: None}
# 's after these is "is" or "has", never a possessive
_CLITIC_HOSTS = frozenset({"she", "he", "it", "that", "there", "here", "what", "who", "where", "how", "this",
                           "when", "why", "everyone", "everything", "nobody", "somebody", "someone"})
_HAS_NEXT = frozenset({"been", "got", "gone", "had"})
_ING_NOUNS = frozenset({"thing", "things", "sibling", "siblings", "clothing", "evening", "morning", "meeting",
                        "building", "wedding", "ring", "bedding", "ceiling", "funding", "housing", "earring",
                        "earrings", "drawing", "drawings", "painting", "training", "schooling", "upbringing",
                        "belongings", "bling", "pudding", "string", "wing", "king", "spring"})


def normalise(text: str) -> str:
    """Text for lookups and pattern tests: one apostrophe, no invisible characters (lengths may change)."""
    return text.translate(_NORMALISE)


def contextual_lemmas(lowers: list[str], lookup: Any) -> list[str]:
    """Lemmas for consecutive words; 's and 're read from their neighbours (is/has/possessive, are)."""
    words = [normalise(w) for w in lowers]
    out = []
    for i, word in enumerate(words):
        if word == "'s":
            before = words[i - 1] if i else ""
            after = words[i + 1] if i + 1 < len(words) else ""
            if after in _HAS_NEXT:
                out.append("have")
            elif (before in _CLITIC_HOSTS or not before or after in ("not", "n't")
                  or (after.endswith("ing") and after not in _ING_NOUNS)):
                out.append("be")
            else:
                out.append("'s")  # possessive: YP's phone
        elif word in ("'re", "'m"):
            out.append("be")
        else:
            out.append(lookup(word, word))
    return out


def cache_dir() -> Path:
    base = os.environ.get("LANGUAGECHECK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "languagecheck"
    )
    return Path(base)


def resolve_pack_paths(packs: list[str] | None, extra: list[str] | None = None) -> list[Path]:
    from .lexicon import default_lexicon_dir, pack_paths

    paths = pack_paths() if not packs else [_pack_path(p, default_lexicon_dir()) for p in packs]
    return paths + [Path(p) for p in (extra or [])]


def _pack_path(name: str, directory: Path) -> Path:
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return directory / f"{name}.yaml"


def fingerprint(paths: list[Path]) -> str:
    from .lexicon import LEMMA_OVERRIDES_FILE, default_lexicon_dir

    digest = hashlib.sha256(f"{__version__}/{_CACHE_FORMAT}".encode())
    for module in _COMPILER_MODULES:  # a change to the compiler invalidates every cached lexicon
        digest.update((Path(__file__).parent / module).read_bytes())
    overrides = default_lexicon_dir() / LEMMA_OVERRIDES_FILE
    for path in [*paths, overrides]:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:20]


def load(packs: list[str] | None = None, extra: list[str] | None = None) -> CompiledLexicon:
    """The compiled lexicon for these packs, from the cache when the pack files are unchanged."""
    return _load(tuple(resolve_pack_paths(packs, extra)))


@functools.lru_cache(maxsize=8)
def _load(paths: tuple[Path, ...]) -> CompiledLexicon:
    key = fingerprint(list(paths))
    return cached_build("lexicon", key, CompiledLexicon, lambda: compile_packs(list(paths), key))


def cached_build(kind: str, key: str, expected: type, build: Any) -> Any:
    """The pickled `kind` object for `key` from the cache directory, else build() and store it.

    Shared by the lexicon and the context rules: a stale or truncated cache file is rebuilt, and a
    read-only cache directory means running uncached rather than failing.
    """
    cached = cache_dir() / f"{kind}-{key}.pickle"
    if cached.exists():
        enabled = gc.isenabled()
        gc.disable()  # unpickling makes many small objects: collections would run over and over (5x slower)
        try:
            with cached.open("rb") as fh:
                value = pickle.load(fh)
            if isinstance(value, expected) and getattr(value, "fingerprint", None) == key:
                return value
        except Exception:  # a stale or truncated cache file is simply rebuilt
            pass
        finally:
            if enabled:
                gc.enable()
    value = build()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except OSError:
        pass
    return value


def full_lemma_table() -> dict[str, str]:
    """spacy-lookups-data's English lookup table, lower-cased, with the reviewed overrides applied."""
    import spacy_lookups_data
    import srsly

    from .lexicon import load_lemma_overrides

    # spaCy's Table hashes its keys, so read the packaged JSON to keep the word forms
    path = str(spacy_lookups_data.en["lemma_lookup"])
    table = srsly.read_gzip_json(path + ".gz") if not os.path.exists(path) else srsly.read_json(path)
    lemmas: dict[str, str] = {}
    for form, lemma in table.items():
        lemmas.setdefault(form.lower(), str(lemma).lower())
    lemmas.update(load_lemma_overrides())
    return lemmas


def tokenize_phrase(phrase: str) -> list[str]:
    return [t.lower_ for t in _tokenizer()(phrase)]


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from .nlp import import_spacy

    return import_spacy().blank("en").tokenizer


@functools.cache
def regex(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def compile_context(contexts: tuple[dict[str, Any], ...]) -> tuple[tuple[str, int, str], ...]:
    """(kind, window, regex source) per context condition; sources are checked by compiling them."""
    from .patterns import to_regex

    out = []
    for context in contexts:
        window = int(context.get("window", 6))
        for kind in ("before", "after", "sentence"):
            phrases = context.get(kind)
            if phrases:
                phrases = [phrases] if isinstance(phrases, str) else phrases
                out.append((kind, window, to_regex(phrases)))
        if context.get("regex"):
            out.append(("sentence", window, context["regex"]))
    for _, _, source in out:
        regex(source)  # fail at compile time, not in the middle of a scan
    return tuple(out)


def compile_packs(paths: list[Path], key: str | None = None) -> CompiledLexicon:
    from .lexicon import load_entries
    from .patterns import expand
    from .phrase_index import build

    entries = load_entries(paths)
    full = full_lemma_table()
    compiled: dict[str, CompiledEntry] = {}
    phrase_patterns: list[tuple[str, tuple[str, ...]]] = []
    token_patterns: list[tuple[str, list[dict[str, Any]]]] = []
    vocabulary: set[str] = set()
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for entry in entries:
        compiled[entry.id] = CompiledEntry(
            id=entry.id, category=entry.category, severity=entry.severity, score=entry.score,
            message=entry.message, suggestions=entry.suggestions,
            requires=compile_context(entry.requires), exceptions=compile_context(entry.exceptions),
            flag_examples=tuple(entry.examples["flag"]),
        )
        for pattern in entry.patterns:
            if isinstance(pattern, str):
                for phrase in expand(pattern):
                    lemmas = tuple(contextual_lemmas(tokenize_phrase(phrase), full.get))
                    if (entry.id, lemmas) not in seen:  # inflected variants often share a lemma sequence
                        seen.add((entry.id, lemmas))
                        vocabulary.update(lemmas)
                        phrase_patterns.append((entry.id, lemmas))
            else:
                token_patterns.append((entry.id, pattern["tokens"]))
                for spec in pattern["tokens"]:
                    value = spec.get("LEMMA")
                    values = [value] if isinstance(value, str) else (value or {}).get("IN", [])
                    vocabulary.update(str(v).lower() for v in values)
    # keep only forms whose lemma (or own spelling) a pattern can use: same matches, tiny table
    reduced = {form: lemma for form, lemma in full.items() if lemma in vocabulary or form in vocabulary}
    return CompiledLexicon(
        fingerprint=key or fingerprint(paths), entries=compiled, phrase_patterns=phrase_patterns,
        token_patterns=token_patterns, lemmas=reduced, phrase_index=build(phrase_patterns),
    )
