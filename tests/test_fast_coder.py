"""The fast coder codes exactly as the reference one: every excerpt of the shipped corpus (the seed documents and
the development set), both codebooks (shipped and the test fixture), one process and two.

The reference pipelines are the components as first written (spaCy's sentencizer and Matcher, lemmas and
concepts token by token): ``load_nlp(book, reference=True)``. Speed is measured in ``make bench``, not here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bolyst.coding import CODING_DIR
from bolyst.coding.codebook import load_codebook
from bolyst.coding.coder import Text, code, load_nlp
from bolyst.coding.nlp import SPANS_KEY, codable
from bolyst.coding.suggest import doc_features
from bolyst.corpus.reader import read_corpus

FIXTURE = Path(__file__).parent / "fixtures" / "coding" / "codebook.yaml"
EDGES = ["", "Hei.", "...", "Hva?! Ja. «Nei.» Så", "Vi har ingen venner her. De var så ensomme.",
         "Vi flyttet ikke på grunn av jobben, men vi ville kanskje flyttet hvis det var jobb der.",
         "Det er ikkje lett å få jobb her , så vi flytta til byen !"]


@pytest.fixture(scope="module")
def texts() -> list[Text]:
    corpus = read_corpus()
    found = [Text(e.id, e.text, e.lang) for e in codable(corpus.excerpts)]
    groups = {s.id: s.group for s in corpus.sources}
    assert {groups[t.id.split("/")[0]] for t in found} == {None, "devset"}  # seed documents and the devset
    return found + [Text(f"edge/{i}", t, lang) for i, t in enumerate(EDGES) for lang in ("nb", "nn", "en")]


@pytest.mark.parametrize("codebook", [CODING_DIR / "codebook.yaml", FIXTURE], ids=["shipped", "fixture"])
def test_fast_coder_codes_as_the_reference(texts, codebook):
    book = load_codebook(codebook)
    fast, reference = load_nlp(book), load_nlp(book, reference=True)
    assert fast.by_lang["nb"].get_pipe("sentencizer") is not reference.by_lang["nb"].get_pipe("sentencizer")
    docs_fast, docs_ref = [], []
    got = list(code(fast, texts, lambda e, d: docs_fast.append(d)))
    want = list(code(reference, texts, lambda e, d: docs_ref.append(d)))
    assert got == want
    assert len(want) > (20 if codebook == FIXTURE else 500)  # the corpus does get coded
    for a, b in zip(docs_fast, docs_ref):  # what the learned layer and modality read is the same too
        assert a._.concepts == b._.concepts
        assert doc_features(a) == doc_features(b)
        assert [t.is_sent_start for t in a] == [t.is_sent_start for t in b]
        assert [(s.start, s.end, s.id_, s._.modality, s._.cue) for s in a.spans.get(SPANS_KEY, [])] == \
               [(s.start, s.end, s.id_, s._.modality, s._.cue) for s in b.spans.get(SPANS_KEY, [])]


def test_two_processes_code_as_one(texts):
    nlp = load_nlp(load_codebook(CODING_DIR / "codebook.yaml"))
    sample = texts[::3]
    one, two = [], []
    want = list(code(nlp, sample, on_features=lambda e, f: one.append((e.id, f))))
    assert list(code(nlp, sample, jobs=2, on_features=lambda e, f: two.append((e.id, f)))) == want
    assert one == two and len(one) == len(sample)
    with pytest.raises(ValueError, match="on_doc"):
        list(code(nlp, sample, on_doc=lambda e, d: None, jobs=2))
