"""Mentions found the quick way are the mentions spaCy finds in every text.

``mention_frame`` sends only the texts where some municipality name could start through spaCy
(``gazetteer.candidates``), and ``mention_links`` picks each excerpt's first mention of a municipality with one
sort instead of a loop over groups. The yardstick is the old way, kept here: every text through spaCy, a loop over
(excerpt, municipality) groups. Both run on every excerpt of the shipped corpus and on SYNTHETIC excerpts
(tests/bench/synthetic.py), which mention municipalities at the shipped corpus's rate.
"""

from __future__ import annotations

import pandas as pd
import pytest
from bolyst.stats import analysis
from bolyst.stats.gazetteer import build_gazetteer, candidates, find_mentions, make_nlp, mention_frame
from bolyst.stats.links import LINK_COLUMNS, mention_links

from tests.bench.synthetic import excerpt_text, learn, pick_lang
from tests.test_matrix_reference import assert_same


def reference_mention_links(excerpts: pd.DataFrame, gazetteer) -> pd.DataFrame:
    nlp = make_nlp(gazetteer)
    rows = []
    for r in excerpts.sort_values("id").itertuples():
        for field in ("text", "place_description"):
            text = getattr(r, field)
            if not isinstance(text, str) or not text:
                continue
            for m in find_mentions(nlp, gazetteer, text):  # every text through spaCy
                for municipality in m.municipalities:
                    rows.append({"key": r.id, "field": field, "name": m.name, "municipality": municipality,
                                 "n_candidates": len(m.municipalities), "context": m.context,
                                 "start_char": m.start_char})
    found = pd.DataFrame(rows, columns=["key", "field", "name", "municipality", "n_candidates", "context",
                                        "start_char"])
    links = []
    for (excerpt, municipality), group in found.groupby(["key", "municipality"], sort=True):
        first = group.sort_values(["field", "start_char"]).iloc[0]
        where = "text" if first["field"] == "text" else "place description"
        reason = f"«{first['name']}» in the {where} ({first['context']})"
        if first["n_candidates"] > 1:
            reason += f"; ambiguous: {first['n_candidates']} municipalities carry the name"
        links.append((excerpt, municipality, "mention", 1 / first["n_candidates"], reason, None))
    return pd.DataFrame(links, columns=LINK_COLUMNS)


@pytest.fixture(scope="module")
def shipped(built_db):
    data = analysis.inputs(built_db)
    return data["excerpts"], build_gazetteer(data["names"])


def synthetic_excerpts(n: int) -> pd.DataFrame:
    """SYNTHETIC excerpt texts from the bigram chain of tests/bench/synthetic.py (seeded)."""
    import random

    chains, rng = learn(), random.Random(5)
    return pd.DataFrame({"id": [f"synthetic-{i:04d}" for i in range(n)],
                         "text": [excerpt_text(rng, chains, pick_lang(rng)) for _ in range(n)],
                         "place_description": [None] * n})


def test_every_shipped_excerpt_has_the_mentions_spacy_finds(shipped):
    excerpts, gazetteer = shipped
    got, want = mention_links(excerpts, gazetteer), reference_mention_links(excerpts, gazetteer)
    assert len(want) > 100 and (want["weight"] < 1).any()  # mentions, some ambiguous
    assert_same(got, want)


def test_synthetic_excerpts_have_the_mentions_spacy_finds(shipped):
    _, gazetteer = shipped
    excerpts = synthetic_excerpts(1500)
    got, want = mention_links(excerpts, gazetteer), reference_mention_links(excerpts, gazetteer)
    assert len(want) > 50
    assert_same(got, want)


def test_the_quick_test_passes_every_text_with_a_name_and_skips_most_others(shipped):
    excerpts, gazetteer = shipped
    nlp = make_nlp(gazetteer)
    maybe = candidates(nlp)
    texts = [t for t in excerpts["text"].tolist() + excerpts["place_description"].tolist() if isinstance(t, str)]
    named = [t for t in texts if find_mentions(nlp, gazetteer, t)]
    assert named and all(maybe.search(t) for t in named)
    assert sum(1 for t in texts if maybe.search(t)) < len(texts) / 2  # the point: most texts skip spaCy
    frame = mention_frame(nlp, gazetteer, [(str(i), "text", t) for i, t in enumerate(texts)])
    assert frame["key"].nunique() == len(named)
