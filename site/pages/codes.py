"""Theme and code pages: the codebook as a tree, and one page per theme and per code."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from .charts import Bar, Chart, bar_chart

from .i18n import N_
from .links import Links
from .quotes import labelled
from .render import role
from .store import Result, Store

QUOTES = 8  # clearest quotes shown per code
#: theme_matrix dimensions shown, in order, with the words a chart title uses for each.
DIMENSIONS = {
    "centrality_class": N_("sentralitetsklasse"),
    "landsdel": N_("landsdel"),
    "population_band": N_("folketall i kommunen"),
    "speaker_role": N_("talerens rolle"),
}
CATEGORY_LABELS = {"unknown": N_("ukjent"), "mixed": N_("blandet")}

#: Words that find the quantitative findings bearing on a code: FTS5 terms on findings.statement, a
#: trailing * for a prefix. Codes not listed here use the distinctive lemmas of their own rules.
FINDING_TERMS: dict[str, tuple[str, ...]] = {
    "push": ("fraflytt*", "flytter ut", "flyttet ut", "sekundærflytt*"),
    "pull": ("tilflytt*", "flytter til", "flyttet til", "attraktiv*"),
    "stay": ("bli boende", "blir boende", "bodde fortsatt", "bor fortsatt", "ble boende", "bofast*"),
    "retain": ("beholde*", "bli boende", "blir boende", "bofast*"),
    "push.narrow_jobs": ("arbeidsmarked*", "sysselset*", "arbeidsledig*", "jobb*"),
    "pull.job_variety": ("arbeidsmarked*", "sysselset*", "jobb*", "arbeidsplass*"),
    "retain.employer": ("sysselset*", "arbeidsgiver*", "i arbeid", "jobb*"),
    "push.services": ("tjenest*", "videregående", "sykehus*"),
    "pull.services": ("tjenest*",),
    "pull.studies": ("utdanning*", "studier", "skole*"),
    "stay.children_stability": ("barn", "barna", "barnefamilie*", "skole*"),
    "stay.settlement_rights": ("introduksjonsprogram*", "integreringstilskudd*", "femårs*"),
    "pull.family_friends": ("familie*", "venner", "nettverk*"),
    "retain.network": ("familie*", "venner", "nettverk*"),
    "pull.coethnic_network": ("landsmenn", "nettverk*", "samme landbakgrunn"),
    "push.few_coethnics": ("landsmenn", "landbakgrunn*"),
    "retain.housing": ("bolig*",),
    "stay.home_ownership": ("eier", "bolig*", "eie"),
    "push.transport": ("avstand*", "reiseavstand*", "transport*"),
    "push.loneliness": ("ensom*", "utenforskap*", "isolasjon", "tilhørighet*"),
    "retain.belonging": ("tilhørighet*", "lokalsamfunn*", "inkludering*"),
    "retain.volunteers": ("frivillig*",),
}
#: Rule lemmas too common to say anything about a code on their own.
GENERIC_LEMMAS = frozenset((
    "ikke", "ikkje", "aldri", "mange", "noen", "seks", "åtte", "gang", "folk", "føle", "høre", "kjenne", "sitte",
    "sette", "hjemme", "lokal", "mangle", "følge", "hjelpe", "spille", "tilby", "hente", "inngå", "flytte",
    "flytting", "kontakt", "inkludert", "innvandrer", "hverandre", "interessert", "isolert",
))


def code_keys(store: Store) -> list[str]:
    return [row["id"] for row in store.run("codes", cache=True)]


def tree(codes: Result) -> list[dict]:
    """Codes as nested dicts (``children``), themes first, each level in id order."""
    children: dict[str | None, list[dict]] = defaultdict(list)
    for row in codes:
        children[row["parent"]].append({**row, "children": []})
    for items in children.values():
        for item in items:
            item["children"] = children.get(item["id"], [])
    return children.get(None, [])


def themes_index(store: Store, key: None, link: Links) -> dict[str, Any]:
    codes = store.run("codes", cache=True)
    return {"nav": "themes", "codes": codes, "tree": tree(codes), "counts": store.run("corpus_counts").first}


def code_page(store: Store, key: str, link: Links) -> dict[str, Any] | None:
    code = store.run("code", code=key).first
    if code is None:
        return None
    codes = store.run("codes", cache=True)
    by_id = {c["id"]: c for c in codes}
    terms = finding_terms(store, code)
    prevalence = store.run("code_matrix", code=key)
    return {
        "nav": "themes", "code": code, "by_id": by_id,
        "ancestors": _ancestors(code, by_id), "children": [c for c in codes if c["parent"] == key],
        "total": store.run("code_total", code=key).first,
        "matrix_total": store.value("code_matrix_total", code=key),
        "charts": prevalence_charts(prevalence, code, link), "prevalence": prevalence,
        "quotes": labelled(store, store.run("code_quotes", code=key, confirmed=1, limit=QUOTES)),
        "suggestions": labelled(store, store.run("code_quotes", code=key, confirmed=0, limit=QUOTES)),
        "cooccurring": store.run("code_cooccurring", code=key),
        "terms": terms, "findings_query": fts_terms(terms), "listed_terms": key in FINDING_TERMS,
        "findings": store.run("code_findings", terms=fts_terms(terms)),
    }


def _ancestors(code: dict, by_id: dict[str, dict]) -> list[dict]:
    out, parent = [], code["parent"]
    while parent and parent in by_id:
        out.insert(0, by_id[parent])
        parent = by_id[parent]["parent"]
    return out


def prevalence_charts(result: Result, code: dict, link: Links) -> list[Chart]:
    """One bar chart per dimension of theme_matrix: share of the group's excerpts that carry the code."""
    charts = []
    label = code["label_en"] if link.lang == "en" else code["label_nb"]
    for dim, words in DIMENSIONS.items():
        rows = sorted((r for r in result if r["dimension"] == dim), key=_category_order)
        if not rows:
            continue
        bars = [Bar(_group_label(dim, r["category"], link), r["share"],
                    link.t("%(n)s av %(of)s utdrag", n=r["n_coded"], of=r["n_excerpts"]), n=r["n_excerpts"],
                    detail="" if r["n_speakers"] is None else link.t(
                        "%(n)s av %(of)s utdrag, fra %(s)s av %(speakers)s talere", n=r["n_coded"],
                        of=r["n_excerpts"], s=r["n_speakers_coded"], speakers=r["n_speakers"]))
                for r in rows]
        title = link.t("«%(code)s» etter %(what)s", code=label, what=link.t(words))
        desc = link.t("Andel utdrag i hver gruppe som har koden %(code)s.", code=label)
        charts.append(bar_chart(title, desc, bars, source=_test_note(rows[0], link),
                                links=((link.t("Tabellen"), link.table("theme_matrix", code=code["id"],
                                                                       dimension=dim)),
                                       # the same counts per source document: is a group's share one source's?
                                       (link.t("Etter kilde"), link.table("theme_matrix_sources", code=code["id"],
                                                                          dimension=dim))), lang=link.lang))
    return charts


