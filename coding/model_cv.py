"""Choosing the suggester's settings by k-fold cross-validation on the learn-from splits only.

Each fold trains on the other folds' excerpts and scores its own; the pooled out-of-fold suggestions are
then measured against the target (the reference coding, else each human coder) as :mod:`agreement`
measures any coder (Cohen's κ, precision, recall, F1 per theme), at each candidate threshold, alone and
**combined** with the rules (a theme when a rule codes it or the model scores it at or above the
threshold: the policy of :mod:`bolyst.coding.suggest`). Folds are **by source** (every excerpt of one
source in one fold, sources sorted by id, source *i* in fold *i mod k*), so a fold never learns from the
text it is scored on. Held-out and test excerpts never enter: ``training_texts`` drops them first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, replace
from itertools import product
from statistics import mean

from .reliability import cohen_kappa, precision_recall
from .decisions import source_of
from .model import DEFAULT_SETTINGS, LabelledText, ModelSettings, learnable, scores, train

FOLDS = 5
#: The settings compared by ``bolyst model cv`` (the defaults are among them).
GRID: dict[str, tuple] = {"features": ("lemma+concepts", "lemma"), "ngram_size": (1, 2), "epochs": (10, 20)}
THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def grid(base: ModelSettings = DEFAULT_SETTINGS, axes: dict[str, tuple] | None = None) -> list[ModelSettings]:
    """Every combination of ``axes`` (default ``GRID``) applied to ``base``."""
    axes = GRID if axes is None else axes
    return [replace(base, **dict(zip(axes, values))) for values in product(*axes.values())]


def out_of_fold(examples: Sequence[LabelledText], labels: Sequence[str], settings: ModelSettings,
                folds: int = FOLDS) -> dict[str, dict[str, float]]:
    """excerpt id → label → score, each from a model that did not see that excerpt."""
    ordered = sorted(examples, key=lambda e: e.id)
    sources = sorted({source_of(e.id) for e in ordered})
    fold_of = {s: i % folds for i, s in enumerate(sources)}
    result: dict[str, dict[str, float]] = {}
    for fold in range(folds):
        trained = [e for e in ordered if fold_of[source_of(e.id)] != fold]
        tested = [e for e in ordered if fold_of[source_of(e.id)] == fold]
        if tested:
            result.update(scores(train(trained, labels, settings), tested, settings))
    return result


def measure(examples: Sequence[LabelledText], predicted: dict[str, dict[str, float]], labels: Sequence[str],
            threshold: float, rule_themes: dict[str, set[str]] | None = None) -> list[dict]:
    """One row per label: κ, precision, recall and F1 of the suggestions at ``threshold`` against the target
    (the reference coding, else the union of the coders who read the excerpt). With ``rule_themes``, a
    theme is suggested also when the rules code it (the combined policy)."""
    ordered = sorted(examples, key=lambda e: e.id)
    rows = []
    for label in labels:
        suggested = [predicted[e.id].get(label, 0.0) >= threshold
                     or (rule_themes is not None and label in rule_themes.get(e.id, ())) for e in ordered]
        for coder in ("target",):
            truth = [label in e.target() for e in ordered]
            s = precision_recall(suggested, truth)
            rows.append({"theme": label, "coder": coder, "n_units": s.n_units,
                         "kappa": cohen_kappa(suggested, truth).kappa, "precision": s.precision,
                         "recall": s.recall, "f1": s.f1})
    return rows


def cross_validate(examples: Sequence[LabelledText], themes: Sequence[str],
                   candidates: Iterable[ModelSettings], folds: int = FOLDS, thresholds: Sequence[float] = THRESHOLDS,
                   progress: Callable[[int, ModelSettings], None] | None = None,
                   rule_themes: dict[str, set[str]] | None = None) -> list[dict]:
    """Per candidate and threshold: the mean κ and F1 over themes (an undefined κ or F1 counts as 0) and the
    per-theme κ, of the model alone and (with ``rule_themes``) combined with the rules; best combined
    first, and the rules alone as a row of their own (``features`` "rules only")."""
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
            both = measure(examples, predicted, labels, threshold, rule_themes) if rule_themes is not None else rows
            results.append({**asdict(replace(settings, threshold=threshold)),
                            "mean_kappa": mean(r["kappa"] or 0.0 for r in rows),
                            "mean_f1": mean(r["f1"] or 0.0 for r in rows),
                            "combined_kappa": mean(r["kappa"] or 0.0 for r in both),
                            **{f"kappa_{t}": mean(r["kappa"] or 0.0 for r in both if r["theme"] == t)
                               for t in labels}})
    if rule_themes is not None:
        alone = measure(examples, {e.id: {} for e in examples}, list(themes), 1.1, rule_themes)
        results.append({**asdict(DEFAULT_SETTINGS), "features": "rules only", "threshold": None,
                        "mean_kappa": None, "mean_f1": mean(r["f1"] or 0.0 for r in alone),
                        "combined_kappa": mean(r["kappa"] or 0.0 for r in alone),
                        **{f"kappa_{t}": mean(r["kappa"] or 0.0 for r in alone if r["theme"] == t) for t in themes}})
    return sorted(results, key=lambda r: (-round(r["combined_kappa"], 6), -round(r["mean_kappa"] or 0, 6)))
