"""Reproduce the population side of Fafo-rapport 2025:14, Tabell 1, from SSB's raw numbers.

Tabell 1 («Bosetting av flyktninger etter kommunens sentralitetsklasse, landsdel og antall innbyggere»,
seed 002, lines 617–670) has a column «Hele befolkningen per 1.1.2023, N = 5 488 984» by centrality
class, landsdel and population band. Reproduced here from SSB 07459 (population 1 January 2023 on the
2024 structure; Haram is inside Ålesund until 2024, so this is the 2023 structure), SSB's centrality
classes (2020 index on 2024 numbers), the county → landsdel mapping of :mod:`bolyst.stats.regions`
and Tabell 1's population bands applied to each municipality's own population on 1 January 2023.
Where a figure differs, the explanation says why as far as the numbers show it.
"""

from __future__ import annotations

import pandas as pd

from .regions import POPULATION_BANDS, population_band

TABLE = "Fafo-rapport 2025:14 Tabell 1"
SOURCE = "fafo-2025-14"
TABLE_REF = "Tabell 1:"  # findings.table_ref of the table's rows start with this
COLUMN = "Hele befolkningen per 1.1.2023"
YEAR = 2023
CLASS_BOUNDS = {1: 925, 2: 870, 3: 775, 4: 670, 5: 565}  # lowest index of each class (SSB KLASS 128)
METHOD = ("SSB 07459 population 1 Jan 2023 (2024 numbers; Haram 1580 counted in Ålesund, so the 2023 "
          "structure), grouped by {what}")


