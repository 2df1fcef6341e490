"""What a REFI-QDA export reads: the corpus and coding folders, and the database's automatic codings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import sqlite_utils
from bolyst.coding.codebook import Codebook
from bolyst.coding.decisions import Decision
from bolyst.corpus.errors import ExportError
from bolyst.corpus.project import Project, read_layers
from bolyst.corpus.records import Corpus

from .coders import AutoCoding, ordered_coders, review_state, rules_name


@dataclass(frozen=True)
class Material:
    """Everything an export needs, read from the corpus and coding folders and the database."""

    corpus: Corpus
    seeds: dict[str, Path]  # source id → its seed file
    codebook: Codebook
    decisions: tuple[Decision, ...]  # the decision in force per (coder, excerpt, code)
    automatic: tuple[AutoCoding, ...] = ()  # automatic codings no human rejected (only when asked for)
    rules: str = "Bolyst rules"  # name of the rules' coder
    lead: str | None = None  # lead coder: the project's first user

    @property
    def as_of(self) -> str | None:
        """Date of the newest decision: the date of the excerpt selections and of the automatic codings."""
        return max((str(d.date) for d in self.decisions if d.date), default=None)


def citations_from(db: sqlite_utils.Database) -> dict[str, str]:
    if "excerpts" not in db.table_names():
        raise ExportError("the database has no excerpts table", fix="run `bolyst build` first")
    return {row["id"]: row["citation"] for row in db.query("select id, citation from excerpts")}


def automatic_codings(db: sqlite_utils.Database) -> list[AutoCoding]:
    """Automatic codings (rules and model) from the database's ``codings`` table, with their review state."""
    if "codings" not in db.table_names():
        return []
    columns = set(db["codings"].columns_dict)
    wanted = [c for c in ("rule", "score", "span_text", "status", "review_state") if c in columns]
    rows = db.query(f"select excerpt, code, coder{''.join(', ' + c for c in wanted)} from codings "
                    "where coder in ('auto', 'model') order by excerpt, code, coder")
    return [AutoCoding(excerpt=r["excerpt"], code=r["code"], coder=r["coder"], rule=r.get("rule") or None,
                       score=r.get("score"), matched=r.get("span_text"), state=review_state(r)) for r in rows]


def _merged(one: AutoCoding, other: AutoCoding) -> AutoCoding:
    """Two rules that gave one excerpt the same code: one coding (a QDA tool keeps one per code and span)
    naming both rules and both matches."""
    join = lambda a, b: ", ".join(dict.fromkeys(x for x in (a, b) if x)) or None  # noqa: E731
    return replace(one, rule=join(one.rule, other.rule), matched=join(one.matched, other.matched),
                   score=max((x for x in (one.score, other.score) if x is not None), default=None),
                   state="confirmed" if "confirmed" in (one.state, other.state) else one.state)


def load_material(db: sqlite_utils.Database, project: Project, include_automatic: bool = False,
                  lead: str | None = None) -> Material:
    """Read what an export needs; refuses a database built from another corpus or codebook."""
    from bolyst.coding.codebook import load_codebook
    from bolyst.coding.decisions import latest, read_decision_dirs

    corpus = read_layers(project.corpus_dirs, check=False)
    book = load_codebook(project.coding_dir / "codebook.yaml")
    in_force = list(latest(read_decision_dirs(project.decisions_dirs)).values())
    rejected = {(d.excerpt, d.code) for d in in_force if d.action == "reject"}
    excerpt_ids, code_ids = {e.id for e in corpus.excerpts}, set(book.by_id)
    automatic: dict[tuple[str, str, str], AutoCoding] = {}
    for a in automatic_codings(db) if include_automatic else ():
        if a.excerpt not in excerpt_ids or a.code not in code_ids:
            raise ExportError(f"the database codes {a.excerpt!r} with {a.code!r}, which the corpus or codebook "
                              "does not have", fix="run `bolyst build` so the database matches the sources")
        if a.state != "rejected" and (a.excerpt, a.code) not in rejected:
            key = (a.excerpt, a.code, a.coder)
            automatic[key] = _merged(automatic[key], a) if key in automatic else a
    humans = ordered_coders({d.coder for d in in_force if d.present}, lead)
    return Material(corpus=corpus, seeds={s.id: project.seed_file(s) for s in corpus.sources}, codebook=book,
                    decisions=tuple(in_force), automatic=tuple(automatic.values()),
                    rules=rules_name(project.coding_dir / "codebook.yaml"), lead=humans[0] if humans else None)
