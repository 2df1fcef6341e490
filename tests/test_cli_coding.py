"""The coding commands through CliRunner, real files written and read back, and Datasette's client."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import sqlite_utils
from bolyst.site.cli.main import cli
from click.testing import CliRunner
from openpyxl import load_workbook

from .coding_support import build_until_coding, fixture_coding_dir

LONELY = "fafo-2025-14/syrisk-flyktning-ostfold-ensomme-i-nord"
OTHER = "fafo-2025-14/amina-grat-hver-dag"


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> tuple[Path, Path]:
    """(database, coding folder): the shipped corpus coded with the fixture codebook (treat as read-only)."""
    folder = tmp_path_factory.mktemp("coded")
    coding = fixture_coding_dir(folder)
    build_until_coding(folder / "kb.db", coding)
    return folder / "kb.db", coding


@pytest.fixture()
def work(coded, tmp_path) -> tuple[Path, Path]:
    """A private copy of ``coded`` for tests that write."""
    db, coding = coded
    shutil.copy(db, tmp_path / "kb.db")
    shutil.copytree(coding, tmp_path / "coding")
    return tmp_path / "kb.db", tmp_path / "coding"


def test_code_jsonl_round_trip(coded):
    _, coding = coded
    lines = [
        {"id": "q1", "text": "Vi har ingen venner her. Jeg er ikke ensom.", "lang": "nb"},
        "this is not json",
        {"id": 7, "text": "We were lonely.", "lang": "en"},
        {"id": "q3", "text": "Hei", "lang": "de"},
        {"id": "q4", "text": "Ingenting å kode."},
        {"id": "q5", "text": "We were so lonely there."},  # no lang: detected
        {"id": "q6", "text": "Jag trivs inte här, vi var ensamma.", "lang": ""},  # Swedish: recorded, not coded
        {"id": "q7", "text": "Hei", "lang": 3},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n"
    result = CliRunner().invoke(cli, ["code", "--jsonl", "-", "--coding-dir", str(coding)], input=stdin)
    assert result.exit_code == 1
    lonely = {"code": "push.loneliness", "theme": "push", "about": None, "origin": "rule", "rule": "push.loneliness.lonely",
              "start": 8, "end": 14, "text": "lonely", "score": 0.8}
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"id": "q1", "lang": "nb", "themes": ["push"], "codes": [
            {"code": "push.loneliness.no-friends", "theme": "push", "about": None, "origin": "rule",
             "rule": "push.loneliness.no-friends.ingen-venner", "start": 7, "end": 19, "text": "ingen venner",
             "score": 0.9}]},
        {"id": 7, "lang": "en", "themes": ["push"], "codes": [lonely]},
        {"id": "q3", "lang": "de", "themes": [], "codes": [], "not_coded": "language de"},
        {"id": "q4", "lang": "nb", "themes": [], "codes": []},
        {"id": "q5", "lang": "en", "themes": ["push"], "codes": [{**lonely, "start": 11, "end": 17}]},
        {"id": "q6", "lang": "sv", "themes": [], "codes": [], "not_coded": "language sv"},
    ]
    assert result.stderr.splitlines() == [
        ('Error: <stdin>, line 2: not JSON (Expecting value at column 1) — each line is one JSON object: '
         '{"id": "…", "text": "…", "lang": "nb"}'),
        ('Error: <stdin>, line 8: \'lang\' of \'q7\' must be a language code such as "nb" — each line is one JSON '
         'object: {"id": "…", "text": "…", "lang": "nb"}'),
        "2 line(s) had errors; the others were coded.",
    ]


def test_code_jsonl_reads_a_file(coded, tmp_path):
    _, coding = coded
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "Vi trives godt her.", "lang": "nb"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["code", "--jsonl", str(path), "--coding-dir", str(coding)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["themes"] == ["stay"]


def test_code_recodes_the_database_and_prints_counts_per_theme(work):
    db_path, coding = work
    db = sqlite_utils.Database(db_path)
    expected = {r["theme"]: r["n"] for r in db.query(
        "select theme, count(distinct excerpt) as n from codings where origin = 'rule' group by theme")}
    db.execute("delete from codings")
    db.conn.commit()
    result = CliRunner().invoke(cli, ["code", "--db", str(db_path), "--coding-dir", str(coding)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: int(line.split()[1]) for line in result.stdout.splitlines()[2:]}
    assert rows == {theme: expected.get(theme, 0) for theme in ("push", "stay", "pull", "retain")}
    assert expected["push"] >= 3 and db["codings"].count > 0


def _fill(rows: list[dict]) -> list[dict]:
    """A coder's work on the exported sheet: accept, reject, add, two mistakes."""
    for row in rows:
        if row["excerpt"] == LONELY and row["code"] == "push.loneliness":
            row["decision"] = "Accept"
    extra = dict(rows[0], excerpt=OTHER, code="stay", decision="add", note='she says "Alle kjenner meg her", it holds her')
    reject = dict(rows[0], excerpt=OTHER, code="push.loneliness", decision="reject", note="")
    unknown_excerpt = dict(rows[0], excerpt="fafo-2025-14/no-such-excerpt", code="stay", decision="add")
    unknown_code = dict(rows[0], excerpt=OTHER, code="stay.nonsense", decision="add")
    return rows + [extra, reject, unknown_excerpt, unknown_code]