def _frame(municipalities: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    columns = ["name", "landsdel", "centrality_class", "centrality_index"]
    return municipalities.set_index("number")[columns].join(population.rename("population"))


def reproduce(municipalities: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    """Reproduced counts and percentages: one row per Tabell 1 row (row, measure, reproduced).

    ``municipalities``: number, landsdel, centrality_class. ``population``: 1 January 2023, by number.
    Municipalities with 0 inhabitants that year (Haram, not yet re-established) belong to no band.
    """
    frame = _frame(municipalities, population)
    frame = frame[frame["population"] > 0]
    total = frame["population"].sum()
    groups = {
        "centrality": frame.groupby("centrality_class")["population"].sum().rename(lambda c: f"Sentralitet: {c}"),
        "landsdel": frame.groupby("landsdel")["population"].sum(),
        "band": frame.groupby(frame["population"].map(population_band))["population"].sum(),
    }
    rows = [{"row": "N", "group": "total", "measure": "persons", "reproduced": float(total)}]
    for group, sums in groups.items():
        for label, value in sums.items():
            rows.append({"row": label, "group": group, "measure": "persons", "reproduced": float(value)})
            rows.append({"row": label, "group": group, "measure": "percent",
                         "reproduced": float(round(100 * value / total))})
    return pd.DataFrame(rows)


def published_values(finding_values: pd.DataFrame) -> pd.DataFrame:
    """Tabell 1's population column from the corpus's findings (finding, label, value, source, table_ref)."""
    prefix = f"{COLUMN} | "
    rows = []
    mine = finding_values[(finding_values["source"] == SOURCE)
                          & finding_values["table_ref"].fillna("").str.startswith(TABLE_REF)]
    for r in mine.itertuples():
        label = str(r.label)
        if label.startswith(prefix):
            row = label[len(prefix):].removesuffix(" | andel")
            rows.append({"row": row, "measure": "percent" if label.endswith("| andel") else "persons",
                         "published": float(r.value), "finding": r.finding})
        elif label.startswith("Hele befolkningen | N (tabellnote"):
            rows.append({"row": "N (table note)", "measure": "persons", "published": float(r.value),
                         "finding": r.finding})
    return pd.DataFrame(rows, columns=["row", "measure", "published", "finding"])


def boundary_flows(municipalities: pd.DataFrame, population: pd.Series, published: dict[int, float]) -> dict[int, float]:
    """Net persons Tabell 1 puts below each class boundary b (between class b and b+1) compared with us.

    Positive: the published table has that many more people in classes b+1 … 6 than SSB's classes give.
    """
    ours = _frame(municipalities, population).groupby("centrality_class")["population"].sum()
    flows, running = {}, 0.0
    for b in range(1, 6):
        running += ours.get(b, 0.0) - published.get(b, 0.0)
        flows[b] = running
    return flows


def explain_centrality(municipalities: pd.DataFrame, population: pd.Series, published: dict[int, float]) -> dict[int, str]:
    """For each class boundary with a difference, the municipality whose population equals it exactly."""
    frame = _frame(municipalities, population)
    notes = {}
    for b, flow in boundary_flows(municipalities, population, published).items():
        if flow == 0:
            continue
        source_class, target_class = (b, b + 1) if flow > 0 else (b + 1, b)
        hits = frame[(frame["centrality_class"] == source_class) & (frame["population"] == abs(flow))]
        persons = f"{abs(int(flow)):,}".replace(",", " ")
        if len(hits):
            m = hits.iloc[0]
            notes[b] = (f"{persons} persons cross the class {b}/{b + 1} boundary: exactly the population of "
                        f"{m['name']} ({m.name}, index {int(m['centrality_index'])}, class {source_class} in "
                        f"SSB's 2020 index) — Tabell 1 has it in class {target_class}")
        else:
            notes[b] = (f"{persons} persons cross the class {b}/{b + 1} boundary; no single municipality has "
                        "that population, so more than one municipality is classified differently")
    return notes


def compare(municipalities: pd.DataFrame, population: pd.Series, finding_values: pd.DataFrame) -> pd.DataFrame:
    """The ``reproductions`` rows: table, row, measure, published, reproduced, difference, explanation."""
    ours = reproduce(municipalities, population)
    pub = published_values(finding_values)
    total = ours.loc[ours["row"] == "N", "reproduced"].iloc[0]
    ours = pd.concat([ours, pd.DataFrame([{"row": "N (table note)", "group": "total", "measure": "persons",
                                           "reproduced": total}])])
    merged = pub.merge(ours, on=["row", "measure"], how="left")
    merged["difference"] = merged["reproduced"] - merged["published"]
    classes = {int(r.row.split(": ")[1]): r.published for r in merged.itertuples()
               if r.group == "centrality" and r.measure == "persons"}
    notes = explain_centrality(municipalities, population, classes)
    differs = set(merged.loc[(merged["measure"] == "persons") & (merged["difference"] != 0), "row"])
    merged["explanation"] = [_explain(r, notes, r.row in differs) for r in merged.itertuples()]
    merged["table"] = TABLE
    return merged[["table", "row", "measure", "published", "reproduced", "difference", "explanation", "finding"]]


def _explain(r, notes: dict[int, str], count_differs: bool) -> str:
    what = {"centrality": "SSB centrality class (2020 index)", "landsdel": "landsdel (county → landsdel)",
            "band": "the municipality's own population band on 1 Jan 2023", "total": "nothing (national total)"}
    method = METHOD.format(what=what.get(r.group, "?"))
    if pd.isna(r.reproduced):
        return "row not reproduced: no matching SSB grouping"
    if r.difference == 0 and count_differs:
        return f"the rounded share matches although the count differs (see the persons row). {method}."
    if r.difference == 0:
        return f"matches. {method}."
    if r.row == "N (table note)":
        return ("the table note says 5 588 984, the table header 5 488 984; SSB's national total on 1 Jan 2023 "
                "is 5 488 984, so the note has a typing error")
    if r.group == "centrality":
        c = int(r.row.split(": ")[1])
        own = [notes[b] for b in (c - 1, c) if b in notes]
        return ("differs: Tabell 1 (population from KDD's Regionale utviklingstrekk 2023) classifies some "
                "municipalities in another centrality class than SSB's 2020 index on 2024 numbers. "
                + " ".join(own) + f". {method}.")
    if r.measure == "percent":
        return f"rounded share differs. {method}."
    return f"differs. {method}."


BAND_LABELS = [label for label, _, _ in POPULATION_BANDS]
