"""Evidence exports: each format written to a file and read back, filters and citations in it, text escaped."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from bolyst.corpus.errors import ExportError, UnknownMunicipality
from bolyst.site.cli.main import cli
from bolyst.site.export.evidence import evidence, export
from bolyst.site.export.filters import Filters
from bolyst.site.export.md import escape, markdown
from bolyst.site.export.labels import CodeLabel
from bolyst.site.export.query import Evidence, Quote, Reference, Theme
from bs4 import BeautifulSoup
from click.testing import CliRunner
from docx import Document
from markdown_it import MarkdownIt

TODAY = "2026-11-29"


def write_and_read(db, filters: Filters, fmt: str, tmp_path: Path, lang: str = "en") -> Path:
    path = tmp_path / f"evidence-{lang}.{fmt}"
    path.write_bytes(export(db, filters, fmt, today=TODAY, lang=lang))
    return path


def stay_refugee_quotes(built_db) -> list[dict]:
    """The expected selection, computed independently of the exporter: 'stay' codings of refugees that a person
    confirmed (a human coding, or an automatic one a human accepted)."""
    return list(built_db.query(
        "select distinct e.id, e.text, e.citation, e.source from excerpts e join codings c on c.excerpt = e.id "
        "where (c.code = 'stay' or c.code like 'stay.%') and c.status in ('human', 'accepted') "
        "and e.speaker_role = 'refugee' "
        "order by e.id"))


def test_filters_from_query_args():
    assert Filters.from_args({"theme": "push", "comparables": "1", "centrality": "4", "role": ""}) == \
        Filters(code="push", comparables=True, centrality=4)
    assert Filters.from_args({"code": "pull", "comparables": False, "centrality": None}) == Filters(code="pull")
    with pytest.raises(ExportError, match="centrality"):
        Filters.from_args({"centrality": "9"})


def test_json_export_holds_exactly_the_filtered_quotes_with_citations(built_db, tmp_path):
    expected = stay_refugee_quotes(built_db)
    assert expected, "the shipped corpus has refugees' quotes coded 'stay'"
    data = json.loads(write_and_read(built_db, Filters(code="stay", role="refugee"), "json", tmp_path).read_text("utf-8"))
    assert data["filters"] == {"code": "stay", "role": "refugee"}
    assert data["filter_description"] == ["theme/code: stay (and its sub-codes)", "speaker role: refugee"]
    assert data["exported"] == TODAY and data["database_built"]
    assert sorted(q["excerpt"] for q in data["excerpts"]) == [r["id"] for r in expected]
    by_id = {q["excerpt"]: q for q in data["excerpts"]}
    assert all(by_id[r["id"]]["citation"] == r["citation"] and by_id[r["id"]]["text"] == r["text"] for r in expected)
    assert [t["id"] for t in data["themes"]] == ["stay"]
    sources = {r["source"] for r in expected}
    assert {r["source"] for r in data["references"]} == sources
    assert all(r["citation"] for r in data["references"])


def test_csv_export_reads_back_with_one_row_per_quote(built_db, tmp_path):
    expected = stay_refugee_quotes(built_db)
    raw = write_and_read(built_db, Filters(code="stay", role="refugee"), "csv", tmp_path).read_bytes()
    assert raw.startswith("\ufeff".encode())  # spreadsheets need the BOM to read æøå
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(r["excerpt"] for r in rows) == [r["id"] for r in expected]
    assert {r["filters"] for r in rows} == {"theme/code: stay (and its sub-codes); speaker role: refugee"}
    assert all(r["citation"] and r["reference"] and "stay" in r["themes"].split("; ") for r in rows)
    assert {r["role"] for r in rows} == {"refugee"}


def test_docx_export_has_theme_heading_quotes_citations_and_references(built_db, tmp_path):
    expected = stay_refugee_quotes(built_db)
    doc = Document(str(write_and_read(built_db, Filters(code="stay", role="refugee"), "docx", tmp_path)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    stay_label = built_db.execute("select label_en from codes where id = 'stay'").fetchone()[0]
    # a "Key numbers" table follows when any selected quote names its municipality (exact or mention link)
    named = built_db.execute(
        "select count(*) from excerpt_places where link_type in ('exact', 'mention') and excerpt in ({})".format(
            ",".join("?" * len(expected))), [r["id"] for r in expected]).fetchone()[0]
    assert headings == ["Bolyst evidence", f"{stay_label} (stay)", *(["Key numbers"] if named else []), "References"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Filters: theme/code: stay (and its sub-codes); speaker role: refugee" in text
    assert f"Exported {TODAY}" in text
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert len(quotes) >= len(expected)
    assert all(("— " + r["citation"]) in text for r in expected)
    refs = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    citations = {r["citation"] for r in built_db.query("select citation from sources")}
    assert refs and all(any(c in ref for c in citations) for ref in refs)


def test_markdown_export_states_filters_and_dates(built_db, tmp_path):
    text = write_and_read(built_db, Filters(code="push", source="fafo-2025-14"), "md", tmp_path).read_text("utf-8")
    assert text.startswith("# Bolyst evidence\n")
    assert "**Filters:** theme/code: push (and its sub-codes); source: fafo-2025-14  \n" in text
    assert f"**Exported:** {TODAY} from the Bolyst knowledge base built " in text
    assert "## References" in text and "- **Fafo-rapport 2025:14**: " in text


def test_municipality_filter_with_comparables(built_db, tmp_path):
    if not built_db["comparables"].count:
        pytest.skip("the stats stage has not built comparables in this database yet")
    number, name = built_db.execute(
        "select ep.municipality, m.name from excerpt_places ep join municipalities m on m.number = ep.municipality "
        "where ep.link_type = 'exact' order by 1 limit 1").fetchone()
    found = evidence(built_db, Filters(municipality=name, comparables=True), today=TODAY, lang="en")
    assert found.description[0].startswith(f"municipality: {name} ({number}) and its ")
    assert found.quotes and {n.municipality for n in found.numbers} >= {number}
    assert all(n.year and n.source for n in found.numbers)
    doc = Document(str(write_and_read(built_db, Filters(municipality=number, comparables=True), "docx", tmp_path)))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Municipality", "Indicator", "Value", "Unit", "Year", "Source",
                                                     "Flag"]
    assert any(row.cells[0].text.startswith(f"{name} ({number})") for row in table.rows[1:])


def test_unknown_filters_are_clear_errors(built_db):
    with pytest.raises(ExportError, match="no code 'nonesuch'.*themes: push"):
        export(built_db, Filters(code="nonesuch"), "md")
    with pytest.raises(ExportError, match="no speaker role 'astronaut'"):
        export(built_db, Filters(role="astronaut"), "md")
    with pytest.raises(ExportError, match="unknown export format"):
        export(built_db, Filters(), "pdf")
    if built_db["municipalities"].count:
        with pytest.raises(UnknownMunicipality, match="no municipality 'Atlantis'"):
            export(built_db, Filters(municipality="Atlantis"), "md")


# Synthetic quote (written for this test, not from a source) full of Markdown and HTML syntax.
NASTY = "1. <script>alert('x')</script> *ikke fet* [lenke](javascript:x) & `kode` | æøå\n# ikke overskrift\n- ikke liste"


def synthetic_evidence() -> Evidence:
    quote = Quote(excerpt="syntetisk/test", text=NASTY, kind="quote", speaker="<b>Testperson</b>", role="refugee",
                  place="Nord-Norge", source="syntetisk", citation="Syntetisk <i>kilde</i>, l. 1–2.",
                  codes=(CodeLabel("push", "Push <em>", "push", "human", "confirmed"),), themes=("push",))
    return Evidence(filters={"code": "push"}, description=("theme/code: push",), exported=TODAY, built=TODAY,
                    quotes=(quote,), themes=(Theme("push", "Push *", None, (quote,)),), uncoded=(), numbers=(),
                    references=(Reference("syntetisk", "Syntetisk 2026", "Testforfatter (2026). <Tittel>."),),
                    lang="en")


def test_markdown_escapes_quotes_so_html_rendering_shows_them_verbatim():
    html = MarkdownIt("commonmark").render(markdown(synthetic_evidence()))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find_all(["script", "em", "i", "b", "a", "ol"]) == []
    assert [h.get_text() for h in soup.find_all(["h1", "h2"])] == ["Bolyst evidence", "Push * (push)", "References"]
    assert [el.name for el in soup.find("blockquote").find_all(True)] == ["p"]
    assert [c.get_text() for c in soup.find_all("code")] == [  # the excerpt id and its page
        "syntetisk/test", "/-/bolyst/excerpt/syntetisk_test/index.html"]
    assert soup.find("blockquote").get_text().strip().split("\n") == NASTY.split("\n")
    assert "Syntetisk <i>kilde</i>, l. 1–2." in soup.get_text()


def test_escape_leaves_plain_text_alone():
    assert escape("Vi har flyttet nok nå, sier de.") == "Vi har flyttet nok nå, sier de."
    # no stray escapes where Markdown would read nothing special: '&', '>' mid-line, snake_case, '~'
    assert escape("Kristiansand & Vennesla > 2 km, file_name ~ ok") == "Kristiansand & Vennesla > 2 km, file_name ~ ok"
    assert escape("&amp; _x_") == "\\&amp; \\_x\\_"  # an entity and emphasis stay text


def test_cli_export_writes_docx_and_csv_to_stdout(built_db_path, tmp_path):
    out = tmp_path / "push.docx"
    result = CliRunner().invoke(cli, ["export", str(out), "--db", str(built_db_path), "--theme", "push"])
    assert result.exit_code == 0, result.output
    assert Document(str(out)).paragraphs[0].text == "Bolyst-belegg"  # Norwegian unless --lang en
    result = CliRunner().invoke(cli, ["export", "-", "--format", "csv", "--db", str(built_db_path), "--role",
                                      "refugee"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert rows and {r["role"] for r in rows} == {"refugee"}
    bad = CliRunner().invoke(cli, ["export", "x.md", "--db", str(built_db_path), "--theme", "nonesuch"])
    assert bad.exit_code == 1 and "no code 'nonesuch'" in bad.output and "Traceback" not in bad.output


async def test_datasette_route_downloads_each_format(datasette, tmp_path):
    response = await datasette.client.get("/-/bolyst/export.docx?theme=stay&role=refugee")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="bolyst-evidence-stay-refugee.docx"'
    path = tmp_path / "dl.docx"
    path.write_bytes(response.content)
    assert "talerens rolle: refugee" in "\n".join(p.text for p in Document(str(path)).paragraphs)  # Norwegian
    english = await datasette.client.get("/-/bolyst/export.docx?theme=stay&role=refugee&lang=en")
    (tmp_path / "en.docx").write_bytes(english.content)
    assert "speaker role: refugee" in "\n".join(p.text for p in Document(str(tmp_path / "en.docx")).paragraphs)
    for fmt, kind in (("md", "text/markdown"), ("csv", "text/csv"), ("json", "application/json")):
        response = await datasette.client.get(f"/-/bolyst/export.{fmt}?theme=push")
        assert response.status_code == 200 and response.headers["content-type"].startswith(kind)
    assert json.loads((await datasette.client.get("/-/bolyst/export.json?code=push")).text)["filters"] == {
        "code": "push"}
    bad = await datasette.client.get("/-/bolyst/export.md?theme=nonesuch")
    assert bad.status_code == 400 and "no code 'nonesuch'" in bad.text


def test_exports_speak_norwegian_by_default_and_english_when_asked(built_db, tmp_path):
    """The document's own words follow --lang (one message catalogue with the pages); quotes stay as written."""
    nb = write_and_read(built_db, Filters(code="stay", role="refugee"), "md", tmp_path, lang="nb").read_text("utf-8")
    en = write_and_read(built_db, Filters(code="stay", role="refugee"), "md", tmp_path, lang="en").read_text("utf-8")
    assert nb.startswith("# Bolyst-belegg\n") and "**Filtre:** tema/kode: stay (med underkoder)" in nb
    assert en.startswith("# Bolyst evidence\n") and "**Filters:** theme/code: stay (and its sub-codes)" in en
    assert "## Referanser" in nb and "## References" in en and "Stay" in nb.split("\n## ")[1]
    quotes = lambda text: [line for line in text.splitlines() if line.startswith("> ")]  # noqa: E731
    assert quotes(nb) == quotes(en) and quotes(nb)
    doc = Document(str(write_and_read(built_db, Filters(code="stay"), "docx", tmp_path, lang="nb")))
    assert doc.paragraphs[0].text == "Bolyst-belegg" and doc.core_properties.language == "nb"
    with pytest.raises(ExportError, match="no language 'sv'"):
        export(built_db, Filters(), "md", lang="sv")
