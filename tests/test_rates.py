"""Rates per 1,000 where rates are meant, with their n; exports in the page's order and words.

The reference is an independent recomputation from the stored counts and populations, and one value checked by
hand: Tynset (3427) had 55 refugees settled in 2023 (IMDi, partial year) and 5 628 residents on 1 January 2023
(SSB 07459): 55 / 5 628 × 1 000 = 9.7726.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from bolyst.site.export.evidence import evidence
from bolyst.site.export.filters import Filters
from bolyst.site.export.md import markdown as render_markdown

RATES = ("net_migration_per_1000", "refugees_settled_per_1000", "refugees_living_per_1000")


@pytest.mark.parametrize("rate", RATES)
def test_a_rate_is_its_count_per_1000_of_its_denominator(built_db, rate):
    info = built_db.execute("select numerator, denominator, per, unit, aggregation from indicators where id = ?",
                            [rate]).fetchone()
    assert info[2:] == (1000, "per 1000", "rate") and info[0] and info[1]
    pairs = {(m, y): (n, d) for m, y, n, d in built_db.execute(
        "select n.municipality, n.year, n.value, d.value from municipality_stats n join municipality_stats d "
        "on d.municipality = n.municipality and d.year = n.year where n.indicator = ? and d.indicator = ? "
        "and n.value is not null and d.value > 0", info[:2])}
    rates = {(m, y): v for m, y, v in built_db.execute(
        "select municipality, year, value from municipality_stats where indicator = ? and value is not null", [rate])}
    assert len(rates) > 1000 and rates.keys() == pairs.keys()
    wrong = [(k, v) for k, v in rates.items() if abs(v - round(1000 * pairs[k][0] / pairs[k][1], 4)) > 1e-9]
    assert wrong == []


def test_tynset_refugees_settled_per_1000_by_hand_and_its_flag(built_db):
    value, flag, note = built_db.execute(
        "select value, flag, note from municipality_stats where municipality = '3427' and year = 2023 "
        "and indicator = 'refugees_settled_per_1000'").fetchone()
    assert value == 9.7726
    assert flag == "partial_year" and note.startswith("refugees_settled / population × 1\u202f000")


def test_municipality_page_shows_rates_with_their_count(site):
    page = BeautifulSoup((site / "municipality/3427/index.html").read_text(encoding="utf-8"), "html.parser")
    row = next(tr for tr in page.select("table.keys tbody tr")
               if tr.th.get_text(strip=True) == "Bosatte flyktninger per 1000 innbyggere")
    assert " ".join(row.find_all("td")[0].get_text(" ", strip=True).split()) == \
        "9,77 per 1000 innbyggere (antall 55) partial_year"
    chart = next(f for f in page.select("figure.chart")
                 if f.figcaption.strong.get_text().startswith("Bosatte flyktninger per 1000 innbyggere"))
    assert chart.figcaption.strong.get_text() == "Bosatte flyktninger per 1000 innbyggere, Tynset"  # unit said once
    assert "Antall (n) i Tynset 2023: 55." in chart.figcaption.get_text()
    head = [th.get_text() for th in chart.select("details thead th")]
    assert head[-1] == "Tynset, antall (n)"
    last = chart.select("details tbody tr")[-1]
    assert last.th.get_text() == "2023" and last.find_all("td")[-1].get_text() == "55"
    # counts are not drawn against the national median any more: no chart of plain counts among the trends
    titles = [f.figcaption.strong.get_text() for f in page.select("#trends ~ .charts figure.chart")]
    assert not any(t.startswith(("Bosatte flyktninger,", "Bosatte flyktninger (personer)", "Nettoinnflytting inkl"))
                   for t in titles)
    english = (site / "en/municipality/3427/index.html").read_text(encoding="utf-8")
    assert "Count (n) in Tynset 2023: 55." in english and "(count 55)" in " ".join(english.split())


def both_kinds_of_quotes(db) -> str:
    """The municipality with the most quotes from the place and from places with a similar profile."""
    return db.execute("select municipality from municipality_quotes group by municipality "
                      "having sum(relation = 'here') and sum(relation = 'similar') "
                      "order by count(*) desc, municipality limit 1").fetchone()[0]


@pytest.mark.parametrize("which", ["Tynset", "both kinds"])
def test_export_lists_quotes_and_key_numbers_in_the_page_order(built_db, site, which):
    number = "3427" if which == "Tynset" else both_kinds_of_quotes(built_db)
    page = BeautifulSoup((site / f"municipality/{number}/index.html").read_text(encoding="utf-8"), "html.parser")
    on_page = [f.select_one("a.rowlink").get_text() for f in page.select("#voices ~ figure")]
    ev = evidence(built_db, Filters(municipality=number))
    assert on_page and [q.excerpt for q in ev.quotes] == on_page
    keys = [r.th.get_text(strip=True) for r in page.select("table.keys tbody tr")]
    assert keys and [n.label for n in ev.numbers] == keys


def test_tynset_export_speaks_the_page_s_words(built_db):
    ev = evidence(built_db, Filters(municipality="3427"))
    text = render_markdown(ev)
    assert "| 9,77 | per 1000 innbyggere | 2023 | IMDi bosatt_anmodede | partial_year |" in text
    assert "| 5\u202f762 | personer | 2026 | SSB tabell 07459 |" in text and "human; confirmed" not in text
    assert "(retain.belonging; menneske; bekreftet)" in text
    english = render_markdown(evidence(built_db, Filters(municipality="3427"), lang="en"))
    assert "| 9.77 | per 1,000 residents |" in english
    assert "Belonging to the local community (retain.belonging; human; confirmed)" in english
