"""The reliability page: how well the automatic coder agrees with people, per theme and language, on material it
was not written from (the development set's test split, the seed documents' held-out passages)."""

from __future__ import annotations

from typing import Any

from .links import Links
from .store import Store

THEMES = ("push", "pull", "stay", "retain")
LANGS = ("all", "nb", "nn", "en")


def kappa_tables(rows) -> list[dict[str, Any]]:
    """One table per split: a row per (coders, language) with κ per theme and their mean."""
    tables: dict[str, dict[tuple, dict]] = {}
    for r in rows:
        table = tables.setdefault(r["split"], {})
        row = table.setdefault((r["coder_a"], r["coder_b"], r["lang"]), {
            "coders": f"{r['coder_a']} × {r['coder_b']}", "automatic": r["coder_a"] == "combined",
            "lang": r["lang"], "kappa": {}, "n": r["n_units"]})
        row["kappa"][r["code"]] = r["kappa"]
    out = []
    for split, table in tables.items():
        rows_ = sorted(table.values(), key=lambda r: (not r["automatic"], LANGS.index(r["lang"])
                                                      if r["lang"] in LANGS else 9))
        for row in rows_:
            values = [row["kappa"].get(t) for t in THEMES]
            defined = [v for v in values if v is not None]  # a theme nobody applied has no κ: left out
            row["mean"] = sum(defined) / len(defined) if defined else None
        out.append({"split": split, "rows": rows_})
    return out


def reliability_page(store: Store, key: None, link: Links) -> dict[str, Any]:
    kappa = store.run("reliability_kappa")
    return {"nav": "reliability", "kappa": kappa, "tables": kappa_tables(kappa), "themes": THEMES,
            "scores": store.run("reliability_scores"), "splits": store.run("reliability_splits")}
