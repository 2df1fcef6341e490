"""Municipality look-up by number and by current, Sámi, Kven and historical names."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bolyst.corpus.errors import AmbiguousMunicipality, UnknownMunicipality
from bolyst.site.cli.main import cli
from bolyst.stats.municipalities import municipality_records
from bolyst.stats.names import lookup


@pytest.mark.parametrize("query, number, kind", [
    ("Kautokeino", "5612", "current"),
    ("Guovdageaidnu", "5612", "sami"),           # North Sámi
    ("Snåase", "5041", "sami"),                  # South Sámi
    ("Hábmer", "1875", "sami"),                  # Lule Sámi
    ("Porsanki", "5622", "kven"),
    ("Yykeä", "5536", "kven"),
    ("Kárášjohka", "5610", "sami"),              # spelled right by Kartverket, '?' in the KLASS file
    ("Guovdageaidnu - Kautokeino", "5612", "official"),
    ("Tune", "3105", "historical"),              # merged into Sarpsborg 1992
    ("Ballangen", "1806", "historical"),         # merged into Narvik 2020
    ("Haram (-2019)", "1580", "current"),        # validity suffix ignored; Haram is current again
    ("  oslo ", "0301", "current"),
    ("301", "0301", "number"),
    ("1534", "1580", "old_number"),              # Haram's number before 2020
    ("0716u", "3905", "old_number"),             # Våle (−2001), SSB's reused number
    ("Herøy (Nordland)", "1818", "current"),
    ("Våler i Innlandet", "3419", "current"),
    ("Tromso", "5501", "folded"),
])
def test_lookup(query, number, kind):
    found = lookup(query)
    assert (found.number, found.matched_kind) == (number, kind)


def test_lookup_returns_the_whole_record():
    found = lookup("Porsanki")
    assert (found.number, found.name, found.official_name, found.name_sami, found.name_kven, found.county_name,
            found.landsdel) == ("5622", "Porsanger", "Porsanger - Porsáŋgu - Porsanki", "Porsáŋgu", "Porsanki",
                                "Finnmark", "Nord-Norge")


def test_unknown_name_suggests_the_closest():
    with pytest.raises(UnknownMunicipality) as error:
        lookup("Trondhjem")
    assert error.value.suggestions == ["Trondheim"]
    assert str(error.value) == "municipality lookup: unknown municipality 'Trondhjem' — did you mean 'Trondheim'?"
    assert not isinstance(error.value, AmbiguousMunicipality)


def test_unknown_number():
    with pytest.raises(UnknownMunicipality, match="no municipality has or had the number '9876'"):
        lookup("9876")


def test_split_municipality_is_ambiguous_with_its_successors():
    with pytest.raises(AmbiguousMunicipality) as error:
        lookup("Snillfjord")
    assert error.value.suggestions == ["Heim (5055, Trøndelag)", "Hitra (5056, Trøndelag)",
                                       "Orkland (5059, Trøndelag)"]
    with pytest.raises(AmbiguousMunicipality, match="Ålesund \\(1508.*Haram \\(1580"):
        lookup("1507")


def test_namesakes_ask_for_the_county():
    with pytest.raises(AmbiguousMunicipality, match="add the county") as error:
        lookup("Herøy")
    assert [s.split(" (")[0] for s in error.value.suggestions] == ["Herøy", "Herøy"]


def test_municipality_records_cover_the_2024_structure():
    records = municipality_records()
    assert len(records) == 357
    assert sum(1 for m in records if m.name_kven) == 5
    assert {m.landsdel for m in records} == {"Østlandet", "Sørlandet", "Vestlandet", "Trøndelag", "Nord-Norge"}
    assert not [m.official_name for m in records if "?" in m.official_name]


def test_names_table_in_the_database(built_db):
    kinds = dict(built_db.execute("select kind, count(*) from municipality_names group by kind").fetchall())
    assert set(kinds) == {"current", "official", "sami", "kven", "historical"}
    assert kinds["current"] == 357 and kinds["kven"] == 5
    haram = built_db.execute("select name, kind, number, valid_from, valid_to from municipality_names "
                             "where municipality = '1580' order by number, kind").fetchall()
    # Ålesund 2020–2023 (1507) covered today's Haram too, so its name leads to 1580 as well as to 1508.
    assert haram == [("Ålesund", "historical", "1507", 2020, 2023), ("Haram", "historical", "1534", 1980, 2019),
                     ("Haram", "current", "1580", 2024, 2026)]


def test_cli_lookup():
    result = CliRunner().invoke(cli, ["stats", "lookup", "Guovdageaidnu"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["5612 Kautokeino (Finnmark, Nord-Norge) — Sámi: Guovdageaidnu",
                                          "  matched 'Guovdageaidnu' as sami"]
    failed = CliRunner().invoke(cli, ["stats", "lookup", "Trondhjem"])
    assert failed.exit_code == 1 and "did you mean 'Trondheim'?" in failed.output


def test_no_name_has_lost_letters(built_db):
    """No '?' or U+FFFD in any municipality name, in the database or in the shipped snapshots."""
    bad = []
    for table, column in (("municipalities", "name"), ("municipalities", "official_name"),
                          ("municipalities", "name_sami"), ("municipalities", "name_kven"),
                          ("municipality_names", "name"), ("municipality_crosswalk", "name")):
        bad += [(table, v) for (v,) in built_db.execute(f"select {column} from {table} where {column} is not null")
                if "?" in v or "\ufffd" in v]
    assert bad == []
    by_number = {m.number: m for m in municipality_records()}
    assert by_number["1853"].official_name == "Evenes - Evenášši"
    assert by_number["5610"].official_name == "Kárášjohka - Karasjok"
    assert by_number["5622"].official_name == "Porsanger - Porsáŋgu - Porsanki"


def test_a_name_with_lost_letters_is_a_clear_error():
    from bolyst.stats.derive import clean_name
    with pytest.raises(ValueError, match="kommuner.csv, row 7: name 'Ev\\?nes' has lost letters"):
        clean_name("Ev?nes", "kommuner.csv, row 7")


def test_a_name_in_both_registers_is_one_row_with_its_whole_validity(built_db):
    from bolyst.stats.municipalities import name_rows

    keys = [(n.name, n.municipality, n.kind, n.number) for n in name_rows()]
    assert len(keys) == len(set(keys)) == built_db.execute("select count(*) from municipality_names").fetchone()[0]
    # Snåase: South Sámi name of Snåsa since 2018 (Kartverket's 2020 list) and in the 2024 register
    assert built_db.execute("select number, kind, valid_from, valid_to from municipality_names "
                            "where name = 'Snåase' order by number").fetchall() == [
        ("1736", "historical", 1980, 2017), ("5041", "sami", 2018, 2026)]  # 1736 in Nord-Trøndelag before 2018
