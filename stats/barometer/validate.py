"""Agreement with Telemarksforsking's own residuals — a validation reference, never Bolyst data.

Telemarksforsking's model output (``attraktivitetsmodell_telemarksforsking_2003_2016.csv`` in
/work/shared/data/ssb, SOURCES.md) states no licence, so it is not shipped. This module reads it where it
is present (the maintainer's machine, the tests), sums its annual «bostedsattraktivitet» over each
three-year period and compares it with Bolyst's residuals. Only the agreement figures are shipped
(``stats/data/barometer_validation.yaml``), written by::

    python -m bolyst.stats.barometer.validate /work/shared/data/ssb

The seed's named municipalities (seed 003, «Attraktivitetsbarometeret 2011», ch. 2, period 2008–2010):
«Ullensaker er igjen den mest attraktive kommunen», «Ulstein er på andreplass», «Rennesøy er nå på
tredjeplass», «Vevelstad på fjerdeplass», «Ås på femteplass»; on the top-20 list «flere gjengangere, som
f. eks. Meland, Hole, Gjerdrum, Sørum og Eidsvoll»; least attractive over the three periods 2002–2010:
«Kautokeino er den kommunen som har hatt lavest attraktivitet».
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import yaml

from ..snapshots import DATA_DIR

REFERENCE_FILE = "attraktivitetsmodell_telemarksforsking_2003_2016.csv"
FIGURES_FILE = "barometer_validation.yaml"
TOP = 20
#: (2017 number, name, the seed's statement) for 2008–2010; rank None = «on the top-20 list».
SEED_2008_2010 = (
    ("0235", "Ullensaker", 1), ("1516", "Ulstein", 2), ("1142", "Rennesøy", 3), ("1816", "Vevelstad", 4),
    ("0214", "Ås", 5), ("1256", "Meland", None), ("0612", "Hole", None), ("0234", "Gjerdrum", None),
    ("0226", "Sørum", None), ("0237", "Eidsvoll", None),
)
SEED_LEAST = ("2011", "Kautokeino")


def reference(path: Path) -> pd.DataFrame:
    """Telemarksforsking's residual per municipality and period: the sum of its three annual values."""
    tf = pd.read_csv(path, dtype={"nr": str})
    tf = tf[tf["inndeling"].str.casefold() == "kommune"]
    rows = []
    for start in range(tf["year"].min(), tf["year"].max() - 1):
        part = tf[tf["year"].between(start, start + 2)].groupby("nr")["bostedsattraktivitet_pct"]
        full = part.count() == 3
        rows.append(pd.DataFrame({"unit": part.sum()[full].index, "period": f"{start}–{start + 2}",
                                  "reference": part.sum()[full].to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def agreement(residuals: pd.DataFrame, ref: pd.DataFrame) -> list[dict]:
    """Figures per period: Pearson and Spearman correlation, top-20 and bottom-20 overlap, and the seed's names."""
    both = residuals.merge(ref, on=["unit", "period"])
    out = []
    for period, g in both.groupby("period", sort=True):
        g = g.set_index("unit")
        ours, theirs = g["residual"], g["reference"]
        out += [
            {"period": period, "metric": "n", "value": float(len(g)), "detail": "municipalities in both"},
            {"period": period, "metric": "pearson", "value": round(float(ours.corr(theirs)), 3),
             "detail": "correlation of the residuals"},
            {"period": period, "metric": "spearman", "value": round(float(ours.corr(theirs, method="spearman")), 3),
             "detail": "rank correlation of the residuals"},
            {"period": period, "metric": "top20_overlap",
             "value": float(len(set(ours.nlargest(TOP).index) & set(theirs.nlargest(TOP).index))),
             "detail": f"of Telemarksforsking's {TOP} highest residuals, how many are among Bolyst's {TOP} highest"},
            {"period": period, "metric": "bottom20_overlap",
             "value": float(len(set(ours.nsmallest(TOP).index) & set(theirs.nsmallest(TOP).index))),
             "detail": f"of Telemarksforsking's {TOP} lowest residuals, how many are among Bolyst's {TOP} lowest"}]
    named = residuals[residuals["period"] == "2008–2010"].set_index("unit")
    for number, name, seed_rank in SEED_2008_2010:
        said = f"seed: rank {seed_rank}" if seed_rank else "seed: on the top-20 list"
        out.append({"period": "2008–2010", "metric": f"seed_rank:{number}",
                    "value": float(named.at[number, "residual_rank"]),
                    "detail": f"{name} — {said}; value = Bolyst's rank by residual of {len(named)}"})
        out.append({"period": "2008–2010", "metric": f"seed_eb_rank:{number}", "value": float(named.at[number, "rank"]),
                    "detail": f"{name} — {said}; value = Bolyst's rank by empirical-Bayes residual of {len(named)}"})
    number, name = SEED_LEAST
    out.append({"period": "2008–2010", "metric": f"seed_rank:{number}", "value": float(named.at[number, "residual_rank"]),
                "detail": f"{name} — seed: least attractive over 2002–2010 (the period 2002–2004 is not in the data); "
                          f"value = Bolyst's rank by residual of {len(named)} in 2008–2010"})
    out.append({"period": "2008–2010", "metric": f"seed_eb_rank:{number}", "value": float(named.at[number, "rank"]),
                "detail": f"{name} — seed: least attractive over 2002–2010; value = Bolyst's rank by "
                          f"empirical-Bayes residual of {len(named)} in 2008–2010"})
    return out


def read_figures(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    path = Path(data_dir) / FIGURES_FILE
    if not path.exists():
        return pd.DataFrame(columns=["period", "metric", "value", "detail"])
    return pd.DataFrame(yaml.safe_load(path.read_text(encoding="utf-8"))["figures"])


def write_figures(source_dir: Path, data_dir: Path = DATA_DIR) -> list[dict]:
    from .run import barometer

    tables = barometer(data_dir)
    figures = agreement(tables["residuals"], reference(Path(source_dir) / REFERENCE_FILE))
    header = {"about": "Agreement of Bolyst's barometer residuals with Telemarksforsking's own (bostedsattraktivitet "
                       "summed over each period), computed by python -m bolyst.stats.barometer.validate from "
                       f"{REFERENCE_FILE} (SOURCES.md; no licence stated, so only these figures are shipped).",
              "figures": figures}
    (Path(data_dir) / FIGURES_FILE).write_text(yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=110),
                                               encoding="utf-8")
    return figures


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m bolyst.stats.barometer.validate SOURCE_DIR   (e.g. /work/shared/data/ssb)")
        raise SystemExit(2)
    for row in write_figures(Path(sys.argv[1])):
        print(row["period"], row["metric"], row["value"])
