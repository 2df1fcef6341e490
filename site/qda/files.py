"""Write planned corpus records (:class:`~bolyst.site.qda_corpus.SourcePlan`) into the corpus folder.

Each source is written, read back with the corpus reader and checked for provenance on its own; a source
that does not pass is rolled back (its files restored or removed) and reported, the others stay.
"""

from __future__ import annotations

from pathlib import Path

from bolyst.corpus.errors import BolystError, ErrorList
from bolyst.corpus.provenance import check_provenance
from bolyst.corpus.reader import read_corpus
from bolyst.corpus.yamlio import dump_yaml, load_yaml, strip_lines

from .corpus import SourcePlan


def _merged(path: Path, records: dict) -> dict:
    """``records`` added to an existing excerpts file of the same source (new ids only)."""
    if not path.exists():
        return records
    old = strip_lines(load_yaml(path)) or {}
    speakers = list(old.get("speakers") or [])
    excerpts = list(old.get("excerpts") or [])
    have_s, have_e = {s.get("id") for s in speakers}, {e.get("id") for e in excerpts}
    speakers += [s for s in records["speakers"] if s["id"] not in have_s]
    excerpts += [e for e in records["excerpts"] if e["id"] not in have_e]
    return {"source": records["source"], "speakers": speakers, "excerpts": excerpts}


def write_file(path: Path, data: bytes) -> None:
    """The one place an import writes a corpus file (switch to the project's safe-write helper here)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _contents(corpus_dir: Path, plan: SourcePlan) -> dict[Path, str]:
    folder = corpus_dir / "sources" / plan.id
    files: dict[Path, str] = {}
    if plan.source:
        files[corpus_dir / "seeds" / plan.seed] = plan.text
        files[folder / "source.yaml"] = dump_yaml(plan.source)
    for name, records in sorted(plan.files.items()):
        data = _merged(folder / name, records) if not plan.source else records
        if not data["speakers"]:
            data = {k: v for k, v in data.items() if k != "speakers"}
        files[folder / name] = dump_yaml(data)
    return files


def write_plan(corpus_dir: Path, plan: SourcePlan) -> int:
    """Write one source's files; returns the number of new excerpts. Rolls back on any problem."""
    files = _contents(corpus_dir, plan)
    backup = {p: p.read_bytes() for p in files if p.exists()}
    if all(p in backup and backup[p] == text.encode("utf-8") for p, text in files.items()):
        return 0
    for path, text in files.items():
        write_file(path, text.encode("utf-8"))
    try:
        corpus = read_corpus(corpus_dir, only={plan.id})  # this source alone: each plan is checked on its own
        problems = list(check_provenance(corpus, corpus_dir / "seeds"))
        if problems:
            raise ErrorList(problems)
    except BolystError:
        for path in files:
            if path in backup:
                write_file(path, backup[path])
            else:
                path.unlink(missing_ok=True)
        folder = corpus_dir / "sources" / plan.id
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        raise
    return sum(len(r["excerpts"]) for r in plan.files.values())


def write_plans(corpus_dir: Path, plans: list[SourcePlan], problems: list[BolystError]) -> int:
    """Write every plan; a plan that fails is reported in ``problems`` and leaves no trace."""
    written = 0
    for plan in plans:
        if not plan.files and not plan.source:
            continue
        try:
            written += write_plan(corpus_dir, plan)
        except BolystError as exc:
            problems.append(exc)
            plan.selections.clear()
    return written
