"""Pages over a small SYNTHETIC database (generated here, labelled synthetic): escaping, every section
filled, and "no data yet" where a table is empty. The real knowledge base is tested in test_pages.py.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlite_utils
from bolyst.site.build import ensure_all
from bolyst.site.pages.site import render_target, resolve
from bolyst.site.pages.static import build_site
from bolyst.site.pages.store import Store
from bs4 import BeautifulSoup

EVIL = 'Jeg sa <script>alert("x")</script> & «flyttet» \'hit\''
MUNIS = [("0301", "Oslo", "Østlandet", 1, 700000), ("4601", "Bergen", "Vestlandet", 1, 290000),
         ("1804", "Bodø", "Nord-Norge", 3, 53000), ("3401", "Kongsvinger", "Østlandet", 4, 18000),
         ("1860", "Vestvågøy", "Nord-Norge", 4, 11600), ("3427", "Tynset", "Østlandet", 5, 5600)]


def _corpus(db: sqlite_utils.Database) -> None:
    db["sources"].insert({"id": "synth", "title": "Synthetic <b>source</b>", "citation": "Synthetic (2099).",
                          "short": "Synth 2099", "licence": "synthetic, tests only", "year": 2099})
    db["speakers"].insert({"id": "synth/a", "source": "synth", "label": "A <i>", "role": "refugee"})
    db["places"].insert({"id": "municipality:Oslo", "kind": "municipality", "label": "Oslo"})
    db["excerpts"].insert_all([
        {"id": "synth/evil", "text": EVIL, "kind": "quote", "lang": "nb", "source": "synth", "section": "1 <Intro>",
         "line_start": 1, "line_end": 2, "speaker": "synth/a", "speaker_role": "refugee",
         "place": "municipality:Oslo", "citation": 'Synth 2099, "1", l. 1–2.'},
        {"id": "synth/calm", "text": "Vi ble boende fordi barna trivdes.", "kind": "narrative", "lang": "nb",
         "source": "synth", "section": "2", "line_start": 5, "line_end": 5, "citation": "Synth 2099, 2, l. 5."},
    ])
    db["findings"].insert({"id": "synth/f1", "statement": "Fraflytting <var> 12,5 prosent.", "source": "synth",
                           "section": "2", "citation": "Synth 2099, l. 9.", "line_start": 9, "line_end": 9})
    db["finding_values"].insert({"finding": "synth/f1", "position": 0, "value": 12.5, "unit": "percent",
                                 "label": "fraflytting"})


def _coding(db: sqlite_utils.Database) -> None:
    db["codes"].insert_all([
        {"id": "push", "label_nb": "Push <forhold>", "label_en": "Push", "definition": "Drives <away>.",
         "theme": "push", "depth": 0, "position": 0},
        {"id": "push.synthetic", "parent": "push", "theme": "push", "label_nb": "Ensomhet", "label_en":
         "Loneliness", "definition": "Lonely.", "depth": 1, "position": 1},
        {"id": "stay", "label_nb": "Stay", "label_en": "Stay", "definition": "Stays.", "theme": "stay",
         "depth": 0, "position": 2},
    ])
    db["code_rules"].insert({"id": "push.synthetic.flytte", "code": "push.synthetic", "theme": "push",
                             "pattern": '[{"LEMMA": "fraflytting"}]', "kind": "tokens", "lang": "nb"})
    db["codings"].insert_all([
        {"id": "a1", "excerpt": "synth/evil", "code": "push.synthetic", "theme": "push", "coder": "auto",
         "origin": "rule", "rule": "push.synthetic.flytte", "span_text": "<script>", "score": 0.8,
         "status": "accepted", "review_state": "confirmed"},
        {"id": "a2", "excerpt": "synth/evil", "code": "stay", "theme": "stay", "coder": "auto", "origin": "rule",
         "span_text": "hit", "score": 0.5, "status": "suggested", "review_state": "unreviewed"},
        {"id": "a3", "excerpt": "synth/calm", "code": "stay", "theme": "stay", "coder": "auto", "origin": "rule",
         "span_text": "ble boende", "score": 0.9, "status": "rejected", "review_state": "rejected"},
    ])


def _stats(db: sqlite_utils.Database) -> None:
    rng = random.Random(7)
    db["municipalities"].insert_all({"number": n, "name": name, "landsdel": ld, "centrality_class": c,
                                     "population": pop, "population_year": 2024, "county_name": "Synthetic"}
                                    for n, name, ld, c, pop in MUNIS)
    db["indicators"].insert({"id": "population", "label_nb": "Folketall", "label_en": "Population",
                             "unit": "persons", "source": "SSB (synthetic)", "table_id": "07459",
                             "licence": "CC BY 4.0", "sort_order": 1, "years": "2015–2024"})
    db["municipality_stats"].insert_all(
        {"municipality": n, "indicator": "population", "year": y, "value": pop * (1 + rng.uniform(-0.05, 0.05)),
         "unit": "persons", "source": "SSB (synthetic)", "table_id": "07459", "method": "published"}
        for n, _, _, _, pop in MUNIS for y in range(2015, 2025))
    db["comparables"].insert_all({"municipality": "0301", "comparable": n, "rank": i, "distance": i / 2,
                                  "same_kostra_group": 0, "same_landsdel": 0}
                                 for i, (n, *_) in enumerate(MUNIS[1:3], 1))
    db["excerpt_places"].insert({"excerpt": "synth/evil", "municipality": "0301", "link_type": "exact",
                                 "weight": 1.0, "reason": "source names «Oslo» <exact>"})
    db["theme_matrix"].insert_all({"code": "push", "theme": "push", "level": "theme", "dimension": "landsdel",
                                   "category": cat, "n_excerpts": 2, "n_coded": k, "share": k / 2,
                                   "test": None, "statistic": None, "pval": None, "warning": None}
                                  for cat, k in (("Østlandet", 1), ("unknown", 0)))


@pytest.fixture(scope="module")
def synthetic_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny SYNTHETIC knowledge base in every declared table's real shape."""
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.db"
    db = sqlite_utils.Database(path)
    ensure_all(db)
    _corpus(db)
    _coding(db)
    _stats(db)
    db.close()
    return path


