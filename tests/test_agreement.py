"""Agreement statistics against hand computations and a published example."""

from __future__ import annotations

import pytest
from bolyst.coding.agreement import (
    CodeNode,
    Ratings,
    agreement_tables,
    cohen_kappa,
    krippendorff_alpha,
    precision_recall,
    with_ancestors,
)

# A tiny table (synthetic): six excerpts e1–e6, one code; 1 = the coder applies it, . = did not code it.
#
#            e1 e2 e3 e4 e5 e6
#   auto      1  1  1  0  0  0
#   b         1  1  0  1  0  0
#   c         1  0  0  1  .  .
AUTO = [1, 1, 1, 0, 0, 0]
B = [1, 1, 0, 1, 0, 0]
C = [1, 0, 0, 1, None, None]


def test_cohen_kappa_by_hand():
    # auto × b over e1–e6: both = e1, e2 (2); auto only = e3 (1); b only = e4 (1); neither = e5, e6 (2).
    # p_o = (2 + 2) / 6 = 2/3. Each applies the code to 3 of 6: p_e = .5 · .5 + .5 · .5 = 1/2.
    # κ = (2/3 − 1/2) / (1 − 1/2) = 1/3.
    k = cohen_kappa(AUTO, B)
    assert (k.n_units, k.both, k.a_only, k.b_only, k.neither) == (6, 2, 1, 1, 2)
    assert (k.observed, k.expected, k.kappa) == pytest.approx((2 / 3, 1 / 2, 1 / 3))
    # auto × c over e1–e4 (what c coded): both 1, auto only 2 (e2, e3), c only 1 (e4), neither 0.
    # p_o = 1/4; rates 3/4 and 2/4: p_e = 3/4 · 2/4 + 1/4 · 2/4 = 1/2; κ = (1/4 − 1/2) / (1/2) = −1/2.
    assert cohen_kappa(AUTO[:4], C[:4]).kappa == pytest.approx(-0.5)
    # both coders constant: p_e = 1, κ undefined
    assert cohen_kappa([1, 1], [1, 1]).kappa is None


def test_krippendorff_alpha_by_hand():
    # Coincidences o_ck, each unit's pairs weighted 1/(m_u − 1):
    #   e1 {1,1,1}: o11 += 3·2/2 = 3        e2 {1,1,0}: o11 += 1, o10 += 1, o01 += 1
    #   e3 {1,0,0}: o10 += 1, o01 += 1, o00 += 1          e4 {0,1,1}: o11 += 1, o10 += 1, o01 += 1
    #   e5 {0,0}: o00 += 2                  e6 {0,0}: o00 += 2
    # o11 = 5, o10 = o01 = 3, o00 = 5; n_1 = n_0 = 8; n = 16 pairable values (3+3+3+3+2+2).
    # D_o = (3 + 3) / 16 = 0.375;  D_e = 2 · 8 · 8 / (16 · 15) = 0.5333…;  α = 1 − 0.375 / 0.5333 = 0.296875.
    a = krippendorff_alpha(list(zip(AUTO, B, C)))
    assert (a.n_units, a.n_values) == (6, 16)
    assert (a.observed_disagreement, a.expected_disagreement, a.alpha) == pytest.approx((0.375, 128 / 240, 0.296875))


