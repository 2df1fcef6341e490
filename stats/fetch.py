"""Refresh SSB snapshots from Statistics Norway's PxWebApi v2 (JSON-stat2), when a network is there.

Snapshots with a ``fetch`` entry in stats/data/SOURCES.yaml can be refreshed::

    bolyst stats fetch                      # every fetchable snapshot
    bolyst stats fetch population_07459     # one

Each response is parsed (``parse_jsonstat2``), reshaped to the snapshot's long form, checked against the
manifest and written in place; ``stats/data/FETCHED.yaml`` records the URL and date of every refresh, and
the build shows them as the indicators' upstream. The HTTP call is one function (``http_get_json``, stdlib
urllib) so tests replace it with recorded responses.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from itertools import product
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from bolyst.corpus.errors import StatsDataError

from .snapshots import DATA_DIR, Snapshot, check_long, snapshots, write_csv_gz

API = "https://data.ssb.no/api/pxwebapi/v2/tables/{table}/data"
FETCHED = "FETCHED.yaml"
HttpGet = Callable[[str], dict[str, Any]]


def http_get_json(url: str, timeout: float = 120) -> dict[str, Any]:
    """GET ``url`` and decode JSON (stdlib only)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "bolyst"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")[:300]
        raise StatsDataError(f"SSB answered HTTP {error.code}: {detail}", where=url,
                             fix="check the table and codes in the snapshot's `fetch` entry in SOURCES.yaml") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise StatsDataError(f"cannot reach SSB: {error}", where=url,
                             fix="check the network connection; the shipped snapshots are unchanged") from error
    except json.JSONDecodeError as error:
        raise StatsDataError(f"SSB's answer is not JSON: {error}", where=url, fix="try again later") from error


def pxweb_url(spec: dict[str, Any]) -> str:
    """The PxWebApi v2 GET URL for a snapshot's ``fetch`` entry (dimensions left out are summed by SSB)."""
    codes = ",".join(spec["contents"])
    params = {"lang": "no", "outputFormat": "json-stat2", "valueCodes[ContentsCode]": codes,
              "valueCodes[Tid]": spec.get("years", "*"), "valueCodes[Region]": spec.get("regions", "*")}
    if spec.get("codelist"):
        params["codelist[Region]"] = spec["codelist"]
        if str(spec["codelist"]).startswith("agg_"):
            params["outputValues[Region]"] = "aggregated"
    return API.format(table=spec["table"]) + "?" + urllib.parse.urlencode(params, safe="[]*,()")


def parse_jsonstat2(payload: dict[str, Any], where: str = "response") -> pd.DataFrame:
    """A JSON-stat2 dataset as a DataFrame: one column per dimension (codes), ``value`` and ``status``."""
    try:
        dims, sizes = list(payload["id"]), list(payload["size"])
        codes = []
        for dim in dims:
            index = payload["dimension"][dim]["category"]["index"]
            ordered = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
            codes.append(ordered)
        if [len(c) for c in codes] != sizes:
            raise ValueError("dimension sizes do not match 'size'")
        total = 1
        for size in sizes:
            total *= size
        values = _cells(payload.get("value"), total)
        status = _cells(payload.get("status"), total, fill="")
    except (KeyError, TypeError, ValueError) as error:
        raise StatsDataError(f"not a JSON-stat2 dataset: {error}", where=where,
                             fix="check that the request asks for outputFormat=json-stat2") from error
    frame = pd.DataFrame(list(product(*codes)), columns=dims)
    frame["value"] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
    frame["status"] = [s or "" for s in status]
    return frame


def _cells(data: Any, total: int, fill: Any = None) -> list[Any]:
    """JSON-stat2 'value'/'status' may be a full array, a sparse {index: v} object, or one string."""
    if data is None:
        return [fill] * total
    if isinstance(data, str):
        return [data] * total
    if isinstance(data, dict):
        cells = [fill] * total
        for key, v in data.items():
            cells[int(key)] = v
        return cells
    if len(data) != total:
        raise ValueError(f"{len(data)} values for {total} cells")
    return list(data)


def to_snapshot(frame: pd.DataFrame, snap: Snapshot) -> pd.DataFrame:
    """A parsed 07459/06913 response as the snapshot's long rows (municipalities only)."""
    spec = snap.fetch or {}
    indicator_of = dict(spec["contents"])
    region = frame["Region"].str.removeprefix("K-")
    keep = region.str.fullmatch(r"\d{4}u?") & frame["ContentsCode"].isin(list(indicator_of))
    frame, region = frame[keep], region[keep]
    symbol = frame["status"].where(frame["status"].isin([".", ":"]), "")
    out = pd.DataFrame({"number": region, "year": frame["Tid"].astype(int),
                        "indicator": frame["ContentsCode"].map(indicator_of), "value": frame["value"],
                        "symbol": symbol, "flag": ""})
    out = out[out["value"].notna() | (out["symbol"] == ":")]
    if snap.structure == "2024":
        # SSB's 2024-border aggregate gives 0 where a municipality formed by a split has no series.
        zero = out["value"] == 0
        out.loc[zero, "symbol"] = "no_series"
        out.loc[zero, "flag"] = "no_series"
        unallocated = (out["number"] == "1508") & out["year"].between(2020, 2023)
        out.loc[unallocated, "flag"] = "split_unallocated"
    return out


def fetch(names: list[str] | None = None, data_dir: Path = DATA_DIR, get: HttpGet | None = None,
          progress: Callable[[str], None] = print, today: dt.date | None = None) -> dict[str, int]:
    """Refresh the named (default: every fetchable) snapshot; returns rows written per snapshot.

    ``get`` defaults to :func:`http_get_json` (looked up at call time, so tests can replace it).
    """
    get = get or http_get_json
    fetchable = {n: s for n, s in snapshots(data_dir).items() if s.fetch}
    unknown = sorted(set(names or []) - set(fetchable))
    if unknown:
        raise StatsDataError(f"cannot fetch {unknown}: not a fetchable snapshot", where="bolyst stats fetch",
                             fix=f"choose from {sorted(fetchable)}")
    counts = {}
    for name in names or sorted(fetchable):
        snap = fetchable[name]
        url = pxweb_url(snap.fetch)
        progress(f"{name}: GET {url}")
        rows = to_snapshot(parse_jsonstat2(get(url), where=url), snap)
        path = Path(data_dir) / snap.file
        rows = check_long(rows, snap, path)
        write_csv_gz(rows, path)
        _record(Path(data_dir), name, url, len(rows), today or dt.date.today())
        counts[name] = len(rows)
        progress(f"{name}: {len(rows)} rows written to {path}")
    return counts


def _record(data_dir: Path, name: str, url: str, rows: int, day: dt.date) -> None:
    path = data_dir / FETCHED
    fetched = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    fetched = fetched or {}
    fetched[name] = {"url": url, "fetched": day.isoformat(), "rows": rows}
    header = "# Written by `bolyst stats fetch`: the last refresh of each snapshot from SSB's PxWebApi v2.\n"
    path.write_text(header + yaml.safe_dump(dict(sorted(fetched.items())), allow_unicode=True, sort_keys=True),
                    encoding="utf-8")


def fetched(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """The FETCHED.yaml records (empty when no snapshot was ever refreshed)."""
    path = Path(data_dir) / FETCHED
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