@pytest.fixture(scope="module")
def synthetic_site(synthetic_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic-site")
    build_site(synthetic_db_path, out, langs=("nb",))
    return out


def _soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_every_page_kind_is_written(synthetic_site: Path) -> None:
    pages = sorted(str(p.relative_to(synthetic_site)) for p in synthetic_site.rglob("index.html"))
    expected = ["code/push.synthetic/index.html", "code/push/index.html", "code/stay/index.html", "index.html",
                "municipalities/index.html", "reliability/index.html", "search/index.html", "source/synth/index.html",
                "sources/index.html", "themes/index.html", "excerpt/synth_calm/index.html",
                "excerpt/synth_evil/index.html"]
    expected += [f"municipality/{n}/index.html" for n, *_ in MUNIS]
    expected += [f"municipality/{n}/compare/index.html" for n, *_ in MUNIS]
    assert pages == sorted(expected)
    # the synthetic database has no agreement tables: the reliability page says so instead of failing
    assert "Ingen data ennå" in _soup(synthetic_site, "reliability/index.html").select_one("main").get_text()


def test_excerpt_text_and_citation_are_escaped(synthetic_site: Path) -> None:
    for path in ("source/synth/index.html", "code/push/index.html", "municipality/0301/index.html",
                 "excerpt/synth_evil/index.html"):
        html = (synthetic_site / path).read_text(encoding="utf-8")
        assert "<script>" not in html, path
        figure = BeautifulSoup(html, "html.parser").select_one("figure#q-synth-evil")
        assert figure.select_one("blockquote p").get_text() == EVIL
        assert figure.select_one("cite").get_text() == 'Synth 2099, "1", l. 1–2.'
    html = (synthetic_site / "code/push/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<h1>Push &lt;forhold&gt;" in html


def test_rejected_coding_is_not_counted(synthetic_site: Path) -> None:
    # synth/calm's only "stay" coding was rejected by a human: it is counted and shown nowhere; synth/evil's
    # "stay" is an unreviewed rule suggestion: counted and shown apart, never as evidence.
    soup = _soup(synthetic_site, "code/stay/index.html")
    assert [s.get_text() for s in soup.select("#prevalence + p.big strong")] == ["0", "1"]
    assert [f["id"] for f in soup.select("#quotes ~ figure.excerpt")] == []
    assert [f["id"] for f in soup.select("section.suggestions figure.excerpt")] == ["q-synth-evil"]
    assert soup.select_one("section.suggestions h2").get_text(" ", strip=True).startswith(
        "Forslag fra automatisk koding, ikke kontrollert")
    assert "q-synth-calm" not in str(soup)


def test_code_page_shows_evidence_rule_and_human_mark(synthetic_site: Path) -> None:
    soup = _soup(synthetic_site, "code/push.synthetic/index.html")
    coded = soup.select_one("figure#q-synth-evil li.code[data-code='push.synthetic']")
    assert coded["data-origin"] == "rule" and coded["data-state"] == "confirmed"
    assert coded.select_one(".state").get_text(" ", strip=True) == "✔ bekreftet"
    assert coded.select_one(".span").get_text() == "«<script>»"
    assert coded.select_one(".rules code").get_text() == "push.synthetic.flytte"
    unreviewed = soup.select_one("figure#q-synth-evil li.code[data-code='stay']")
    assert unreviewed["data-state"] == "unreviewed" and "ikke kontrollert" in unreviewed.get_text()
    # the findings section searched for the lemma of the code's rule
    finding = soup.select_one("#findings ~ ul.findings li blockquote p")
    assert finding.get_text() == "Fraflytting <var> 12,5 prosent."


def test_theme_matrix_chart_with_data_table(synthetic_site: Path) -> None:
    soup = _soup(synthetic_site, "code/push/index.html")
    figure = soup.select_one("#prevalence ~ figure.chart")
    svg = figure.select_one("svg")
    assert svg["role"] == "img" and svg.title.get_text() == "«Push <forhold>» etter landsdel"
    rows = [[c.get_text() for c in tr.select("th, td")] for tr in figure.select("details tbody tr")]
    # groups of 2: a share of so few is not drawn or given, only the count (charts.MIN_N)
    assert rows == [["Østlandet", "–", "1 av 2 utdrag"], ["ukjent", "–", "0 av 2 utdrag"]]
    assert svg.select("rect.bar") == [] and [t.get_text() for t in svg.select("text.val")] == [
        "1 av 2 utdrag (n < 5)", "0 av 2 utdrag (n < 5)"]
    assert [a["href"] for a in figure.select("figcaption .links a")] == [
        "http://127.0.0.1:8001/synthetic/theme_matrix?code=push&dimension=landsdel",
        "http://127.0.0.1:8001/synthetic/theme_matrix_sources?code=push&dimension=landsdel"]


def test_municipality_page_numbers_link_to_their_rows(synthetic_site: Path, synthetic_db_path: Path) -> None:
    soup = _soup(synthetic_site, "municipality/0301/index.html")
    db = sqlite_utils.Database(synthetic_db_path)
    value = db.execute("select value from municipality_stats where municipality = '0301' and year = 2024").fetchone()[0]
    cell = soup.select_one("table.keys tbody tr td.n a")
    assert cell.get_text() == f"{value:,.0f}".replace(",", "\u202f")
    assert cell["href"] == "http://127.0.0.1:8001/synthetic/municipality_stats?municipality=0301&indicator=population"
    assert soup.select_one("table.keys td.src").get_text(strip=True) == "SSB (synthetic) tabell 07459"
    peers = [a.get_text() for a in soup.select("ol.peers a")]
    assert peers == ["Bergen", "Bodø"]
    chart = soup.select_one("#trends ~ .charts figure.chart")
    assert [th.get_text() for th in chart.select("details thead th")] == ["År", "Oslo", "Landsmedian",
                                                                         "Bergen", "Bodø"]


def test_empty_tables_say_no_data_yet(synthetic_site: Path) -> None:
    soup = _soup(synthetic_site, "municipality/0301/compare/index.html")
    notes = [p.get_text(" ", strip=True) for p in soup.select("p.nodata")]
    assert any("comparable_contributions" in n for n in notes), notes
    soup = _soup(synthetic_site, "municipality/1804/index.html")  # Bodø: no comparables, no excerpts
    notes = " ".join(p.get_text(" ", strip=True) for p in soup.select("p.nodata"))
    assert "Ingen data ennå" in notes and "comparables" in notes


def test_store_reports_missing_tables(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "corpus-only.db")
    db["excerpts"].insert({"id": "x", "text": "t"})
    result = Store(db.conn).run("codes")
    assert result.rows == () and result.missing == "codes.id is not in this database yet"


def test_resolve_paths() -> None:
    assert resolve("").kind.template == "home.html"
    assert resolve("municipality/0301/compare/index.html").kind.template == "compare.html"
    assert resolve("municipality/0301/").key == "0301"
    assert resolve("code/push.synthetic/index.html").key == "push.synthetic"
    assert resolve("nothing/here/") is None


def test_unknown_key_renders_nothing(synthetic_db_path: Path) -> None:
    db = sqlite_utils.Database(synthetic_db_path)
    assert render_target(Store(db.conn), resolve("municipality/9999/")) is None


async def test_datasette_serves_synthetic_pages(synthetic_db_path: Path) -> None:
    from bolyst.site.serve.server import make_datasette

    ds = make_datasette(synthetic_db_path)
    response = await ds.client.get("/-/bolyst/code/push/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("figure#q-synth-evil blockquote p").get_text() == EVIL
    # served by Datasette, table links are root-relative
    assert soup.select_one("#definition ~ p.prov a")["href"] == "/synthetic/codes/push"
    assert (await ds.client.get("/-/bolyst/code/nope/")).status_code == 404


def test_page_rendering_never_imports_coding_or_stats() -> None:
    import subprocess
    import sys

    code = ("import sys, bolyst.site.pages.static, bolyst.site.pages.routes, bolyst.site.cli.pages; "
            "print(sorted(m for m in sys.modules if m.startswith(('bolyst.coding', 'bolyst.stats'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
