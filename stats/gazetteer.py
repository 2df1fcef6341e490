"""Find municipality names in text: a spaCy entity ruler over a gazetteer of municipality names.

The gazetteer holds every name a municipality is or was known by (current, historical, Sámi and Kven
forms from ``municipality_names``). Matching is on the exact written form (``ORTH``), so only capitalised
proper nouns match: «bor på et nes» never matches Nes. Names that are also ordinary words («Hole», «Nes»,
«Bø», «Re», «Sande», «Våler», «Lund», «Sola», «Time» …, see ``STOPLIST``) can still be capitalised at the
start of a sentence or in English text, so they count only in a place context: after a place preposition
(«i Nes», «fra Sola») or before «kommune» («Hole kommune»).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokens import Span

LABEL = "KOMMUNE"

#: Municipality names that are also common Norwegian or English words (case-folded).
STOPLIST: frozenset[str] = frozenset(["hole", "nes", "bø", "re", "sande", "våler", "lund", "vik", "os", "eid", "hå", "ål", "sel", "lom", "vang", "flå", "hol", "fjord", "stad", "sola", "time", "strand", "stranda", "heim", "gran", "grue", "lier", "moss", "tinn", "aure", "sula", "loppa", "leka", "røst", "grane", "øyer", "ås", "marker", "hvaler", "berg", "fjell", "sund", "nesset", "ski", "kinn", "eide", "fet", "flora", "tune", "alver", "luster", "osen", "selje"])

#: Words before a name that make it a place («i Nes», «fra Sola»), Norwegian and English.
PLACE_PREPOSITIONS: frozenset[str] = frozenset(
    ["i", "på", "fra", "til", "ved", "mot", "nær", "mellom", "utenfor", "rundt", "innenfor", "via", "in", "from", "to", "near", "around"])
#: Words after a name that make it a municipality («Hole kommune»).
MUNICIPALITY_WORDS: frozenset[str] = frozenset({"kommune", "kommunes", "kommun", "municipality"})


@dataclass(frozen=True)
class Gazetteer:
    """Every known name (as written) → the municipalities (2024 numbers) it may refer to."""

    names: dict[str, tuple[str, ...]]

    def municipalities(self, name: str) -> tuple[str, ...]:
        return self.names.get(name, ())


@dataclass(frozen=True)
class Mention:
    """One municipality name found in a text."""

    name: str
    start_char: int
    end_char: int
    municipalities: tuple[str, ...]
    context: str  # why it counts: "proper noun", "after 'i'", "before 'kommune'"


def _split_names(name: str) -> list[str]:
    """«Oslo - Oslove» → [«Oslo», «Oslove»]; SSB joins the Norwegian and Sámi/Kven forms with ' - '."""
    return [part.strip() for part in re.split(r"\s+-\s+", name) if part.strip()]


def build_gazetteer(names: pd.DataFrame) -> Gazetteer:
    """A gazetteer from a frame with columns ``municipality`` and ``name`` (one row per name form)."""
    found: dict[str, set[str]] = {}
    for municipality, name in zip(names["municipality"], names["name"], strict=True):
        if not isinstance(name, str):
            continue
        for part in _split_names(name):
            found.setdefault(part, set()).add(str(municipality))
    return Gazetteer({name: tuple(sorted(found[name])) for name in sorted(found)})


def _patterns(gazetteer: Gazetteer) -> list[dict]:
    patterns = []
    for name in gazetteer.names:
        patterns.append({"label": LABEL, "pattern": name, "id": name})
        if name.casefold() not in STOPLIST and not name.endswith(("s", "x", "z")):
            patterns.append({"label": LABEL, "pattern": name + "s", "id": name})  # genitive «Tynsets»
    return patterns


def make_nlp(gazetteer: Gazetteer, lang: str = "nb") -> Language:
    """A blank pipeline (sentencizer + entity ruler) that marks every gazetteer name as KOMMUNE."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "validate": True})
    ruler.add_patterns(_patterns(gazetteer))  # a list, materialised once
    return nlp


def place_context(span: Span) -> str | None:
    """Why a stoplisted name counts as a place here, or None when it does not."""
    doc = span.doc
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if after in MUNICIPALITY_WORDS:
        return f"before '{after}'"
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if before in PLACE_PREPOSITIONS:
        return f"after '{before}'"
    return None


def find_mentions(nlp: Language, gazetteer: Gazetteer, text: str) -> list[Mention]:
    """Municipality names in ``text``, in order; stoplisted names only in a place context."""
    mentions = []
    for ent in nlp(text).ents:
        if ent.label_ != LABEL:
            continue
        name = ent.ent_id_
        context = "proper noun"
        if name.casefold() in STOPLIST:
            context = place_context(ent)
            if context is None:
                continue
        mentions.append(Mention(name, ent.start_char, ent.end_char, gazetteer.municipalities(name), context))
    return mentions


def candidates(nlp: Language) -> re.Pattern | None:
    """A quick test a text must pass to contain a name: the first token of some phrase pattern of the entity ruler
    occurs in it (a token's text is a piece of the text, and a phrase matches only from its first token on). None
    when the ruler has token patterns, which this cannot see."""
    ruler = nlp.get_pipe("entity_ruler")
    if any(ruler.token_patterns.values()):
        return None
    firsts = {doc[0].text for docs in ruler.phrase_patterns.values() for doc in docs if len(doc)}
    return re.compile("|".join(re.escape(f) for f in sorted(firsts, key=lambda f: (-len(f), f))) or "(?!)")


def mention_frame(nlp: Language, gazetteer: Gazetteer, texts: Iterable[tuple[str, str, str]]) -> pd.DataFrame:
    """Mentions of ``(key, field, text)`` triples as a tidy frame: one row per mention × municipality.

    Only the texts where some name could start (:func:`candidates`, most texts have none) go through spaCy."""
    maybe = candidates(nlp)
    rows = []
    for key, field, text in texts:
        if not isinstance(text, str) or not text or (maybe is not None and not maybe.search(text)):
            continue
        for m in find_mentions(nlp, gazetteer, text):
            for municipality in m.municipalities:
                rows.append({"key": key, "field": field, "name": m.name, "municipality": municipality,
                             "n_candidates": len(m.municipalities), "context": m.context,
                             "start_char": m.start_char})
    columns = ["key", "field", "name", "municipality", "n_candidates", "context", "start_char"]
    return pd.DataFrame(rows, columns=columns)
