"""The generated pages over the real, shipped knowledge base: static build and Datasette."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bolyst.site.cli.main import cli
from bolyst.site.pages.static import build_site
from bs4 import BeautifulSoup
from click.testing import CliRunner

# A quote the codebook's rule push.loneliness.* codes (corpus/sources/fafo-2025-14/excerpts-ch4.yaml).
QUOTE_ID = "fafo-2025-14/syrisk-flyktning-ostfold-ensomme-i-nord"
QUOTE_TEXT = ("De jeg kjenner som har flyttet fra Nord-Norge har gjort det fordi de var så ensomme. De har kanskje "
              "følt utenforskapet som dobbelt ekskluderende")
QUOTE_CITATION = ("Fafo-rapport 2025:14, 4.2 Grunner til å bli boende › Å føle seg som en del av lokalsamfunnet – "
                  "lokal integrasjon, l. 2294–2296. en syrisk flyktning i bykommune i Østfold (refugee).")
# SSB table 07459, population of Oslo on 1 January 2026 (stats/data snapshot).
OSLO_POPULATION = ("728\u202f714", "2026", "SSB tabell 07459")
LINK = re.compile(r'(?:href|src)="([^"]*)"')
RESOURCE = re.compile(r'<(?:script|link|img|source|iframe)\b[^>]*?(?:src|href)="([^"]*)"')


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_one_page_per_theme_code_municipality_and_source(site: Path, built_db) -> None:
    def keys(sql: str) -> list[str]:
        return sorted(r[0] for r in built_db.execute(sql).fetchall())

    def written(kind: str, sub: str = "") -> list[str]:
        return sorted(p.parent.name if not sub else p.parent.parent.name
                      for p in site.glob(f"{kind}/*/{sub + '/' if sub else ''}index.html"))

    assert written("code") == keys("select id from codes")
    assert written("municipality") == keys("select number from municipalities")
    assert written("municipality", "compare") == keys("select number from municipalities")
    assert written("source") == keys("select id from sources")
    assert len(written("municipality")) == 357
    for single in ("index.html", "themes/index.html", "municipalities/index.html", "sources/index.html"):
        assert (site / single).is_file()


def test_theme_page_has_known_quote_with_citation(site: Path) -> None:
    page = soup(site, "code/push.loneliness/index.html")
    assert page.h1.contents[0].strip() == "Ensomhet og manglende tilhørighet"
    figure = page.select_one("figure#q-" + QUOTE_ID.replace("/", "-"))
    assert figure.select_one("blockquote p").get_text() == QUOTE_TEXT
    assert figure.select_one("cite").get_text() == QUOTE_CITATION
    assert figure.select_one("a.rowlink")["href"] == (
        "http://127.0.0.1:8001/bolyst/excerpts/fafo-2025-14~2Fsyrisk-flyktning-ostfold-ensomme-i-nord")
    label = figure.select_one("li.code[data-code='push.loneliness']")
    assert label.a.get_text() == "Ensomhet og manglende tilhørighet" and label["data-state"] == "confirmed"
    assert "«ensomme»" in label.get_text() and label["data-origin"]
    assert figure.select_one("a.pagelink")["href"] == "../../excerpt/" + QUOTE_ID.replace("/", "_") + "/index.html"
    # the theme page (push) shows the quotes of its sub-codes too
    theme = soup(site, "code/push/index.html")
    on_theme = {f["id"] for f in theme.select("figure[id^=q-]")}
    sub_codes = [a["href"].split("/")[-2] for a in theme.select("a[href*='code/push.']")]
    on_sub_codes = {f["id"] for c in set(sub_codes) for f in soup(site, f"code/{c}/index.html").select("figure[id^=q-]")}
    assert on_theme and on_theme & on_sub_codes


def test_oslo_page_key_numbers_with_sources(site: Path) -> None:
    page = soup(site, "municipality/0301/index.html")
    assert page.h1.contents[0].strip() == "Oslo"
    assert page.title.get_text() == "Oslo (0301) · Bolyst"
    row = next(tr for tr in page.select("table.keys tbody tr") if tr.th.contents[0].strip() == "Folkemengde 1. januar")
    cells = row.find_all("td")
    assert (cells[0].a.get_text(), cells[2].get_text(), cells[3].get_text(strip=True)) == OSLO_POPULATION
    assert cells[0].a["href"] == (
        "http://127.0.0.1:8001/bolyst/municipality_stats?municipality=0301&indicator=population")
    # national median: statistics.median of the 357 municipalities' 2026 populations is 5447.0
    assert cells[1].get_text(" ", strip=True) == "5\u202f447 (n=357)"
    chart = page.select_one("#trends ~ .charts figure.chart")
    assert chart.svg.title.get_text() == "Folkemengde 1. januar (personer), Oslo"
    assert chart.select_one(".prov").get_text().startswith("Kilde: SSB tabell 07459")
    assert "SSB SSB" not in page.get_text() and "IMDi IMDi" not in page.get_text()
    years = [tr.th.get_text() for tr in chart.select("details tbody tr")]
    assert years[0] == "1986" and years[-1] == "2026"


def test_internal_links_resolve_to_files(site: Path) -> None:
    broken = []
    for page in site.rglob("*.html"):
        for href in LINK.findall(page.read_text(encoding="utf-8")):
            url = urlsplit(href)
            if url.scheme or href.startswith(("#", "mailto:")):
                continue
            target = (page.parent / unquote(url.path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} → {href}")
    assert broken == []


def test_no_external_resources(site: Path) -> None:
    external = []
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        external += [f"{page.relative_to(site)}: {u}" for u in RESOURCE.findall(html) if urlsplit(u).scheme]
        # One small inline script (the municipality finder turns a chosen name into its page); never a file.
        assert "<script src" not in html and html.count("<script") <= 1
    assert external == []
    absolute = {urlsplit(h).netloc for p in site.rglob("*.html") for h in LINK.findall(p.read_text(encoding="utf-8"))
                if urlsplit(h).scheme}
    assert absolute == {"127.0.0.1:8001"}  # only links to the Datasette behind the numbers


def test_accessibility_landmarks(site: Path) -> None:
    for path in ("index.html", "code/push/index.html", "municipality/0301/index.html"):
        page = soup(site, path)
        assert page.html["lang"] == "nb"
        assert page.select_one('meta[name="viewport"]')["content"] == "width=device-width, initial-scale=1"
        assert page.select_one("a.skip")["href"] == "#main" and page.select_one("main#main")
        assert page.select_one("header nav[aria-label]")
        for svg in page.select("svg.chart"):
            assert svg["role"] == "img" and svg.title.get_text() and svg.desc.get_text()
            assert svg.find_parent("figure").select_one("details table th[scope=col]")
        for table in page.select("main table"):
            assert table.select("th[scope]"), path


def test_cli_site_build_with_datasette_url(built_db_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["site", "build", str(tmp_path / "out"), "--db", str(built_db_path),
                                      "--datasette-url", "https://data.example.org/", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "table links → https://data.example.org/" in result.output
    assert re.search(r"^Wrote \d+ pages in [\d.]+s \(1 home, 1 themes, \d+ code, 1 municipalities, 357 "
                     r"municipality, 357 compare, 1 sources, \d+ source, 1 reliability, 1 search, \d+ excerpt, 1 rates, 3 methods; en\)\.$",
                     result.output, re.MULTILINE)
    home = soup(tmp_path / "out", "index.html")
    assert home.select_one('a[href^="https://data.example.org/bolyst/search_quotes"]')
    assert home.html["lang"] == "en" and home.select_one("a.lang-switch") is None  # one language: no switch
    assert not (tmp_path / "out" / "en").exists()


def test_cli_site_build_without_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["site", "build", str(tmp_path / "out"), "--db", str(tmp_path / "no.db")])
    assert result.exit_code == 1
    assert "no.db: database not found — build it first" in result.output
    assert not (tmp_path / "out").exists()


async def test_datasette_serves_municipality_and_theme_pages(datasette) -> None:
    response = await datasette.client.get("/-/bolyst/municipality/0301/")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.contents[0].strip() == "Oslo"
    assert page.select_one("table.keys tbody tr td a")["href"] == (
        "/bolyst/municipality_stats?municipality=0301&indicator=population")
    assert page.select_one('link[rel="stylesheet"]')["href"] == "../../static/bolyst-pages.css"
    css = await datasette.client.get("/-/bolyst/static/bolyst-pages.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    theme = await datasette.client.get("/-/bolyst/code/push.loneliness/index.html")
    figure = BeautifulSoup(theme.text, "html.parser").select_one("figure#q-" + QUOTE_ID.replace("/", "-"))
    assert figure.select_one("cite").get_text() == QUOTE_CITATION
    redirect = await datasette.client.get("/-/bolyst/code/push")
    assert redirect.status_code == 302 and redirect.headers["location"] == "/-/bolyst/code/push/"
    assert (await datasette.client.get("/-/bolyst/municipality/9999/")).status_code == 404


def test_code_total_agrees_with_theme_matrix_charts(site: Path, built_db) -> None:
    # The charts count what the stats stage's theme_matrix counts (human decisions, else rule suggestions), and
    # the page says that count beside the confirmed one; checked against the codings table independently.
    for code in ("push", "stay.settlement_rights"):
        page = soup(site, f"code/{code}/index.html")
        total = int(page.select_one("#prevalence ~ p.matrix strong").get_text())
        confirmed = int(page.select_one("#prevalence + p.big strong").get_text())
        assert confirmed == built_db.execute(
            "select count(distinct excerpt) from codings where review_state = 'confirmed' and (code = ? or code "
            "like ? || '.%')", [code, code]).fetchone()[0]
        charts = page.select("#prevalence ~ figure.chart")
        assert len(charts) == 4
        for chart in charts:
            coded = sum(int(tr.find_all("td")[1].get_text().split(" av ")[0]) for tr in chart.select("tbody tr"))
            # The matrix counts nested excerpts once (collapsed into the excerpt containing them).
            expected = built_db.execute("select count(*) from matrix_codings where code = ?", [code]).fetchone()[0]
            assert coded == expected <= total, (code, chart.svg.title.get_text())


def test_key_indicators_and_model_labels_name_what_the_database_has(built_db):
    """The pages pick indicators and models by id; a renamed id must fail here, not vanish from pages."""
    from bolyst.site.pages.municipalities import MODEL_LABELS
    from bolyst.site.pages.queries import KEY_INDICATORS

    indicators = {r[0] for r in built_db.execute("select id from indicators")}
    models = {r[0] for r in built_db.execute("select distinct model from model_residuals")}
    assert set(KEY_INDICATORS) <= indicators
    assert set(MODEL_LABELS) == models


def test_reliability_page_shows_the_measured_agreement(site: Path, built_db) -> None:
    page = soup(site, "reliability/index.html")
    assert "Pålitelighet" in page.select_one("nav").get_text()
    [test_table, heldout_table] = page.select("table")[:2]
    first = test_table.select_one("tbody tr")
    cells = [td.get_text(strip=True) for td in first.select("td")]
    kappa = {r["code"]: r["kappa"] for r in built_db.query(
        "select code, kappa from agreement_kappa where level = 'theme' and split = 'test' and lang = 'all' "
        "and coder_a = 'combined' and coder_b = 'devset-reconciled'")}
    assert "combined × devset-reconciled" in first.get_text() and cells[0] == "alle"
    # Norwegian decimals, as on every other page: 0,44 and −0,05
    assert cells[2:6] == [f"{kappa[t]:.2f}".replace(".", ",").replace("-", "−") for t in ("push", "pull", "stay", "retain")]
    english = soup(site, "en/reliability/index.html").select("table")[0].select_one("tbody tr")
    assert [td.get_text(strip=True) for td in english.select("td")][2] == f"{kappa['push']:.2f}"
    assert "lead-researcher" in heldout_table.get_text()
    assert page.select_one("a[href*='reliability_kappa']") is not None or "agreement_kappa" in page.get_text()


def test_code_page_counts_speakers_beside_excerpts_and_links_the_split_by_source(site: Path, built_db) -> None:
    """Matrix inference (issue 12.5): nested excerpts of one speaker are not independent, and a group's share may be
    one source's: the data table says how many speakers, and each chart links the same counts per source."""
    row = built_db.execute("select category, n_coded, n_excerpts, n_speakers_coded, n_speakers from theme_matrix "
                           "where code = 'retain' and dimension = 'speaker_role' and category = 'refugee'").fetchone()
    assert row and row[3] <= row[1] and row[4] <= row[2]
    page = soup(site, "code/retain/index.html")
    figure = next(f for f in page.select("#prevalence ~ figure.chart") if "speaker_role" in str(f))
    cells = {tr.th.get_text(): tr.find_all("td")[-1].get_text() for tr in figure.select("details tbody tr")}
    assert cells["flyktning"] == f"{row[1]} av {row[2]} utdrag, fra {row[3]} av {row[4]} talere"
    assert figure.select("figcaption .links a")[-1]["href"].endswith(
        "/theme_matrix_sources?code=retain&dimension=speaker_role")


def test_store_each_gives_each_value_the_rows_run_gives_it(built_db_path: Path) -> None:
    """Quote labels for many excerpts in one statement (pages.quotes.labelled): per excerpt, the very rows and order
    of one quote_labels query, across chunks; an excerpt without codes gets none; a query without ``= :param`` fails."""
    import sqlite3

    from bolyst.site.pages import store as store_module
    from bolyst.site.pages.store import Store

    conn = sqlite3.connect(f"file:{built_db_path}?mode=ro", uri=True)
    store = Store(conn)
    ids = [r["id"] for r in store.run("excerpt_ids")][:120] + ["no-such-excerpt"]
    chunk, store_module.EACH_CHUNK = store_module.EACH_CHUNK, 7  # several statements
    try:
        labels = store.each("quote_labels", "excerpt", ids)
    finally:
        store_module.EACH_CHUNK = chunk
    assert labels == {i: list(store.run("quote_labels", excerpt=i)) for i in ids}
    assert labels["no-such-excerpt"] == [] and sum(len(v) > 1 for v in labels.values()) > 10
    with pytest.raises(ValueError):
        store.each("excerpt_ids", "excerpt", ids)
