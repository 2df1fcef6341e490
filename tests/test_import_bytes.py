"""The files `bolyst import` writes stay byte for byte what they were before the importer was made fast.

``tests/fixtures/import/`` holds the inputs: ``shipped-excerpts.csv`` (21 real excerpts of four shipped sources,
copied with their metadata from the shipped corpus), ``synthetic-excerpts.csv`` and ``synthetic-interview.md``
(SYNTHETIC, written for this test: quoting, multi-line cells, YAML look-alikes such as 'yes', '2018', 'null',
'~', 'key: value', tabs, emoji, a bad row). ``expected-sha256.json`` is the SHA-256 of every file the importer of
main at 96179bf wrote for them (before the speed-up); the test imports the same inputs and compares.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bolyst.corpus.importer import import_files

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def _import_all(root: Path) -> list:
    (root / "sources").mkdir(parents=True)
    (root / "seeds").mkdir()
    return import_files(sorted(FIXTURES.glob("*.csv")) + sorted(FIXTURES.glob("*.md")), root)


def test_import_writes_the_same_bytes_as_before(tmp_path):
    results = _import_all(tmp_path / "corpus")
    assert [(r.path.name, r.target and Path(r.target).name, r.excerpts, r.error and str(r.error)) for r in results] == [
        ("shipped-excerpts.csv", "fafo-2025-14", 10, None),
        ("shipped-excerpts.csv", "nibr-derfor-blir-vi-her", 9, None),
        ("shipped-excerpts.csv", "dev-9pdf-0fb5ad42", 1, None),
        ("shipped-excerpts.csv", "dev-9pdf-1aede062", 1, None),
        ("synthetic-excerpts.csv", "syntetisk-kilde-a", 3, None),
        ("synthetic-excerpts.csv", "syntetisk-b", 4, None),
        ("synthetic-excerpts.csv", None, 0,
         f"{FIXTURES / 'synthetic-excerpts.csv'}, line 8: kind is 'sitat' — use one of: quote, narrative"),
        ("synthetic-interview.md", "synthetic-interview", 10, None),
    ]
    written = {p.relative_to(tmp_path / "corpus").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in sorted((tmp_path / "corpus").rglob("*")) if p.is_file()}
    assert written == json.loads((FIXTURES / "expected-sha256.json").read_text(encoding="utf-8"))