def _import(db_path: Path, coding: Path, sheet: Path):
    return CliRunner().invoke(cli, ["review", "import", str(sheet), "--coder", "tester", "--db", str(db_path),
                                    "--coding-dir", str(coding), "--date", "2026-03-01"])


EXPECTED_DECISIONS = f"""\
coder: tester
decisions:
  - excerpt: {LONELY}
    code: push.loneliness
    action: accept
    date: 2026-03-01
  - excerpt: {OTHER}
    code: stay
    action: add
    date: 2026-03-01
    note: she says "Alle kjenner meg her", it holds her
  - excerpt: {OTHER}
    code: push.loneliness
    action: reject
    date: 2026-03-01
"""


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_review_export_import_round_trip(work, tmp_path, suffix):
    db_path, coding = work
    sheet = tmp_path / f"sheet.{suffix}"
    result = CliRunner().invoke(cli, ["review", "export", "--db", str(db_path), "--out", str(sheet)])
    assert result.exit_code == 0, result.output
    rows = _read(sheet)
    db = sqlite_utils.Database(db_path)
    assert len(rows) == db.execute(
        "select count(*) from (select distinct e.id, c.code from excerpts e "
        "left join codings c on c.excerpt = e.id and c.origin = 'rule')").fetchone()[0]
    lonely = next(r for r in rows if r["excerpt"] == LONELY)
    assert (lonely["code"], lonely["theme"], lonely["evidence"], lonely["rules"], lonely["status"]) == (
        "push.loneliness", "push", "ensomme", "push.loneliness.ensom", "suggested")
    assert lonely["citation"] == db["excerpts"].get(LONELY)["citation"]

    _write(sheet, _fill(rows))
    result = _import(db_path, coding, sheet)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        (f"Error: sheet.{suffix}, row {len(rows) + 4}: unknown excerpt 'fafo-2025-14/no-such-excerpt' — keep the "
         "excerpt column as exported"),
        (f"Error: sheet.{suffix}, row {len(rows) + 5}: unknown code 'stay.nonsense' — write a code id from the "
         "'codes' sheet / coding/codebook.yaml"),
        "2 row(s) had errors; the others were imported.",
    ]
    assert (coding / "decisions" / "tester.yaml").read_text(encoding="utf-8") == EXPECTED_DECISIONS
    statuses = {r["id"]: r["status"] for r in db.query("select id, status from codings where excerpt in (?, ?)",
                                                       [LONELY, OTHER])}
    assert statuses == {f"auto:push.loneliness.ensom@{LONELY}:76-83": "accepted",
                        f"human:tester@{LONELY}:push.loneliness": "human",
                        f"human:tester@{OTHER}:stay": "human", f"human:tester@{OTHER}:push.loneliness": "rejected"}

    again = _import(db_path, coding, sheet)  # the same sheet again adds nothing
    assert "Imported 0 decision(s)" in again.stdout and "(3 already recorded)" in again.stdout
    assert (coding / "decisions" / "tester.yaml").read_text(encoding="utf-8") == EXPECTED_DECISIONS


def _read(sheet: Path) -> list[dict]:
    if sheet.suffix == ".csv":
        with sheet.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    ws = load_workbook(sheet)["review"]
    values = list(ws.iter_rows(values_only=True))
    return [{h: ("" if v is None else str(v)) for h, v in zip(values[0], row)} for row in values[1:]]


def _write(sheet: Path, rows: list[dict]) -> None:
    if sheet.suffix == ".csv":
        with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return
    book = load_workbook(sheet)
    ws = book["review"]
    header = [c.value for c in ws[1]]
    ws.delete_rows(2, ws.max_row)
    for row in rows:
        ws.append([row[h] for h in header])
    book.save(sheet)


def test_review_import_refuses_a_bad_coder_id(work, tmp_path):
    db_path, coding = work
    sheet = tmp_path / "s.csv"
    sheet.write_text("excerpt,code,decision\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", "import", str(sheet), "--coder", "auto", "--db", str(db_path),
                                      "--coding-dir", str(coding)])
    assert result.exit_code == 1
    assert result.stderr == "Error: coder is 'auto' — 'auto' is the automatic coder's id\n"


