"""The one safe write path (bolyst.corpus.safewrite): ids, targets inside the folder, conflicts refused
unless --replace (with a backup), and crash safety: an import or a review import killed with SIGKILL at a
random moment leaves the corpus (or the decisions) as before or fully updated, never half-written."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from bolyst.corpus.errors import UnsafeWriteError, WriteConflict
from bolyst.corpus.importer import import_files
from bolyst.corpus.reader import read_corpus
from bolyst.corpus.safewrite import JOURNAL, recover, safe_id, write_files
from bolyst.site.cli.main import cli

from .hostile_inputs import transcript

TRIALS = 20


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sources").mkdir(parents=True)
    (root / "seeds").mkdir()
    return root


@pytest.mark.parametrize("bad", ["../x", "/abs", "a/b", "..", "", "X", "a b", "-x", 5, None, ["a"], "a" * 81])
def test_safe_id_refuses_what_could_be_a_path(bad) -> None:
    with pytest.raises(UnsafeWriteError, match="not a valid id"):
        safe_id(bad)


def test_write_files_refuses_targets_outside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for target in (Path("../escape.txt"), tmp_path / "escape.txt", Path("sub/../../escape.txt")):
        with pytest.raises(UnsafeWriteError, match="outside"):
            write_files(root, {target: "x"})
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(UnsafeWriteError, match="outside"):
        write_files(root, {Path("link/escape.txt"): "x"})
    assert not (tmp_path / "escape.txt").exists()
    assert sorted(p.name for p in root.iterdir()) == ["link"]


def test_write_files_is_all_or_nothing_and_recover_finishes_a_committed_write(tmp_path: Path) -> None:
    root = tmp_path / "root"
    assert write_files(root, {Path("a.txt"): "one", Path("sub/b.txt"): "two"}) == [root / "a.txt", root / "sub/b.txt"]
    assert write_files(root, {Path("a.txt"): "one"}) == []  # same content: nothing to do
    # a write that got as far as its journal (as if killed just after): the next reader finishes it
    (root / ".a.txt.1.bolyst-tmp").write_text("ONE", encoding="utf-8")
    (root / JOURNAL).write_text('[[".a.txt.1.bolyst-tmp", "a.txt"], ["", "sub/b.txt"]]', encoding="utf-8")
    assert recover(root) == 1
    assert tree(root) == {"a.txt": b"ONE"}
    # killed before the journal: the temporaries are dropped, the files stay as they were
    (root / ".a.txt.2.bolyst-tmp").write_text("half", encoding="utf-8")
    recover(root)
    assert tree(root) == {"a.txt": b"ONE"}


def test_the_same_content_is_written_once_and_each_file_still_replaced_on_its_own(tmp_path: Path, monkeypatch) -> None:
    root, table = tmp_path / "root", "source,text\ns,SYNTETISK tabell\n".encode() * 1000
    files = {Path(f"seeds/{name}.csv"): table for name in ("a", "b", "c")} | {Path("sources/a/source.yaml"): b"id: a\n"}
    write_files(root, files)
    assert tree(root) == {str(p): data for p, data in files.items()}
    inodes = {(root / p).stat().st_ino for p in files if p.suffix == ".csv"}
    assert len(inodes) == 1 and (root / "seeds/a.csv").stat().st_nlink == 3  # one file on disk, three names
    write_files(root, {Path("seeds/b.csv"): b"source,text\ns,ny\n"})  # temp + rename: a and c keep the table
    assert [(root / f"seeds/{n}.csv").read_bytes() == table for n in "abc"] == [True, False, True]
    monkeypatch.setattr(os, "link", lambda *a: (_ for _ in ()).throw(OSError("no hard links here")))
    write_files(tmp_path / "plain", files)  # a file system without hard links: each file written in full
    assert tree(tmp_path / "plain") == tree(root) | {"seeds/b.csv": table}
    assert (tmp_path / "plain/seeds/a.csv").stat().st_nlink == 1


def test_every_temporary_is_synced_before_the_journal_commits_the_write(tmp_path: Path, monkeypatch) -> None:
    from bolyst.corpus import safewrite

    events: list[tuple[str, str]] = []
    real_sync, real_replace = safewrite._fsync_file, os.replace
    monkeypatch.setattr(safewrite, "_fsync_file", lambda p: events.append(("sync", Path(p).name)) or real_sync(p))
    monkeypatch.setattr(os, "replace", lambda a, b: events.append(("replace", Path(b).name)) or real_replace(a, b))
    files = {Path(f"sources/s{n}/excerpts.yaml"): f"n: {n}\n".encode() for n in range(20)}
    write_files(tmp_path / "root", files | {Path("seeds/a.csv"): b"x", Path("seeds/b.csv"): b"x"})
    journal = events.index(("replace", JOURNAL))
    assert sorted(events[:journal]) == sorted([("sync", f".excerpts.yaml.{os.getpid()}.bolyst-tmp")] * 20
                                               + [("sync", f".a.csv.{os.getpid()}.bolyst-tmp")])
    assert [e for e in events[journal + 1:] if e[0] == "sync"] == []


def test_an_import_of_many_files_recovers_once_and_still_drops_a_killed_write(tmp_path: Path, corpus_dir: Path,
                                                                              monkeypatch) -> None:
    (corpus_dir / "sources" / "old").mkdir()
    stray = corpus_dir / "sources" / "old" / ".excerpts.yaml.99.bolyst-tmp"  # left by a killed import
    stray.write_text("half", encoding="utf-8")
    paths = []
    for n in range(3):
        paths.append(tmp_path / f"intervju-{n}.md")
        paths[-1].write_text(transcript(source=f"syntetisk-{n}"), encoding="utf-8")
    calls = []
    monkeypatch.setattr("bolyst.corpus.safewrite.recover", lambda root: calls.append(root) or 0)
    monkeypatch.setattr("bolyst.corpus.importer.recover", lambda root: calls.append(root) or recover(root))
    assert [r.error for r in import_files(paths, corpus_dir)] == [None, None, None]
    assert calls == [corpus_dir] and not stray.exists()
    assert [s.id for s in read_corpus(corpus_dir).sources] == ["syntetisk-0", "syntetisk-1", "syntetisk-2"]


def test_a_different_file_under_an_existing_id_is_refused_naming_both_then_replaced_with_a_backup(
        corpus_dir: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.md"
    first.write_text(transcript(source="tynset-03"), encoding="utf-8")
    second = tmp_path / "second.md"
    second.write_text(transcript(source="tynset-03", body="I: Hei\nR: Noe helt annet her.\n"), encoding="utf-8")
    (result,) = import_files([first], corpus_dir)
    assert result.error is None and result.excerpts == 1
    before = tree(corpus_dir)
    (refused,) = import_files([second], corpus_dir)
    assert isinstance(refused.error, WriteConflict)
    message = str(refused.error)
    assert str(second) in message and str(corpus_dir / "seeds" / "tynset-03.md") in message
    assert "--replace" in message and "own id" in message
    assert tree(corpus_dir) == before
    (replaced,) = import_files([second], corpus_dir, replace=True)
    assert replaced.error is None
    assert "Noe helt annet her." in (corpus_dir / "sources/tynset-03/excerpts.yaml").read_text(encoding="utf-8")
    (stamp,) = (corpus_dir / ".bolyst-backup").iterdir()
    kept = tree(stamp)  # the replaced files as they were (source.yaml did not change)
    assert set(kept) == {"seeds/tynset-03.md", "sources/tynset-03/excerpts.yaml"}
    assert kept == {k: before[k] for k in kept}


def test_the_cli_says_how_to_replace(tmp_path: Path) -> None:
    project = tmp_path / "p"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(project)]).exit_code == 0
    one, two = tmp_path / "a" / "x.md", tmp_path / "b" / "x.md"
    for path, body in ((one, "I: Hei\nR: Første versjon.\n"), (two, "I: Hei\nR: Andre versjon.\n")):
        path.parent.mkdir()
        path.write_text(transcript(body=body), encoding="utf-8")
    assert runner.invoke(cli, ["import", "--project", str(project), str(one)]).exit_code == 0
    refused = runner.invoke(cli, ["import", "--project", str(project), str(two)])
    assert refused.exit_code == 1 and "already exists" in refused.output and "--replace" in refused.output
    replaced = runner.invoke(cli, ["import", "--project", str(project), "--replace", str(two)])
    assert replaced.exit_code == 0, replaced.output
    assert "Andre versjon." in (project / "sources/x/excerpts.yaml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- SIGKILL


_IMPORT = """
import sys
from pathlib import Path
from bolyst.corpus.importer import import_files
print("ready", flush=True)
results = import_files([Path(sys.argv[1])], Path(sys.argv[2]), replace=True)
assert not [r.error for r in results if r.error], [str(r.error) for r in results if r.error]
print("done", flush=True)
"""

_REVIEW = """
import sys
from pathlib import Path
import sqlite_utils
from bolyst.coding.review import review_import
from bolyst.corpus.project import SHIPPED_CODING
print("ready", flush=True)
result = review_import(sqlite_utils.Database(sys.argv[3]), Path(sys.argv[1]), "crash-coder", SHIPPED_CODING,
                       decisions_dir=Path(sys.argv[2]))
