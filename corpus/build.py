"""The corpus stage of a build: read the corpus folder, prove provenance, write the tables."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from .errors import ErrorList
from .provenance import check_provenance
from .reader import read_corpus
from .writer import save_corpus


def run(db: sqlite_utils.Database, corpus_dir: Path) -> dict[str, int]:
    """Read ``corpus_dir`` into ``db``. Refuses a corpus whose texts are not verbatim in their seeds."""
    corpus = read_corpus(corpus_dir)
    problems = list(check_provenance(corpus, corpus_dir / "seeds"))
    if problems:
        raise ErrorList(problems)
    return save_corpus(db, corpus)
