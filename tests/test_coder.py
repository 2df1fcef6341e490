"""The automatic coder on the synthetic fixture codebook: lemmas, spans, themes, negation and hypotheticals."""

from __future__ import annotations

from pathlib import Path

import pytest
from bolyst.coding.build import cached_nlp
from bolyst.coding.codebook import load_codebook
from bolyst.coding.coder import Coding, Pipelines, Text, code
from bolyst.coding.nlp import SPANS_KEY
from bolyst.corpus.errors import CorpusFormatError

FIXTURE = Path(__file__).parent / "fixtures" / "coding" / "codebook.yaml"


@pytest.fixture(scope="module")
def nlp() -> Pipelines:
    return cached_nlp(load_codebook(FIXTURE))


def rules(nlp: Pipelines, text: str, lang: str = "nb") -> list[str]:
    return [c.rule for c in code(nlp, [Text("t", text, lang)])]


def marks(nlp: Pipelines, text: str, lang: str = "nb") -> list[tuple[str, str, str | None]]:
    """(matched text, modality, cue) of every codebook match, as the modality component left them."""
    doc = nlp.for_lang(lang)(text)
    return [(s.text, s._.modality, s._.cue) for s in doc.spans[SPANS_KEY]]


def test_pipeline_components(nlp):
    assert set(nlp.by_lang) == {"nb", "nn", "en"}
    assert nlp.by_lang["nb"].pipe_names == ["sentencizer", "bolyst_lemmatizer", "span_ruler", "bolyst_frames",
                                            "bolyst_modality"]
    assert nlp.by_lang["nn"].get_pipe("bolyst_lemmatizer").lang == "nn"
    ruler = nlp.by_lang["nb"].get_pipe("span_ruler")
    assert "push.loneliness.ensom" in ruler.ids and "push.loneliness.lonely" not in ruler.ids
    assert nlp.by_lang["en"].get_pipe("span_ruler").ids == ("push.loneliness.lonely",)


def test_coding_records_rule_span_theme_and_score(nlp):
    text = "Vi har ingen venner her. De var så ensomme."
    assert list(code(nlp, [Text("src/x", text)])) == [
        Coding("src/x", "push.loneliness.no-friends", "push", "push.loneliness.no-friends.ingen-venner",
               7, 19, "ingen venner", 0.9),
        Coding("src/x", "push.loneliness", "push", "push.loneliness.ensom", 35, 42, "ensomme", 0.8),
    ]
    assert text[7:19] == "ingen venner" and text[35:42] == "ensomme"


def test_lemmas_let_one_rule_meet_inflected_forms(nlp):
    for sentence in ("Vi flyttet til Oslo.", "De flytter til byen.", "Hun vil flytte til Oslo."):
        assert rules(nlp, sentence) == ["pull.flytte-til-byen"], sentence


def test_excerpts_come_out_in_input_order_with_their_language(nlp):
    excerpts = [Text("b", "We were lonely.", "en"), Text("a", "Vi trives godt her.", "nb"),
                Text("c", "Eg er ofte ensom.", "nn")]
    assert [(c.excerpt, c.rule) for c in code(nlp, excerpts)] == [
        ("b", "push.loneliness.lonely"), ("a", "stay.trives"), ("c", "push.loneliness.ensom")]


def test_unknown_language_is_a_clear_error(nlp):
    with pytest.raises(CorpusFormatError, match="excerpt 'x': cannot code language 'de'"):
        list(code(nlp, [Text("x", "Ich bin einsam.", "de")]))


