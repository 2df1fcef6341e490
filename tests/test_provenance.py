"""Nothing invented: every excerpt and finding occurs verbatim in the seed lines it cites."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bolyst.corpus import SEEDS_DIR
from bolyst.corpus import seeds as seeds_module
from bolyst.corpus.provenance import check_provenance
from bolyst.corpus.reader import read_corpus
from bolyst.corpus.seeds import Seeds, provenance_text
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


# SYNTHETIC seed tables written for these tests: a CSV seed is read as its cells, one per line.
TABLE = ('source,text\ns,Her er det trygt for barna.\ns,"To linjer\ni én celle."\ns,Arbeids-\n'
         's,markedet er lite.\ns,"  mellomrom   rundt "\ns,Her er det trygt\n')


def test_a_csv_seed_answers_as_the_full_search_does():
    seed = provenance_text(TABLE, csv_seed=True)
    probes = [*seed.text.split("\n"), "Her er det trygt", "er lite. s", "Arbeidsmarkedet er lite.",
              "markedet er lite. s Her", "To linjer i én celle.", "barna. s", "Her er det utrygt", "Arbeids-"]
    assert [seed.holds(p) for p in probes] == [occurs_in(p, seed.text) for p in probes]
    assert not seed.holds("Her er det utrygt") and seed.holds("mellomrom rundt")


def test_a_csv_excerpt_that_is_a_cell_is_found_without_searching_the_seed(monkeypatch):
    rows = [f"s,Syntetisk utdrag nummer {i} om å bli boende." for i in range(2000)]
    seed = provenance_text("source,text\n" + "\n".join(rows) + "\n", csv_seed=True)
    searched = []
    monkeypatch.setattr(seeds_module, "occurs_in", lambda *args: searched.append(args) or False)
    assert all(seed.holds(f"Syntetisk utdrag nummer {i} om å bli boende.") for i in range(2000))
    assert searched == []
    assert not seed.holds("Syntetisk utdrag nummer 2000 om å bli boende.") and len(searched) == 1


def test_sources_citing_the_same_table_share_one_prepared_seed(tmp_path):
    seeds = Seeds(tmp_path, {"a.csv": TABLE, "b.csv": TABLE})
    (tmp_path / "c.csv").write_text(TABLE, encoding="utf-8")
    assert seeds.for_provenance("a.csv") is seeds.for_provenance("b.csv") is seeds.for_provenance("c.csv")
    assert seeds.line_count("c.csv") == seeds.line_count("a.csv") == TABLE.count("\n") + 1
    assert seeds.exists("b.csv") and seeds.exists("c.csv") and not seeds.exists("d.csv")
