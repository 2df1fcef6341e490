"""One question, one answer: a municipality's quotes are the same set on its page, in its export and in
``bolyst compare`` — all three read the view ``municipality_quotes``."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from bolyst.site.export.evidence import evidence
from bolyst.site.export.filters import Filters
from bolyst.stats.comparison import compare


def similar_profile_municipality(db) -> str:
    row = db.execute("select municipality from municipality_quotes where relation = 'similar' "
                     "group by municipality order by count(*) desc, municipality limit 1").fetchone()
    assert row, "no municipality has a documented profile match"
    return row[0]


async def page_sets(datasette, number: str) -> dict[str, set[str]]:
    response = await datasette.client.get(f"/-/bolyst/municipality/{number}/")
    assert response.status_code == 200
    voices = BeautifulSoup(response.text, "html.parser").select_one("#voices").parent
    here, similar = voices.select("h3")[:2]
    out = {"here": set(), "similar": set()}
    for key, heading in (("here", here), ("similar", similar)):
        for sibling in heading.find_next_siblings():
            if sibling.name == "h3" or sibling.get("class") == ["prov"]:
                break
            if sibling.name == "figure":
                out[key].add(sibling.select_one("a.rowlink").get_text())
    return out


@pytest.mark.parametrize("which", ["Tynset", "similar"])
async def test_page_export_and_compare_give_the_same_quotes(datasette, built_db, built_db_path, which):
    number = "3427" if which == "Tynset" else similar_profile_municipality(built_db)
    on_page = await page_sets(datasette, number)
    exported = {q.excerpt for q in evidence(built_db, Filters(municipality=number)).quotes}
    compared = compare(built_db_path, number).quotes
    assert on_page["here"] | on_page["similar"] == exported == {q.excerpt for q in compared}
    assert on_page["here"] == {q.excerpt for q in compared if q.relation == "here"}
    assert on_page["similar"] == {q.excerpt for q in compared if q.relation == "similar"}
    assert exported, number
    if which == "similar":
        assert on_page["similar"]


def test_a_profile_by_part_of_the_country_alone_is_not_a_municipality_s_quote(built_db):
    """«en stor kommune på Østlandet» fits 121 municipalities: it is not shown as Tynset's."""
    loose = built_db.execute(
        "select count(*) from excerpt_places x join excerpts e on e.id = x.excerpt "
        "where x.municipality = '3427' and x.link_type = 'profile'").fetchone()[0]
    shown = built_db.execute("select count(*) from municipality_quotes where municipality = '3427' "
                             "and relation = 'similar'").fetchone()[0]
    assert loose > 0 and shown == 0
    reasons = [r[0] for r in built_db.execute("select reason from municipality_quotes where relation = 'similar'")]
    assert reasons and all("sentralitet" in r for r in reasons)
