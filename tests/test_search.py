"""Full-text search through Datasette's own client: Norwegian letters and inflected forms."""

from __future__ import annotations

import pytest

from bolyst.site.serve.search import fts_query

AMINA = "Jeg gråt hver dag i flere år etter at vi flyttet hit"


async def search(datasette, q: str) -> list[dict]:
    response = await datasette.client.get("/bolyst/search_quotes.json", params={"q": q, "_shape": "objects"})
    assert response.status_code == 200, response.text
    return response.json()["rows"]


async def test_known_quote_found_by_its_words(datasette):
    rows = await search(datasette, "gråt hver dag")
    match = [r for r in rows if r["quote"] == AMINA]
    assert match, [r["quote"] for r in rows]
    row = match[0]
    assert row["speaker"] == "Amina" and row["role"] == "refugee"
    assert row["place"] == "Nord-Norge, sentralitet 4, 5 000–10 000 innbyggere"
    assert row["citation"].startswith("Fafo-rapport 2025:14, 4.2 Grunner til å bli boende")
    assert "Fafo-rapport 2025:14" in row["reference"]


@pytest.mark.parametrize("query", ["flytte hit", "flytter hit", "flyttet hit"])
async def test_inflected_forms_meet_one_lemma(datasette, query):
    """«flytte» (infinitive) and «flytter» (present) find «flyttet» (past) through the lemma column."""
    quotes = [r["quote"] for r in await search(datasette, query)]
    assert AMINA in quotes


async def test_aeoeaa_are_letters_not_diacritics(datasette):
    """«år» is indexed as «år», and «ar» does not match it (unicode61 remove_diacritics 0)."""
    assert any("år" in r["quote"] for r in await search(datasette, "år"))
    assert all(" ar " not in f" {r['quote'].lower()} " for r in await search(datasette, "ar"))
    assert any("Ø" in r["quote"] or "ø" in r["quote"] for r in await search(datasette, "Østfold"))


async def test_table_search_box_uses_fts(datasette):
    response = await datasette.client.get("/bolyst/excerpts.json", params={"_search": "frivilligsentralen",
                                                                           "_shape": "objects"})
    rows = response.json()["rows"]
    assert rows and all("frivilligsentral" in r["text"].lower() for r in rows)


def test_fts_query_shapes():
    assert fts_query("flyttet barna") == '("flyttet" OR lemmas:"flytte") AND ("barna" OR lemmas:"barn")'
    assert fts_query('"alle kjenner" flytt*') == '"alle kjenner" AND "flytt"*'
    assert fts_query('   ') == '""'


async def test_empty_and_odd_queries_do_not_error(datasette):
    for q in ["", "«", 'AND OR "', "NEAR("]:
        response = await datasette.client.get("/bolyst/search_quotes.json", params={"q": q})
        assert response.status_code == 200, (q, response.text)


#: search_quotes as it was written over the excerpt_codes view (every match ranked, each one's codes from the
#: view): the reference the faster query (site/serve/canned.py) must give row for row.
THROUGH_THE_VIEW = """
select excerpts.id as excerpt, excerpts.text as quote,
  (select group_concat(x.label_nb || ' (' || x.code || '; ' || x.origins || '; ' || x.review_state || ')', '; ')
   from excerpt_codes x where x.excerpt = excerpts.id and x.review_state != 'rejected') as codes,
  speakers.label as speaker, excerpts.speaker_role as role,
  coalesce(places.label, excerpts.place_description) as place, excerpts.citation as citation,
  sources.citation as reference,
  '/-/bolyst/excerpt/' || replace(excerpts.id, '/', '_') || '/index.html' as page
from excerpts_fts join excerpts on excerpts.rowid = excerpts_fts.rowid join sources on sources.id = excerpts.source
left join speakers on speakers.id = excerpts.speaker left join places on places.id = excerpts.place
where excerpts_fts match :fts order by excerpts_fts.rank, excerpts_fts.rowid limit 200"""


@pytest.mark.parametrize("q", ["flytte", "kommune", "barn skole", "jobb*", "og"])  # «og»: more than 200 match
async def test_search_quotes_rows_are_those_of_the_excerpt_codes_view(datasette, built_db, q):
    rows = await search(datasette, q)
    expected = [dict(r) for r in built_db.query(THROUGH_THE_VIEW, {"fts": fts_query(q)})]
    assert rows == expected
    assert any(r["codes"] for r in rows) and any(r["codes"] is None for r in rows)  # coded and uncoded hits
