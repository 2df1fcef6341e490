"""Write planned corpus records (:class:`~bolyst.site.qda_corpus.SourcePlan`) into the corpus folder.

Each source is read back with the corpus reader and checked for provenance on its own, in a scratch folder,
then written through the safe write path (bolyst.corpus.safewrite: checked ids, targets inside the corpus,
temp files + rename, all or nothing); a source that does not pass is reported and leaves no trace.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bolyst.corpus.errors import BolystError, ErrorList
from bolyst.corpus.provenance import check_provenance
from bolyst.corpus.reader import read_corpus
from bolyst.corpus.safewrite import safe_file_name, safe_id, write_files
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


def _check_alone(corpus_dir: Path, plan: SourcePlan, files: dict[Path, str]) -> None:
    """Read and provenance-check the source as it will be (its files now, with ``files`` over them) in a
    scratch folder, before anything is written."""
    folder = Path("sources") / plan.id
    with tempfile.TemporaryDirectory(prefix="bolyst-qdpx-") as scratch:
        root = Path(scratch)
        (root / folder).mkdir(parents=True)
        (root / "seeds").mkdir()
        old = corpus_dir / folder
        for path in old.glob("*.yaml") if old.is_dir() else ():
            (root / folder / path.name).write_bytes(path.read_bytes())
        seed = plan.seed or strip_lines(load_yaml(old / "source.yaml")).get("seed")
        if seed and (corpus_dir / "seeds" / seed).is_file():
            (root / "seeds" / seed).write_bytes((corpus_dir / "seeds" / seed).read_bytes())
        for rel, text in files.items():
            (root / rel).write_bytes(text.encode("utf-8"))
        corpus = read_corpus(root)
        problems = [e for e in check_provenance(corpus, root / "seeds")]
        if problems:
            raise ErrorList(problems)


def write_plan(corpus_dir: Path, plan: SourcePlan) -> int:
    """Write one source's files through the safe write path, all or nothing; returns the new excerpts."""
    safe_id(plan.id, "source id")
    if plan.source:
        safe_file_name(plan.seed, "seed file name")
    for name in plan.files:
        safe_file_name(name, "excerpts file name")
    absolute = _contents(corpus_dir, plan)
    files = {p.relative_to(corpus_dir): text for p, text in absolute.items()}
    if all(p.is_file() and p.read_bytes() == text.encode("utf-8") for p, text in absolute.items()):
        return 0
    _check_alone(corpus_dir, plan, files)
    write_files(corpus_dir, files)
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
