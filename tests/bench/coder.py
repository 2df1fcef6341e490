"""Coder throughput for ``make bench``: the automatic coder beside a blank spaCy tokenizer on the same texts.

The texts are the shipped corpus's excerpts (all languages), coded by the rules (parse, lemmas, concepts,
frames, negation) and, separately, by the rules plus the learned layer as ``bolyst code --jsonl`` does.
Reported per excerpt, with the coder's share of the tokenizer's speed (the scale issue's target: ≥ 30 %).
"""

from __future__ import annotations

import spacy

from .measure import Figure, measure


def bench_coder(db, runs: int) -> list[Figure]:
    import sqlite_utils
    from bolyst.coding import CODING_DIR
    from bolyst.coding.build import cached_nlp
    from bolyst.coding.codebook import load_codebook
    from bolyst.coding.coder import Text, code, load_nlp
    from bolyst.coding.suggest import load_model, suggestions

    texts = [Text(r["id"], r["text"], r["lang"]) for r in sqlite_utils.Database(db).query(
        "select id, text, lang from excerpts where lang in ('nb', 'nn', 'en') order by id")]
    n = len(texts)
    nlp = cached_nlp(load_codebook(CODING_DIR / "codebook.yaml"))
    model = load_model()
    blank = {"nb": spacy.blank("nb"), "en": spacy.blank("en")}

    def tokenize() -> None:
        for t in texts:
            blank["en" if t.lang == "en" else "nb"](t.text)

    tok = measure("blank spaCy tokenizer (per 1,000 excerpts)", tokenize, runs)
    rules = measure("coder: rules (per 1,000 excerpts)", lambda: list(code(nlp, texts)), runs)
    reference = load_nlp(nlp.codebook, reference=True)  # the components as first written: same codings
    old = measure("coder: rules, reference pipeline (token by token, as before the fast matcher)",
                  lambda: list(code(reference, texts)), max(2, runs // 2))
    both = measure("coder: rules + learned layer, as bolyst code --jsonl (per 1,000 excerpts)",
                   lambda: suggestions(nlp, model, texts), runs)
    share = tok.median_ms / rules.median_ms
    note = (f"{n} excerpts of the shipped corpus; rules: {1000 * n / rules.median_ms:,.0f} excerpts a second, "
            f"{share:.0%} of the tokenizer's speed; {old.median_ms / rules.median_ms:.1f}× the reference pipeline")
    scale = 1000 / n
    return [Figure(f.name, f.median_ms * scale, f.low_ms * scale, f.high_ms * scale, f.runs, None,
                   note if f is rules else f"{n} excerpts") for f in (tok, rules, old, both)]
