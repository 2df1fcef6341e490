"""Look a municipality up by number or by any name it has or had (Norwegian, Sámi, Kven, historical).

    >>> lookup("Guovdageaidnu").number
    '5612'
    >>> lookup("1534").name          # Haram's number before 2020 → Haram (1580) on the 2024 structure
    'Haram'

Names are matched case-insensitively, ignoring a validity suffix ('Haram (-2019)'); a county may be added
to tell namesakes apart ('Herøy (Nordland)', 'Våler i Innlandet'). Failing exact matches, a spelling
without diacritics is accepted when it leads to one municipality only ('Tromso'). Anything else raises
``UnknownMunicipality`` with the closest names, or ``AmbiguousMunicipality`` with the candidates.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from bolyst.corpus.errors import AmbiguousMunicipality, UnknownMunicipality

from .crosswalk import build_links
from .municipalities import Municipality, municipality_records, name_rows, strip_validity
from .snapshots import DATA_DIR, data_stamp

#: Kinds of names tried first; historical names only when no current form matches.
CURRENT_KINDS = ("current", "official", "sami", "kven")
FOLD = str.maketrans({"ø": "o", "æ": "ae", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss"})


def normalise(name: str) -> str:
    name = strip_validity(" ".join(str(name).split()))
    return re.sub(r"\s*-\s*", " - ", name).casefold()


def fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", normalise(name).translate(FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _Index:
    def __init__(self, data_dir: Path) -> None:
        self.municipalities = {m.number: m for m in municipality_records(data_dir)}
        self.by_name: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.by_fold: dict[str, set[str]] = defaultdict(set)
        self.display: dict[str, str] = {}
        for row in name_rows(data_dir):
            key = normalise(row.name)
            self.by_name[key][row.kind].add(row.municipality)
            self.by_fold[fold(row.name)].add(row.municipality)
            self.display.setdefault(key, row.name)
        self.old_numbers: dict[str, set[str]] = defaultdict(set)
        for link in build_links(data_dir):
            self.old_numbers[link.number].add(link.municipality)


@lru_cache(maxsize=4)
def _index(stamp: tuple[str, float]) -> _Index:
    return _Index(Path(stamp[0]))


def lookup(name_or_number: str, data_dir: Path = DATA_DIR) -> Municipality:
    """The 2024 municipality a number or name refers to; raises UnknownMunicipality / AmbiguousMunicipality."""
    index = _index(data_stamp(data_dir))
    text = " ".join(str(name_or_number).split())
    if re.fullmatch(r"\d{1,4}u?", text):
        return _by_number(index, text.zfill(5) if text.endswith("u") else text.zfill(4))
    name, county = _split_county(index, text)
    key = normalise(name)
    kinds = index.by_name.get(key, {})
    found = set().union(*(kinds.get(k, set()) for k in CURRENT_KINDS)) or set().union(*kinds.values(), set())
    how = next((k for k in (*CURRENT_KINDS, "historical", "variant") if kinds.get(k)), "")
    if not found and len(index.by_fold.get(fold(name), set())) == 1:
        found, how = index.by_fold[fold(name)], "folded"
    if county:
        found = {n for n in found if index.municipalities[n].county_name.casefold() == county.casefold()}
    return _one(index, found, text, how)


def _split_county(index: _Index, text: str) -> tuple[str, str]:
    """'Herøy (Nordland)', 'Herøy i Nordland', 'Herøy, Nordland' → ('Herøy', 'Nordland')."""
    counties = {m.county_name.casefold() for m in index.municipalities.values()}
    for pattern in (r"^(.*?)\s*\(([^)]*)\)$", r"^(.*?)\s+i\s+(.+)$", r"^(.*?),\s*(.+)$"):
        match = re.match(pattern, text)
        if match and match[2].casefold() in counties:
            return match[1], match[2]
    return text, ""


def _by_number(index: _Index, number: str) -> Municipality:
    if number in index.municipalities:
        return replace(index.municipalities[number], matched_name=number, matched_kind="number")
    if number in index.old_numbers:
        return _one(index, index.old_numbers[number], number, "old_number")
    raise UnknownMunicipality(f"no municipality has or had the number {number!r}", where="municipality lookup",
                              fix="use a 4-digit municipality number such as '0301', or a name")


def _one(index: _Index, found: set[str], text: str, how: str) -> Municipality:
    if len(found) == 1:
        return replace(index.municipalities[next(iter(found))], matched_name=text, matched_kind=how)
    if found:
        candidates = [f"{m.name} ({m.number}, {m.county_name})"
                      for m in sorted((index.municipalities[n] for n in found), key=lambda m: m.number)]
        fix = ("a municipality that was split, or namesakes: choose one of them by number"
               if how in ("historical", "old_number") else
               "give the number, or add the county, e.g. 'Herøy (Nordland)'")
        raise AmbiguousMunicipality(f"{text!r} leads to {len(found)} municipalities: {'; '.join(candidates)}",
                                    where="municipality lookup", suggestions=candidates, fix=fix)
    close = difflib.get_close_matches(normalise(text), list(index.by_name), n=5, cutoff=0.6)
    suggestions = [index.display[c] for c in close]
    hint = f"did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else \
        "check the spelling, or use the municipality number"
    raise UnknownMunicipality(f"unknown municipality {text!r}", where="municipality lookup",
                              suggestions=suggestions, fix=hint)
