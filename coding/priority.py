"""Which automatic suggestions a reviewer should look at first: the most uncertain.

For each unreviewed suggestion (an excerpt and a code some automatic coder applied, no human decision in
force), three signals, each 0–1:

* **disagreement** — the automatic coders that read the excerpt split on its theme (rules, model, language
  models: 2·min(p, 1 − p) for the share p that applied it), or human coders disagree (status disputed): 1;
* **closeness** — the model's score is near its threshold: 1 − |score − threshold| / 0.5 (0 without a score);
* **weakness** — the code (or its theme) has low measured agreement: 1 − κ of the automatic coder against
  the reference coding on the measuring splits (test, heldout), 0.5 when not measured.

``uncertainty = 0.5·disagreement + 0.3·closeness + 0.2·weakness``; ``why`` says it in words.
"""

from __future__ import annotations

from collections import defaultdict

import sqlite_utils

WEIGHTS = {"disagreement": 0.5, "closeness": 0.3, "weakness": 0.2}
UNMEASURED = 0.5


def _readers(db: sqlite_utils.Database) -> dict[str, set[str]]:
    """Per excerpt: the automatic coders that read it (rules and model read every excerpt they can code)."""
    out: dict[str, set[str]] = defaultdict(set)
    model = "coding_models" in db.table_names() and db["coding_models"].count > 0
    for r in db.query("select excerpt from excerpt_splits"):
        out[r["excerpt"]] |= {"auto"} | ({"model"} if model else set())
    if "llm_answers" in db.table_names():
        for r in db.query("select excerpt, coder from llm_answers"):
            out[r["excerpt"]].add(r["coder"])
    return out


def _applied(db: sqlite_utils.Database) -> dict[tuple[str, str], set[str]]:
    """(excerpt, theme) → automatic coders that applied a code of the theme."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in db.query("select distinct excerpt, theme, coder from codings where origin != 'human'"):
        out[(r["excerpt"], r["theme"])].add(r["coder"])
    return out


def _kappas(db: sqlite_utils.Database) -> dict[str, float]:
    """Per code: mean κ of the automatic coders against the other coders on the measuring splits."""
    if "agreement_kappa" not in db.table_names():
        return {}
    return {r["code"]: r["kappa"] for r in db.query(
        "select code, avg(kappa) as kappa from agreement_kappa where lang = 'all' and split in ('test', 'heldout') "
        "and coder_a in ('auto', 'combined') and kappa is not null group by code")}


def _threshold(db: sqlite_utils.Database) -> float:
    if "coding_models" in db.table_names():
        row = db.execute("select threshold from coding_models limit 1").fetchone()
        if row and row[0] is not None:
            return float(row[0])
    return 0.5


def rank(db: sqlite_utils.Database, rows: list[dict]) -> list[dict]:
    """``rows`` (review-sheet rows: excerpt, code, theme, status, model_score) with ``uncertainty`` and ``why``;
    unreviewed rows first, most uncertain first, then the rest in their order."""
    readers, applied, kappas, threshold = _readers(db), _applied(db), _kappas(db), _threshold(db)
    scored, rest = [], []
    for row in rows:
        if not row.get("code") or row.get("review_state") != "unreviewed":
            rest.append({**row, "uncertainty": "", "why": ""})
            continue
        signals, why = score(row, readers.get(row["excerpt"], set()),
                             applied.get((row["excerpt"], row["theme"]), set()),
                             kappas.get(row["code"], kappas.get(row["theme"])), threshold)
        total = round(sum(WEIGHTS[k] * v for k, v in signals.items()), 3)
        scored.append({**row, "uncertainty": total, "why": "; ".join(why)})
    scored.sort(key=lambda r: (-r["uncertainty"], r["excerpt"], r["code"]))
    return scored + rest


def score(row: dict, readers: set[str], applied: set[str], kappa: float | None,
          threshold: float) -> tuple[dict[str, float], list[str]]:
    """The three signals of one suggestion and their explanation."""
    why = []
    if row.get("status") == "disputed":
        disagreement = 1.0
        why.append("human coders disagree")
    elif len(readers) > 1:
        share = len(applied & readers) / len(readers)
        disagreement = 2 * min(share, 1 - share)
        if disagreement:
            why.append(f"automatic coders split: {', '.join(sorted(applied & readers))} apply {row['theme']}, "
                       f"{', '.join(sorted(readers - applied))} do not")
    else:
        disagreement = 0.0
    model = row.get("model_score")
    closeness = max(0.0, 1 - abs(float(model) - threshold) / 0.5) if model not in (None, "") else 0.0
    if model not in (None, ""):
        why.append(f"model score {float(model):.2f} (threshold {threshold:.2f})")
    weakness = UNMEASURED if kappa is None else 1 - max(0.0, min(1.0, kappa))
    why.append(f"κ {row['code']} not measured" if kappa is None else f"κ of the automatic coder {kappa:.2f}")
    return {"disagreement": disagreement, "closeness": closeness, "weakness": weakness}, why
