"""``bolyst model cv|train``: the trained suggester (coder 'model'), cross-validated and trained by source.

Thin adapters over ``bolyst.coding.model_cv.cross_validate`` and ``bolyst.coding.suggest``; added to the
``bolyst`` group by ``site/cli/coding.py``'s ``register``.
"""

from __future__ import annotations

from pathlib import Path

import click

from .coding_io import CODING_DIR_OPTION, _fmt, _folders, _model_dir, _open_db
from .options import DB_OPTION


@click.group()
def model() -> None:
    """The trained suggester (coder 'model'): a spaCy text classifier trained at build time.

    It is trained on the human codings of the learn-from splits only (training and dev) and
    suggests themes with a score; see coding/FORMAT.md.

    \b
    Example:
      bolyst model cv --db bolyst.db
    """


@model.command(name="cv")
@DB_OPTION
@CODING_DIR_OPTION
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True, help="Cross-validation folds.")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="Settings to print, best first.")
def model_cv(db_path: Path, coding_dir: Path | None, folds: int, top: int) -> None:
    """Cross-validate the suggester's settings on the learn-from splits (never heldout or test).

    Each candidate (features, n-gram size, epochs, target) is trained k times, each time without one
    fold, and its out-of-fold suggestions are measured against each human coder at each threshold.
    Prints the best settings by mean κ over themes and coders ('*': the defaults in coding/model.py,
    which the build trains with). Takes about two minutes on two cores.

    \b
    Example:
      bolyst model cv --db bolyst.db --folds 5
    """
    from bolyst.coding.build import cached_nlp
    from bolyst.coding.coder import code
    from bolyst.coding.model import DEFAULT_SETTINGS, training_texts
    from bolyst.coding.model_cv import cross_validate, grid
    from bolyst.coding.nlp import codable
    from bolyst.coding.splits import LEARN_FROM

    book, excerpts, decisions, split_of, features, _ = _learning_data(db_path, coding_dir)
    learn = codable(e for e in excerpts if split_of.get(e.id) in LEARN_FROM)
    rule_themes: dict[str, set[str]] = {}
    for c in code(cached_nlp(book), learn, features.record):  # the rules' parse gives the model its features
        rule_themes.setdefault(c.excerpt, set()).add(c.theme)
    examples = training_texts(book, excerpts, decisions, split_of, features)
    candidates = grid()
    click.echo(f"Cross-validating {len(candidates)} settings on {len(examples)} learn-from excerpts (training "
               f"and dev splits), {folds} folds by source …", err=True)
    results = cross_validate(examples, book.themes, candidates, folds,
                             progress=lambda n, s: click.echo(f"  {n}/{len(candidates)} {s.describe()}", err=True),
                             rule_themes=rule_themes)
    click.echo(format_cv(results[:top], book.themes, DEFAULT_SETTINGS))


@model.command(name="train")
@DB_OPTION
@CODING_DIR_OPTION
def model_train(db_path: Path, coding_dir: Path | None) -> None:
    """Train the suggester on the built database's learn-from splits and save it as the project's model.

    The saved model (<project>/model/, or <coding-dir>/model/; in a clone of the repository without a
    project, the shipped coding/model/) is the one `bolyst code --jsonl` uses; a build trains its own.
    Training is repeatable: the same corpus and decisions give the same model, and its fingerprint (of
    the training texts, targets and features) is saved beside it.

    \b
    Example:
      bolyst build && bolyst model train --db bolyst.db
    """
    from bolyst.coding.model import fit_model
    from bolyst.coding.suggest import save_model
    from bolyst.corpus.errors import BolystError

    book, excerpts, decisions, split_of, features, folders = _learning_data(db_path, coding_dir)
    target = _model_dir(folders, coding_dir, writing=True)
    trained = fit_model(book, excerpts, decisions, split_of, featurize=features)
    if trained is None:
        raise BolystError("no theme has enough human codings to learn", path=folders.decisions_dir,
                          fix="code at least 5 excerpts with and 5 without each theme")
    folder = save_model(trained, target)
    click.echo(f"Trained on {trained.n_training} excerpts ({', '.join(f'{k} {v}' for k, v in trained.positives)});"
               f" saved to {folder}")


def _learning_data(db_path: Path, coding_dir: Path | None) -> tuple:
    """What `bolyst model cv` and `model train` learn from: (codebook, excerpts, decisions, splits, features,
    folders) of the built database and the project's coding folders."""
    from bolyst.coding.build import cached_nlp, load_sources, read_db_excerpts
    from bolyst.coding.suggest import featurizer
    from bolyst.coding.writer import split_rows

    db = _open_db(db_path)
    excerpts = read_db_excerpts(db)
    folders = _folders(coding_dir)
    book, decisions = load_sources(folders.coding_dir, {e.id for e in excerpts}, folders.decisions_dirs)
    return book, excerpts, decisions, book.splits(split_rows(db)), featurizer(cached_nlp(book)), folders


def format_cv(results: list[dict], themes: tuple[str, ...], default) -> str:
    """The cross-validation table; '*' marks the settings the build uses."""
    keys = ("features", "ngram_size", "epochs", "target", "threshold")
    lines = [f"  {'features':<14} {'ngram':>5} {'epochs':>6} {'thresh':>6} {'κ model':>8} {'κ +rules':>8} "
             + " ".join(f"{'κ ' + t:>9}" for t in themes)]
    for r in results:
        mark = "*" if all(r[k] == getattr(default, k) for k in keys) else " "
        lines.append(f"{mark} {r['features']:<14} {r['ngram_size']:>5} {r['epochs']:>6} "
                     f"{_fmt(r['threshold']):>6} {_fmt(r['mean_kappa']):>8} {_fmt(r['combined_kappa']):>8} "
                     + " ".join(f"{_fmt(r.get('kappa_' + t)):>9}" for t in themes))
    return "\n".join(lines)
