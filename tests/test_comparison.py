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


def test_sanity_bergen_nearest_are_large_cities_and_utsira_does_not_dominate(built_db):
    """Sanity cases of the issue: Bergen's three nearest have > 100,000 inhabitants; Utsira (≈ 200
    inhabitants, extreme rates) is the comparable of at most a handful; no one is everyone's comparable."""
    top3 = built_db.execute("select m.population from comparables c join municipalities m on m.number = c.comparable "
                            "where c.municipality = '4601' and c.rank <= 3").fetchall()
    assert len(top3) == 3 and all(p > 100_000 for (p,) in top3)
    assert built_db.execute("select count(*) from comparables where comparable = '1151'").fetchone()[0] <= 3
    most = built_db.execute("select max(n) from (select count(*) as n from comparables group by comparable)").fetchone()[0]
    assert most <= 30  # of 357 × 10 pairs
    # Rank-transformed rates are bounded: no z beyond ±3.1 (Utsira's raw z was 7.3).
    assert built_db.execute("select max(abs(z)) from comparison_values where indicator in "
                            "('immigrant_share', 'refugee_intensity', 'moved_in_share')").fetchone()[0] < 3.1


def test_compare_within_kostra_group(built_db_path):
    from bolyst.stats.comparison import compare

    result = compare(built_db_path, "Tynset", k=5, within="kostra")
    head, peers = result.peers[0], result.peers[1:]
    assert head.number == "3427" and len(peers) == 5
    assert {p.kostra_group for p in peers} == {head.kostra_group} and all(p.same_kostra_group == 1 for p in peers)
    assert [p.distance for p in peers] == sorted(p.distance for p in peers)
    assert all(p.main_differences for p in peers)
    central = compare(built_db_path, "Tynset", k=5, within="centrality")
    assert {p.centrality_class for p in central.peers} == {head.centrality_class}
