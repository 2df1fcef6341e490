"""Nothing invented: every excerpt and finding occurs verbatim in the seed lines it cites."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bolyst.corpus import SEEDS_DIR
from bolyst.corpus.provenance import check_provenance
from bolyst.corpus.reader import read_corpus
from bolyst.corpus.text import normalise, occurs_in

CORPUS = read_corpus()


def test_every_shipped_excerpt_and_finding_is_verbatim_in_its_seed():
    problems = [str(p) for p in check_provenance(CORPUS, SEEDS_DIR)]
    assert problems == []


@pytest.mark.parametrize("excerpt", CORPUS.excerpts[:40], ids=lambda e: e.id)
def test_a_changed_word_is_caught(excerpt):
    words = excerpt.text.split()
    changed = " ".join(words[:-1] + [words[-1] + "x"])
    tampered = replace(CORPUS, excerpts=[replace(excerpt, text=changed)], findings=[])
    (problem,) = list(check_provenance(tampered, SEEDS_DIR))
    assert excerpt.id.split("/", 1)[1] in str(problem) and "not verbatim" in str(problem)


def test_wrong_lines_are_caught_and_explained():
    excerpt = next(e for e in CORPUS.excerpts if e.line_start and e.line_start > 100)
    moved = replace(excerpt, line_start=1, line_end=3)
    (problem,) = list(check_provenance(replace(CORPUS, excerpts=[moved], findings=[]), SEEDS_DIR))
    assert "it does occur elsewhere in the seed: correct 'lines'" in str(problem)


def test_normalise_repairs_hyphenation_and_wrapping_only():
    assert normalise("kom-\nmune  og\n  by") == "kommune og by"
    assert occurs_in("Nord-Norge", "i Nord-\nNorge")  # a real hyphen at a line end still matches
    assert not occurs_in("Jeg gråt hver dag", "Jeg gråt hver natt")
