"""Put a long snapshot on the 2024 municipal structure (pure: DataFrames in, DataFrames out).

* Snapshots published on the 2024 structure are kept as published (``method = published``).
* Snapshots on then-valid numbers go through the crosswalk: counts (``aggregation: sum``) are summed
  over the old numbers now inside each 2024 municipality. A split municipality's count is never shared
  out by an estimated weight (nothing documents how its events divide between the parts): the receiver
  that continues its name gets the whole count, flagged ``split_unallocated`` (as SSB's own 2024-border
  aggregate does for 1508 Ålesund 2020–2023), and every other receiver gets no value for those years,
  flagged ``no_series`` with the reason (as SSB's aggregate gives no series for 1580 Haram before
  2024, or for Heim, Hitra, Orkland, Narvik and Hamarøy before 2020); numbers that cannot be summed
  (``aggregation: none``) are kept only where one old number covers exactly one 2024 municipality.
* Ratios (``aggregation: ratio``) are recomputed from the mapped numerator and denominator.

Publisher symbols become flags: ':' → value empty, ``suppressed`` (or ``incomplete`` when other parts
have numbers, making the sum a lower bound); 'no_series' → value empty, ``no_series``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bolyst.corpus.errors import StatsDataError

from .crosswalk import NOT_MUNICIPALITIES
from .snapshots import Snapshot

OUT_COLUMNS = ["municipality", "indicator", "year", "value", "method", "flag", "note"]

FLAG_NOTES = {
    "no_series": "the source has no comparable number for this municipality and year (formed by a split; "
                 "the source shows 0)",
    "split_unallocated": "includes area now in another municipality (1508 Ålesund 2020–2023 includes Haram, "
                         "1580, split off in 2024)",
    "suppressed": "suppressed by the publisher (small numbers)",
    "incomplete": "lower bound: some parts suppressed by the publisher",
    "partial_year": "partial year (the source was compiled before the year ended)",
    "dot_as_zero": "IMDi published «.» (SOURCES.md: «`.` = not applicable / no figure»; in this table «.» "
                   "stands where no refugees were settled, the years 2014 and 2016–2020 hold no explicit 0), "
                   "read as 0",
    "possible_duplicate": "a part may be counted twice: the source lists a municipality under its old and new "
                          "number in the same year",
}


def join_flags(*flags: str) -> str:
    parts = sorted({p for f in flags for p in str(f).split(";") if p})
    return ";".join(parts)


def notes_for(flag: str, extra: str = "") -> str:
    texts = [FLAG_NOTES[f] for f in flag.split(";") if f in FLAG_NOTES]
    return "; ".join(([extra] if extra else []) + texts)


def published(df: pd.DataFrame, snap: Snapshot, numbers: set[str], path: Path) -> pd.DataFrame:
    """A snapshot on the 2024 structure, checked and with symbols turned into flags."""
    unknown = sorted(set(df["number"]) - numbers)
    if unknown:
        raise StatsDataError(f"numbers that are not 2024 municipalities: {unknown[:10]}", path=path,
                             where=f"snapshot {snap.name}", fix="map them to 2024 numbers, or set structure: then-valid")
    return _as_flagged(df.rename(columns={"number": "municipality"}).assign(method="published"))


def _as_flagged(df: pd.DataFrame) -> pd.DataFrame:
    """Publisher symbols to flags and notes (':' and 'no_series' leave the value empty)."""
    empty = df["symbol"].isin([":", "no_series"])
    special = empty | (df["flag"] != "")
    flag = df["flag"].copy()
    flag[special] = [join_flags(f, "suppressed" if s == ":" else "", "no_series" if s == "no_series" else "")
                     for f, s in zip(df.loc[special, "flag"], df.loc[special, "symbol"])]
    out = df.assign(value=df["value"].where(~empty), flag=flag, note="")
    out.loc[special, "note"] = [notes_for(f) for f in flag[special]]
    return out[OUT_COLUMNS]


def mapped(df: pd.DataFrame, snap: Snapshot, links: pd.DataFrame, path: Path) -> pd.DataFrame:
    """A then-valid snapshot summed onto 2024 municipalities through ``links`` (municipality_crosswalk)."""
    df = df[~df["number"].str.match(NOT_MUNICIPALITIES)]
    unknown = sorted(set(df["number"]) - set(links["number"]))
    if unknown:
        raise StatsDataError(f"numbers not in the crosswalk: {unknown[:10]}", path=path, where=f"snapshot {snap.name}",
                             fix="extend the crosswalk (stats/crosswalk.py) or correct the snapshot")
    columns = ["number", "municipality", "weight", "type", "valid_from", "valid_to"]
    merged = df.merge(links[columns + (["continues"] if "continues" in links else [])], on="number")
    if "continues" not in merged:
        merged["continues"] = False
    # A '.' read as 0 counts only while the number was valid (IMDi lists every number in every year).
    dot_outside = merged["flag"].str.contains("dot_as_zero") & ~merged["year"].between(merged["valid_from"],
                                                                                     merged["valid_to"])
    merged = merged[~dot_outside]
    split = merged["type"] == "split"
    merged.loc[split & merged["continues"], "weight"] = 1.0
    aggregation = merged["indicator"].map({i: m.get("aggregation", "sum") for i, m in snap.indicators.items()})
    summed = _sum(merged[aggregation == "sum"])
    single = _single(merged[aggregation == "none"])
    return pd.concat([summed, single])[OUT_COLUMNS]


def _sum(merged: pd.DataFrame) -> pd.DataFrame:
    keys = ["municipality", "indicator", "year"]
    is_split = merged["type"] == "split"
    work = merged.assign(
        wv=merged["value"] * merged["weight"], has=merged["value"].notna(),
        suppressed=merged["symbol"] == ":", split=is_split & merged["continues"] & merged["value"].notna(),
        unallocated=is_split & ~merged["continues"], own=merged["number"] == merged["municipality"])
    grouped = work.groupby(keys, sort=True)
    out = grouped.agg(value=("wv", "sum"), n=("has", "sum"), suppressed=("suppressed", "any"),
                      split=("split", "any"), unallocated=("unallocated", "any"), own=("own", "all")).reset_index()
    out["value"] = out["value"].where((out["n"] > 0) & ~out["unallocated"]).round(4)
    flags = work[work["flag"] != ""].groupby(keys)["flag"].agg(lambda s: join_flags(*s))
    split_from = work[work["split"]].groupby(keys)["number"].agg(lambda s: ", ".join(sorted(set(s))))
    parted = work[work["unallocated"]].groupby(keys)["number"].agg(lambda s: ", ".join(sorted(set(s))))
    out = out.join(flags, on=keys).join(split_from.rename("split_from"), on=keys)
    out = out.join(parted.rename("parted_from"), on=keys)
    out["flag"] = out["flag"].fillna("")
    duplicates = _possible_duplicates(work)
    out = out.join(duplicates.rename("duplicate_of"), on=keys)
    out.loc[out["duplicate_of"].notna(), "flag"] = [join_flags(f, "possible_duplicate")
                                                     for f in out.loc[out["duplicate_of"].notna(), "flag"]]
    out["note"] = ""
    special = (out["flag"] != "") | out["split"] | out["suppressed"] | out["unallocated"]
    rows = out[special]
    out.loc[special, "flag"] = [
        "no_series" if un else
        join_flags(f, "split_unallocated" if sp else "", ("incomplete" if n else "suppressed") if su else "")
        for f, sp, su, n, un in zip(rows["flag"], rows["split"], rows["suppressed"], rows["n"], rows["unallocated"])]
    special = special | out["duplicate_of"].notna()
    rows = out[special]
    out.loc[special, "note"] = [
        _split_note(s, p) if isinstance(p, str) else notes_for(f, "; ".join(x for x in (
            f"includes the whole of split municipality {s}" if isinstance(s, str) else "",
            f"numbers {d} carry the same value" if isinstance(d, str) else "") if x))
        for f, s, d, p in zip(rows["flag"], rows["split_from"], rows["duplicate_of"], rows["parted_from"])]
    out["method"] = np.where(out["own"], "published", "mapped")
    return out


def _split_note(_: object, parted_from: str) -> str:
    return (f"no value: part of this municipality's area was counted in {parted_from}, which was split; the "
            "source counts it as a whole and nothing documents how its numbers divide between the parts "
            "(population shares would fabricate them), so none is estimated")


def _possible_duplicates(work: pd.DataFrame) -> pd.Series:
    """Groups where a number listed outside its validity years repeats the value of a number valid then.

    IMDi's files sometimes list a municipality under its old number as well as its new one in the same
    year (e.g. 0102 and 0105 Sarpsborg in 1995, both 20); such groups are flagged, not silently fixed.
    """
    keys = ["municipality", "indicator", "year"]
    valid = (work["year"] >= work["valid_from"]) & (work["year"] <= work["valid_to"]) & work["value"].notna()
    ended = (work["year"] > work["valid_to"]) & work["value"].notna()
    columns = keys + ["value", "number", "valid_from", "valid_to"]
    pairs = work[ended][columns].merge(work[valid][columns], on=keys + ["value"], suffixes=("", "_valid"))
    # Only a successor (valid from after the old number ended) can be the same municipality twice.
    pairs = pairs[(pairs["value"] != 0) & (pairs["valid_from_valid"] > pairs["valid_to"])]
    return pairs.assign(pair=pairs["number"] + " and " + pairs["number_valid"]).groupby(keys)["pair"].agg(
        lambda s: ", ".join(sorted(set(s))))


def _single(merged: pd.DataFrame) -> pd.DataFrame:
    """Non-additive numbers: kept only where one whole old number is one 2024 municipality."""
    keys = ["municipality", "indicator", "year"]
    counts = merged.groupby(keys)["number"].transform("size")
    keep = merged[(counts == 1) & (merged["type"] != "split")]
    return _as_flagged(keep.assign(method=np.where(keep["number"] == keep["municipality"], "published", "mapped")))


#: What a derived indicator's value is per: a ratio in percent, a rate per 1,000 (of e.g. the population).
PER = {"ratio": 100, "rate": 1000}


def derived(own: pd.DataFrame, every: pd.DataFrame, snap: Snapshot) -> pd.DataFrame:
    """The derived indicators of ``snap``, recomputed from mapped numbers: the numerator from this snapshot
    (``own``) per 100 (``aggregation: ratio``, percent) or per 1,000 (``aggregation: rate``) of the denominator,
    which for a ratio is this snapshot's too and for a rate may come from any snapshot (``every``: population on
    1 January, SSB 07459). The flags of both parts are joined, so a flagged count flags its rate."""
    frames = []
    keys = ["municipality", "year"]
    for indicator, meta in snap.indicators.items():
        per = PER.get(meta.get("aggregation"))
        if per is None:
            continue
        pool = own if meta["aggregation"] == "ratio" else every
        num = own[own["indicator"] == meta["numerator"]].set_index(keys)
        den = pool[pool["indicator"] == meta["denominator"]].set_index(keys)
        both = num.join(den, lsuffix="_n", rsuffix="_d", how="inner")
        both = both[(both["value_d"] > 0) & both["value_n"].notna()]
        flag = [join_flags(a, b) for a, b in zip(both["flag_n"], both["flag_d"])]
        frame = pd.DataFrame({"indicator": indicator, "value": (per * both["value_n"] / both["value_d"]).round(4),
                              "method": "derived", "flag": flag}, index=both.index).reset_index()
        formula = f"{meta['numerator']} / {meta['denominator']} × {per:,}".replace(",", "\u202f")
        frame["note"] = [notes_for(f, formula) for f in frame["flag"]]
        frames.append(frame)
    return pd.concat(frames)[OUT_COLUMNS] if frames else pd.DataFrame(columns=OUT_COLUMNS)
