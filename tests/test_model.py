"""The trained suggester (coding/model.py): learning, no held-out leakage, repeatability, storage, agreement."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from pathlib import Path

import pytest
import sqlite_utils
from bolyst.coding import CODING_DIR
from bolyst.coding.build import code_corpus, load_sources, read_db_excerpts
from bolyst.coding.coder import Text
from bolyst.coding.decisions import Decision, check_coder
from bolyst.coding.model import (
    DEFAULT_SETTINGS,
    LabelledText,
    fit_model,
    scores,
    suggest,
    train,
    training_texts,
)
from bolyst.coding.model_cv import cross_validate, out_of_fold
from bolyst.coding.splits import LEARN_FROM
from bolyst.coding.writer import split_rows
from bolyst.site.cli.coding import format_theme_agreement
from bolyst.site.cli.main import cli
from click.testing import CliRunner

from .coding_support import build_until_coding

# A separable toy task (synthetic, generated here): "push" texts use winter words, "pull" texts city words,
# both padded with the same filler words; a text carries the theme(s) whose words it uses.
PUSH_WORDS = ["snø", "mørke", "vinter", "kulde", "ensomhet", "isolert"]
PULL_WORDS = ["kafé", "teater", "storby", "butikker", "konserter", "universitet"]
FILLER = ["vi", "har", "det", "og", "så", "er", "her", "mye", "litt", "der"]


#: The synthetic task is learnt from plain lemmas (it has no codebook concepts), with the threshold at 0.5.
SYNTH = replace(DEFAULT_SETTINGS, features="lemma", epochs=20, threshold=0.5)


def synthetic_texts(n: int, seed: int) -> list[LabelledText]:
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        themes = [("push",), ("pull",), ("push", "pull"), ()][i % 4]
        words = rng.sample(FILLER, 5)
        for theme in themes:
            words += rng.sample(PUSH_WORDS if theme == "push" else PULL_WORDS, 2)
        rng.shuffle(words)
        texts.append(LabelledText(f"synthetic-{seed}-{i % 40:02d}/{i:03d}", " ".join(words).capitalize() + ".", "nb",
                                  (("synthetic-coder", themes),)))
    return texts


@pytest.fixture(scope="module")
def shipped(built_db) -> tuple:
    """(codebook, excerpts, decisions, splits) of the shipped knowledge base."""
    excerpts = read_db_excerpts(built_db)
    book, decisions = load_sources(CODING_DIR, {e.id for e in excerpts})
    return book, excerpts, decisions, book.splits(split_rows(built_db))


def test_learns_a_separable_synthetic_task():
    nlp = train(synthetic_texts(120, seed=1), ["push", "pull"], SYNTH)
    unseen = synthetic_texts(40, seed=2)
    predicted = scores(nlp, unseen, SYNTH)
    for text in unseen:
        assert {t for t, s in predicted[text.id].items() if s >= 0.5} == set(text.target()), text.text


def test_cross_validation_on_the_synthetic_task():
    texts = synthetic_texts(160, seed=3)
    predicted = out_of_fold(texts, ["push", "pull"], SYNTH)
    assert sorted(predicted) == sorted(t.id for t in texts)  # every excerpt scored once, by the fold without it
    [result] = cross_validate(texts, ("push", "pull"), [SYNTH], thresholds=(0.5,))
    assert (result["mean_kappa"], result["kappa_push"], result["kappa_pull"]) == (1.0, 1.0, 1.0)
    # with the rules beside it: a rule that codes push everywhere spoils push, and the rules alone get a row
    results = cross_validate(texts, ("push", "pull"), [SYNTH], thresholds=(0.5,),
                             rule_themes={t.id: {"push"} for t in texts})
    combined, = [r for r in results if r["features"] == "lemma"]
    alone, = [r for r in results if r["features"] == "rules only"]
    assert combined["kappa_pull"] == 1.0 and combined["kappa_push"] == 0.0 and alone["kappa_pull"] == 0.0


def test_folds_keep_each_source_together():
    texts = synthetic_texts(160, seed=5)  # 40 sources of 4 excerpts
    from bolyst.coding import model_cv

    seen: dict[str, set[int]] = {}
    calls = []
    original = model_cv.train
    try:
        model_cv.train = lambda trained, labels, settings: calls.append({t.id for t in trained}) or original(
            trained, labels, settings)
        out_of_fold(texts, ["push", "pull"], SYNTH, folds=4)
    finally:
        model_cv.train = original
    for fold, trained in enumerate(calls):
        for t in texts:
            seen.setdefault(t.id.split("/")[0], set()).add(t.id in trained)
    assert all(len(v) == 2 for v in seen.values())  # each source is in training for some folds, out for one
    for trained in calls:
        sources_in = {i.split("/")[0] for i in trained}
        assert all(t.id in trained for t in texts if t.id.split("/")[0] in sources_in)


def test_training_texts_are_the_learn_from_splits_only(shipped):
    book, excerpts, decisions, split_of = shipped
    examples = training_texts(book, excerpts, decisions, split_of)
    measured = {e.id for e in excerpts if split_of[e.id] not in LEARN_FROM}
    assert {split_of[e] for e in measured} == {"heldout", "test"}
    assert [e.id for e in examples] == sorted(e.id for e in excerpts if e.id not in measured)
    # the development set learns from its reconciled reference, the seed documents from their two coders
    dev = next(e for e in examples if split_of[e.id] == "dev")
    assert dev.reference is not None and {c for c, _ in dev.themes} == {
        "devset-coder-a", "devset-coder-b", "devset-reconciled"}
    seed = next(e for e in examples if split_of[e.id] == "training")
    assert seed.reference is None and {c for c, _ in seed.themes} == {"lead-researcher", "second-coder"}


def test_held_out_and_test_decisions_do_not_change_the_model(shipped):
    """Leakage by behaviour: the same model whatever the humans say about held-out or test excerpts."""
    book, excerpts, decisions, split_of = shipped
    measured = sorted(e.id for e in excerpts if split_of[e.id] not in LEARN_FROM)
    flooded = decisions + [Decision("leak-probe", e, theme, "add", scope="all") for e in measured
                           for theme in book.themes]
    settings = replace(DEFAULT_SETTINGS, features="lemma")
    before = fit_model(book, excerpts, decisions, split_of, settings)
    after = fit_model(book, excerpts, flooded, split_of, settings)
    assert list(suggest(before.nlp, excerpts, settings)) == list(suggest(after.nlp, excerpts, settings))
    assert before.n_training == after.n_training == len(excerpts) - len(measured)


def test_two_trainings_give_identical_suggestions(shipped):
    book, excerpts, decisions, split_of = shipped
    settings = replace(DEFAULT_SETTINGS, features="lemma")
    first, second = (list(suggest(fit_model(book, excerpts, decisions, split_of, settings).nlp, excerpts, settings))
                     for _ in range(2))
    assert first == second and len(first) > 20
    assert all(c.score == round(c.score, 3) and c.score >= settings.threshold for c in first)


def test_no_model_without_enough_examples(shipped):
    book, excerpts, _, split_of = shipped
    assert fit_model(book, excerpts, [], split_of) is None
    few = [Decision("tester", e.id, "push", "add") for e in excerpts if split_of[e.id] == "training"][:4]
    assert fit_model(book, excerpts, few, split_of) is None  # 4 positives < min_examples
    enough = fit_model(book, excerpts, few, split_of, replace(DEFAULT_SETTINGS, min_examples=4, features="lemma"))
    assert enough is not None and enough.labels == ("push",)


def test_model_is_not_a_human_coder_id():
    assert check_coder("model") == "'model' is the trained model's id"


def test_stored_model_codings(built_db):
    texts = {r["id"]: r["text"] for r in built_db.query("select id, text from excerpts")}
    split = {r["excerpt"]: r["split"] for r in built_db.query("select excerpt, split from excerpt_splits")}
    rows = list(built_db.query("select * from codings where origin = 'model' order by id"))
    assert len(rows) > 20 and {r["theme"] for r in rows} <= {"push", "pull", "stay", "retain"}
    for r in rows:
        assert r["id"] == f"model:{r['code']}@{r['excerpt']}" and r["coder"] == "model" and r["rule"] is None
        assert (r["code"], r["span_start"], r["span_end"], r["span_text"]) == (
            r["theme"], 0, len(texts[r["excerpt"]]), texts[r["excerpt"]])
        assert DEFAULT_SETTINGS.threshold <= r["score"] <= 1 and r["score"] == round(r["score"], 3)
        assert r["split"] == split[r["excerpt"]]
    [model] = built_db["coding_models"].rows
    assert model["labels"] == "push, pull, stay, retain" and model["human_coders"] == (
        "devset-coder-a, devset-coder-b, devset-reconciled, lead-researcher, second-coder")
    assert model["n_training"] == sum(s in LEARN_FROM for s in split.values())


def test_model_status_follows_human_decisions(built_db):
    # accepted exactly where a human adds or accepts the theme or a code under it; none are rejected here
    # because no human decision rejects a theme
    rows = built_db.execute("""
        select m.status, exists(select 1 from codings h where h.origin = 'human' and h.excerpt = m.excerpt
                                and h.theme = m.theme and h.status = 'human')
        from codings m where m.origin = 'model'""").fetchall()
    assert {(status, bool(confirmed)) for status, confirmed in rows} == {("accepted", True), ("suggested", False)}


def test_agreement_includes_the_model(built_db):
    kappa = {(r["split"], r["code"], r["coder_a"], r["coder_b"]) for r in built_db["agreement_kappa"].rows}
    scores_ = {(r["split"], r["code"], r["auto_coder"], r["coder"]) for r in built_db["agreement_scores"].rows}
    humans = {"heldout": ("lead-researcher", "second-coder"), "training": ("lead-researcher", "second-coder"),
              "dev": ("devset-coder-a", "devset-coder-b", "devset-reconciled"),
              "test": ("devset-coder-a", "devset-coder-b", "devset-reconciled")}
    for split, coders in humans.items():
        for theme in ("push", "pull", "stay", "retain"):
            assert (split, theme, "auto", "model") in kappa and (split, theme, "auto", "combined") in kappa
            for human in coders:
                for automatic in ("auto", "model", "combined"):
                    assert (split, theme, automatic, human) in kappa and (split, theme, automatic, human) in scores_
    assert {r["coders"] for r in built_db["agreement_alpha"].rows} == {
        "auto, model, combined, devset-coder-a, devset-coder-b, devset-reconciled, lead-researcher, second-coder"}
    tables = {name: list(built_db[name].rows) for name in ("agreement_kappa", "agreement_alpha", "agreement_scores")}
    lines = format_theme_agreement(tables).splitlines()
    [line] = [x for x in lines if x.startswith("heldout   all  stay     model × second-coder")]
    assert "–" not in line  # κ, P, R and F1 all printed


async def test_model_codings_stay_out_of_published_evidence(built_db, datasette):
    model_only = [r[0] for r in built_db.execute("""
        select m.excerpt from codings m where m.origin = 'model' and m.theme = 'push'
          and not exists (select 1 from codings o where o.excerpt = m.excerpt and o.theme = 'push'
                          and o.origin != 'model' and o.status != 'rejected')""")]
    assert model_only  # the model suggests push for excerpts that no rule or human codes push
    response = await datasette.client.get("/bolyst/quotes_for_theme.json?theme=push&_shape=array")
    quotes = {q["excerpt"] for q in response.json()}
    matrix = {r["excerpt"] for r in built_db.query("select excerpt from matrix_codings where code = 'push'")}
    assert quotes and matrix and not (quotes | matrix) & set(model_only)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.yaml"))}


def test_rebuilds_give_the_same_model_codings_and_leave_decisions_alone(tmp_path):
    coding = tmp_path / "coding"
    coding.mkdir()
    (coding / "codebook.yaml").write_bytes((CODING_DIR / "codebook.yaml").read_bytes())
    (coding / "decisions").mkdir()
    for path in (CODING_DIR / "decisions").glob("*.yaml"):
        (coding / "decisions" / path.name).write_bytes(path.read_bytes())
    before = _digest(coding / "decisions")
    build_until_coding(tmp_path / "kb.db", coding)
    db = sqlite_utils.Database(tmp_path / "kb.db")
    query = "select * from codings where origin in ('model', 'human') order by id"
    first, model = list(db.query(query)), list(db["coding_models"].rows)
    with db.conn:
        code_corpus(db, coding)  # re-code the built database: trains again
    assert list(db.query(query)) == first and list(db["coding_models"].rows) == model
    assert _digest(coding / "decisions") == before


def test_model_cv_command(built_db_path, monkeypatch):
    from bolyst.coding import model_cv

    monkeypatch.setattr(model_cv, "grid", lambda: [DEFAULT_SETTINGS])
    result = CliRunner().invoke(cli, ["model", "cv", "--db", str(built_db_path), "--folds", "3", "--top", "2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["features", "ngram", "epochs", "thresh", "κ", "model", "κ", "+rules", "κ", "push",
                                "κ", "pull", "κ", "stay", "κ", "retain"]
    assert len(lines) == 3 and any(line.split()[:5] == ["*", "lemma+concepts", "1", "10", "0.80"] for line in lines)
    assert "1/1 features=lemma+concepts" in result.stderr


def test_suggest_spans_the_whole_text():
    nlp = train(synthetic_texts(120, seed=4), ["push", "pull"], SYNTH)
    text = "Det er mørke og snø og kulde her, vinter hele året."
    [coding] = list(suggest(nlp, [Text("synthetic/q", text)], SYNTH))
    assert (coding.code, coding.theme, coding.start, coding.end, coding.text, coding.rule) == (
        "push", "push", 0, len(text), text, None)
    assert (coding.coder, coding.origin) == ("model", "model")


def test_statuses_follow_human_decisions_up_and_down_the_code_tree():
    """A sub-code a human applies confirms its theme; a theme a human rejects rejects the codes under it."""
    from bolyst.coding.writer import refresh_statuses
    from bolyst.site.build import ensure_all

    db = sqlite_utils.Database(memory=True)
    ensure_all(db)
    db["codes"].insert_all([{"id": "push", "path": "push"}, {"id": "push.x", "parent": "push", "path": "push › push.x"},
                            {"id": "stay", "path": "stay"}])

    def coding(id_: str, excerpt: str, code: str, origin: str, action: str | None = None) -> dict:
        return {"id": id_, "excerpt": excerpt, "code": code, "origin": origin, "action": action,
                "status": "human" if action in ("add", "accept") else "rejected" if action else "suggested"}

    db["codings"].insert_all([
        coding("m1", "e1", "push", "model"), coding("h1", "e1", "push.x", "human", "add"),    # sub-code confirms
        coding("r2", "e2", "push.x", "rule"), coding("h2", "e2", "push", "human", "reject"),  # theme rejected
        coding("m3", "e3", "push", "model"), coding("h3", "e3", "push.x", "human", "reject"), # sub-code no
        coding("m4", "e4", "stay", "model"), coding("h4", "e4", "push.x", "human", "add"),    # other theme
        coding("m5", "e5", "push", "model"), coding("h5", "e5", "push.x", "human", "add"),
        coding("h6", "e5", "push", "human", "reject")])
    refresh_statuses(db)
    status = {r["id"]: r["status"] for r in db.query("select id, status from codings where origin != 'human'")}
    assert status == {"m1": "accepted", "r2": "rejected", "m3": "suggested", "m4": "suggested", "m5": "disputed"}


def test_review_sheet_shows_model_suggestions_as_theme_rows_without_span(built_db):
    from bolyst.coding.review import review_rows

    rows = [r for r in review_rows(built_db) if r["rules"] == "model"]
    assert rows and all(r["evidence"] == "(learned model: whole excerpt, no span)" for r in rows)
    assert {r["code"] for r in rows} <= {"push", "pull", "stay", "retain"}
    accepted = [r for r in rows if r["status"] == "accepted"]
    # accepted means a human applied a code of that theme: the sheet names that decision
    def names_theme(decision: str, theme: str) -> bool:  # "coder: add" (the theme itself) or "coder: add theme.x"
        action = decision.split(": ", 1)[1]
        return action in ("add", "accept") or action.split(" ", 1)[-1].startswith(theme + ".")

    assert accepted and all(r["human_decisions"] and any(names_theme(d, r["code"])
                                                         for d in r["human_decisions"].split("; "))
                            for r in accepted)


def test_shipped_model_is_what_training_on_the_shipped_sources_gives(shipped):
    """coding/model/ (what `bolyst code --jsonl` uses) must not go stale: same fingerprint, same scores."""
    from bolyst.coding.build import cached_nlp
    from bolyst.coding.suggest import featurizer, fingerprint, load_model

    book, excerpts, decisions, split_of = shipped
    loaded = load_model()
    assert loaded is not None and loaded.settings == DEFAULT_SETTINGS
    features = featurizer(cached_nlp(book))
    examples = training_texts(book, excerpts, decisions, split_of, features)
    assert loaded.fingerprint == fingerprint(examples), \
        "the corpus, decisions or codebook changed: run `bolyst build && bolyst model train`"
    trained = fit_model(book, excerpts, decisions, split_of, featurize=features)
    sample = excerpts[::20]
    assert scores(trained.nlp, sample, DEFAULT_SETTINGS, features) == scores(loaded.nlp, sample, DEFAULT_SETTINGS,
                                                                               features)


def test_the_coder_cache_keeps_the_newest_trained_model_only(tmp_path, monkeypatch):
    """A model trained on the same examples is loaded from the cache and suggests the same; another training set
    replaces it (SYNTHETIC examples, generated above)."""
    from bolyst.coding import cache as coder_cache
    from bolyst.coding.codebook import load_codebook

    trainings: list[int] = []
    real = coder_cache.train
    monkeypatch.setattr(coder_cache, "train", lambda examples, *a, **k: trainings.append(len(examples)) or
                        real(examples, *a, **k))
    store = coder_cache.CoderCache(tmp_path / "c", load_codebook(CODING_DIR / "codebook.yaml"))
    first, other = synthetic_texts(40, 1), synthetic_texts(40, 2)
    trained = store.trained(first, ("push", "pull"), SYNTH)
    loaded = store.trained(first, ("push", "pull"), SYNTH)
    assert trainings == [40] and scores(loaded, first, SYNTH) == scores(trained, first, SYNTH)
    store.trained(other, ("push", "pull"), SYNTH)
    store.trained(first, ("push", "pull"), SYNTH)
    assert trainings == [40, 40, 40]  # the first model was replaced by the other's, so it is trained again
    assert store.conn.execute("select count(*) from models").fetchone() == (1,)
    store.close()
