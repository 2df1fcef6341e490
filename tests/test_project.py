"""Project folders: `bolyst init`, imports and decisions into the project, never into the installed package."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import click
import pytest
import sqlite_utils
from click.testing import CliRunner

from bolyst.corpus.project import (DEFAULT_DB, MARKER, SHIPPED_CODING, SHIPPED_CORPUS, SHIPPED_STATS, demo,
                                   find_project, open_project)
from bolyst.site.cli.main import cli

from .test_importer import TRANSCRIPT


def snapshot() -> dict[str, tuple[int, str]]:
    """Every shipped data file (not code caches) with its mtime and content hash."""
    out = {}
    for folder in (SHIPPED_CORPUS, SHIPPED_CODING, SHIPPED_STATS):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                out[str(path)] = (path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return out


@pytest.fixture()
def transcript(tmp_path: Path) -> Path:
    path = tmp_path / "tynset-03.md"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


def test_init_makes_a_project_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "study")])
    assert result.exit_code == 0, result.output
    root = tmp_path / "study"
    assert sorted(p.name for p in root.iterdir()) == [MARKER, "decisions", "seeds", "sources"]
    assert "name: study" in (root / MARKER).read_text(encoding="utf-8")
    project = open_project(root)
    assert (project.root, project.db, project.read_only) == (root.resolve(), root.resolve() / "bolyst.db", False)
    assert project.corpus_dirs == (SHIPPED_CORPUS, root.resolve())  # the seed corpus first, read-only
    assert project.decisions_dirs == (SHIPPED_CODING / "decisions", root.resolve() / "decisions")
    again = CliRunner().invoke(cli, ["init", str(root)])
    assert again.exit_code == 0 and "Already a Bolyst project" in again.output


def test_project_is_found_from_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_project() == demo() and demo().read_only and demo().db == DEFAULT_DB
    CliRunner().invoke(cli, ["init", "study"])
    monkeypatch.chdir(tmp_path / "study")
    assert find_project().root == (tmp_path / "study").resolve()


def test_import_build_review_in_a_project_leave_the_package_alone(tmp_path: Path, transcript: Path) -> None:
    before = snapshot()
    root = tmp_path / "study"
    run = CliRunner().invoke
    assert run(cli, ["init", str(root)]).exit_code == 0
    imported = run(cli, ["import", str(transcript), "--project", str(root)])
    assert imported.exit_code == 0, imported.output
    assert (root / "seeds" / "tynset-03.md").read_bytes() == transcript.read_bytes()
    assert sorted(p.name for p in (root / "sources" / "tynset-03").iterdir()) == ["excerpts.yaml", "source.yaml"]

    built = run(cli, ["build", "--project", str(root)])
    assert built.exit_code == 0, built.output
    db = sqlite_utils.Database(root / "bolyst.db")
    assert [r["id"] for r in db.query("select id from excerpts where source = 'tynset-03' order by id")] == [
        "tynset-03/turn-002", "tynset-03/turn-004"]
    assert db.execute("select count(*) from sources where id = 'fafo-2025-14'").fetchone()[0] == 1  # seed corpus
    shipped_coders = {r["coder"] for r in db.query("select distinct coder from coding_decisions")}
    assert shipped_coders == {p.stem for p in (SHIPPED_CODING / "decisions").glob("*.yaml")}

    sheet = tmp_path / "sheet.csv"
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["excerpt", "code", "decision", "note"])
        writer.writeheader()
        writer.writerow({"excerpt": "tynset-03/turn-002", "code": "stay", "decision": "add", "note": ""})
    reviewed = run(cli, ["review", "import", str(sheet), "--coder", "tester", "--project", str(root)])
    assert reviewed.exit_code == 0, reviewed.output
    assert "excerpt: tynset-03/turn-002" in (root / "decisions" / "tester.yaml").read_text(encoding="utf-8")
    assert db.execute("select count(*) from codings where coder = 'tester' and excerpt = 'tynset-03/turn-002'"
                      ).fetchone()[0] == 1
    assert snapshot() == before


def test_a_shipped_source_id_is_refused(tmp_path: Path, transcript: Path) -> None:
    CliRunner().invoke(cli, ["init", str(tmp_path / "study")])
    transcript.write_text(TRANSCRIPT.replace("---\ntitle:", "---\nsource: fafo-2025-14\ntitle:", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(transcript), "--project", str(tmp_path / "study")])
    assert result.exit_code == 1
    assert "source id 'fafo-2025-14' is used by the shipped corpus" in result.output
    assert not any((tmp_path / "study" / "sources").iterdir())


@pytest.mark.parametrize("command", [["import", "{transcript}"], ["import", "{qdpx}"],
                                     ["review", "import", "{sheet}", "--coder", "tester"]])
def test_the_demo_project_refuses_to_change(tmp_path: Path, transcript: Path, monkeypatch: pytest.MonkeyPatch,
                                            command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)  # not a project: the shipped demo
    files = {"transcript": transcript, "qdpx": tmp_path / "x.qdpx", "sheet": tmp_path / "sheet.csv"}
    for path in files.values():
        path.touch(exist_ok=True)
    before = snapshot()
    result = CliRunner().invoke(cli, [arg.format(**files) for arg in command])
    assert result.exit_code == 1
    assert "the shipped demo project is read-only" in result.output
    assert "bolyst init DIR" in result.output
    assert snapshot() == before


def test_not_a_project_is_named() -> None:
    result = CliRunner().invoke(cli, ["build", "--project", "/nonexistent/study"])
    assert result.exit_code == 1
    assert "is not a Bolyst project" in result.output and "bolyst init /nonexistent/study" in result.output


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name)), command


def test_every_command_takes_project() -> None:
    missing = [name for name, command in _commands(cli) if "--project" not in
               {opt for param in command.params for opt in getattr(param, "opts", ())}]
    assert missing == []


def test_a_project_is_stale_when_its_sources_change_not_its_other_files(tmp_path: Path) -> None:
    import os
    import time

    from bolyst.site.build import is_stale

    CliRunner().invoke(cli, ["init", str(tmp_path / "study")])
    project = open_project(tmp_path / "study")
    project.db.write_bytes(b"")
    assert not is_stale(project.db, project)
    later = time.time() + 60
    (project.root / "_site").mkdir()
    (project.root / "_site" / "index.html").write_text("", encoding="utf-8")
    os.utime(project.root / "_site" / "index.html", (later, later))
    assert not is_stale(project.db, project)
    (project.root / "decisions" / "tester.yaml").write_text("coder: tester\ndecisions: []\n", encoding="utf-8")
    os.utime(project.root / "decisions" / "tester.yaml", (later, later))
    assert is_stale(project.db, project)


def test_an_installed_package_keeps_its_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    import bolyst.corpus.project

    monkeypatch.setattr(bolyst.corpus.project, "SOURCE_CHECKOUT", False)
    result = CliRunner().invoke(cli, ["stats", "fetch"])
    assert result.exit_code == 1 and "part of the installed package" in result.output and "--data-dir" in result.output
