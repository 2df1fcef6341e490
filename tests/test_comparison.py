"""``bolyst compare`` through click's CliRunner on the shipped knowledge base."""

from __future__ import annotations

from bolyst.site.cli.main import cli
from bolyst.stats.comparison import compare
from click.testing import CliRunner


def test_compare_lists_ten_peers_and_their_quotes(built_db_path):
    result = compare(built_db_path, "Tynset")
    assert [p.rank for p in result.peers] == list(range(11))
    assert result.peers[0].number == "3427"
    assert all(p.distance > 0 for p in result.peers[1:])
    assert [q for q in result.quotes if ("Tynset", "exact") in {(n, t) for n, t, _ in q.links}]


def test_cli_compare_prints_peers_and_quotes(built_db_path):
    result = CliRunner().invoke(cli, ["compare", "Tynset", "--db", str(built_db_path), "--top", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Tynset (3427) · Østlandet · centrality class 5")
    assert sum(1 for line in lines if line[:4].strip() in {"1", "2", "3"}) == 3
    assert "why here: source names the municipality «Tynset»" in result.output
    assert "From or about this municipality (the source names it): 4" in result.output


def test_cli_compare_unknown_name_is_a_clean_error(built_db_path):
    result = CliRunner().invoke(cli, ["compare", "Tynsett", "--db", str(built_db_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "unknown municipality 'Tynsett' — did you mean 'Tynset'" in result.output


def test_cli_compare_ambiguous_name_asks_for_the_county(built_db_path):
    result = CliRunner().invoke(cli, ["compare", "Herøy", "--db", str(built_db_path)])
    assert result.exit_code == 1
    assert "give the number, or add the county" in result.output
