"""Human coding decisions: checked with file and line, resolved per coder, never lost to automation."""

from __future__ import annotations

import pytest
import sqlite_utils
from bolyst.coding.build import code_corpus
from bolyst.coding.decisions import Decision, append_decisions, latest, read_decisions
from bolyst.corpus.errors import CodingDecisionError, ErrorList

from .coding_support import build_until_coding, fixture_coding_dir

LONELY = "fafo-2025-14/syrisk-flyktning-ostfold-ensomme-i-nord"  # the fixture's «ensom» rule codes it
OTHER = "fafo-2025-14/amina-grat-hver-dag"

DECISIONS = f"""\
# synthetic test decisions
coder: tester
decisions:
  - excerpt: {LONELY}
    code: push.loneliness
    action: accept
    date: 2026-01-02
  - excerpt: {OTHER}
    code: stay
    action: add
    date: 2026-01-02
    note: "«Alle kjenner meg her» — belonging"
  - excerpt: {LONELY}
    code: push.loneliness
    action: reject
    date: 2026-01-03
    note: about others, not the speaker
"""


def test_read_and_resolve_latest_decision(tmp_path):
    (tmp_path / "tester.yaml").write_text(DECISIONS, encoding="utf-8")
    decisions = read_decisions(tmp_path, {LONELY, OTHER}, {"push.loneliness", "stay"}, root=tmp_path.parent)
    assert decisions[1] == Decision("tester", OTHER, "stay", "add", "2026-01-02", "«Alle kjenner meg her» — belonging",
                                    f"{tmp_path.name}/tester.yaml", 8, 1)
    in_force = latest(decisions)
    assert list(in_force) == [("tester", OTHER, "stay"), ("tester", LONELY, "push.loneliness")]
    assert in_force[("tester", LONELY, "push.loneliness")].action == "reject"  # the later entry wins


def test_bad_decisions_name_file_and_line(tmp_path):
    bad = DECISIONS.replace(f"excerpt: {OTHER}", "excerpt: nowhere/nothing").replace(
        "action: reject", "action: maybe").replace("date: 2026-01-03", "date: 3 January")
    (tmp_path / "tester.yaml").write_text(bad, encoding="utf-8")
    (tmp_path / "someone.yaml").write_text("coder: someone-else\ndecisions: []\n", encoding="utf-8")
    with pytest.raises(ErrorList) as info:
        read_decisions(tmp_path, {LONELY, OTHER}, {"push.loneliness", "stay"}, root=tmp_path)
    assert all(isinstance(e, CodingDecisionError) for e in info.value.errors)
    assert [str(e) for e in info.value.errors] == [
        "someone.yaml, line 1: coder is 'someone-else' — use 'coder: someone' (one file per coder, named after the coder)",
        "tester.yaml, line 8: unknown excerpt 'nowhere/nothing' — use an excerpt id '<source>/<excerpt>' from the corpus",
        "tester.yaml, line 13: action is 'maybe' — use one of: add, accept, reject",
        "tester.yaml, line 13: date is '3 January' — write the date as YYYY-MM-DD",
    ]


def test_unknown_code_and_the_auto_coder_id_are_refused(tmp_path):
    (tmp_path / "auto.yaml").write_text("coder: auto\ndecisions: []\n", encoding="utf-8")
    (tmp_path / "tester.yaml").write_text(DECISIONS.replace("code: stay", "code: stya"), encoding="utf-8")
    with pytest.raises(ErrorList) as info:
        read_decisions(tmp_path, None, {"push.loneliness", "stay"}, root=tmp_path)
    assert [str(e) for e in info.value.errors] == [
        "auto.yaml, line 1: coder is 'auto' — 'auto' is the automatic coder's id",
        "tester.yaml, line 8: unknown code 'stya' — use a code id from coding/codebook.yaml",
    ]


def test_append_keeps_earlier_text_byte_for_byte(tmp_path):
    path = tmp_path / "tester.yaml"
    path.write_text(DECISIONS, encoding="utf-8")
    new = Decision("tester", OTHER, "stay", "reject", "2026-02-01", "changed my mind: «nei»")
    assert append_decisions(path, "tester", [new]) == 1
    text = path.read_text(encoding="utf-8")
    assert text.startswith(DECISIONS)
    assert text[len(DECISIONS):] == (f"  - excerpt: {OTHER}\n    code: stay\n    action: reject\n"
                                     "    date: 2026-02-01\n    note: 'changed my mind: «nei»'\n")
    assert latest(read_decisions(tmp_path))[("tester", OTHER, "stay")].note == "changed my mind: «nei»"


def test_append_creates_a_new_coder_file(tmp_path):
    path = tmp_path / "decisions" / "new-coder.yaml"
    path.parent.mkdir()
    append_decisions(path, "new-coder", [Decision("new-coder", OTHER, "stay", "add", "2026-02-01")])
    assert path.read_text(encoding="utf-8") == (
        f"coder: new-coder\ndecisions:\n  - excerpt: {OTHER}\n    code: stay\n    action: add\n    date: 2026-02-01\n")


def _codings(db: sqlite_utils.Database) -> list[tuple]:
    return [tuple(r.values()) for r in db.query(
        "select id, coder, origin, status, action, note from codings where excerpt in (?, ?) order by id",
        [LONELY, OTHER])]


def test_human_decisions_survive_recoding_and_rebuilds(tmp_path):
    coding = fixture_coding_dir(tmp_path)
    db_path = tmp_path / "kb.db"
    build_until_coding(db_path, coding)
    auto_id = f"auto:push.loneliness.ensom@{LONELY}:76-83"
    assert _codings(sqlite_utils.Database(db_path)) == [(auto_id, "auto", "rule", "suggested", None, None)]

    (coding / "decisions" / "tester.yaml").write_text(DECISIONS, encoding="utf-8")
    db = sqlite_utils.Database(db_path)
    with db.conn:
        code_corpus(db, coding)  # re-code the built database
    expected = [
        (auto_id, "auto", "rule", "rejected", None, None),
        (f"human:tester@{OTHER}:stay", "tester", "human", "human", "add", "«Alle kjenner meg her» — belonging"),
        (f"human:tester@{LONELY}:push.loneliness", "tester", "human", "rejected", "reject",
         "about others, not the speaker"),
    ]
    assert _codings(db) == expected
    db.close()

    build_until_coding(db_path, coding)  # rebuild from scratch
    db = sqlite_utils.Database(db_path)
    assert _codings(db) == expected
    assert (coding / "decisions" / "tester.yaml").read_text(encoding="utf-8") == DECISIONS
    assert db["coding_decisions"].count == 3
    push = [r["excerpt"] for r in db.query(_quotes_sql(), {"theme": "push", "unreviewed": ""})]
    stay = {r["excerpt"]: r["coders"] for r in db.query(_quotes_sql(), {"theme": "stay", "unreviewed": ""})}
    assert LONELY not in push  # rejected by the human: not a push quote
    assert stay[OTHER] == "tester"  # added by the human

    # a codebook change (the rule removed) re-codes automatically; the human codings stay
    book = (coding / "codebook.yaml").read_text(encoding="utf-8")
    start = book.index("      - id: push.loneliness.ensom")
    (coding / "codebook.yaml").write_text(book[:start] + book[book.index("      - id: push.loneliness.lonely"):],
                                          encoding="utf-8")
    with db.conn:
        code_corpus(db, coding)
    assert _codings(db) == expected[1:]


def _quotes_sql() -> str:
    from bolyst.coding.schema import QUERIES

    return QUERIES["quotes_for_theme"]["sql"]
