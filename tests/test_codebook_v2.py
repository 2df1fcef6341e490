"""Codebook v2 on the shipped codebook: each code of the framework fires in Bokmål, Nynorsk and English on what it
means, and not on negated or hypothetical versions; frames and concepts behave as coding/FORMAT.md says."""

from __future__ import annotations

from pathlib import Path

import pytest
from bolyst.coding import CODING_DIR
from bolyst.coding.build import cached_nlp
from bolyst.coding.codebook import load_codebook
from bolyst.coding.coder import Text, code
from bolyst.corpus.language import detect

# (code, sentence) — short sentences written for this test (not corpus text), one per language and code
FIRES = [
    ("push.origin_conflict", "Vi flyktet fra krigen i Syria."),
    ("push.origin_conflict", "Dei flykta frå krigen."),
    ("push.origin_conflict", "We fled the war in Eritrea."),
    ("push.origin_economy", "Det var fattigdom og arbeidsledighet i Polen."),
    ("push.origin_economy", "Dei var fattige, og det fanst inga framtid heime."),
    ("push.origin_economy", "There was poverty and no future at home."),
    ("push.loneliness", "Vi var så ensomme her."),
    ("push.loneliness", "Eg var einsam heile vinteren."),
    ("push.loneliness", "I was lonely in the village."),
    ("push.climate", "Mørketida var tung for oss."),
    ("push.climate", "Vinteren er vanskeleg for oss."),
    ("push.climate", "The dark winters were hard."),
    ("push.narrow_jobs", "Det er ingen jobber her."),
    ("push.narrow_jobs", "Han var arbeidslaus i to år."),
    ("push.narrow_jobs", "There are no jobs in the village."),
    ("pull.family_friends", "Vi flyttet for å være nærmere familien."),
    ("pull.family_friends", "Dei ville bu nær familien."),
    ("pull.family_friends", "We moved to be closer to family."),
    ("pull.job_variety", "De flyttet dit de fikk jobb."),
    ("pull.job_variety", "Dei flytta dit fordi dei fekk arbeid."),
    ("pull.job_variety", "They moved for work."),
    ("pull.return_home", "Han vil tilbake til hjemlandet."),
    ("pull.return_home", "Ho flytta heim til Polen."),
    ("pull.return_home", "He returned to his home country."),
    ("pull.safety_freedom", "Vi kom hit for å være trygge."),
    ("pull.safety_freedom", "Dei kom hit for fridomen."),
    ("pull.safety_freedom", "We came to Norway for freedom."),
    ("stay.moving_fatigue", "Vi har flyttet nok."),
    ("stay.moving_fatigue", "Eg orkar ikkje å byrje på nytt."),
    ("stay.moving_fatigue", "We were tired of moving."),
    ("stay.home_ownership", "Vi har kjøpt hus her."),
    ("stay.home_ownership", "Dei har kjøpt hus i bygda."),
    ("stay.home_ownership", "We bought a house here."),
    ("stay.family_ties", "Mannen min har jobb her."),
    ("stay.family_ties", "Mannen min har arbeid her, så vi blir verande."),
    ("stay.family_ties", "My husband works here."),
    ("stay.constraints", "Vi har ikke råd til å flytte."),
    ("stay.constraints", "Vi har ikkje råd til å flytte."),
    ("stay.constraints", "We cannot afford to move."),
    ("retain.thriving", "Vi trives godt her."),
    ("retain.thriving", "Vi trivst i bygda."),
    ("retain.thriving", "We feel at home here."),
    ("retain.welcome", "Vi ble tatt godt imot."),
    ("retain.welcome", "Folka er hjelpsame."),
    ("retain.welcome", "The locals were very welcoming."),
    ("retain.safety_children", "Det er trygt for barna her."),
    ("retain.safety_children", "Noreg er eit trygt land."),
    ("retain.safety_children", "It is a safe place for children."),
]
NOT = [
    "Jeg er ikke ensom.",  # negated
    "Eg har aldri vore einsam her.",
    "I never felt lonely.",
    "Kulda er ikke noe problem.",
    "The winter is not a problem.",
    "Vi trives ikke her.",
    "Hvis jeg skulle flytte, ville det være for jobbens skyld.",  # the speaker's own hypothetical
    "Det er 300 innbyggere i kommunen.",  # statistics, no reason
    "Kommunen bosatte 20 flyktninger i fjor.",
    "The municipality settled 20 refugees last year.",
]


@pytest.fixture(scope="module")
def nlp():
    return cached_nlp(load_codebook(CODING_DIR / "codebook.yaml"))


def codes(nlp, sentence: str) -> set[str]:
    return {c.code for c in code(nlp, [Text("t", sentence, detect(sentence))])}


def test_every_language_is_covered():
    langs = {(c, detect(s)) for c, s in FIRES}
    for code_id in {c for c, _ in FIRES}:
        assert {lang for c, lang in langs if c == code_id} == {"nb", "nn", "en"}, code_id


