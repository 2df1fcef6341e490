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
