"""The home page: what is inside, how to search, how to cite, the sources and their licences."""

from __future__ import annotations

from typing import Any

from .charts import Bar, bar_chart

from .finder import finder
from .links import Links
from .methods import METHODS, method_keys
from .quotes import labelled
from .rates import TITLE as RATES_TITLE
from .rates import rate_keys
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
            link.t("Utdrag per tema"),
            link.t("Antall utdrag der en person har bekreftet temaet (inkludert underkoder); ukontrollerte "
                   "automatiske forslag er ikke talt med."),
            [Bar((t["label_en"] if link.lang == "en" else t["label_nb"]).split(" – ")[0], t["n"],
                 link.t("%(n)s til i ukontrollerte forslag", n=t["n_unreviewed"])) for t in themes],
            percent=False, source=link.t("tabellene codes og codings"),
            links=((link.t("Spørringen"), link.query("codes")),)))
    if by_role.rows:
        charts.append(bar_chart(
            link.t("Utdrag etter talerens rolle"),
            link.t("Antall utdrag etter hvem som snakker eller beskrives."),
            [Bar(role(r["label"], link.lang), r["n"]) for r in by_role],
            percent=False, source=link.t("tabellen excerpts (speaker_role)"),
            links=((link.t("Spørringen"), link.query("excerpts_by_role")),)))
    return {
        "nav": "home", "counts": store.run("corpus_counts").first, "sources": store.run("sources", cache=True),
        "themes": themes, "codes": codes, "charts": charts, "by_place": store.run("excerpts_by_place"),
        "places_linked": store.run("places_linked"), "indicators": store.run("indicators", cache=True),
        "search_examples": SEARCH_EXAMPLES, "example": labelled(store, store.run("example_quote")).first,
        "municipalities": store.run("municipalities", cache=True), "finder": finder(store, link),
        "methods": [(key, link.t(METHODS[key].title)) for key in method_keys(store)]
        + [(key, link.t(RATES_TITLE)) for key in rate_keys(store)],
    }
