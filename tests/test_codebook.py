"""The codebook: the real one fires on its examples and not on its counter-examples; bad codebooks are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from bolyst.coding import CODING_DIR
from bolyst.coding.build import cached_nlp
from bolyst.coding.codebook import Codebook, load_codebook
from bolyst.coding.coder import Text, code
from bolyst.coding.nlp import SPANS_KEY
from bolyst.corpus.errors import CodebookError, ErrorList
from bolyst.corpus.language import detect
from bolyst.corpus.reader import read_corpus

REAL = CODING_DIR / "codebook.yaml"
FIXTURE = Path(__file__).parent / "fixtures" / "coding" / "codebook.yaml"


def _real_cases() -> list:
    """(rule id, lang, sentence, should fire) for every example and counter-example of the real codebook."""
    if not REAL.exists():
        return [pytest.param(None, None, None, None, id="no-codebook-yet")]
    book = load_codebook(REAL)
    # a rule for every language ("all", "nor") is checked in the language of each of its sentences
    return [pytest.param(r.id, r.lang if r.lang in ("nb", "nn", "en") else detect(s), s, fires,
                         id=f"{r.id}|{'ex' if fires else 'counter'}{i}")
            for r in book.rules
            for fires, sentences in ((True, r.examples), (False, r.counter_examples))
            for i, s in enumerate(sentences)]


@pytest.fixture(scope="module")
def real_book() -> Codebook:
    return load_codebook(REAL, {e.id for e in read_corpus().excerpts})


def test_real_codebook_loads_against_the_corpus(real_book):
    assert set(real_book.themes) == {"push", "pull", "stay", "retain"}
    assert all(real_book.theme(c.id) in real_book.themes for c in real_book.codes)
    assert 0 < real_book.holdout_share < 1
    assert real_book.rules, "the codebook has no rules"
    assert all(r.examples for r in real_book.rules), "every rule documents sentences it fires on"


@pytest.mark.parametrize(("rule_id", "lang", "sentence", "fires"), _real_cases())
def test_real_rule_fires_on_examples_and_not_on_counter_examples(real_book, rule_id, lang, sentence, fires):
    nlp = cached_nlp(real_book)
    rules = [c.rule for c in code(nlp, [Text("example", sentence, lang)])]
    if (rule_id in rules) is not fires:
        doc = nlp.for_lang(lang)(sentence)
        matches = [(s.text, s._.modality, s._.cue) for s in doc.spans[SPANS_KEY] if s.id_ == rule_id]
        pytest.fail(f"{rule_id} {'should' if fires else 'should not'} fire on {sentence!r}\n"
                    f"  pattern: {real_book.rules_by_id[rule_id].pattern}\n"
                    f"  tokens/lemmas: {[(t.text, t.lemma_) for t in doc]}\n"
                    f"  matches (text, modality, cue): {matches}")


def test_fixture_codebook_tree():
    book = load_codebook(FIXTURE)
    assert book.themes == ("push", "stay", "pull", "retain")
    assert book.ancestors("push.loneliness.no-friends") == ["push.loneliness.no-friends", "push.loneliness", "push"]
    assert book.theme("push.loneliness.no-friends") == "push"
    assert [book.depth(c) for c in ("push", "push.loneliness", "push.loneliness.no-friends")] == [0, 1, 2]
    rule = book.rules_by_id["push.loneliness.no-friends.ingen-venner"]
    assert (rule.code, rule.lang, rule.kind, rule.pattern, rule.score, rule.line) == (
        "push.loneliness.no-friends", "nb", "phrase", "ingen venner", 0.9, 32)
    assert (book.holdout_seed, book.holdout_share) == (7, 0.5)


GOOD = """\
holdout: {seed: 1, share: 0.3}
codes:
  - id: push
    label: {nb: "Push", en: "Push"}
    definition: "Bort."
  - id: push.a
    parent: push
    label: {nb: "A", en: "A"}
    definition: "A."
    examples: [src/known]
    rules:
      - id: push.a.r
        lang: nb
        pattern: [{LEMMA: "ensom"}]
