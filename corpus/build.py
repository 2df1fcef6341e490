"""The corpus stage of a build: read the corpus folder, prove provenance, write the tables."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import sqlite_utils

from .project import read_layers
from .writer import save_corpus


def run(db: sqlite_utils.Database, corpus_dir: Path | Sequence[Path]) -> dict[str, int]:
    """Read ``corpus_dir`` (or each corpus folder of a project, in order) into ``db``.

    Refuses a corpus whose texts are not verbatim in their seeds, or a source id used in two folders.
    """
    return save_corpus(db, read_layers([corpus_dir] if isinstance(corpus_dir, (str, Path)) else corpus_dir))