def _category_order(row: dict) -> tuple:
    """Real categories first, in numeric order where they start with a number; unknown / mixed last."""
    text = str(row["category"])
    number = re.match(r"\D*?(\d[\d \u00a0]*)", text)
    return (text in CATEGORY_LABELS, int(re.sub(r"\D", "", number.group(1))) if number else 0, text)


def _test_note(row: dict, link: Links) -> str:
    note = link.t("tabellen theme_matrix (utdrag koblet til kommuner og talere; menneskelig koding går foran)")
    if row["test"]:
        q = row.get("qval")
        test = f"; {row['test']} p = {row['pval']:.3f}"
        if q is not None:
            test += ", " + link.t("BH q = %(q)s (%(side)s 0.05 etter korreksjon for alle testene)", q=f"{q:.3f}",
                                  side=link.t("under") if q < 0.05 else link.t("over"))
        note += test if link.lang == "en" else test.replace(".", ",")
    if row["warning"]:
        note += f"; {row['warning']}"
    return note


def _group_label(dim: str, value: Any, link: Links) -> str:
    if value in CATEGORY_LABELS:
        return link.t(CATEGORY_LABELS[value])
    if dim == "speaker_role":
        return role(value, link.lang)
    if dim == "centrality_class":
        return link.t("klasse %(n)s", n=value)
    return str(value)


def finding_terms(store: Store, code: dict) -> list[str]:
    """Search terms for the findings bearing on a code: listed in FINDING_TERMS, else its rules' lemmas."""
    if code["id"] in FINDING_TERMS:
        return list(FINDING_TERMS[code["id"]])
    lemmas = [t for row in store.run("code_rule_patterns", code=code["id"]) for t in _lemmas(row["pattern"])]
    terms = [t for t in lemmas if len(t) >= 6 and t not in GENERIC_LEMMAS]
    return sorted(set(terms), key=terms.index) or list(FINDING_TERMS.get(code["id"].split(".")[0], ()))


def _lemmas(pattern: str | None) -> list[str]:
    """LEMMA / LOWER values of a spaCy token pattern stored as JSON, or the words of a phrase."""
    try:
        parsed = json.loads(pattern or "")
    except ValueError:
        return [pattern] if pattern else []
    if isinstance(parsed, str):
        return [parsed]
    found = []
    for token in parsed if isinstance(parsed, list) else []:
        for attr in ("LEMMA", "LOWER", "ORTH"):
            value = token.get(attr) if isinstance(token, dict) else None
            values = value.get("IN", []) if isinstance(value, dict) else [value]
            found += [v for v in values if isinstance(v, str) and len(v) >= 4]
    return found


def fts_terms(terms: list[str]) -> str:
    """``["fraflytt*", "bli boende"]`` → ``"fraflytt"* OR "bli boende"`` (an FTS5 query)."""
    parts = []
    for term in terms:
        clean = re.sub(r'["*]', "", term).strip()
        if clean:
            parts.append(f'"{clean}"' + ("*" if term.endswith("*") else ""))
    return " OR ".join(parts) or '"\u0000"'