"""


def _errors(tmp_path: Path, text: str, excerpt_ids=None) -> list[str]:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ErrorList) as info:
        load_codebook(path, excerpt_ids)
    assert all(isinstance(e, CodebookError) for e in info.value.errors)
    return [str(e).replace(str(path), "codebook.yaml") for e in info.value.errors]


def test_good_codebook_loads(tmp_path):
    (tmp_path / "codebook.yaml").write_text(GOOD, encoding="utf-8")
    assert [c.id for c in load_codebook(tmp_path / "codebook.yaml", {"src/known"}).codes] == ["push", "push.a"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("parent: push\n", "parent: pusj\n",
     "codebook.yaml, line 6, code 'push.a': unknown parent 'pusj' — parent must be the id of another code in this codebook"),
    ("  - id: push.a\n", "  - id: push\n",
     "codebook.yaml, line 6, code 'push': duplicate code id (first defined on line 3) — give every code a unique id"),
    ('pattern: [{LEMMA: "ensom"}]', 'pattern: [{LEMA: "ensom"}]',
     ("codebook.yaml, line 12, rule 'push.a.r': bad pattern: - [pattern -> 0 -> LEMA] Extra inputs are not permitted"
      ' — a phrase string, a spaCy Matcher token pattern, e.g. [{LEMMA: "ensom"}], or a frame: [concept, concept]')),
    ('pattern: [{LEMMA: "ensom"}]', "pattern: []",
     "codebook.yaml, line 12, rule 'push.a.r': bad pattern: [E012] Cannot add pattern for zero tokens to matcher."),
    ("examples: [src/known]", "examples: [src/unknown]",
     ("codebook.yaml, line 6, code 'push.a': example excerpt 'src/unknown' is not in the corpus"
      " — use an excerpt id '<source>/<excerpt>' that exists")),
    ('    label: {nb: "A", en: "A"}\n', '    label: {nb: "A"}\n',
     "codebook.yaml, line 6, code 'push.a': missing label: needs both nb and en — label: {nb: \"…\", en: \"…\"}"),
    ('    definition: "A."\n', "",
     "codebook.yaml, line 6, code 'push.a': missing 'definition' — add 'definition:' (see coding/FORMAT.md)"),
    ("        lang: nb\n", "        lang: de\n",
     "codebook.yaml, line 12, rule 'push.a.r': lang is 'de' — use one of: nb, nn, nor, en, all"),
    ("    parent: push\n", "    parent: push\n    exclude: x\n",
     ("codebook.yaml, line 6, code 'push.a': unknown field(s) 'exclude' — use only: about, definition, examples, "
      "excludes, id, includes, label, note, notes, parent, rules")),
])
def test_each_kind_of_codebook_error_names_code_or_rule_and_line(tmp_path, old, new, expected):
    assert old in GOOD
    errors = _errors(tmp_path, GOOD.replace(old, new), {"src/known"})
    assert any(e.startswith(expected) for e in errors), errors


def test_duplicate_rule_id_and_several_problems_are_reported_together(tmp_path):
    text = GOOD.replace('    definition: "Bort."\n', "") + (
        "      - id: push.a.r\n        pattern: \"ensom\"\n        score: 3\n")
    assert _errors(tmp_path, text) == [
        "codebook.yaml, line 3, code 'push': missing 'definition' — add 'definition:' (see coding/FORMAT.md)",
        "codebook.yaml, line 14, rule 'push.a.r': score must be a number from 0 to 1, not 3",
        ("codebook.yaml, line 14, rule 'push.a.r': duplicate rule id (first defined on line 11)"
         " — rule ids must be unique across the codebook"),
    ]


def test_parent_cycle_is_refused(tmp_path):
    text = GOOD.replace("    definition: \"Bort.\"\n", "    definition: \"Bort.\"\n    parent: push.a\n")
    errors = _errors(tmp_path, text)
    assert errors[0].startswith("codebook.yaml, line 3, code 'push': parents form a cycle")


def test_not_yaml_is_refused_with_its_line(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text("codes:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"line 3, column 1: not valid YAML"):
        load_codebook(path)
