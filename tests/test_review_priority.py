"""`bolyst review` puts the most uncertain suggestions first: a small hand-made case (synthetic excerpts written
for this test) in a real SQLite database with the stages' own tables."""

from __future__ import annotations

import sqlite_utils
from bolyst.coding import schema as coding_schema
from bolyst.coding.priority import score
from bolyst.coding.review import review_rows
from bolyst.coding.writer import refresh_statuses
from bolyst.corpus import schema as corpus_schema
from bolyst.corpus.shape import ensure_shape
from bolyst.site.cli.main import cli
from click.testing import CliRunner

CODES = [("push", None, "push", 0), ("push.climate", "push", "push", 1), ("push.loneliness", "push", "push", 1),
         ("stay", None, "stay", 0)]


def hand_made(path=None) -> sqlite_utils.Database:
    """Five synthetic excerpts and their automatic suggestions:

    e1 push.climate by the rules only, and the code's measured κ is low (0.1)
    e2 push by the model only, score 0.81 at threshold 0.80 (near it); rules silent
    e3 push.loneliness by the rules and push by the model: coders agree, κ high (0.9)
    e4 stay by the rules, confirmed by a human (reviewed)
    e5 push.loneliness by the rules and push by the model; two humans disagree on push.loneliness
    """
    db = sqlite_utils.Database(path or memory())
    ensure_shape(db, corpus_schema.TABLES + coding_schema.TABLES, coding_schema.VIEWS)
    db["sources"].insert({"id": "syn", "title": "Synthetic", "citation": "Synthetic test source."})
    for n in range(1, 6):
        db["excerpts"].insert({"id": f"syn/e{n}", "source": "syn", "text": f"Synthetic excerpt {n}.", "lang": "nb",
                               "citation": f"Synthetic, l. {n}."})
        db["excerpt_splits"].insert({"excerpt": f"syn/e{n}", "split": "test", "lang": "nb"})
    db["codes"].insert_all({"id": i, "parent": p, "theme": t, "depth": d, "label_nb": i, "label_en": i,
                            "path": " › ".join(x for x in (p, i) if x), "position": k}
                           for k, (i, p, t, d) in enumerate(CODES))
    db["coding_models"].insert({"id": "model", "threshold": 0.8})

    def auto(excerpt, code, origin="rule", score=0.7):
        theme = code.split(".")[0]
        db["codings"].insert({"id": f"{origin}:{code}@{excerpt}", "excerpt": excerpt, "code": code, "theme": theme,
                              "coder": "auto" if origin == "rule" else "model", "origin": origin,
                              "span_text": "Synthetic", "score": score, "status": "suggested"})

    def human(excerpt, code, coder, action):
        db["codings"].insert({"id": f"human:{coder}@{excerpt}:{code}", "excerpt": excerpt, "code": code,
                              "theme": code.split(".")[0], "coder": coder, "origin": "human", "score": 1.0,
                              "status": "rejected" if action == "reject" else "human", "action": action})

    auto("syn/e1", "push.climate")
    auto("syn/e2", "push", "model", 0.81)
    auto("syn/e3", "push.loneliness")
    auto("syn/e3", "push", "model", 0.99)
    auto("syn/e4", "stay")
    human("syn/e4", "stay", "ann", "accept")
    auto("syn/e5", "push.loneliness")
    auto("syn/e5", "push", "model", 0.99)
    human("syn/e5", "push.loneliness", "ann", "accept")
    human("syn/e5", "push.loneliness", "bob", "reject")
    db["agreement_kappa"].insert_all(
        {"level": "code", "code": c, "theme": "push", "split": "test", "lang": "all", "units": "corpus",
         "coder_a": "combined", "coder_b": "ref", "kappa": k}
        for c, k in (("push.climate", 0.1), ("push.loneliness", 0.9), ("push", 0.5)))
    refresh_statuses(db)
    return db


def memory():
    import sqlite3

    return sqlite3.connect(":memory:")


def test_most_uncertain_first():
    rows = review_rows(hand_made())
    order = [(r["excerpt"], r["code"]) for r in rows]
    assert order == [("syn/e2", "push"),  # coders split and the model's score is near its threshold
                     ("syn/e1", "push.climate"),  # coders split and the code's κ is low
                     ("syn/e5", "push.loneliness"),  # humans disagree, but the code's κ is high
                     ("syn/e3", "push"),  # the coders agree; the model is sure
                     ("syn/e3", "push.loneliness"),  # the coders agree and the code's κ is high
                     ("syn/e4", "stay"), ("syn/e5", "push")]  # reviewed: last, without a score
    assert [r["uncertainty"] for r in rows] == [0.894, 0.68, 0.52, 0.286, 0.02, "", ""]
    first = rows[0]
    assert first["why"] == ("automatic coders split: model apply push, auto do not; model score 0.81 (threshold "
                            "0.80); κ of the automatic coder 0.50")
    assert first["uncertainty"] == round(0.5 * 1 + 0.3 * (1 - 0.01 / 0.5) + 0.2 * 0.5, 3)
    assert first["model_score"] == 0.81 and first["origins"] == "model"


def test_filters_and_evidence_beside_each():
    db = hand_made()
    assert {r["code"] for r in review_rows(db, code="push.climate", unreviewed_only=True)} == {"push.climate"}
    assert review_rows(db, lang="en") == []
    assert {r["source"] for r in review_rows(db, source="syn")} == {"syn"}
    rows = review_rows(db, theme="push", unreviewed_only=True)
    assert {r["review_state"] for r in rows} == {"unreviewed"} and all(r["evidence"] for r in rows)


def test_signals_are_explained():
    signals, why = score({"code": "x", "theme": "push", "status": "disputed"}, {"auto"}, {"auto"}, None, 0.5)
    assert signals == {"disagreement": 1.0, "closeness": 0.0, "weakness": 0.5}
    assert why == ["human coders disagree", "κ x not measured"]


def test_cli_review_list_prints_the_most_uncertain_with_evidence(tmp_path):
    path = tmp_path / "syn.db"
    hand_made(str(path)).conn.commit()
    result = CliRunner().invoke(cli, ["review", "list", "--db", str(path), "--limit", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "5 unreviewed suggestion(s); the 2 most uncertain:"
    assert lines[2].startswith("0.") and "push" in lines[2] and "syn/e2" in lines[2] and "[model]" in lines[2]
    assert "evidence: (learned model: whole excerpt, no span)" in result.output
