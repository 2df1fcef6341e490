"""Which excerpts a human coder read (coding/decisions.py ``Reading``): the shipped coders read the shipped
documents, not a document a project imports later. An unread excerpt is neither a negative training example
for the model nor an "absent" in the agreement tables.

The imported document here is SYNTHETIC (made up by this test), added beside the real shipped corpus.
"""

from __future__ import annotations

import shutil

import sqlite_utils
from bolyst.coding import CODING_DIR
from bolyst.coding.agreement import ratings_from_db
from bolyst.coding.build import load_sources, read_db_excerpts
from bolyst.coding.coder import Text
from bolyst.coding.decisions import Decision, Reading
from bolyst.coding.model import training_texts
from bolyst.coding.writer import split_rows

NEW = [Text(f"synthetic-imported/{i}", f"Synthetic text {i}: vi flyttet hit for jobben.", "nb") for i in range(3)]


def test_a_document_is_read_by_the_coders_who_made_a_decision_in_it():
    reading = Reading.of([("lead", "fafo/a", "documents"), ("dev", "page/b", "devset"), ("both", "x/c", "all")])
    assert reading.read("lead", "fafo/z", devset=False)  # another excerpt of a document the coder coded
    assert not reading.read("lead", "other/z", devset=False)  # a document without a decision of theirs
    assert not reading.read("lead", "page/b", devset=True)  # the development set is not in their scope
    assert reading.read("dev", "never-decided/q", devset=True)  # the development set is read whole
    assert not reading.read("dev", "fafo/a", devset=False)
    assert reading.read("both", "never-decided/q", devset=True) and not reading.read("both", "y/q", devset=False)


def test_the_model_does_not_learn_an_unread_document_as_negative(built_db):
    excerpts = read_db_excerpts(built_db)
    book, decisions = load_sources(CODING_DIR, {e.id for e in excerpts})
    split_of = book.splits(split_rows(built_db))
    before = training_texts(book, excerpts, decisions, split_of)
    split_of = {**split_of, **{t.id: "training" for t in NEW}}
    with_new = training_texts(book, excerpts + NEW, decisions, split_of)
    assert with_new == before  # nobody read the imported document: it teaches nothing, not "no theme"
    read = [*decisions, Decision("lead-researcher", NEW[0].id, "push", "reject")]
    examples = {e.id: e for e in training_texts(book, excerpts + NEW, read, split_of)}
    # one decision in the document: the coder read all of it, and the excerpts without a code carry none
    assert all(examples[t.id].themes == (("lead-researcher", ()),) for t in NEW)
    assert len(examples) == len(before) + len(NEW)


def test_agreement_counts_an_unread_document_as_not_coded(built_db_path, tmp_path):
    path = tmp_path / "kb.db"
    shutil.copy(built_db_path, path)
    db = sqlite_utils.Database(path)
    db["excerpt_splits"].insert_all({"excerpt": t.id, "split": "training", "lang": "nb", "source_group": None}
                                    for t in NEW)

    def units(coder: str) -> frozenset[str]:
        return next(r.units for r in ratings_from_db(db)[0] if r.coder == coder)

    shipped = units("lead-researcher")
    assert shipped and not shipped & {t.id for t in NEW}
    assert {t.id for t in NEW} <= units("auto")  # the rules coded everything
    db["coding_decisions"].insert({"id": "synthetic-reject", "coder": "second-coder", "excerpt": NEW[1].id,
                                   "code": "push", "action": "reject", "in_force": 1, "scope": "documents"})
    assert {t.id for t in NEW} <= units("second-coder")
    assert units("lead-researcher") == shipped
