"""Choosing the suggester's settings by k-fold cross-validation on the training split only.

Each fold trains on the other folds' excerpts and scores its own; the pooled out-of-fold suggestions are
then measured against each human coder exactly as :mod:`agreement` measures any coder (Cohen's κ,
precision, recall, F1 per theme), at each candidate threshold (the threshold needs no retraining).
Folds are fixed: excerpts sorted by id, excerpt *i* in fold *i mod k*.
Held-out excerpts never enter: ``training_texts`` drops them before anything here sees the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, replace
from itertools import product
from statistics import mean

from .agreement import cohen_kappa, precision_recall
from .model import DEFAULT_SETTINGS, LabelledText, ModelSettings, learnable, scores, train

FOLDS = 5
#: The settings compared by ``bolyst model cv`` (the defaults are among them).
GRID: dict[str, tuple] = {"features": ("lemma", "lower", "orth"), "ngram_size": (1, 2),
                          "epochs": (10, 20, 30), "target": ("union", "all")}
THRESHOLDS = (0.3, 0.4, 0.5, 0.6)


def grid(base: ModelSettings = DEFAULT_SETTINGS, axes: dict[str, tuple] | None = None) -> list[ModelSettings]:
    """Every combination of ``axes`` (default ``GRID``) applied to ``base``."""
    axes = GRID if axes is None else axes
    return [replace(base, **dict(zip(axes, values))) for values in product(*axes.values())]


def out_of_fold(examples: Sequence[LabelledText], labels: Sequence[str], settings: ModelSettings,
                folds: int = FOLDS) -> dict[str, dict[str, float]]:
    """excerpt id → label → score, each from a model that did not see that excerpt."""
    ordered = sorted(examples, key=lambda e: e.id)
    result: dict[str, dict[str, float]] = {}
    for fold in range(folds):
        trained = [e for i, e in enumerate(ordered) if i % folds != fold]
        tested = [e for i, e in enumerate(ordered) if i % folds == fold]
        if tested:
            result.update(scores(train(trained, labels, settings), tested, settings))
    return result


def measure(examples: Sequence[LabelledText], predicted: dict[str, dict[str, float]], labels: Sequence[str],
            threshold: float) -> list[dict]:
    """One row per label and human coder: κ, precision, recall and F1 of the suggestions at ``threshold``."""
    ordered = sorted(examples, key=lambda e: e.id)
    coders = sorted({coder for e in ordered for coder, _ in e.themes})
    rows = []
    for label in labels:
        suggested = [predicted[e.id].get(label, 0.0) >= threshold for e in ordered]
        for coder in coders:
            truth = [label in e.by(coder) for e in ordered]
            s = precision_recall(suggested, truth)
            rows.append({"theme": label, "coder": coder, "n_units": s.n_units,
                         "kappa": cohen_kappa(suggested, truth).kappa, "precision": s.precision,
                         "recall": s.recall, "f1": s.f1})
    return rows


def cross_validate(examples: Sequence[LabelledText], themes: Sequence[str],
                   candidates: Iterable[ModelSettings], folds: int = FOLDS, thresholds: Sequence[float] = THRESHOLDS,
                   progress: Callable[[int, ModelSettings], None] | None = None) -> list[dict]:
    """Per candidate and threshold: the mean κ and F1 over themes and human coders (an undefined κ or F1
    counts as 0), and the per-theme mean κ; best first."""
    results = []
    for number, settings in enumerate(candidates, start=1):
        if progress:
            progress(number, settings)
        labels = learnable(examples, themes, settings)
        if not labels:
            continue
        predicted = out_of_fold(examples, labels, settings, folds)
        for threshold in thresholds:
            rows = measure(examples, predicted, labels, threshold)
            per_theme = {t: mean(r["kappa"] or 0.0 for r in rows if r["theme"] == t) for t in labels}
            results.append({**asdict(replace(settings, threshold=threshold)),
                            "mean_kappa": mean(r["kappa"] or 0.0 for r in rows),
                            "mean_f1": mean(r["f1"] or 0.0 for r in rows),
                            **{f"kappa_{t}": k for t, k in per_theme.items()}})
    return sorted(results, key=lambda r: (-round(r["mean_kappa"], 6), -round(r["mean_f1"], 6)))
