"""The methods pages and the municipality page's barometer section, rendered from the built database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bolyst.site.pages.site import render_target, resolve
from bolyst.site.pages.store import Store


@pytest.fixture(scope="module")
def store(built_db_path: Path) -> Store:
    conn = sqlite3.connect(built_db_path)
    conn.row_factory = sqlite3.Row
    return Store(conn)


def page(store: Store, path: str) -> BeautifulSoup:
    return BeautifulSoup(render_target(store, resolve(path)), "html.parser")


def test_barometer_methods_page(store, built_db) -> None:
    html = page(store, "methods/barometer/")
    assert "Telemarksforskings metode" in html.h1.get_text()
    fit_rows = html.find(id="fit").find_parent("section").find("table").tbody.find_all("tr")
    assert [r.th.get_text() for r in fit_rows][0] == "2003–2005" and len(fit_rows) == 12
    r2 = built_db.execute("select r2 from barometer_fits where model = 'barometer' and period = '2003–2005'").fetchone()[0]
    assert fit_rows[0].find_all("td")[1].get_text() == f"{r2:.3f}".replace(".", ",")
    validation = html.find(id="validation").find_parent("section")
    rows = {r.th.get_text(): [td.get_text() for td in r.find_all("td")] for r in validation.table.tbody.find_all("tr")}
    pearson = built_db.execute("select value from barometer_validation where period = '2008–2010' "
                               "and metric = 'pearson'").fetchone()[0]
    assert rows["2008–2010"][1] == f"{pearson:.3f}".replace(".", ",")
    assert "Ullensaker — seed: rank 1" in validation.get_text()
    funnel = html.find(id="funnel").find_parent("section")
    assert funnel.find("svg") is not None and len(funnel.find_all("circle")) == 426
    assert "significant" not in html.get_text().casefold()
    csv_links = [a["href"] for a in html.find(id="data").find_parent("section").find_all("a") if a.get_text() == "CSV"]
    assert len(csv_links) == 4 and all(".csv?" in h for h in csv_links)


def test_substitute_page_says_it_is_not_the_barometer(store) -> None:
    html = page(store, "methods/flyttestruktur/")
    assert "ikke barometeret" in html.h1.get_text()
    assert "Dette er ikke barometeret." in html.get_text()
    assert html.find(id="validation") is None


def test_municipality_page_shows_barometer_with_rank_interval(store, built_db) -> None:
    html = page(store, "municipality/3209/")  # Ullensaker (0235 in the 2017 structure)
    section = html.find(id="barometer").find_parent("section")
    tables = section.find_all("table")
    assert len(tables) == 2  # the barometer 2003–2016 and the substitute after 2016
    first = tables[0].tbody.find("tr")
    rank, best, worst, n = built_db.execute(
        "select rank, rank_best, rank_worst, (select count(*) from barometer_residuals where model = 'barometer' "
        "and period = '2003–2005') from barometer_residuals where model = 'barometer' and period = '2003–2005' "
        "and unit = '0235'").fetchone()
    assert first.find_all("td")[5].get_text(" ", strip=True) == f"{rank} ({best}–{worst} av {n})"
    assert section.find("a", href=lambda h: h and "methods/barometer" in h) is not None


def test_refugee_model_methods_page(store, built_db) -> None:
    html = page(store, "methods/refugee_secondary_in/")
    assert "Tiltrekker flyktninger bosatt andre steder" in html.h1.get_text()
    fit = next(built_db.query("select * from models where id = 'refugee_secondary_in'"))
    [row] = html.find(id="fit").find_parent("section").find("table").tbody.find_all("tr")
    cells = [td.get_text() for td in row.find_all("td")]
    assert row.th.get_text() == "2022" and cells[0] == str(fit["n_obs"])
    assert cells[1] == f"{fit['r2']:.3f}".replace(".", ",") and cells[4] == f"{fit['breusch_pagan_p']:.2g}".replace(".", ",")
    se = built_db.execute("select se from model_terms where model = 'refugee_secondary_in' and term = 'centrality_index'"
                          ).fetchone()[0]
    coefficients = html.find(id="fit").find_parent("section").find_all("table")[1]
    assert f"({se:.3f})".replace(".", ",") in coefficients.get_text()
    funnel = html.find(id="funnel").find_parent("section")
    assert len(funnel.find_all("circle")) == fit["n_obs"]
    assert "Flyktninger bosatt" in [th.get_text() for th in funnel.find_all("th")]  # the size the noise follows
    first = html.find(id="extremes").find_parent("section").tbody.find("tr")
    top = next(built_db.query("select r.*, m.name from model_residuals r join municipalities m on m.number = "
                              "r.municipality where model = 'refugee_secondary_in' and rank = 1"))
    assert first.td.get_text(" ", strip=True) == f"1 ({top['rank_best']}–{top['rank_worst']} av {fit['n_obs']})"
    assert first.th.a.get_text() == top["name"]
    retention = html.find(id="retention").find_parent("section")
    assert "samme kull i samme kommune" in retention.get_text()
    assert "for hver bosettingskommune og hvert bosettingsår" in retention.get_text()
    data = html.find(id="data").find_parent("section")
    csv = [a["href"] for a in data.find_all("a") if a.get_text() == "CSV"]
    assert [h.split("/")[-1] for h in csv] == ["models.csv?_stream=on&id=refugee_secondary_in",
                                              "model_terms.csv?_stream=on&model=refugee_secondary_in",
                                              "model_residuals.csv?_stream=on&model=refugee_secondary_in"]
    assert "significant" not in html.get_text().casefold()


def test_refugee_model_methods_page_in_english(store) -> None:
    html = BeautifulSoup(render_target(store, resolve("methods/refugee_secondary_in/"), lang="en"), "html.parser")
    assert "Attracts refugees settled elsewhere" in html.h1.get_text()
    assert html.find(id="retention").get_text() == "Why no rate of how many stay?"
    assert "Refugees living there" in [th.get_text() for th in html.find(id="funnel").find_parent("section")
                                       .find_all("th")]


def test_municipality_page_shows_the_refugee_model_with_interval_and_rank_interval(store, built_db) -> None:
    html = page(store, "municipality/3209/")
    section = html.find(id="model-refugee_secondary_in").find_parent("section")
    r = next(built_db.query("select * from model_residuals where model = 'refugee_secondary_in' "
                            "and municipality = '3209'"))
    text = section.get_text(" ", strip=True)
    assert f"{r['rank']} ({r['rank_best']}–{r['rank_worst']} av 309)" in text
    assert {"above": "Bedre enn forventet", "below": "Svakere enn forventet"}.get(r["verdict"], "Ikke til å skille") in text
    assert section.find("a", href=lambda h: h and "methods/refugee_secondary_in" in h) is not None


def test_home_page_lists_every_methods_page(store) -> None:
    html = page(store, "")
    links = [a["href"] for a in html.select("ul.methods a")]
    assert links == ["methods/barometer/index.html", "methods/flyttestruktur/index.html",
                     "methods/refugee_secondary_in/index.html", "methods/rates/index.html"]
