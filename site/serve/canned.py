"""The serve room's canned query, ``search_quotes``: full-text search over every excerpt, best first.

Declared here rather than in metadata.yaml because its codes column is the coding stage's ``excerpt_codes``
for each hit (:func:`bolyst.coding.views.excerpt_codes_sql`, one excerpt at a time): through the view itself,
SQLite groups every coding in the database for each search (coding/views.py says why). The 200 best hits are
ranked first (``hits``) and only they are joined and labelled, instead of every match.
"""

from __future__ import annotations

from bolyst.coding.views import excerpt_codes_sql

SEARCH_QUOTES_SQL = f"""with hits as (
  select rowid, rank from excerpts_fts where excerpts_fts match bolyst_fts(:q) order by rank, rowid limit 200
)
select
  excerpts.id as excerpt,
  excerpts.text as quote,
  (select group_concat(x.label_nb || ' (' || x.code || '; ' || x.origins || '; '
                       || x.review_state || ')', '; ')
   from ({excerpt_codes_sql("c.excerpt = excerpts.id")}) x where x.review_state != 'rejected') as codes,
  speakers.label as speaker,
  excerpts.speaker_role as role,
  coalesce(places.label, excerpts.place_description) as place,
  excerpts.citation as citation,
  sources.citation as reference,
  '/-/bolyst/excerpt/' || replace(excerpts.id, '/', '_') || '/index.html' as page
from hits
join excerpts on excerpts.rowid = hits.rowid
join sources on sources.id = excerpts.source
left join speakers on speakers.id = excerpts.speaker
left join places on places.id = excerpts.place
order by hits.rank, hits.rowid"""

QUERIES: dict[str, dict] = {
    "search_quotes": {
        "title": "Search quotes / Søk i sitater",
        "hide_sql": True,
        "description": "Full-text search over every excerpt. Each word matches its exact form or any inflected form "
                       "of the same lemma; end a word with * for prefix search. Returns the quote, its codes (label, "
                       "code, who coded it, and whether a person confirmed it or it is an automatic suggestion nobody "
                       "has reviewed), speaker, place, citation and the excerpt's own page.",
        "sql": SEARCH_QUOTES_SQL,
    },
}