assert result.imported and not result.errors, result.errors
print("done", flush=True)
"""


def _csv(rows: int, version: str) -> str:
    """A synthetic excerpt table: ``rows`` sources of one excerpt each, so one import writes 3 × rows files."""
    lines = ["source,id,kind,text,source_title"]
    lines += [f"kilde-{i:03d},a,quote,Syntetisk sitat {i} ({version}).,Syntetisk kilde {i}" for i in range(rows)]
    return "\n".join(lines) + "\n"


def _run(script: str, *args: str, kill_after: float | None = None) -> bool:
    """Run ``script``; with ``kill_after``, SIGKILL it that many seconds after it is ready. True if it finished."""
    process = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    if kill_after is not None:
        time.sleep(kill_after)
        process.send_signal(signal.SIGKILL)
    out, _ = process.communicate(timeout=120)
    return "done" in out


def _crash_trials(script: str, state, setup, args, files_of) -> list[str]:
    """Time one full run, then kill runs at random moments of it; returns what each trial found."""
    setup()
    start = time.perf_counter()
    assert _run(script, *args)
    full = time.perf_counter() - start
    after = files_of()
    rng, outcomes = random.Random(6), []
    for _ in range(TRIALS):
        setup()
        before = files_of()
        finished = _run(script, *args, kill_after=rng.uniform(0, full))
        state()  # what the next command does first: finish or undo the interrupted write
        now = files_of()
        assert now in (before, after), "half-written corpus"
        outcomes.append("finished" if finished else ("after" if now == after else "before"))
    return outcomes


def test_sigkill_during_an_import_leaves_the_corpus_before_or_after(tmp_path: Path) -> None:
    corpus, table = tmp_path / "corpus", tmp_path / "table.csv"

    old = tmp_path / "old"
    (old / "sources").mkdir(parents=True)
    (old / "seeds").mkdir()
    table.write_text(_csv(60, "old"), encoding="utf-8")
    assert not [r.error for r in import_files([table], old) if r.error]
    table.write_text(_csv(60, "new"), encoding="utf-8")

    def setup() -> None:
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.copytree(old, corpus)

    def files() -> dict[str, bytes]:
        return {k: v for k, v in tree(corpus).items() if not k.startswith(".bolyst-backup")}

    outcomes = _crash_trials(_IMPORT, lambda: recover(corpus), setup, (str(table), str(corpus)), files)
    read_corpus(corpus)  # whole and valid
    assert len(outcomes) == TRIALS
    print("import crash trials:", {o: outcomes.count(o) for o in set(outcomes)})


def test_sigkill_during_a_review_import_leaves_the_decisions_before_or_after(tmp_path: Path) -> None:
    db_path, sheet, decisions = tmp_path / "t.db", tmp_path / "sheet.csv", tmp_path / "decisions"
    db = sqlite_utils.Database(db_path)
    db["excerpts"].insert_all(({"id": f"s/e-{i}"} for i in range(3000)), pk="id")
    sheet.write_text("excerpt,code,decision,note\n" + "".join(
        f"s/e-{i},push,accept,=syntetisk merknad {i}\n" for i in range(3000)), encoding="utf-8")

    def setup() -> None:
        decisions.mkdir(exist_ok=True)
        (decisions / "crash-coder.yaml").write_text(
            "# kept byte for byte\ncoder: crash-coder\ndecisions:\n  - {excerpt: s/e-1, code: pull, action: add}\n",
            encoding="utf-8")

    outcomes = _crash_trials(_REVIEW, lambda: recover(decisions), setup, (str(sheet), str(decisions), str(db_path)),
                             lambda: tree(decisions))
    assert len(outcomes) == TRIALS
    print("review crash trials:", {o: outcomes.count(o) for o in set(outcomes)})
