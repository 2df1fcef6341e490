"""Cross-section residual models as tidy tables: Telemarksforsking's idea (actual − expected) applied to
other municipality outcomes.

Telemarksforsking's Attraktivitetsbarometer (seed 003, section 1 «Hvordan måle bostedsattraktivitet?»)
ranks municipalities by the vertical distance between the actual value and the value a regression on
structural factors predicts («avstanden mellom den faktiske og den forventede nettoflyttingen gitt
arbeidsplassveksten»). The barometer itself is ``stats/barometer/``; :data:`MODELS` are the other
outcomes Bolyst models the same way. :func:`fit_model` fits one with :func:`bolyst.stats.regression.fit`
(OLS, HC3, the residual's interval from a variance model in 1/size, empirical-Bayes shrinkage, rank
intervals) and returns the rows of the ``models``, ``model_terms`` and ``model_residuals`` tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import regression

FIT_COLUMNS = ["id", "outcome", "formula", "description", "period", "size", "min_n", "n_obs", "r2", "r2_adj",
               "residual_sd", "cov_type", "breusch_pagan_p", "tau2", "noise_k", "condition_number", "n_above",
               "n_below"]
TERM_COLUMNS = ["model", *regression.TERM_COLUMNS]
RESIDUAL_COLUMNS = ["model", "municipality", *regression.ROW_COLUMNS]


@dataclass(frozen=True)
class ModelSpec:
    """One published model: outcome ~ predictors on the municipalities with ``size`` ≥ ``min_n``."""

    id: str
    outcome: str
    predictors: tuple[str, ...]
    description: str
    size: str  # the count the outcome is a share of: its noise shrinks with it (reported as n)
    period: str  # the date or years the outcome describes
    min_n: int = 0

    @property
    def formula(self) -> str:
        return f"{self.outcome} ~ {' + '.join(self.predictors)}"


def fit_model(data: pd.DataFrame, spec: ModelSpec) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Fit ``spec`` on ``data`` (one row per municipality, indexed by 2024 number): (fit, terms, residuals).

    Unit: the municipality, each counting once (a population-weighted fit would let the few large ones
    decide the line). Missing values: a municipality missing the outcome, a predictor or the size, or with
    a size below ``spec.min_n``, is left out (``n_obs`` says how many remain).
    """
    frame = data[data[spec.size] >= spec.min_n].rename_axis("municipality").reset_index()
    stats, terms, rows = regression.fit(frame, spec.formula, spec.size, key="municipality")
    fit = {"id": spec.id, "outcome": spec.outcome, "description": spec.description, "period": spec.period,
           "size": spec.size, "min_n": spec.min_n, **stats}
    return fit, terms.assign(model=spec.id)[TERM_COLUMNS], rows.assign(model=spec.id)[RESIDUAL_COLUMNS]


#: The models Bolyst publishes besides the barometer (variables from
#: :func:`bolyst.stats.features.model_frame`). Withdrawn: the one-year net-migration model on the 2017 job
#: level (the barometer and its named substitute replace it) and the «retention index», whose numerator
#: (refugees living in their first municipality with 0–4 years in Norway: a stock by years since arrival in
#: Norway, not since settlement) and denominator (refugees settled 2017–2021) are different groups — the
#: stock exceeds the settled in 48 of 176 municipalities (SOURCES.yaml, tests/test_analysis.py); no shipped
#: table follows a settlement cohort (methods page of this model, «Hvorfor ingen rate for hvor mange som blir»).
MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "refugee_secondary_in", "moved_in_share", ("centrality_index", "log_population"),
        "Which municipalities attract refugees settled elsewhere more than their centrality and size predict. "
        "Outcome: refugees who moved here after settlement in another municipality, as % of refugees living "
        "here, 2022 (IMDi flyktning_botid_flytting). Predictors: SSB centrality index (2020-based) and ln "
        "population 1 January 2022 (SSB 07459). Municipalities with fewer than 20 refugees living there are "
        "left out; the residual's interval allows for the noise of a share of that many refugees.",
        size="refugees_living", period="2022", min_n=20),
)