@pytest.mark.parametrize(("code_id", "sentence"), FIRES)
def test_code_fires_on_what_it_means(nlp, code_id, sentence):
    assert code_id in codes(nlp, sentence), sentence


@pytest.mark.parametrize("sentence", NOT)
def test_no_theme_on_negated_hypothetical_or_administrative_text(nlp, sentence):
    assert codes(nlp, sentence) == set(), sentence


def test_every_code_with_rules_has_examples_in_two_languages_at_least():
    book = load_codebook(CODING_DIR / "codebook.yaml")
    for c in book.codes:
        sentences = [s for r in c.rules for s in r.examples]
        if c.rules:
            assert len({detect(s) for s in sentences}) >= 2, c.id


# --------------------------------------------------------------- frames and concepts on a synthetic codebook

SYNTHETIC = """\
concepts:
  job: {nor: [jobb, arbeid], en: [job, work]}
  move: {nor: [flytte], en: [move, moved]}
  afford: {nor: [ikke råd, ikkje råd], en: ["n't afford", not afford]}
codes:
  - id: pull
    label: {nb: "Pull", en: "Pull"}
    definition: "Draws."
    rules:
      - id: pull.move-job
        frame: [move, job]
        examples: ["Vi flyttet for jobben.", "We moved for the job."]
  - id: stay
    label: {nb: "Stay", en: "Stay"}
    definition: "Stays."
    rules:
      - id: stay.afford
        frame: [afford]
        examples: ["Vi har ikke råd."]
      - id: stay.pattern
        lang: nor
        pattern: [{LEMMA: "bli"}, {CONCEPT: job}]
        examples: ["bli jobb"]
"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path: Path = tmp_path_factory.mktemp("codebook") / "codebook.yaml"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return cached_nlp(load_codebook(path))


def spans(nlp, text: str, lang: str) -> list[tuple[str, str]]:
    return [(c.rule, c.text) for c in code(nlp, [Text("t", text, lang)])]


def test_a_frame_holds_in_any_order_and_language_and_spans_its_words(synthetic):
    assert spans(synthetic, "Vi flyttet hit på grunn av jobben.", "nb") == [
        ("pull.move-job", "flyttet hit på grunn av jobben")]
    assert spans(synthetic, "Jobben var grunnen til at vi flytta.", "nn") == [
        ("pull.move-job", "Jobben var grunnen til at vi flytta")]
    assert spans(synthetic, "Work was why we moved.", "en") == [("pull.move-job", "Work was why we moved")]


def test_a_frame_needs_every_concept_in_one_sentence(synthetic):
    assert spans(synthetic, "Vi flyttet. Jobben kom senere.", "nb") == []


def test_a_negation_inside_a_frame_cancels_it_unless_the_concept_owns_it(synthetic):
    assert spans(synthetic, "Vi flyttet ikke for jobben.", "nb") == []
    assert spans(synthetic, "Vi har ikke råd.", "nb") == [("stay.afford", "ikke råd")]
    assert spans(synthetic, "We can't afford it.", "en") == [("stay.afford", "n't afford")]


def test_a_concept_token_in_a_pattern_stands_for_its_words(synthetic):
    assert spans(synthetic, "Vi vil bli jobb.", "nb") == [("stay.pattern", "bli jobb")]
    assert spans(synthetic, "Vi vil bli arbeid.", "nn") == [("stay.pattern", "bli arbeid")]


def test_an_unknown_concept_is_a_codebook_error(tmp_path):
    from bolyst.corpus.errors import ErrorList

    path = tmp_path / "codebook.yaml"
    path.write_text(SYNTHETIC.replace("frame: [move, job]", "frame: [move, jobs]"), encoding="utf-8")
    with pytest.raises(ErrorList, match="unknown concept.s. in frame: jobs"):
        load_codebook(path)


def test_each_code_says_which_place_it_is_about():
    book = load_codebook(CODING_DIR / "codebook.yaml")
    assert {t: book.about(t) for t in book.themes} == {
        "push": "place_left", "pull": "destination", "stay": "current_place", "retain": "current_place"}
    assert book.about("push.origin_conflict") == book.about("pull.return_home") == "origin"
    assert book.about("push.climate") == "place_left"  # inherited from its theme
    assert all(book.about(c.id) for c in book.codes)


def test_a_bad_about_is_a_codebook_error(tmp_path):
    from bolyst.corpus.errors import ErrorList

    path = tmp_path / "codebook.yaml"
    path.write_text(SYNTHETIC.replace('    definition: "Draws."', '    definition: "Draws."\n    about: there'),
                    encoding="utf-8")
    with pytest.raises(ErrorList, match="about is 'there' — use one of: origin, place_left"):
        load_codebook(path)
