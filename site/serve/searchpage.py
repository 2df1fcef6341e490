"""Bolyst's own search page, ``/-/bolyst/search/``: quote cards with the matched words marked, filters with
counts, and a link to the same search in Datasette.

Each word matches its exact form or, through the ``lemmas`` column, any inflected form of its lemma
(``search.fts_query``); results are ranked by FTS5's BM25 over the text and its lemmas. Every query runs
through Datasette's ``execute`` and so under its ``sql_time_limit_ms``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup, escape

from bolyst.corpus.lemmas import WORD, lemma, words
from bolyst.site.pages.i18n import DEFAULT, N_
from bolyst.site.pages.links import Links
from bolyst.site.pages.queries import QUERIES, QUOTE_COLUMNS, coded
from bolyst.site.pages.render import render

from .guard import MAX_SEARCH_CHARS, MAX_SEARCH_TERMS
from .search import TERM, fts_query

PAGE_SIZE = 25
MAX_QUERY, MAX_TERMS = MAX_SEARCH_CHARS, MAX_SEARCH_TERMS  # the serve guard's bounds (guard.py refuses first)
MAX_PAGE = 40

#: The codings of a code and its sub-codes.
_SUBTREE = "(code = {code} or code like {code} || '.%')"
#: filter name → (SQL condition on the excerpt e, facet SQL giving (value, label) per hit)
FILTERS = {
    "theme": (f"e.id in (select excerpt from ({coded(_SUBTREE.format(code=':theme'))}))",
              """select substr(c.code, 1, instr(c.code || '.', '.') - 1) as value, k.label_nb as label,
                        count(distinct c.excerpt) as n
                 from hit_codes c
                 join codes k on k.id = substr(c.code, 1, instr(c.code || '.', '.') - 1)
                 group by 1 order by k.position"""),
    "code": (f"e.id in (select excerpt from ({coded(_SUBTREE.format(code=':code'))}))",
             """select c.code as value, k.label_nb as label, count(distinct c.excerpt) as n
                from hit_codes c join codes k on k.id = c.code
                where c.code like '%.%' group by 1 order by n desc, k.position limit 15"""),
    "lang": ("e.lang = :lang",
             "select e.lang as value, e.lang as label, count(*) as n from hits h join excerpts e on e.id = h.id "
             "group by 1 order by n desc, 1"),
    "role": ("e.speaker_role = :role",
             "select e.speaker_role as value, e.speaker_role as label, count(*) as n from hits h "
             "join excerpts e on e.id = h.id where e.speaker_role is not null group by 1 order by n desc, 1"),
    "municipality": ("e.id in (select excerpt from excerpt_places where municipality = :municipality "
                     "and link_type in ('exact', 'mention'))",
                     """select x.municipality as value, m.name as label, count(distinct x.excerpt) as n
                        from excerpt_places x join hits h on h.id = x.excerpt
                        join municipalities m on m.number = x.municipality
                        where x.link_type in ('exact', 'mention') group by 1 order by n desc, m.name limit 15"""),
    "centrality": ("e.id in (select x.excerpt from excerpt_places x join municipalities m on m.number = "
                   "x.municipality where x.link_type in ('exact', 'mention') "
                   "and m.centrality_class = cast(:centrality as integer))",
                   """select m.centrality_class as value, m.centrality_class as label,
                             count(distinct x.excerpt) as n
                      from excerpt_places x join hits h on h.id = x.excerpt
                      join municipalities m on m.number = x.municipality
                      where x.link_type in ('exact', 'mention') and m.centrality_class is not null
                      group by 1 order by 1"""),
}


@dataclass(frozen=True)
class Search:
    q: str
    filters: dict[str, str]
    page: int = 1
    problem: tuple[str, int, int] | None = None  # (message, found, limit)

    @classmethod
    def from_args(cls, args) -> Search:
        q = (args.get("q") or "").strip()
        filters = {name: args.get(name).strip() for name in FILTERS if (args.get(name) or "").strip()}
        try:
            page = min(max(int(args.get("page") or 1), 1), MAX_PAGE)
        except ValueError:
            page = 1
        problem = None
        if len(q) > MAX_QUERY:
            problem = (N_("Søket er for langt (%(n)s tegn); bruk høyst %(max)s."), len(q), MAX_QUERY)
        elif len(q.split()) > MAX_TERMS:
            problem = (N_("Søket har for mange ord (%(n)s); bruk høyst %(max)s."), len(q.split()), MAX_TERMS)
        return cls(q, filters, page, problem)

    @property
    def active(self) -> bool:
        return bool(self.q or self.filters) and self.problem is None

    def url(self, **change) -> str:
        args = {"q": self.q, **self.filters, **change}
        return "?" + urlencode({k: v for k, v in args.items() if v not in (None, "")})

    def where(self) -> str:
        return " and ".join(FILTERS[name][0] for name in self.filters) or "1"

    def params(self) -> dict[str, str]:
        return {**self.filters, "fts": fts_query(self.q)} if self.q else dict(self.filters)


def _hits_sql(search: Search) -> str:
    """``hits``: the id of each excerpt that matches, with its FTS5 rank (BM25 over the whole index, as a search
    for that one excerpt would give it) from one pass over the matches; 0 without search words."""
    if search.q:
        hits = ("select e.id, excerpts_fts.rank from excerpts_fts join excerpts e on e.rowid = excerpts_fts.rowid "
                f"where excerpts_fts match :fts and {search.where()}")
    else:
        hits = f"select e.id, 0 as rank from excerpts e where {search.where()}"
    return f"with hits as materialized ({hits}), hit_codes as ({coded('excerpt in (select id from hits)')})"


def results_sql(search: Search) -> str:
    """One page of matching quotes, best first, each with the codes in force on it."""
    return f"""{_hits_sql(search)}
        select {QUOTE_COLUMNS}, s.short as source_short, e.source, h.rank as rank
        from hits h join excerpts e on e.id = h.id join sources s on s.id = e.source
        left join speakers sp on sp.id = e.speaker left join places pl on pl.id = e.place
        order by rank, e.kind = 'quote' desc, e.id
        limit {PAGE_SIZE} offset {(search.page - 1) * PAGE_SIZE}"""


def highlight(text: str, q: str, lang: str | None) -> Markup:
    """``text`` escaped, with each word that matches a search word (its form or its lemma) in ``<mark>``."""
    forms, lemmas, prefixes = set(), set(), []
    for raw in TERM.findall(q):
        if raw.endswith("*") and raw.strip('*"'):
            prefixes.append(raw.strip('*"').lower())
            continue
        for word in words(raw.strip('"')):
            forms.add(word.lower())
            lemmas.add(lemma(word, lang or "nb"))
    out, last = [], 0
    for match in WORD.finditer(text):
        word = match.group().lower()
        if (word in forms or lemma(word, lang or "nb") in lemmas or lemma(word, "nb") in lemmas
                or any(word.startswith(p) for p in prefixes)):
            out.append(escape(text[last:match.start()]))
            out.append(Markup("<mark>") + escape(match.group()) + Markup("</mark>"))
            last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


async def search_page(datasette, request, db):
    """The search page's HTML for ``request.args`` on the Bolyst database ``db``."""
    search = Search.from_args(request.args)
    lang = request.url_vars.get("lang") or DEFAULT
    link = Links("search/index.html", datasette.setting("base_url").rstrip("/"), db.name, lang)
    results, facets, total = [], {}, None
    problem = link.t(search.problem[0], n=search.problem[1], max=search.problem[2]) if search.problem else None
    if search.active:
        params = search.params()
        rows = (await db.execute(results_sql(search), params)).rows
        for row in rows:
            quote = dict(row)
            quote["highlight"] = highlight(quote["text"], search.q, quote["lang"]) if search.q else None
            # the same labels as every quote on every page (pages.queries quote_labels over excerpt_codes)
            quote["codes"] = [dict(r) for r in (await db.execute(QUERIES["quote_labels"].sql,
                                                                 {"excerpt": quote["id"]})).rows]
            results.append(quote)
        total = (await db.execute(f"{_hits_sql(search)} select count(*) from hits", params)).rows[0][0]
        for name, (_, facet_sql) in FILTERS.items():
            facet_rows = (await db.execute(f"{_hits_sql(search)} {facet_sql}", params)).rows
            facets[name] = [dict(r) for r in facet_rows]
    options = {
        "theme": [dict(r) for r in (await db.execute(
            "select id as value, label_nb as label from codes where parent is null order by position")).rows],
    }
    site = {"datasette": link.datasette, "db": db.name, "static": False, "switch": True}
    return render("search.html", lang, link=link, site=site,
                  nav="search", search=search, problem=problem, results=results, total=total, facets=facets, options=options,
                  page_size=PAGE_SIZE, max_page=MAX_PAGE, max_query=MAX_QUERY, search_action="",
                  datasette_url=link.canned("search_quotes", q=search.q or None))


async def route(datasette, request):
    from datasette.utils.asgi import Response

    from bolyst.site.pages.routes import database, not_found

    db = database(datasette)
    if db is None:  # the pages' own 404, in the page's language
        return not_found("search/", datasette.setting("base_url").rstrip("/"), "bolyst",
                         request.url_vars.get("lang") or DEFAULT)
    return Response.html(await search_page(datasette, request, db))


ROUTES = [(r"^/-/bolyst/(?:(?P<lang>en)/)?search/(?:index\.html)?$", route)]
