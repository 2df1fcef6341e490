"""End-to-end build of the shipped knowledge base: complete, repeatable, atomic."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils

from bolyst.corpus.errors import ErrorList
from bolyst.corpus.reader import read_corpus
from bolyst.site.build import Paths, all_tables, build


def dump(path: Path) -> list[tuple]:
    """Every row of every table, in a stable order (the database's content, not its bytes)."""
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("select name from sqlite_master where type='table' order by name")]
    rows = []
    for name in names:
        rows += sorted(((name, *row) for row in conn.execute(f"select * from [{name}]")), key=repr)
    conn.close()
    return rows


def differences(one: Path, other: Path, shown: int = 3) -> dict[str, dict]:
    """Per table whose rows differ: how many rows only one side has, and the first few of them.

    Compare with ``assert not differences(a, b)``, never ``dump(a) == dump(b)``: on a failure pytest diffs the
    two lists with difflib, which is quadratic and ran for over an hour on a 100k-row database.
    """
    mine, theirs = Counter(dump(one)), Counter(dump(other))
    out: dict[str, dict] = {}
    for side, rows in (("only_first", mine - theirs), ("only_second", theirs - mine)):
        for row, count in sorted(rows.items(), key=repr):
            table = out.setdefault(row[0], {"only_first": 0, "only_second": 0, "examples": []})
            table[side] += count
            if len(table["examples"]) < shown:
                table["examples"].append((side, repr(row[1:])[:200]))
    return out


def test_build_writes_every_declared_table_and_all_excerpts(built_db):
    declared = {t.name for t in all_tables()}
    assert declared <= set(built_db.table_names())
    corpus = read_corpus()
    assert built_db["excerpts"].count == len(corpus.excerpts)
    assert built_db["findings"].count == len(corpus.findings)
    row = built_db.execute(
        "select e.text, sp.label, e.speaker_role, e.landsdel, e.citation from excerpts e "
        "join speakers sp on sp.id = e.speaker where e.text = 'Alle kjenner meg her.' or e.text = 'Alle kjenner meg her'"
    ).fetchone()
    assert row is not None and row[1] == "Amina" and row[2] == "refugee" and row[3] == "Nord-Norge"
    assert row[4].startswith("Fafo-rapport 2025:14, 4.2 Grunner til å bli boende")


def test_two_builds_give_identical_content(built_db_path, tmp_path):
    again = tmp_path / "again.db"
    build(again)
    assert not differences(again, built_db_path)


def test_failed_build_leaves_previous_database_in_place(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "seeds").mkdir(parents=True)
    (corpus / "seeds" / "d.txt").write_text("Ord for ord.\n", encoding="utf-8")
    folder = corpus / "sources" / "d"
    folder.mkdir(parents=True)
    (folder / "source.yaml").write_text("id: d\nseed: d.txt\ntitle: D\n", encoding="utf-8")
    (folder / "excerpts.yaml").write_text(
        "source: d\nexcerpts:\n  - id: a\n    kind: quote\n    lines: [1, 1]\n    text: Ord for ord.\n",
        encoding="utf-8")
    db_path = tmp_path / "kb.db"
    paths = Paths(corpus=corpus, coding=tmp_path / "no-coding")  # the real codebook cites real excerpts
    build(db_path, paths)
    assert sqlite_utils.Database(db_path)["excerpts"].count == 1
    (folder / "excerpts.yaml").write_text(
        "source: d\nexcerpts:\n  - id: a\n    kind: quote\n    lines: [1, 1]\n    text: Ord for ORD.\n",
        encoding="utf-8")
    with pytest.raises(ErrorList, match="not verbatim"):
        build(db_path, paths)
    assert sqlite_utils.Database(db_path)["excerpts"].get("d/a")["text"] == "Ord for ord."
    assert not (tmp_path / "kb.db.building").exists()
