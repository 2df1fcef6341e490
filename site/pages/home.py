"""The home page: what is inside, how to search, how to cite, the sources and their licences."""

from __future__ import annotations

from typing import Any

from .charts import Bar, bar_chart

from .links import Links
from .quotes import labelled
from .render import role
from .store import Store

SEARCH_EXAMPLES = ("flytte", "ensom*", '"bli boende"', "jobb barn")


def home_page(store: Store, key: None, link: Links) -> dict[str, Any]:
    codes = store.run("codes", cache=True)
    themes = [c for c in codes if c["parent"] is None]
    by_role = store.run("excerpts_by_role")
    charts = []
    if themes:
        charts.append(bar_chart(
            "Utdrag per tema / excerpts per theme",
            "Antall utdrag der en person har bekreftet temaet (inkludert underkoder); ukontrollerte automatiske "
            "forslag er ikke talt med. Number of excerpts with the theme confirmed by a person (sub-codes "
            "included); unreviewed automatic suggestions are not counted.",
            [Bar(t["label_nb"].split(" – ")[0], t["n"],
                 f"{t['n_unreviewed']} til i ukontrollerte forslag / more in unreviewed suggestions") for t in themes],
            percent=False, source="tabellene codes og codings",
            links=(("Spørringen / the query", link.query("codes")),)))
    if by_role.rows:
        charts.append(bar_chart(
            "Utdrag etter talerens rolle / excerpts by speaker role",
            "Antall utdrag etter hvem som snakker eller beskrives. Number of excerpts by speaker role.",
            [Bar(f"{role(r['label'])} / {role(r['label'], 'en')}", r["n"]) for r in by_role],
            percent=False, source="tabellen excerpts (speaker_role)",
            links=(("Spørringen / the query", link.query("excerpts_by_role")),)))
    return {
        "nav": "home", "counts": store.run("corpus_counts").first, "sources": store.run("sources", cache=True),
        "themes": themes, "codes": codes, "charts": charts, "by_place": store.run("excerpts_by_place"),
        "places_linked": store.run("places_linked"), "indicators": store.run("indicators", cache=True),
        "search_examples": SEARCH_EXAMPLES, "example": labelled(store, store.run("example_quote")).first,
        "municipalities": store.run("municipalities", cache=True),
    }
