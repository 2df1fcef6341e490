"""Hostile input (tests/hostile_inputs.py, over 150 generated and hand-written files) through `bolyst import`:
each gets the expected exit code, a message naming the file when refused, never a traceback; nothing is
written outside the project; a refused file leaves the project exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bolyst.site.cli.main import cli

from .hostile_inputs import Case, all_cases

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
