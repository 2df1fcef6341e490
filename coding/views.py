"""The coding stage's view and canned queries: what every coded quote shows, in one place.

``excerpt_codes`` is the one query behind every quote's labels (pages, exports, ``bolyst compare``): one
row per excerpt and code with the code's and theme's labels from the codebook, who coded it (origins,
coders) and its review state. A code is *confirmed* on an excerpt when any of its codings is confirmed
(a human applied it, or accepted an automatic coding of it), *unreviewed* when it is only suggested by
automatic coders, and *rejected* when every coding of it is rejected.
"""

from __future__ import annotations

from bolyst.corpus.shape import View

_EXCERPT_CODES = """select
  c.excerpt,
  c.code,
  c.theme,
  k.label_nb,
  k.label_en,
  t.label_nb as theme_label_nb,
  t.label_en as theme_label_en,
  case when max(c.review_state = 'confirmed') then 'confirmed'
       when max(c.review_state = 'unreviewed') then 'unreviewed' else 'rejected' end as review_state,
  replace(group_concat(distinct case when c.review_state != 'rejected' then c.origin end), ',', ', ') as origins,
  replace(group_concat(distinct case when c.review_state != 'rejected' then c.coder end), ',', ', ') as coders,
  count(*) as n_codings,
  max(case when c.origin != 'human' then c.score end) as score,
  group_concat(case when c.origin in ('rule', 'llm') and c.review_state != 'rejected' then c.span_text end,
               ' | ') as evidence,
  group_concat(c.rationale, ' | ') as rationale,
  group_concat(distinct case when c.review_state != 'rejected' then c.rule end) as rules,
  k.position
from codings c
join codes k on k.id = c.code
join codes t on t.id = c.theme
{where}group by c.excerpt, c.code"""


def excerpt_codes_sql(where: str = "") -> str:
    """The ``excerpt_codes`` view's SQL; with ``where`` (a condition on the codings ``c``) only those codings'.

    A query that reads the codes of many excerpts one excerpt at a time (``where c.excerpt = excerpts.id`` in a
    correlated subquery) or of a list of them (``c.excerpt in (...)``) uses this instead of the view: SQLite
    (3.40) pushes a constant ``excerpt = ?`` into the grouped view, but not a correlated or sub-select condition,
    so through the view each such query groups every coding in the database first (55 ms at 10^4 excerpts).
    """
    return _EXCERPT_CODES.format(where=f"where {where}\n" if where else "")


EXCERPT_CODES_SQL = excerpt_codes_sql()

EXCERPT_CODES = View(
    "excerpt_codes", "Each code on each excerpt, as every quote shows it: labels from the codebook, who coded it "
                     "and whether a person confirmed it (one row per excerpt and code, over all its codings).",
    EXCERPT_CODES_SQL,
    {"excerpt": "The excerpt.", "code": "The code.", "theme": "Its theme.",
     "label_nb": "The code's label in Norwegian Bokmål.", "label_en": "The code's label in English.",
     "theme_label_nb": "The theme's label in Norwegian Bokmål.", "theme_label_en": "The theme's label in English.",
     "review_state": "confirmed (a human applied or accepted it), unreviewed (only automatic coders suggest it, or "
                     "humans disagree) or rejected (every coding of it is rejected).",
     "origins": "Who coded it (not counting rejected codings): human, llm, model, rule, separated by ', '.",
     "coders": "Coder ids (not counting rejected codings), separated by ', '.",
     "n_codings": "Codings of this code on this excerpt, rejected ones included.",
     "score": "Highest score of its automatic codings (empty when only humans coded it).",
     "evidence": "The texts rules and language models matched, separated by ' | '.",
     "rationale": "A language model's reasons, separated by ' | '.",
     "rules": "The codebook rules behind its rule codings (not counting rejected ones), separated by ','.",
     "position": "Order of the code in the codebook."},
)

VIEWS: tuple[View, ...] = (EXCERPT_CODES,)

_QUOTES_SQL = """select
  excerpts.id as excerpt,
  excerpts.text as quote,
  group_concat(excerpt_codes.code, ', ') as codes,
  group_concat(excerpt_codes.label_nb, ', ') as labels,
  group_concat(excerpt_codes.origins, '; ') as origins,
  group_concat(excerpt_codes.coders, '; ') as coders,
  min(excerpt_codes.review_state) as review_state,
  speakers.label as speaker,
  excerpts.speaker_role as role,
  coalesce(places.label, excerpts.place_description) as place,
  excerpts.citation as citation,
  sources.citation as reference
from excerpt_codes
join excerpts on excerpts.id = excerpt_codes.excerpt
join sources on sources.id = excerpts.source
left join speakers on speakers.id = excerpts.speaker
left join places on places.id = excerpts.place
where excerpt_codes.theme = :theme
  and excerpt_codes.review_state in ('confirmed', case when :unreviewed = '1' then 'unreviewed' end)
group by excerpts.id
order by min(excerpt_codes.review_state), excerpts.id"""

_CODES_OF_EXCERPT_SQL = """select
  codings.code,
  codes.label_nb as label,
  codings.theme,
  codings.coder,
  codings.origin,
  codings.review_state,
  codings.status,
  codings.rule,
  codings.span_text as evidence,
  codings.span_start,
  codings.span_end,
  codings.score,
  codings.rationale,
  codings.note,
  excerpts.citation
from codings
join codes on codes.id = codings.code
join excerpts on excerpts.id = codings.excerpt
where codings.excerpt = :excerpt
order by codings.theme, codings.code, codings.coder, codings.span_start"""

QUERIES: dict[str, dict] = {
    "quotes_for_theme": {
        "title": "Quotes for a theme, with citations / Sitater for et tema",
        "description": "Every excerpt with a confirmed coding of a theme (push, pull, stay or retain): a human "
                       "coder applied it or accepted an automatic coding. Set unreviewed to 1 to add the "
                       "automatic suggestions nobody has reviewed (review_state 'unreviewed', listed after the "
                       "confirmed ones); rejected codings never appear. With the codes, their origins, speaker, "
                       "place and full citation.",
        "sql": _QUOTES_SQL,
    },
    "codes_of_excerpt": {
        "title": "Codes of one excerpt, with evidence / Koder for ett sitat",
        "description": "Each coding of one excerpt (id like fafo-2025-14/amina-grat-hver-dag): code, coder, "
                       "origin, review state, the rule and matched text for automatic codings, the language "
                       "model's rationale, the note for human ones.",
        "sql": _CODES_OF_EXCERPT_SQL,
    },
}
