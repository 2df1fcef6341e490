"""``bolyst_modality``: marks codebook matches said under negation or as a hypothetical.

A match is **negated** when a negation cue («ikke», «ikkje», «aldri», «ingen», «uten», «ikke lenger» …)
stands in the same clause up to ``negation_before`` tokens before it («jeg er *ikke* ensom», «jeg har
*aldri* følt meg ensom»), or when an adverbial negation («ikke», «aldri», «ikke lenger»: the ``negation_after``
cues) stands up to ``negation_after`` tokens after it (Norwegian puts «ikke» after the finite verb: «vi
trives *ikke* her»); «uten», «ingen» after a match negate what follows them, not the match («vi bodde langt
ute *uten* bil»). It is **hypothetical** when a hypothetical cue («kunne tenke seg», «vurderer», «skulle
ønske» …) stands up to ``hypothetical_before`` tokens before it in the same clause, or when a conditional
(«hvis», «dersom») does and its clause is the speaker's own or unreal: a first-person subject or an irrealis
modal («skulle», «ville», «kunne») between the conditional and the match («*hvis* jeg skulle flytte»,
«*dersom* vi blir ensomme»). A conditional stating a general rule or regularity stays asserted («hvis du
skal bo her må du være del av lokalsamfunnet», «… bli forsterket dersom flyktningen ikke føler
tilhørighet»), and «kanskje» is a hedge, not a hypothetical («de har kanskje følt utenforskapet»). Anything
else is **asserted**.

A clause ends at punctuation (, ; : – — ( ) . ! ?), at a sentence boundary and at a conjunction or
subordinator («men», «og», «fordi», «at», «som», «når» …), so «jeg er ikke ensom, men jeg savner familien»
leaves «savner familien» asserted. Pseudo-negations («ikke bare», «ikke minst», «ikke sant», «ikke rart»)
are not cues.

Where a negation or hypothetical is *what the rule is about* (a rule for «ikke lenger hjemme», or for
«kunne tenke seg å flytte»), the rule's pattern names the cue's words (``{LOWER: "ikke"}``, ``{LEMMA:
{IN: ["kan", "kunne"]}}``, or a phrase containing them): such a cue inside the match does not cancel it.
A cue a pattern only swallows through a wildcard or a ``NOT_IN`` token («ikke tilhørighet» matched by
``[{LEMMA: {NOT_IN: [...]}}, {LEMMA: "tilhørighet"}]``) still does. Results: ``span._.modality``
("asserted" | "negated" | "hypothetical") and ``span._.cue`` (the cue's text).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

#: Default cues per rule language. "a|b c" is two tokens: the first "a" or "b", then "c" (lower case).
CUES: dict[str, dict[str, list[str]]] = {
    "nb": {
        "negation": ["ikke", "ikkje", "aldri", "ingen", "ingenting", "intet", "verken", "hverken", "uten",
                     "utan", "ikke lenger", "ikkje lenger"],
        "hypothetical": ["kan|kunne|vil|ville tenke meg|deg|seg|oss|dere", "vurderer|vurdere|vurderte|vurdert",
                         "skulle ønske"],
        "conditional": ["hvis", "dersom", "viss"],
        # a conditional clause with one of these between the cue and the match is the speaker's own or unreal
        "conditional_marks": ["jeg", "eg", "vi", "me", "meg", "oss", "skulle", "ville", "kunne"],
        "negation_after": ["ikke", "ikkje", "aldri", "ikke lenger", "ikkje lenger"],
        "pseudo": ["ikke bare", "ikkje berre", "ikke minst", "ikkje minst", "ikke sant", "ikke rart",
                   "ikke så rart", "ikke uten"],
        "boundary": ["men", "og", "eller", "fordi", "at", "som", "når", "mens"],
    },
    "en": {
        "negation": ["not", "n't", "never", "no", "nobody", "nothing", "without", "neither", "nor", "no longer"],
        "hypothetical": ["would", "might", "maybe", "perhaps", "could imagine", "consider|considering|considered"],
        "conditional": ["if", "unless"],
        "conditional_marks": ["i", "we", "me", "us", "would", "could", "should", "were", "might"],
        "negation_after": ["not", "n't", "never", "no longer"],
        "pseudo": ["not only", "not just", "no doubt", "not least"],
        "boundary": ["but", "and", "or", "because", "which", "who", "when", "while"],
    },
}
#: Nynorsk: the Bokmål cues (they already list «ikkje», «utan») with Nynorsk's own words added.
CUES["nn"] = {
    **CUES["nb"],
    "negation": CUES["nb"]["negation"] + ["inga", "ingenting", "korkje", "ikkje meir"],
    "hypothetical": CUES["nb"]["hypothetical"] + ["kan|kunne|vil|ville tenkje meg|deg|seg|oss|dykk",
                                                  "skulle ynskje|ønskje"],
    "conditional": ["viss", "dersom", "om"],
    "negation_after": CUES["nb"]["negation_after"] + ["ikkje meir"],
    "boundary": CUES["nb"]["boundary"] + ["medan", "då"],
}
PUNCT_BOUNDARIES = {",", ";", ":", "–", "—", "-", "(", ")", ".", "!", "?", "…"}
ASSERTED, NEGATED, HYPOTHETICAL = "asserted", "negated", "hypothetical"

for _name, _default in (("modality", ASSERTED), ("cue", None)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)


@dataclass(frozen=True)
class Cue:
    kind: str  # negation | hypothetical | conditional
    start: int
    end: int
    text: str = ""  # lower case


def named_words(pattern: str | list[dict]) -> set[str]:
    """Lower-case words a pattern asks for by name (not those it excludes with NOT_IN or matches by REGEX)."""
    if isinstance(pattern, str):
        return {w.lower() for w in pattern.split()}
    words: set[str] = set()
    for token in pattern:
        for attr, value in token.items():
            if attr.upper() in ("OP", "IS_PUNCT") or isinstance(value, bool):
                continue
            if isinstance(value, str):
                words.add(value.lower())
            elif isinstance(value, dict):
                words.update(str(v).lower() for v in value.get("IN", value.get("in", [])))
    return words


def cue_pattern(cue: str) -> list[dict]:
    return [{"LOWER": {"IN": part.split("|")}} for part in cue.split()]


class Modality:
    """Pipeline component: sets ``_.modality`` and ``_.cue`` on every span in ``doc.spans[spans_key]``."""

    def __init__(self, nlp: Language, spans_key: str, cues: dict[str, list[str]], negation_before: int,
                 negation_after: int, hypothetical_before: int, ruler: str = "span_ruler",
                 reference: bool = False) -> None:
        vocab = nlp.vocab
        self.reference = reference  # find cues with spaCy's Matcher (the regression tests' yardstick)
        self.nlp, self.ruler = nlp, ruler
        self._named: dict[str, frozenset[str]] | None = None
        self.spans_key = spans_key
        self.boundaries = set(cues.get("boundary", ())) | PUNCT_BOUNDARIES
        self.negation_before, self.negation_after = negation_before, negation_after
        self.hypothetical_before = hypothetical_before
        self.conditional_marks = frozenset(cues.get("conditional_marks", ()))
        # cue lists without "negation_after" keep the old behaviour: every negation cue reaches back
        self.negation_after_cues = (frozenset(cues["negation_after"]) if "negation_after" in cues
                                    else frozenset(cues.get("negation", ())))
        self.matcher = Matcher(vocab, validate=True)
        # the same cue patterns as a table: first word's hash -> (kind, each word's alternatives as hashes)
        self._first: dict[int, list[tuple[str, tuple[frozenset[int], ...]]]] = {}
        for kind in ("negation", "hypothetical", "conditional", "pseudo"):
            if cues.get(kind):
                self.matcher.add(kind, [cue_pattern(c) for c in cues[kind]])
                for cue in cues[kind]:
                    parts = tuple(frozenset(map(get_string_id, part.split("|"))) for part in cue.split())
                    for first in parts[0]:
                        self._first.setdefault(first, []).append((kind, parts))

    def matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(kind, start, end) of every cue pattern in ``doc``: what the Matcher finds, read from the lower-case
        array (the patterns are plain word sequences, so a table lookup per word does)."""
        lowers = doc.to_array(LOWER).tolist() if len(doc) else []
        first, n = self._first, len(lowers)
        found = set()
        for i, low in enumerate(lowers):
            for kind, parts in first.get(low, ()):
                end = i + len(parts)
                if end <= n and all(lowers[i + j] in part for j, part in enumerate(parts)):
                    found.add((kind, i, end))
        return list(found)

    def cues(self, doc: Doc, reference: bool = False) -> list[Cue]:
        """Cues in the text, longest first where they overlap, without those inside a pseudo-negation.
        ``reference``: found by spaCy's Matcher (the regression tests compare the two)."""
        found = ([(doc.vocab.strings[m], s, e) for m, s, e in self.matcher(doc)] if reference
                 else sorted(self.matches(doc), key=lambda f: (f[1], f[2], f[0])))
        found = sorted(found, key=lambda f: (f[1], f[1] - f[2]))
        pseudo = [(s, e) for kind, s, e in found if kind == "pseudo"]
        cues: list[Cue] = []
        for kind, s, e in found:
            if kind == "pseudo" or any(ps <= s < pe for ps, pe in pseudo):
                continue
            if not any(c.kind == kind and c.start <= s and e <= c.end for c in cues):
                cues.append(Cue(kind, s, e, doc[s:e].text.lower()))
        return cues

    def open_between(self, doc: Doc, start: int, end: int) -> bool:
        """True when tokens start..end-1 hold no clause boundary and token ``end`` starts no sentence."""
        if any(doc[i].lower_ in self.boundaries for i in range(start, end)):
            return False
        return not any(doc[i].is_sent_start for i in range(start, min(end + 1, len(doc))) if i > 0)

    def named(self, rule_id: str) -> frozenset[str]:
        """Words the rule's pattern names (read once from the pipeline's span_ruler)."""
        if self._named is None:
            patterns = self.nlp.get_pipe(self.ruler).patterns if self.ruler in self.nlp.pipe_names else []
            self._named = {p.get("id", ""): frozenset(named_words(p["pattern"])) for p in patterns}
            if "bolyst_frames" in self.nlp.pipe_names:  # a frame names the words of its concepts
                self._named.update(self.nlp.get_pipe("bolyst_frames").named_words())
        return self._named.get(rule_id, frozenset())

    def frame_rules(self) -> frozenset[str]:
        if "bolyst_frames" not in self.nlp.pipe_names:
            return frozenset()
        return self.nlp.get_pipe("bolyst_frames").rule_ids

    def reaches(self, doc: Doc, span: Span, cue: Cue) -> bool:
        """Does ``cue`` govern the match ``span``?"""
        if span.start <= cue.start and cue.end <= span.end:  # inside: unless the rule names the cue's words
            named = self.named(span.id_)
            if all(t.lower_ in named or t.lemma_ in named for t in doc[cue.start:cue.end]):
                return False
            if span.id_ in self.frame_rules():  # a frame spans a sentence: bolyst_frames judged negation inside
                return cue.kind == "hypothetical" or (cue.kind == "conditional" and self.unreal(doc, cue, span))
            return True
        if cue.end <= span.start:
            limit = self.negation_before if cue.kind == "negation" else self.hypothetical_before
            if cue.kind == "conditional" and not self.unreal(doc, cue, span):
                return False
            return span.start - cue.end <= limit and self.open_between(doc, cue.end, span.start)
        if cue.start >= span.end and cue.kind == "negation" and cue.text in self.negation_after_cues:
            return cue.start - span.end <= self.negation_after and self.open_between(doc, span.end, cue.start)
        return False

    def unreal(self, doc: Doc, cue: Cue, span: Span) -> bool:
        """Is the conditional clause from ``cue`` to the end of ``span`` the speaker's own or irrealis?"""
        return any(doc[i].lower_ in self.conditional_marks for i in range(cue.end, span.end))

    def judge(self, doc: Doc, span: Span, cues: list[Cue]) -> tuple[str, str | None]:
        verdict: tuple[str, str | None] = (ASSERTED, None)
        for cue in cues:
            if self.reaches(doc, span, cue):
                text = doc[cue.start:cue.end].text
                if cue.kind == "negation":
                    return NEGATED, text
                verdict = (HYPOTHETICAL, text)  # a hypothetical or a reaching conditional cue
        return verdict

    def __call__(self, doc: Doc) -> Doc:
        spans = doc.spans.get(self.spans_key, [])
        if len(spans):
            cues = self.cues(doc, self.reference)
            for span in spans:
                span._.modality, span._.cue = self.judge(doc, span, cues)
        return doc


@Language.factory("bolyst_modality", default_config={
    "spans_key": "codebook", "lang": "nb", "cues": None, "negation_before": 3, "negation_after": 2,
    "hypothetical_before": 6, "reference": False})
def make_modality(nlp: Language, name: str, spans_key: str, lang: str, cues: dict[str, list[str]] | None,
                  negation_before: int, negation_after: int, hypothetical_before: int,
                  reference: bool = False) -> Modality:
    """``cues`` overrides the default cue lists of ``lang`` (keys negation, negation_after, hypothetical,
    conditional, conditional_marks, pseudo, boundary)."""
    return Modality(nlp, spans_key, cues or CUES[lang], negation_before, negation_after, hypothetical_before,
                    reference=reference)