def test_krippendorff_alpha_reproduces_the_published_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C (nominal data, four
    # observers, missing data): 12 units, α_nominal = 0.743.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    result = krippendorff_alpha(list(zip(a, b, c, d)))
    assert (result.n_units, result.n_values) == (11, 40)  # unit 12 has one value: not pairable
    assert round(result.alpha, 3) == 0.743


def test_precision_recall_by_hand():
    # auto against c over e1–e4: tp = e1; fp = e2, e3; fn = e4; tn = none.
    # precision = 1/3, recall = 1/2, F1 = 2 · (1/3 · 1/2) / (1/3 + 1/2) = 0.4.
    s = precision_recall(AUTO[:4], C[:4])
    assert (s.n_units, s.tp, s.fp, s.fn, s.tn) == (4, 1, 2, 1, 0)
    assert (s.precision, s.recall, s.f1) == pytest.approx((1 / 3, 1 / 2, 0.4))
    assert precision_recall([0, 0], [1, 0]).precision is None
    assert precision_recall([1, 0], [0, 1]).f1 == 0.0


def _ratings(coder: str, values: list) -> Ratings:
    units = [f"e{i}" for i, v in enumerate(values, start=1) if v is not None]
    present = [(f"e{i}", "t.x") for i, v in enumerate(values, start=1) if v]
    return Ratings(coder, frozenset(units), with_ancestors(present, {"t.x": "t", "t": None}))


def test_agreement_tables_per_code_theme_and_split():
    split = {"e1": "heldout", "e2": "heldout", "e3": "heldout", "e4": "training", "e5": "training", "e6": "training"}
    tables = agreement_tables([_ratings("b", B), _ratings("c", C), _ratings("auto", AUTO)],
                              [CodeNode("t", "t", 0), CodeNode("t.x", "t", 1)], split)
    kappa = {(r["split"], r["code"], r["coder_a"], r["coder_b"]): r for r in tables["agreement_kappa"]}
    # the theme is present wherever its sub-code is, so theme and code rows agree here
    for code in ("t", "t.x"):
        assert kappa["all", code, "auto", "b"]["kappa"] == pytest.approx(1 / 3)
        assert kappa["all", code, "auto", "c"]["kappa"] == pytest.approx(-0.5)
    assert kappa["all", "t", "auto", "b"]["level"] == "theme" and kappa["all", "t.x", "auto", "b"]["level"] == "code"
    # held out (e1–e3): auto 1 1 1, b 1 1 0 → p_o = 2/3, p_e = 1 · 2/3 + 0 · 1/3 = 2/3 → κ = 0
    assert kappa["heldout", "t", "auto", "b"]["kappa"] == pytest.approx(0.0)
    # training (e4–e6): auto 0 0 0, b 1 0 0 → p_o = 2/3, p_e = 0 · 1/3 + 1 · 2/3 = 2/3 → κ = 0
    assert kappa["training", "t", "auto", "b"]["n_units"] == 3
    alpha = {(r["split"], r["code"]): r for r in tables["agreement_alpha"]}
    assert alpha["all", "t"]["alpha"] == pytest.approx(0.296875)
    assert alpha["all", "t"]["coders"] == "auto, b, c"
    scores = {(r["split"], r["code"], r["coder"]): r for r in tables["agreement_scores"]}
    assert set(scores) == {(s, c, h) for s in ("heldout", "training", "all") for c in ("t", "t.x") for h in "bc"}
    assert scores["all", "t", "c"]["f1"] == pytest.approx(0.4)


def test_agreement_per_language_by_hand():
    """Theme rows per language; sub-codes only over all languages (too few units per language)."""
    split = {f"e{i}": "test" for i in range(1, 7)}
    lang = {"e1": "nb", "e2": "nb", "e3": "nb", "e4": "en", "e5": "en", "e6": "nn"}
    tables = agreement_tables([_ratings("b", B), _ratings("auto", AUTO)],
                              [CodeNode("t", "t", 0), CodeNode("t.x", "t", 1)], split, lang)
    kappa = {(r["split"], r["lang"], r["code"]): r for r in tables["agreement_kappa"]}
    # nb (e1–e3): auto 1 1 1, b 1 1 0 → p_o = 2/3, p_e = 1 · 2/3 + 0 · 1/3 = 2/3 → κ = 0
    assert kappa["test", "nb", "t"]["n_units"] == 3 and kappa["test", "nb", "t"]["kappa"] == pytest.approx(0.0)
    # en (e4–e5): auto 0 0, b 1 0 → p_o = 1/2, p_e = 0 · 1/2 + 1 · 1/2 = 1/2 → κ = 0
    assert kappa["test", "en", "t"]["kappa"] == pytest.approx(0.0)
    # nn (e6): auto 0, b 0 → p_o = 1, p_e = 1 → κ undefined
    assert kappa["test", "nn", "t"]["n_units"] == 1 and kappa["test", "nn", "t"]["kappa"] is None
    # all: auto 1 1 1 0 0 0, b 1 1 0 1 0 0 → p_o = 4/6, p_e = 1/2 · 1/2 + 1/2 · 1/2 = 1/2 → κ = 1/3
    assert kappa["test", "all", "t"]["kappa"] == pytest.approx(1 / 3)
    assert {lang for (_, lang, code) in kappa if code == "t.x"} == {"all"}
    scores = {(r["lang"], r["code"]): r for r in tables["agreement_scores"] if r["split"] == "test"}
    # nb: auto against b: tp 2, fp 1, fn 0 → precision 2/3, recall 1
    assert (scores["nb", "t"]["precision"], scores["nb", "t"]["recall"]) == pytest.approx((2 / 3, 1.0))
