"""Write the coding stage's records to SQLite (the only coding module besides build/agreement that does).

Automatic and human codings live in one ``codings`` table, told apart by ``origin``. The writers never
touch each other's rows: ``save_auto_codings`` replaces only the rows of its origin (rule, or model via
``save_model``), and ``save_decisions`` replaces human rows only from the decision files, which are the truth.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from .codebook import Codebook
from .splits import SplitRow
from .coder import Coding
from .decisions import Decision, latest
from .model import MODEL, TrainedModel

HUMAN = "human"
LLM = "llm"
AUTO_ORIGINS = ("rule", "model", LLM)
ORIGINS = (HUMAN, *AUTO_ORIGINS)
#: Review states (codings.review_state): the one definition, set by :func:`refresh_statuses` from ``status``.
CONFIRMED, REJECTED, UNREVIEWED = "confirmed", "rejected", "unreviewed"
REVIEW_STATES = (CONFIRMED, REJECTED, UNREVIEWED)


def excerpt_facets(db: sqlite_utils.Database) -> dict[str, dict]:
    """Per excerpt id: the columns copied onto codings for faceting."""
    if "excerpts" not in db.table_names():
        return {}
    return {r["id"]: {"source": r["source"], "speaker_role": r["speaker_role"], "landsdel": r["landsdel"]}
            for r in db.query("select id, source, speaker_role, landsdel from excerpts order by id")}


def save_codebook(db: sqlite_utils.Database, book: Codebook) -> dict[str, int]:
    """Replace the codes, code_examples and code_rules tables with ``book``."""
    for table in ("code_examples", "code_rules", "codes"):
        db[table].delete_where()
    rows = []
    for position, code in enumerate(book.codes):
        chain = book.ancestors(code.id)
        rows.append({"id": code.id, "parent": code.parent, "theme": chain[-1], "label_nb": code.label_nb,
                     "label_en": code.label_en, "definition": code.definition, "includes": code.includes,
                     "excludes": code.excludes, "about": book.about(code.id), "depth": len(chain) - 1, "path": " › ".join(reversed(chain)),
                     "position": position, "n_rules": len(code.rules), "line": code.line})
    db["codes"].insert_all(sorted(rows, key=lambda r: (r["depth"], r["position"])))
    db["code_examples"].insert_all(
        {"code": c.id, "excerpt": e} for c in book.codes for e in sorted(set(c.examples)))
    db["code_rules"].insert_all(
        {"id": r.id, "code": r.code, "theme": book.theme(r.code), "lang": r.lang, "kind": r.kind,
         "pattern": r.pattern if isinstance(r.pattern, str) else json.dumps(r.pattern, ensure_ascii=False),
         "score": r.score, "examples": json.dumps(list(r.examples), ensure_ascii=False),
         "counter_examples": json.dumps(list(r.counter_examples), ensure_ascii=False), "n_codings": 0,
         "line": r.line} for r in sorted(book.rules, key=lambda r: r.id))
    return {"codes": len(rows), "code_rules": len(book.rules)}


def split_rows(db: sqlite_utils.Database) -> list[SplitRow]:
    """What :func:`bolyst.coding.splits.assign_splits` needs of every excerpt the corpus stage wrote."""
    return [SplitRow(r["id"], r["source"], r["grp"], r["title"], r["line_start"], r["line_end"], r["lang"])
            for r in db.query('select e.id, e.source, e.lang, e.line_start, e.line_end, s."group" as grp, s.title '
                              "from excerpts e join sources s on s.id = e.source order by e.id")]


def save_splits(db: sqlite_utils.Database, book: Codebook, decisions: Iterable[Decision]) -> dict[str, str]:
    """Store each excerpt's split, language and coders; returns excerpt → split."""
    coders: dict[str, set[str]] = {}
    for d in decisions:
        coders.setdefault(d.excerpt, set()).add(d.coder)
    rows = split_rows(db)
    split_of = book.splits(rows)
    db["excerpt_splits"].delete_where()
    db["excerpt_splits"].insert_all(
        {"excerpt": r.id, "split": split_of[r.id], "lang": r.lang, "source_group": r.group,
         "coders": ", ".join(sorted(coders.get(r.id, ()))) or None} for r in rows)
    return split_of


def _split(db: sqlite_utils.Database) -> dict[str, str]:
    return {r["excerpt"]: r["split"] for r in db.query("select excerpt, split from excerpt_splits")}


def auto_id(c: Coding) -> str:
    """'auto:<rule>@<excerpt>:<start>-<end>' for a rule's coding, 'model:<code>@<excerpt>' for the model's,
    '<coder>:<code>@<excerpt>' (coder 'llm:<model>') for a language model's."""
    if c.origin == LLM:
        return f"{c.coder}:{c.code}@{c.excerpt}"
    return f"model:{c.code}@{c.excerpt}" if c.origin == MODEL else f"auto:{c.rule}@{c.excerpt}:{c.start}-{c.end}"


