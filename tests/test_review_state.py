"""Origin and review state on every coding, and evidence = confirmed: in the database, every export format and
the pages. The real knowledge base, copied, with the case the evidence issue reported put back in: a rule's
push.climate coding of «Klimaet er ikke noe problem» (Vestvågøy) that nobody reviewed."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3

import pytest  # noqa: F401
import sqlite_utils
from bolyst.coding.writer import refresh_statuses
from bolyst.site.export.evidence import export
from bolyst.site.export.filters import Filters
from bolyst.site.pages.site import render_target, resolve
from bolyst.site.pages.store import Store
from bs4 import BeautifulSoup
from docx import Document

VESTVAGOY = "nibr-derfor-blir-vi-her/familieinnvandrer-vestvagoy-lofoten-patriot"
CLIMATE = "Klimaet er ikke noe problem"
HEADING = "Forslag fra automatisk koding, ikke kontrollert"  # exports are Norwegian unless lang="en"


@pytest.fixture(scope="module")
def kb(built_db_path, tmp_path_factory):
    """A copy of the built knowledge base with the reported unreviewed rule coding, and a rejected one."""
    path = tmp_path_factory.mktemp("rs") / "bolyst.db"
    shutil.copy(built_db_path, path)
    db = sqlite_utils.Database(path)
    text = db["excerpts"].get(VESTVAGOY)["text"]
    start = text.index(CLIMATE)
    db["codings"].insert({"id": f"auto:test-climate@{VESTVAGOY}:{start}-{start + len(CLIMATE)}", "excerpt": VESTVAGOY,
                          "code": "push.climate", "theme": "push", "coder": "auto", "origin": "rule",
                          "span_start": start, "span_end": start + len(CLIMATE), "span_text": CLIMATE, "score": 0.6,
                          "status": "suggested"})
    # a rule's push.loneliness on the same excerpt that a human rejects (as `bolyst review import` records it)
    span = text.index("Hvis jeg skulle flyttet")
    db["codings"].insert_all([
        {"id": f"auto:test-lonely@{VESTVAGOY}:{span}-{span + 23}", "excerpt": VESTVAGOY, "code": "push.loneliness",
         "theme": "push", "coder": "auto", "origin": "rule", "span_start": span, "span_end": span + 23,
         "span_text": text[span:span + 23], "score": 0.7, "status": "suggested"},
        {"id": f"human:tester@{VESTVAGOY}:push.loneliness", "excerpt": VESTVAGOY, "code": "push.loneliness",
         "theme": "push", "coder": "tester", "origin": "human", "score": 1.0, "status": "rejected",
         "review_state": "rejected", "action": "reject", "decided": "2026-12-07"}])
    rejected = (VESTVAGOY, "push.loneliness")
    refresh_statuses(db)
    db.conn.commit()
    return db, rejected


def test_every_coding_has_origin_and_review_state(kb):
    db, _ = kb
    rows = dict(((o, s), n) for o, s, n in db.execute(
        "select origin, review_state, count(*) from codings group by 1, 2").fetchall())
    assert {o for o, _ in rows} <= {"human", "rule", "model", "llm"}
    assert {s for _, s in rows} <= {"confirmed", "rejected", "unreviewed"}
    assert rows[("rule", "unreviewed")] >= 1 and rows[("human", "confirmed")] >= 1
    assert not db.execute("select count(*) from codings where origin = 'human' and review_state = 'unreviewed'"
                          ).fetchone()[0]  # a human coding is confirmed (or rejected) by its coder
    assert db.execute("select review_state, origins from excerpt_codes where excerpt = ? and code = 'push.climate'",
                      [VESTVAGOY]).fetchone() == ("unreviewed", "rule")


def test_metadata_describes_and_facets_review_state():
    from bolyst.site.serve.metadata import build_metadata

    table = build_metadata()["databases"]["bolyst"]["tables"]["codings"]
    assert "confirmed" in table["columns"]["review_state"] and "llm" in table["columns"]["origin"]
    assert {"review_state", "origin"} <= set(table["facets"])


def push_ids(db, fmt_data: dict) -> set[str]:
    return {e for t in fmt_data["themes"] if t["id"] == "push" for e in t["excerpts"]}


def test_default_export_leaves_the_unreviewed_rule_coding_out_in_every_format(kb):
    db, _ = kb
    data = json.loads(export(db, Filters(code="push"), "json"))
    assert VESTVAGOY not in push_ids(db, data)
    assert VESTVAGOY not in {q["excerpt"] for q in data["excerpts"]}
    assert all(c["review_state"] == "confirmed" for q in data["excerpts"] for c in q["codes"])
    theme = next(t for t in data["themes"] if t["id"] == "push")
    assert theme["n_unreviewed"] >= 1 and theme["unreviewed_suggestions"] == []
    md = export(db, Filters(code="push"), "md").decode()
    assert CLIMATE not in md and HEADING not in md and "med bare ukontrollerte automatiske forslag (utelatt" in md
    rows = list(csv.DictReader(io.StringIO(export(db, Filters(code="push"), "csv").decode("utf-8-sig"))))
    assert VESTVAGOY not in {r["excerpt"] for r in rows}
    assert {r["review_state"] for r in rows} == {"confirmed"}
    assert all("| confirmed)" in r["codes"] and "unreviewed" not in r["codes"] for r in rows)
    doc = "\n".join(p.text for p in Document(io.BytesIO(export(db, Filters(code="push"), "docx"))).paragraphs)
    assert CLIMATE not in doc and "bekreftet av en person" in doc


def test_include_unreviewed_lists_them_apart_and_marked_in_every_format(kb):
    db, _ = kb
    wanted = Filters(code="push", include_unreviewed=True)
    data = json.loads(export(db, wanted, "json"))
    theme = next(t for t in data["themes"] if t["id"] == "push")
    assert VESTVAGOY in theme["unreviewed_suggestions"] and VESTVAGOY not in theme["excerpts"]
    quote = next(q for q in data["excerpts"] if q["excerpt"] == VESTVAGOY)
    assert {"code": "push.climate", "label": db["codes"].get("push.climate")["label_nb"], "theme": "push",
            "origins": "rule", "review_state": "unreviewed",
            "label_en": db["codes"].get("push.climate")["label_en"]} in quote["codes"]
    assert quote["review_state"] == "confirmed"  # retain.belonging is a human's: the quote is evidence of retain
    assert quote["page"] == f"/-/bolyst/excerpt/{VESTVAGOY.replace('/', '_')}/index.html"
    md = export(db, wanted, "md").decode()
    head, _, suggestions = md.partition(f"### {HEADING}")
    assert suggestions and CLIMATE.replace(" ", " ") in suggestions and CLIMATE not in head.split("## Push")[-1]
    block = suggestions[suggestions.index(CLIMATE) - 400: suggestions.index(CLIMATE)]
    assert "**[Ikke kontrollert: automatisk forslag]**" in block
    assert "push.climate; regel; ikke kontrollert" in suggestions
    rows = list(csv.DictReader(io.StringIO(export(db, wanted, "csv").decode("utf-8-sig"))))
    row = next(r for r in rows if r["excerpt"] == VESTVAGOY)
    assert "push.climate (rule | unreviewed)" in row["codes"].split("; ") and "push" in row["unreviewed_themes"]
    doc = Document(io.BytesIO(export(db, wanted, "docx")))
    texts = [p.text for p in doc.paragraphs]
    assert HEADING in texts
    after = texts[texts.index(HEADING):]
    assert any(CLIMATE in t for t in after) and "[Ikke kontrollert: automatisk forslag]" in after


def test_rejected_codings_never_appear(kb):
    db, (excerpt, code) = kb
    assert {r[0] for r in db.execute("select review_state from codings where excerpt = ? and code = ?",
                                     [excerpt, code])} == {"rejected"}
    for flag in (False, True):
        data = json.loads(export(db, Filters(include_unreviewed=flag), "json"))
        codes = {c["code"] for q in data["excerpts"] if q["excerpt"] == excerpt for c in q["codes"]}
        assert code not in codes and (flag is False or "push.climate" in codes)
        assert excerpt not in export(db, Filters(code=code, include_unreviewed=flag), "md").decode()


def test_pages_show_origin_state_and_counts(kb):
    db, _ = kb
    store = Store(sqlite3.connect(db.conn.execute("pragma database_list").fetchone()[2]))
    soup = BeautifulSoup(render_target(store, resolve("code/push.climate/")), "html.parser")
    confirmed, suggestions = soup.select_one("section[aria-labelledby=quotes]"), soup.select_one(
        "section.suggestions")
    assert "Forslag fra automatisk koding, ikke kontrollert" in suggestions.h2.get_text()
    card = suggestions.select_one(f"#q-{VESTVAGOY.replace('/', '-')}")
    assert card is not None and VESTVAGOY.replace("/", "-") not in str(confirmed)
    label = card.select_one("li.code[data-code='push.climate']")
    assert label["data-origin"] == "rule" and label["data-state"] == "unreviewed"
    assert "ikke kontrollert" in label.get_text()
    assert card.select_one("a.pagelink")["href"].endswith(
        "excerpt/nibr-derfor-blir-vi-her_familieinnvandrer-vestvagoy-lofoten-patriot/index.html")
    n_unreviewed = db.execute("select count(distinct excerpt) from excerpt_codes where code = 'push.climate' and "
                              "review_state = 'unreviewed' and excerpt not in (select excerpt from excerpt_codes "
                              "where code = 'push.climate' and review_state = 'confirmed')").fetchone()[0]
    assert f"({n_unreviewed})" in suggestions.h2.get_text()
    for card in soup.select("figure.excerpt"):  # every quote card says what it is evidence of
        assert card.select("li.code") and all(li["data-origin"] and li["data-state"] for li in card.select("li.code"))
    page = BeautifulSoup(render_target(store, resolve(f"excerpt/{VESTVAGOY.replace('/', '_')}/")), "html.parser")
    states = [tr["class"][0] for tr in page.select("table.codings tbody tr")]
    assert "unreviewed" in states and "confirmed" in states


def test_xlsx_export_carries_review_state_and_stores_text_not_formulas(kb, tmp_path):
    from openpyxl import load_workbook

    db, _ = kb
    for flag, present in ((False, False), (True, True)):
        path = tmp_path / f"e{flag}.xlsx"
        path.write_bytes(export(db, Filters(code="push", include_unreviewed=flag), "xlsx"))
        sheet = load_workbook(path)["evidence"]
        values = list(sheet.iter_rows(values_only=True))
        header, rows = values[0], [dict(zip(values[0], r)) for r in values[1:]]
        assert {"review_state", "codes", "origins", "unreviewed_themes"} <= set(header)
        row = next((r for r in rows if r["excerpt"] == VESTVAGOY), None)
        assert (row is not None) == present
        if present:
            assert "push.climate (rule | unreviewed)" in row["codes"]
        assert all(c.data_type == "s" for r in sheet.iter_rows(min_row=2) for c in r if isinstance(c.value, str))


async def test_the_excerpt_page_a_quote_links_to_is_served(datasette):
    response = await datasette.client.get(f"/-/bolyst/excerpt/{VESTVAGOY.replace('/', '_')}/index.html")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert CLIMATE in page.select_one("figure.excerpt blockquote").get_text()
    assert {tr["class"][0] for tr in page.select("table.codings tbody tr")} == {"confirmed"}


@pytest.mark.parametrize("code", [None, "push"])
def test_the_note_counts_the_quotes_whose_suggestions_are_not_evidence(kb, code):
    """With a theme filter: the quotes only a suggestion of that theme brought in (left out); without one: the
    quotes whose codes are all suggestions (kept, with no theme). Counted here straight from excerpt_codes."""
    from bolyst.site.export.evidence import evidence

    db, _ = kb
    per_theme = ("select excerpt from excerpt_codes {where} group by excerpt "
                 "having max(review_state = 'unreviewed') and not max(review_state = 'confirmed')")
    where = "where theme = 'push'" if code else ""
    expected = db.execute(f"select count(*) from ({per_theme.format(where=where)})").fetchone()[0]
    notes = evidence(db, Filters(code=code)).notes
    said = [n for n in notes if "bare automatiske forslag" in n]
    assert expected > 0 and said and said[0].startswith(f"{expected} utdrag ")
