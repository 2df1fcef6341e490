"""The CLI through click's CliRunner: help with examples, build progress, clean errors."""

from __future__ import annotations

import sqlite_utils
import yaml
from click.testing import CliRunner

from bolyst.site.cli.main import cli


def all_commands(group=cli, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from all_commands(command, (*prefix, name))


def test_every_command_has_help_with_an_example():
    for path, _ in all_commands():
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        if len(path) and not hasattr(_, "commands"):
            assert "Example" in result.output, f"'bolyst {' '.join(path)} --help' has no example"


def test_build_prints_stage_progress_and_writes_db(tmp_path):
    db_path = tmp_path / "kb.db"
    result = CliRunner().invoke(cli, ["build", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Building {db_path} …"
    assert any(line.strip().startswith("corpus") and "excerpts" in line for line in result.output.splitlines())
    assert sqlite_utils.Database(db_path)["excerpts"].count > 100


def test_metadata_command_prints_valid_yaml_for_named_db():
    result = CliRunner().invoke(cli, ["metadata", "--db-name", "kb"])
    data = yaml.safe_load(result.output)
    assert "search_quotes" in data["databases"]["kb"]["queries"]
    assert data["databases"]["kb"]["tables"]["excerpts"]["fts_table"] == "excerpts_fts"
