"""The coding stage of a build: codebook, human decisions, automatic codings and agreement into the db.

Reads the excerpts the corpus stage wrote. Sources are the truth: coding/codebook.yaml and
coding/decisions/*.yaml. Nothing here writes to them. The trained suggester (:mod:`model`) is trained
here, from those sources, every time (an incremental build loads the model trained before on the same examples
from the coder's cache instead), so its suggestions cannot go stale.
Excerpts in a language without coding rules (``PIPELINE_FOR_LANG``) are stored but not coded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import sqlite_utils
from bolyst.corpus.errors import BolystError, CodebookError
from bolyst.corpus.shape import ensure_shape

from . import schema
from .agreement import agreement
from .cache import CoderCache, cached_code
from .codebook import Codebook, load_codebook
from .coder import Pipelines, Text, code, load_nlp
from .decisions import Decision, read_decision_dirs
from .model import Trainer, fit_model, suggest
from .nlp import codable
from .suggest import Features, featurizer
from .writer import save_auto_codings, save_codebook, save_decisions, save_model, save_splits

CODEBOOK = "codebook.yaml"
DECISIONS = "decisions"


def read_db_excerpts(db: sqlite_utils.Database) -> list[Text]:
    """The corpus stage's excerpts (id, text, lang), sorted by id."""
    if "excerpts" not in db.table_names():
        raise BolystError("the database has no excerpts", path=db.conn.execute("pragma database_list")
                          .fetchone()[2] or None, fix="run `bolyst build` first")
    return [Text(r["id"], r["text"], r["lang"] or "nb")
            for r in db.query("select id, text, lang from excerpts order by id")]


def counted(items: Iterable[Text], progress: Callable[[int], None] | None) -> Iterator[Text]:
    """``items``, calling ``progress(1)`` as each is taken (for a progress bar of the coder)."""
    for item in items:
        yield item
        if progress is not None:
            progress(1)


@lru_cache(maxsize=4)
def cached_nlp(book: Codebook) -> Pipelines:
    """The pipelines for ``book``, built once per process and codebook."""
    return load_nlp(book)


def load_sources(coding_dir: Path, excerpt_ids: set[str],
                 decisions_dirs: Sequence[Path] | None = None) -> tuple[Codebook, list[Decision]]:
    """The codebook and every decision, checked against the corpus and each other.

    Decisions are read from ``coding_dir/decisions`` or from each of ``decisions_dirs`` in order (a
    project's after the shipped ones: for the same coder, a later folder's decisions come later).
    """
    path = Path(coding_dir) / CODEBOOK
    if not path.exists():
        raise CodebookError("no codebook", path=path, fix="write coding/codebook.yaml (see coding/FORMAT.md)")
    book = load_codebook(path, excerpt_ids)
    return book, read_decision_dirs(decisions_dirs or [Path(coding_dir) / DECISIONS], excerpt_ids, book.by_id)


def run(db: sqlite_utils.Database, coding_dir: Path, decisions_dirs: Sequence[Path] | None = None,
        jobs: int = 1, cache: Path | None = None, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Write this stage's tables into ``db``; returns counts per table.

    A coding folder without codebook.yaml (the codebook not written yet) writes nothing.
    """
    if not (Path(coding_dir) / CODEBOOK).exists():
        return {}
    return code_corpus(db, coding_dir, decisions_dirs, jobs, cache, progress)


def code_corpus(db: sqlite_utils.Database, coding_dir: Path,
                decisions_dirs: Sequence[Path] | None = None, jobs: int = 1,
                cache: Path | None = None, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Code every excerpt in ``db`` with the codebook; store codebook, decisions, codings and agreement.

    Safe to run again on a built database: automatic codings are replaced, human codings are re-read
    from the decision files, agreement is recomputed.
    """
    ensure_shape(db, schema.TABLES, schema.VIEWS)
    excerpts = read_db_excerpts(db)
    ids = {e.id for e in excerpts}
    book, decisions = load_sources(coding_dir, ids, decisions_dirs)
    nlp = cached_nlp(book)
    counts = save_codebook(db, book)
    split_of = save_splits(db, book, decisions)
    counts["decisions"] = len(decisions)
    counts["human codings"] = save_decisions(db, book, decisions)
    texts, features = codable(excerpts), featurizer(nlp)
    # with a cache, only excerpts whose text (or the codebook, or the coder) changed are parsed, and the model is
    # trained only when its examples changed: coding/cache.py
    store = CoderCache(cache, book) if cache is not None else None
    try:
        if store is None:
            codings = list(code(nlp, counted(texts, progress), on_features=features.keep, jobs=jobs))
        else:
            codings = list(cached_code(nlp, texts, store, jobs, features.keep, progress))
        counts["auto codings"] = save_auto_codings(db, book, codings)
        counts["model codings"] = save_model_suggestions(db, book, texts, decisions, split_of, features,
                                                         store.trained if store is not None else None)
    finally:
        if store is not None:
            store.close()
    counts["agreement rows"] = sum(len(rows) for rows in agreement(db).values())
    return counts


def sync_decisions(db: sqlite_utils.Database, coding_dir: Path,
                   decisions_dirs: Sequence[Path] | None = None) -> int:
    """Re-read the decision files into an already coded ``db`` (after ``bolyst review import``)."""
    excerpts = read_db_excerpts(db)
    ids = {e.id for e in excerpts}
    book, decisions = load_sources(coding_dir, ids, decisions_dirs)
    split_of = save_splits(db, book, decisions)
    count = save_decisions(db, book, decisions)
    save_model_suggestions(db, book, codable(excerpts), decisions, split_of, featurizer(cached_nlp(book)))
    agreement(db)
    return count


def save_model_suggestions(db: sqlite_utils.Database, book: Codebook, excerpts: list[Text],
                           decisions: list[Decision], split_of: dict[str, str], features: Features,
                           trainer: Trainer | None = None) -> int:
    """Train the suggester on the learn-from splits' human codings and store its suggestions for every excerpt
    (``trainer``: the coder cache's, which loads a model trained before on the same examples)."""
    model = fit_model(book, excerpts, decisions, split_of, featurize=features, trainer=trainer)
    return save_model(db, book, model, suggest(model.nlp, excerpts, model.settings, features) if model else [])


def theme_counts(db: sqlite_utils.Database) -> list[dict]:
    """Per theme: excerpts coded by the rules, rule codings, excerpts the model suggests it for, excerpts
    coded by humans."""
    return list(db.query("""
        select codes.id as theme,
          count(distinct case when codings.origin = 'rule' then codings.excerpt end) as auto_excerpts,
          count(case when codings.origin = 'rule' then 1 end) as auto_codings,
          count(distinct case when codings.origin = 'model' then codings.excerpt end) as model_excerpts,
          count(distinct case when codings.origin = 'human' and codings.status = 'human'
                then codings.excerpt end) as human_excerpts
        from codes left join codings on codings.theme = codes.id
        where codes.depth = 0 group by codes.id order by codes.position"""))
