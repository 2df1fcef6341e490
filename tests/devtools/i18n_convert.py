"""One-off developer tool: turn ``m.bi('Norsk', 'English')`` calls with two literal strings in the page
templates into ``_('Norsk')`` and add ``Norsk: English`` to ``site/pages/messages/en.yaml``.

    python -m tests.devtools.i18n_convert site/pages/templates/*.html

Calls whose arguments are expressions are listed for conversion by hand. Re-running changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

CATALOGUE = Path(__file__).resolve().parents[2] / "site" / "pages" / "messages" / "en.yaml"
_STR = r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
BI = re.compile(r"m\.bi\(\s*" + _STR + r"\s*,\s*" + _STR + r"\s*\)")
#: Norwegian literals handed to the provenance and no-data macros: wrapped in _() (their English added by hand).
PROVENANCE = re.compile(r"(m\.provenance\(\s*)" + _STR + r"(\s*,.*?,\s*)" + _STR + r"(\s*\))")
NODATA = re.compile(r"(m\.nodata\(\s*[\w.]+\s*,\s*)" + _STR + r"(\s*\))")


def literal(text: str) -> str:
    return text[1:-1].replace("\\'", "'").replace('\\"', '"')


def main(paths: list[str]) -> None:
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8")) or {}
    for name in paths:
        path = Path(name)
        source = path.read_text(encoding="utf-8")

        def swap(match: re.Match) -> str:
            nb, en = literal(match.group(1)), literal(match.group(2))
            if catalogue.get(nb, en) != en:
                print(f"{path}: «{nb}» has two translations: «{catalogue[nb]}» and «{en}»", file=sys.stderr)
            catalogue.setdefault(nb, en)
            return f"_({match.group(1)})"

        changed = BI.sub(swap, source)
        changed = PROVENANCE.sub(lambda m: f"{m.group(1)}_({m.group(2)}){m.group(3)}_({m.group(4)}){m.group(5)}", changed)
        changed = NODATA.sub(lambda m: f"{m.group(1)}_({m.group(2)}){m.group(3)}", changed)
        for left in re.finditer(r"m\.bi\(", changed):
            line = changed.count("\n", 0, left.start()) + 1
            print(f"{path}:{line}: m.bi with an expression, convert by hand", file=sys.stderr)
        if changed != source:
            path.write_text(changed, encoding="utf-8")
    CATALOGUE.write_text(yaml.safe_dump(dict(sorted(catalogue.items())), allow_unicode=True, width=1000,
                                        sort_keys=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