def save_auto_codings(db: sqlite_utils.Database, book: Codebook, codings: Iterable[Coding],
                      origin: str = "rule", coder: str | None = None,
                      rationale: dict[str, str] | None = None, excerpts: Iterable[str] | None = None) -> int:
    """Replace the automatic codings of ``origin`` (rule, model or llm; for llm, of ``coder`` only, and only on
    ``excerpts`` when given) with ``codings``; other rows stay as they are. ``rationale``: coding id → a
    language model's reason."""
    if origin not in AUTO_ORIGINS:
        raise ValueError(f"origin must be one of {AUTO_ORIGINS}")
    codings = list(codings)
    if any(c.origin != origin for c in codings):
        raise ValueError(f"every coding saved here must have origin {origin!r}")
    facets, split = excerpt_facets(db), _split(db)
    if coder is None:
        db.execute("delete from codings where origin = ?", [origin])
    elif excerpts is None:
        db.execute("delete from codings where origin = ? and coder = ?", [origin, coder])
    else:
        db.execute("delete from codings where origin = ? and coder = ? and excerpt in (select value from "
                   "json_each(?))", [origin, coder, json.dumps(sorted(excerpts))])
    rows = [{"id": auto_id(c), "excerpt": c.excerpt, "code": c.code,
             "theme": c.theme, "coder": c.coder, "origin": c.origin, "rule": c.rule, "span_start": c.start,
             "span_end": c.end, "span_text": c.text, "score": c.score, "status": "suggested",
             "review_state": UNREVIEWED, "rationale": (rationale or {}).get(auto_id(c)),
             "split": split.get(c.excerpt), **facets.get(c.excerpt, {})} for c in codings]
    db["codings"].insert_all(sorted(rows, key=lambda r: r["id"]), pk="id")
    db.execute("update code_rules set n_codings = (select count(*) from codings where codings.rule = code_rules.id)")
    refresh_statuses(db)
    return len(rows)


def save_model(db: sqlite_utils.Database, book: Codebook, model: TrainedModel | None,
               codings: Iterable[Coding]) -> int:
    """Replace the model's codings and its ``coding_models`` row (none when no model was trained)."""
    db["coding_models"].delete_where()
    if model is not None:
        s = model.settings
        db["coding_models"].insert({
            "id": MODEL, "component": "textcat_multilabel", "architecture": s.model_config()["@architectures"],
            "features": s.features, "ngram_size": s.ngram_size, "epochs": s.epochs, "seed": s.seed,
            "threshold": s.threshold, "target": s.target, "labels": ", ".join(model.labels),
            "human_coders": ", ".join(model.coders), "n_training": model.n_training,
            "positives": json.dumps(dict(model.positives)), "settings": s.describe()})
    return save_auto_codings(db, book, codings, origin=MODEL)


def save_decisions(db: sqlite_utils.Database, book: Codebook, decisions: list[Decision]) -> int:
    """Replace coding_decisions and the human codings with what the decision files say."""
    facets, split = excerpt_facets(db), _split(db)
    in_force = latest(decisions)
    db["coding_decisions"].delete_where()
    db["coding_decisions"].insert_all(
        ({"id": f"{d.coder}#{d.position}", "coder": d.coder, "excerpt": d.excerpt, "code": d.code,
          "action": d.action, "date": d.date, "note": d.note,
          "in_force": int(in_force[(d.coder, d.excerpt, d.code)] is d), "scope": d.scope,
          "reference": int(d.reference), "file": d.file, "line": d.line}
         for d in sorted(decisions, key=lambda d: (d.coder, d.position))), pk="id")
    db.execute("delete from codings where origin = ?", [HUMAN])
    rows = [{"id": f"human:{d.coder}@{d.excerpt}:{d.code}", "excerpt": d.excerpt, "code": d.code,
             "theme": book.theme(d.code), "coder": d.coder, "origin": HUMAN, "score": 1.0,
             "status": HUMAN if d.present else "rejected", "review_state": CONFIRMED if d.present else REJECTED,
             "action": d.action, "decided": d.date,
             "note": d.note, "decision_file": f"{d.file}:{d.line}" if d.line else d.file,
             "split": split.get(d.excerpt), **facets.get(d.excerpt, {})} for d in in_force.values()]
    db["codings"].insert_all(sorted(rows, key=lambda r: r["id"]), pk="id")
    refresh_statuses(db)
    return len(rows)


def refresh_statuses(db: sqlite_utils.Database) -> None:
    """Set each automatic coding's status from the human decisions in force on its excerpt.

    Accepted: a human adds or accepts its code or a code under it (a sub-code confirms its theme, as in
    agreement). Rejected: a human rejects its code or a code above it. Both: disputed.

    Then the review state of every coding, from its status: confirmed (human, accepted), rejected, or
    unreviewed (suggested, disputed: humans disagree, so it waits for review).
    """
    db.execute(f"""
        update codings set status = case
          when accepted and rejected then 'disputed' when rejected then 'rejected'
          when accepted then 'accepted' else 'suggested' end
        from (select a.id as auto_id,
                     max(h.action in ('add', 'accept') and (h.code = a.code or {_within('hk', 'a.code')})) as accepted,
                     max(h.action = 'reject' and (h.code = a.code or {_within('ak', 'h.code')})) as rejected
              from codings a left join codings h on h.origin = 'human' and h.excerpt = a.excerpt
              left join codes ak on ak.id = a.code left join codes hk on hk.id = h.code
              where a.origin != 'human' group by a.id) as review
        where codings.id = review.auto_id""")
    db.execute(f"""update codings set review_state = case
          when status in ('human', 'accepted') then '{CONFIRMED}' when status = 'rejected' then '{REJECTED}'
          else '{UNREVIEWED}' end""")


def _within(code_alias: str, ancestor: str) -> str:
    """SQL: ``ancestor`` is on the path (theme › … › code) of the code ``code_alias``."""
    return f"instr(' › ' || {code_alias}.path || ' › ', ' › ' || {ancestor} || ' › ') > 0"