@pytest.mark.parametrize(("text", "expected"), [
    # negation before the match, within three tokens of the same clause
    ("Jeg er ikke ensom.", [("ensom", "negated", "ikke")]),
    ("Han har aldri følt seg ensom.", [("ensom", "negated", "aldri")]),
    ("Jeg er ikke lenger ensom.", [("ensom", "negated", "ikke lenger")]),
    ("Eg er ikkje ensom.", [("ensom", "negated", "ikkje")]),
    # Norwegian puts «ikke» after the finite verb: negation up to two tokens after the match
    ("Vi trives ikke her.", [("trives", "negated", "ikke")]),
    ("Vi trives egentlig ikke her.", [("trives", "negated", "ikke")]),
    # «uten», «ingen» after a match negate what follows them; only «ikke», «aldri» reach back
    ("Hun var ensom uten venner.", [("ensom", "asserted", None)]),
    ("Vi trives aldri her.", [("trives", "negated", "aldri")]),
    # hypotheticals before the match, within six tokens of the same clause; a conditional only when its
    # clause is the speaker's own (first person) or unreal (skulle, ville, kunne)
    ("Hvis jeg skulle flytte til byen, ville jeg få jobb.", [("flytte til byen", "hypothetical", "Hvis")]),
    ("Dersom vi blir ensomme, flytter vi.", [("ensomme", "hypothetical", "Dersom")]),
    ("Dersom hun skulle bli ensom, flytter hun.", [("ensom", "hypothetical", "Dersom")]),
    # … a conditional stating a general rule or regularity stays asserted, and «kanskje» is a hedge
    ("Dersom flyktningen blir ensom, flytter hun.", [("ensom", "asserted", None)]),
    ("Hvis man bor her blir man ensom.", [("ensom", "asserted", None)]),
    ("De var kanskje ensomme.", [("ensomme", "asserted", None)]),
    ("Jeg kunne tenke meg å flytte til Oslo.", [("kunne tenke meg å flytte", "asserted", None),
                                                ("flytte til Oslo", "hypothetical", "kunne tenke meg")]),
    # a cue inside the match is part of the rule when the pattern names it, else it still negates
    ("Vi vil ikke lenger flytte.", [("ikke lenger flytte", "asserted", None)]),
    ("Vi føler ikke tilhørighet her.", [("ikke tilhørighet", "negated", "ikke")]),
    ("Vi føler sterk tilhørighet her.", [("sterk tilhørighet", "asserted", None)]),
    # clause and sentence boundaries end a cue's reach; pseudo-negations are no cues
    ("Jeg er ikke sint, men jeg er ensom.", [("ensom", "asserted", None)]),
    ("Jeg er ikke sint og trives her.", [("trives", "asserted", None)]),
    ("Jeg vet ikke. Ensom er jeg i hvert fall.", [("Ensom", "asserted", None)]),
    ("Hun var ikke bare ensom.", [("ensom", "asserted", None)]),
    ("Ikke rart at vi trives.", [("trives", "asserted", None)]),
    ("Jeg er ikke helt sikker på hvor ensom.", [("ensom", "asserted", None)]),  # 4 tokens between: out of reach
])
def test_negation_and_hypothetical_marks(nlp, text, expected):
    assert marks(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("I am not lonely.", [("lonely", "negated", "not")]),
    ("I don't feel lonely.", [("lonely", "negated", "n't")]),
    ("We are no longer lonely.", [("lonely", "negated", "no longer")]),
    ("If we were lonely, we would leave.", [("lonely", "hypothetical", "If")]),
    ("If you live there you get lonely.", [("lonely", "asserted", None)]),
    ("Not only were we lonely.", [("lonely", "asserted", None)]),
])
def test_negation_and_hypothetical_marks_in_english(nlp, text, expected):
    assert marks(nlp, text, "en") == expected


def test_only_asserted_matches_become_codings(nlp):
    assert rules(nlp, "Jeg er ikke ensom, men jeg er ensom om vinteren.") == ["push.loneliness.ensom"]
    assert rules(nlp, "Hvis jeg skulle flytte til byen.") == []
    assert rules(nlp, "Jeg kunne tenke meg å flytte til Oslo.") == ["pull.vil-flytte"]


def test_fixture_rules_fire_on_examples_and_not_on_counter_examples(nlp):
    for rule in nlp.codebook.rules:
        for sentence in rule.examples:
            assert rule.id in rules(nlp, sentence, "nb" if rule.lang == "nor" else rule.lang), (rule.id, sentence)
        for sentence in rule.counter_examples:
            assert rule.id not in rules(nlp, sentence, "nb" if rule.lang == "nor" else rule.lang), (rule.id, sentence)
