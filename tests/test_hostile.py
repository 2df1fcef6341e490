"""Hostile input (tests/hostile_inputs.py, over 150 generated and hand-written files) through `bolyst import`:
each gets the expected exit code, a message naming the file when refused, never a traceback; nothing is
written outside the project; a refused file leaves the project exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bolyst.site.cli.main import cli

from .hostile_inputs import Case, all_cases, review_sheets

CASES = all_cases()


def snapshot(root: Path, skip: Path | None = None) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and (skip is None or skip not in p.parents)}


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict[str, Path]:
    top = tmp_path_factory.mktemp("hostile")
    (top / "README.md").write_text("the project's README: must never change\n", encoding="utf-8")
    (top / "inputs").mkdir()
    result = CliRunner().invoke(cli, ["init", str(top / "work" / "project")])
    assert result.exit_code == 0, result.output
    return {"top": top, "project": top / "work" / "project", "inputs": top / "inputs"}


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 100
    assert len({(c.group, c.name) for c in CASES}) == len(CASES)
    assert {c.group for c in CASES} >= {"encoding", "line ends", "empty", "binary", "size", "nesting", "aliases",
                                        "wrong type", "odd text", "traversal", "archive"}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.group}: {c.name}" for c in CASES])
def test_hostile_import(case: Case, world: dict[str, Path]) -> None:
    project, top = world["project"], world["top"]
    path = world["inputs"] / case.filename
    path.write_bytes(case.data)
    outside, inside = snapshot(top, skip=project), snapshot(project)
    result = CliRunner().invoke(cli, ["import", "--project", str(project), *case.args, str(path)])
    output = result.output
    assert "Traceback" not in output and (result.exception is None or isinstance(result.exception, SystemExit)), (
        output, result.exception)
    assert snapshot(top, skip=project) == outside, "wrote outside the project"
    if case.expected == "ok":
        assert result.exit_code == 0, output
        assert "✓" in output or "already imported" in output
    else:
        assert result.exit_code == 1, output
        assert case.filename in output, output  # the message names the file
        assert "unexpected" not in output and "bug in Bolyst" not in output, output
        if case.expected == "refused":
            assert snapshot(project) == inside, "a refused file changed the project"


REVIEW = review_sheets()


@pytest.fixture(scope="module")
def review_world(world) -> dict[str, Path]:
    import sqlite_utils

    db = world["top"] / "review.db"
    sqlite_utils.Database(db)["excerpts"].insert_all(({"id": f"s/e-{i}"} for i in range(10)), pk="id")
    return {**world, "db": db}


@pytest.mark.parametrize("case", REVIEW, ids=[c.name for c in REVIEW])
def test_hostile_review_sheet(case: Case, review_world: dict[str, Path]) -> None:
    project, top = review_world["project"], review_world["top"]
    path = review_world["inputs"] / case.filename
    path.write_bytes(case.data)
    outside, inside = snapshot(top, skip=project), snapshot(project)
    args = case.args or ("--coder", "hostile-reviewer")
    result = CliRunner().invoke(cli, ["review", "import", str(path), *args, "--project", str(project),
                                      "--db", str(review_world["db"])])
    output = result.output
    assert "Traceback" not in output and (result.exception is None or isinstance(result.exception, SystemExit)), (
        output, result.exception)
    assert snapshot(top, skip=project) == outside, "wrote outside the project"
    assert "unexpected" not in output, output
    if case.expected == "ok":
        assert result.exit_code == 0, output
    else:
        assert result.exit_code == 1, output
        if case.expected == "refused":
            assert snapshot(project) == inside, "a refused sheet changed the project"
    if case.name == "formula-looking note":
        assert "note: =1+2\n" in (project / "decisions" / "hostile-reviewer.yaml").read_text(encoding="utf-8")


COMMAND_LINES = [
    ["import"], ["import", "{missing}"], ["import", "--encoding", "", "{input}"], ["init", "{file}"],
    ["build", "--db", "{file}/x.db"], ["build", "--db", "/proc/bolyst-cannot-write.db"],
    ["serve", "--port", "-1", "--db", "{db}", "--no-rebuild"], ["serve", "--port", "abc"],
    ["serve", "--host", "no-such-host.invalid", "--db", "{db}", "--no-rebuild"],
    ["export", "-", "--format", "exe", "--db", "{db}"], ["export", "-", "--format", "csv", "--db", "{missing}"],
    ["export", "-", "--format", "csv", "--db", "{db}", "--municipality", "Atlantis"],
    ["review", "import", "{input}", "--coder", "A B", "--db", "{db}"],
    ["review", "export", "--out", "{file}/sheet.csv", "--db", "{db}"], ["compare", "Atlantis", "--db", "{db}"],
    ["code", "--db", "{missing}"], ["agreement", "--db", "{db}"], ["site", "build", "{file}", "--db", "{db}"],
    ["--debug"], ["nosuchcommand"], ["import", "--project", "{file}", "{input}"],
]


@pytest.mark.parametrize("line", COMMAND_LINES, ids=[" ".join(c) for c in COMMAND_LINES])
def test_bad_command_lines_get_a_message_not_a_traceback(line: list[str], review_world: dict[str, Path]) -> None:
    top = review_world["top"]
    names = {"missing": str(top / "no-such-file"), "file": str(top / "README.md"), "db": str(review_world["db"]),
             "input": str(review_world["inputs"] / "formula.csv")}
    outside = snapshot(top, skip=review_world["project"])
    result = CliRunner().invoke(cli, [part.format(**names) for part in line])
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit), result.output
    assert "bug in Bolyst" not in result.output, result.output
    assert snapshot(top, skip=review_world["project"]) == outside


def test_debug_shows_the_traceback(world: dict[str, Path]) -> None:
    path = world["inputs"] / "debug-latin1.md"
    path.write_bytes("---\ntitle: Bodø\n---\nR: hei\n".encode("latin-1"))
    quiet = CliRunner().invoke(cli, ["import", "--project", str(world["project"]), str(path)])
    assert quiet.exit_code == 1 and "--encoding latin-1" in quiet.output and "offset" in quiet.output
    loud = CliRunner().invoke(cli, ["--debug", "import", "--project", str(world["project"]), str(path)])
    assert loud.exit_code == 1 and "--encoding latin-1" in loud.output  # per file, listed; --debug changes nothing here
    bad = CliRunner().invoke(cli, ["--debug", "build", "--db", "/proc/bolyst-cannot-write.db"])
    assert bad.exception is not None and not isinstance(bad.exception, SystemExit)  # the traceback, for a bug report


def test_a_key_given_twice_names_both_lines() -> None:
    """YAML keeps the last of two equal keys and drops the first without a word; Bolyst refuses the file."""
    from bolyst.corpus.errors import CorpusFormatError
    from bolyst.corpus.yamlio import safe_load

    with pytest.raises(CorpusFormatError) as caught:
        safe_load("title: Én\nplace:\n  municipality: Tynset\ntitle: To\n", path="intervju.md")
    message = str(caught.value)
    assert "intervju.md, line 4" in message and "'title' is given twice" in message and "first on line 1" in message
    assert safe_load("a: {title: 1}\nb: {title: 2}\n") == {"a": {"title": 1}, "b": {"title": 2}}  # per mapping