def test_agreement_prints_and_stores(work):
    db_path, coding = work
    (coding / "decisions" / "tester.yaml").write_text(EXPECTED_DECISIONS, encoding="utf-8")
    assert CliRunner().invoke(cli, ["code", "--db", str(db_path), "--coding-dir", str(coding)]).exit_code == 0
    db = sqlite_utils.Database(db_path)
    # tester's file has no scope: it covers the documents tester made a decision in, not the development set
    read = ("select id from excerpts where source_group is null and source in (select e.source from "
            "coding_decisions d join excerpts e on e.id = d.excerpt where d.coder = 'tester')")
    n_excerpts = db.execute(f"select count(*) from ({read})").fetchone()[0]
    auto_push = db.execute("select count(distinct excerpt) from codings where origin = 'rule' and theme = 'push' "
                           f"and excerpt in ({read})").fetchone()[0]
    assert 0 < n_excerpts < db.execute("select count(*) from excerpts where source_group is null").fetchone()[0]
    query = ("select n_units, both, a_only, b_only, neither, units from agreement_kappa where split = 'all' "
             "and lang = 'all' and code = 'push' and coder_a = 'auto' and coder_b = 'tester'")
    # --units corpus (the build's default): tester read every excerpt of those documents; only LONELY carries push
    # for both
    assert db.execute(query).fetchone() == (n_excerpts, 1, auto_push - 1, 0, n_excerpts - auto_push, "corpus")

    result = CliRunner().invoke(cli, ["agreement", "--db", str(db_path), "--units", "decided"])
    assert result.exit_code == 0, result.output
    # --units decided: tester coded the two excerpts with a decision; both apply push to LONELY only
    assert db.execute(query).fetchone() == (2, 1, 0, 0, 1, "decided")
    lines = result.stdout.splitlines()
    assert ["split", "lang", "theme", "coders", "n", "κ", "P", "R", "F1"] in [line.split() for line in lines]
    assert "all       all  push     auto × tester                   2   1.00   1.00   1.00   1.00" in lines


async def test_datasette_shows_codings_facets_and_the_canned_queries(datasette, built_db):
    response = await datasette.client.get("/bolyst/codings.json?_size=0")
    assert response.status_code == 200
    facets = response.json()["facet_results"]
    assert {"theme", "code", "status", "coder", "review_state", "origin"} <= set(facets)
    assert {f["value"] for f in facets["review_state"]["results"]} <= {"confirmed", "rejected", "unreviewed"}
    themes = {f["value"] for f in facets["theme"]["results"]}
    assert themes <= {"push", "pull", "stay", "retain"} and len(themes) >= 3

    response = await datasette.client.get("/bolyst/quotes_for_theme.json?theme=push&_shape=array")
    assert response.status_code == 200
    quotes = response.json()
    assert quotes and all(q["citation"] and q["quote"] and q["codes"] for q in quotes)
    expected = built_db.execute("select count(distinct excerpt) from codings where theme = 'push' "
                                "and status in ('human', 'accepted')").fetchone()[0]
    assert len(quotes) == expected and {q["review_state"] for q in quotes} == {"confirmed"}
    more = (await datasette.client.get("/bolyst/quotes_for_theme.json?theme=push&unreviewed=1&_shape=array")).json()
    assert len(more) > len(quotes) and {q["review_state"] for q in more} == {"confirmed", "unreviewed"}

    excerpt = quotes[0]["excerpt"]
    response = await datasette.client.get(f"/bolyst/codes_of_excerpt.json?excerpt={excerpt}&_shape=array")
    rows = response.json()
    assert rows and {r["theme"] for r in rows} >= {"push"}
    auto = [r for r in rows if r["coder"] == "auto"]
    text = built_db["excerpts"].get(excerpt)["text"]
    assert all(text[r["span_start"]:r["span_end"]] == r["evidence"] for r in auto)


async def test_datasette_shows_agreement_tables(datasette):
    for table in ("agreement_kappa", "agreement_alpha", "agreement_scores", "codes", "code_rules"):
        response = await datasette.client.get(f"/bolyst/{table}.json?_size=1")
        assert response.status_code == 200, table


def test_code_jsonl_with_the_shipped_codebook_and_model_in_three_languages():
    lines = [{"id": "nb", "text": "Vi har flyttet nok, barna skal ikke bytte skole igjen."},
             {"id": "nn", "text": "Vi trivst godt i bygda, folka er hjelpsame."},
             {"id": "en", "text": "We fled the war and came to Norway because it is safe."},
             {"id": "none", "text": "Kommunen bosatte 20 flyktninger i fjor."}]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n"
    result = CliRunner().invoke(cli, ["code", "--jsonl", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    out = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert (out["nb"]["lang"], out["nn"]["lang"], out["en"]["lang"]) == ("nb", "nn", "en")
    assert "stay" in out["nb"]["themes"] and "retain" in out["nn"]["themes"]
    assert {"push", "pull"} <= set(out["en"]["themes"]) and out["none"]["themes"] == []
    abouts = {c["code"]: c["about"] for r in out.values() for c in r["codes"]}
    assert abouts.get("push.origin_conflict", "origin") == "origin" and abouts.get("stay", "current_place") == (
        "current_place")
    assert {c["about"] for r in out.values() for c in r["codes"]} <= {"origin", "place_left", "destination",
                                                                       "current_place"}
    for r in out.values():
        for c in r["codes"]:
            assert c["origin"] in ("rule", "model")
            assert (c["rule"] is None) == (c["origin"] == "model")
        assert set(r["themes"]) == {c["theme"] for c in r["codes"]}
