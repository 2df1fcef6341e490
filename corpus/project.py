"""A Bolyst project: the folders a build reads and commands write, and where its database goes.

The package ships code and the demo corpus of the seed documents; it is never written to. A user's own
material lives in a project folder made by ``bolyst init DIR``::

    DIR/bolyst.yaml   marks the folder as a project (and names it)
    DIR/sources/      imported sources, one folder each (source.yaml, excerpts*.yaml; corpus/FORMAT.md)
    DIR/seeds/        the imported files, verbatim
    DIR/decisions/    human coding decisions, <coder>.yaml (coding/FORMAT.md)
    DIR/bolyst.db     the built database

A project reads the shipped corpus, codebook and decisions too (read-only, first) and adds its own; a
``codebook.yaml`` in DIR replaces the shipped codebook. Without a project, commands use the shipped
demo project, which refuses to be written to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import CORPUS_DIR
from .errors import CorpusFormatError, ErrorList, ProjectError
from .provenance import check_provenance
from .reader import read_corpus
from .records import Corpus, Source
from .yamlio import dump_yaml

MARKER = "bolyst.yaml"
DEFAULT_DB = Path("bolyst.db")
#: The installed package's folder: corpus/, coding/ and stats/ of the demo project live below it.
PACKAGE_DIR = CORPUS_DIR.parent
SHIPPED_CORPUS = CORPUS_DIR
SHIPPED_CODING = PACKAGE_DIR / "coding"
SHIPPED_STATS = PACKAGE_DIR / "stats"
FOLDERS = ("sources", "seeds", "decisions")
#: True in a clone of the repository (editable install), where the shipped data is the maintainers' to edit.
SOURCE_CHECKOUT = (PACKAGE_DIR / "pyproject.toml").is_file()


@dataclass(frozen=True)
class Project:
    """Where a build reads its sources and where commands write; shipped layers come first."""

    corpus_dirs: tuple[Path, ...]  # each holds sources/ and seeds/; imports go to the last
    coding_dir: Path  # holds codebook.yaml
    decisions_dirs: tuple[Path, ...]  # <coder>.yaml files; new decisions go to the last
    stats_dir: Path
    db: Path
    root: Path | None = None  # the project folder; None for the demo and for explicit folders
    read_only: bool = False

    @property
    def corpus_dir(self) -> Path:
        return self.corpus_dirs[-1]

    @property
    def decisions_dir(self) -> Path:
        return self.decisions_dirs[-1]

    def writable(self, action: str, *targets: Path) -> Project:
        """This project, or :class:`ProjectError` naming ``bolyst init`` when it is the read-only demo or a
        folder ``action`` would write to is shipped in the package."""
        if self.read_only or any(inside_package(t) for t in targets):
            raise ProjectError(f"{action}: the shipped demo project is read-only (no {MARKER} here)",
                               fix="make a project folder with `bolyst init DIR`, then run the command in DIR "
                                   "or with --project DIR")
        return self

    def seed_file(self, source: Source) -> Path:
        """The seed file of ``source``, in the layer that holds it."""
        for folder in reversed(self.corpus_dirs):
            if (folder / "sources" / source.id).is_dir():
                return folder / "seeds" / source.seed
        return self.corpus_dir / "seeds" / source.seed

    def source_files(self) -> Iterator[Path]:
        """Every file a build depends on: the package's code and data, and what the project's folders hold
        for a build (not, say, a static site written into the project folder)."""
        roots = {PACKAGE_DIR / n for n in ("corpus", "coding", "stats", "site")} | {self.stats_dir, *self.decisions_dirs}
        roots |= {folder / sub for folder in self.corpus_dirs for sub in ("sources", "seeds")}
        for folder in sorted(roots):
            for path in folder.rglob("*") if folder.is_dir() else ():
                if path.is_file() and "__pycache__" not in path.parts:
                    yield path
        if (self.coding_dir / "codebook.yaml").is_file():
            yield self.coding_dir / "codebook.yaml"


def inside_package(path: Path) -> bool:
    """True for a folder of the shipped demo project (the package's corpus/, coding/, stats/)."""
    path = Path(path).resolve()
    return any(path == d or d in path.parents for d in (SHIPPED_CORPUS, SHIPPED_CODING, SHIPPED_STATS))


def read_layers(corpus_dirs: Sequence[Path], check: bool = True) -> Corpus:
    """The corpora of ``corpus_dirs`` in order, provenance checked per layer (unless ``check`` is off);
    a source id used in two layers is refused."""
    merged, seen, errors = Corpus(), {}, []
    for folder in map(Path, corpus_dirs):
        if not (folder / "sources").is_dir() or not any((folder / "sources").iterdir()):
            continue
        corpus = read_corpus(folder)
        if check:
            errors += check_provenance(corpus, folder / "seeds")
        for source in corpus.sources:
            if source.id in seen:
                errors.append(CorpusFormatError(f"source id {source.id!r} is also used in {seen[source.id]}",
                                                path=folder / "sources" / source.id,
                                                fix="give the source its own id (the 'source:' field)"))
            seen[source.id] = folder
        merged.sources += corpus.sources
        merged.speakers += corpus.speakers
        merged.excerpts += corpus.excerpts
        merged.findings += corpus.findings
    if errors:
        raise ErrorList(errors)
    return merged


def with_folders(project: Project, corpus: Path | None = None, coding: Path | None = None) -> Project:
    """``project``, or, when ``--corpus`` / ``--coding`` name folders, those folders alone (as before projects)."""
    if corpus is None and coding is None:
        return project
    return folders(corpus or SHIPPED_CORPUS, coding or SHIPPED_CODING, project.stats_dir, project.db)


def folders(corpus: Path = SHIPPED_CORPUS, coding: Path = SHIPPED_CODING, stats: Path = SHIPPED_STATS,
            db: Path = DEFAULT_DB) -> Project:
    """A project of explicit folders (one corpus, one coding folder with decisions/), as tests and --corpus use."""
    return Project(corpus_dirs=(Path(corpus),), coding_dir=Path(coding), decisions_dirs=(Path(coding) / "decisions",),
                   stats_dir=Path(stats), db=Path(db))


def demo(db: Path | None = None) -> Project:
    """The shipped demo project: the seed documents, codebook and decisions; read-only."""
    return Project(corpus_dirs=(SHIPPED_CORPUS,), coding_dir=SHIPPED_CODING,
                   decisions_dirs=(SHIPPED_CODING / "decisions",), stats_dir=SHIPPED_STATS,
                   db=Path(db or DEFAULT_DB), read_only=True)


def is_project(folder: Path) -> bool:
    return (Path(folder) / MARKER).is_file()


def open_project(folder: Path, db: Path | None = None) -> Project:
    """The project in ``folder``: the shipped layers, then the folder's own sources and decisions."""
    root = Path(folder).resolve()
    if not is_project(root):
        raise ProjectError(f"{folder} is not a Bolyst project (it has no {MARKER})",
                           fix=f"make it one with `bolyst init {folder}`")
    own_codebook = (root / "codebook.yaml").is_file()
    return Project(corpus_dirs=(SHIPPED_CORPUS, root), coding_dir=root if own_codebook else SHIPPED_CODING,
                   decisions_dirs=(SHIPPED_CODING / "decisions", root / "decisions"), stats_dir=SHIPPED_STATS,
                   db=Path(db) if db else root / "bolyst.db", root=root)


def find_project(folder: Path | None = None, db: Path | None = None, cwd: Path | None = None) -> Project:
    """``folder``'s project; without one, the current folder's when it is a project, else the demo."""
    if folder is not None:
        return open_project(folder, db)
    here = Path(cwd or Path.cwd())
    return open_project(here, db) if is_project(here) else demo(db)


def init_project(folder: Path, name: str | None = None) -> tuple[Project, bool]:
    """Make ``folder`` a project (created if missing); returns it and whether anything was made.

    An existing project is left as it is. A folder inside the installed package is refused.
    """
    root = Path(folder).resolve()
    if inside_package(root) or root == PACKAGE_DIR or (PACKAGE_DIR / "site") in (root, *root.parents):
        raise ProjectError(f"{folder} is inside the installed package", fix="choose a folder of your own")
    made = not is_project(root)
    if made:
        for sub in FOLDERS:
            (root / sub).mkdir(parents=True, exist_ok=True)
        (root / MARKER).write_text(
            "# A Bolyst project (bolyst init). Sources in sources/ and seeds/, decisions in decisions/;\n"
            "# the shipped seed corpus, codebook and decisions are read too. A codebook.yaml here replaces\n"
            "# the shipped codebook.\n" + dump_yaml({"name": name or root.name}), encoding="utf-8")
    return open_project(root), made
