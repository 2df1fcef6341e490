"""Derive the shipped snapshots from the collected SSB/IMDi files (pure: DataFrames in, DataFrames out).

Each ``derive_<snapshot>(folder)`` reads one upstream file of /work/shared/data/ssb (see SOURCES.md there)
and returns either a long table (``LONG_COLUMNS``) or a small classification table. Only reshaping,
renaming and symbol handling happen here; no number is changed. Used by ``bolyst.stats.snapshots``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

LONG_COLUMNS = ["number", "year", "indicator", "value", "symbol", "flag"]


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, encoding="utf-8")


#: Official SSB names (KLASS 131) whose Sámi letters the collected copies lost ('?' for š and ŋ: the
#: upstream CSVs were written in an 8-bit code page). Kárášjohka is spelled so in Kartverket's UTF-8
#: snapshot (kartverket_2020); Evenášši and Porsáŋgu as in SSB KLASS 131 (see SOURCES.yaml, name_corrections).
NAME_CORRECTIONS = {
    "Evenes - Evená??i": "Evenes - Evenášši",
    "Kárá?johka - Karasjok": "Kárášjohka - Karasjok",
    "Porsanger - Porsá?gu - Porsanki": "Porsanger - Porsáŋgu - Porsanki",
    "Porsanger - Porsángu - Porsanki": "Porsanger - Porsáŋgu - Porsanki",  # ŋ folded to n in the 2024 list
}
LOST_LETTERS = ("?", "\ufffd")


def clean_name(name: str, where: str) -> str:
    """A municipality name with lost letters restored; any other '?' or U+FFFD is an error naming the row."""
    name = NAME_CORRECTIONS.get(name, name)
    if any(c in name for c in LOST_LETTERS):
        raise ValueError(f"{where}: name {name!r} has lost letters ('?' or U+FFFD); add its official spelling "
                         "to NAME_CORRECTIONS in stats/derive.py with its source")
    return name


def _clean_names(df: pd.DataFrame, column: str, file: str) -> pd.DataFrame:
    df = df.copy()
    df[column] = [clean_name(n, f"{file}, row {i + 2}") for i, n in enumerate(df[column])]
    return df


def _long(df: pd.DataFrame, *, number: str = "kommunenummer", year: str = "aar", indicator: pd.Series | str,
          value: str = "verdi", symbol: pd.Series | str = "", flag: pd.Series | str = "") -> pd.DataFrame:
    """Rows of ``df`` as long rows; rows without a number and with '.' (not applicable) are dropped."""
    out = pd.DataFrame({
        "number": df[number].astype(str), "year": df[year].astype(int), "indicator": indicator,
        "value": pd.to_numeric(df[value].replace("", None), errors="raise"), "symbol": symbol, "flag": flag,
    }, index=df.index)
    out = out[out["indicator"].notna() & (out["indicator"] != "")]
    return out[out["value"].notna() | ~out["symbol"].isin(["", "."])]


def _mapped(df: pd.DataFrame, column: str, mapping: dict[str, str]) -> pd.Series:
    return df[column].map(mapping)


def derive_population_07459(folder: Path) -> pd.DataFrame:
    df = _read(folder, "befolkning_1jan_1986_2026_kommuner2024.csv")
    no_series = df["merknad"] != ""
    years = df["aar"].astype(int)
    unallocated = (df["kommunenummer"] == "1508") & years.between(2020, 2023)
    flag = no_series.map({True: "no_series", False: ""}).where(~unallocated, "split_unallocated")
    return _long(df, indicator="population", value="folkemengde_1jan",
                 symbol=no_series.map({True: "no_series", False: ""}), flag=flag)


def derive_population_changes_06913(folder: Path) -> pd.DataFrame:
    df = _read(folder, "befolkningsendringer_06913_1980_2025_kommuner.csv")
    names = {"folkemengde_1jan": "population_06913", "fodselsoverskudd": "natural_increase",
             "nettoinnflytting_inkl_inn_og_utvandring": "net_migration"}
    return _long(df, number="ssb_regionkode", indicator=_mapped(df, "statistikkvariabel", names),
                 symbol=df["flagg"])


def derive_immigrants_1986_2015(folder: Path) -> pd.DataFrame:
    df = _read(folder, "innvandrere_befolkning_hovedgruppe_1986_2015.csv")
    df = df[df["kjonn"] == "alle"]
    names = {"hele_befolkningen": "population_total_imm", "innvandrere": "immigrants",
             "norskfodte_med_innvandrerforeldre": "norwegian_born_to_immigrants"}
    return _long(df, indicator=_mapped(df, "innvandringskategori", names), value="personer")


def derive_immigrants_reason_2006_2021(folder: Path) -> pd.DataFrame:
    df = _read(folder, "innvandrere_innvandringsgrunn_2006_2021.csv")
    df = df[(df["kjonn"] == "Alle") & (df["enhet"] == "Personer")]
    names = {"Alle": "immigrants_reason_all", "Flyktninger og deres familieinnvandrede": "immigrants_reason_refugee",
             "Arbeidsinnvandrere": "immigrants_reason_work", "Familieinnvandrede": "immigrants_reason_family",
             "Utdanning (inkl. au pair) eller andre grunner": "immigrants_reason_education",
             "Uoppgitt": "immigrants_reason_unknown"}
    return _long(df, indicator=_mapped(df, "innvandringsgrunn", names), symbol=df["flagg"])


def derive_refugee_settlement_1995_2023(folder: Path) -> pd.DataFrame:
    df = _read(folder, "imdi_bosetting_anmodning_vedtak_bosatt_1995_2023.csv")
    df = df[df["enhet"] == "Personer"].copy()
    # IMDi's '.' means none (zero / not applicable): in 2014 and 2016–2020 the table has no explicit 0 at
    # all, and '.' stands where a municipality was asked to settle refugees but settled none. Read as 0
    # (flag dot_as_zero), except for settled refugees before 2012, a series that did not exist yet.
    no_series_yet = (df["bosetting"] == "Faktisk bosetting") & (df["aar"].astype(int) < 2012)
    dot = (df["flagg"] == ".") & (df["verdi"] == "") & ~no_series_yet
    df.loc[dot, "verdi"] = "0"
    df.loc[dot, "flagg"] = ""
    names = {"Anmodning om bosetting": "settlement_requested", "Opprinnelig anmodning": "settlement_requested_original",
             "Vedtak om bosetting": "settlement_decided", "Faktisk bosetting": "refugees_settled"}
    flag = (df["aar"] == "2023").map({True: "partial_year", False: ""})
    flag = pd.Series([";".join(x for x in (f, "dot_as_zero" if d else "") if x) for f, d in zip(flag, dot)],
                     index=df.index)
    return _long(df, indicator=_mapped(df, "bosetting", names), symbol=df["flagg"], flag=flag)


def derive_refugees_settled_2022_2024(folder: Path) -> pd.DataFrame:
    df = _read(folder, "imdi_bosatte_flyktninger_ukraina_ovrige_2022_2024.csv")
    columns = {"bosatte_flyktninger_ukraina": ("refugees_settled_ukraine", ["ukraina_prikket_merknad"]),
               "bosatte_flyktninger_ovrige": ("refugees_settled_other", ["ovrige_prikket_merknad"]),
               "bosatte_flyktninger_totalt": ("refugees_settled_total",
                                              ["ukraina_prikket_merknad", "ovrige_prikket_merknad"]),
               "bosatte_enslige_mindreaarige_ukraina": ("unaccompanied_minors_ukraine", ["ema_prikket_merknad"])}
    years = df["aar"].astype(int)
    haram = (df["kommunenummer"] == "1580") & (years < 2024)
    alesund = (df["kommunenummer"] == "1508") & (years < 2024)
    parts = []
    for column, (indicator, notes) in columns.items():
        noted = df[notes].ne("").any(axis=1)
        empty = df[column] == ""
        symbol = (noted & empty).map({True: ":", False: ""}).where(~haram, "no_series")
        flags = pd.DataFrame({
            "lower": (noted & ~empty).map({True: "incomplete", False: ""}),
            "split": haram.map({True: "no_series", False: ""}).where(~alesund, "split_unallocated"),
            "year": (years == 2024).map({True: "partial_year", False: ""}),
        })
        flag = flags.apply(lambda r: ";".join(x for x in r if x), axis=1)
        parts.append(_long(df, indicator=indicator, value=column, symbol=symbol, flag=flag))
    return pd.concat(parts)


def derive_refugees_secondary_2014_2022(folder: Path) -> pd.DataFrame:
    df = _read(folder, "imdi_flyktninger_sekundaerflytting_2014_2022.csv")
    # 10,240 rows carry numbers that lost their leading zero ('101' = 0101 Halden); restored here.
    df["kommunenummer"] = df["kommunenummer"].str.zfill(4)
    names = {("alle", "Alle"): "refugees_living", ("Bosatt her", "Alle"): "refugees_first_settlement",
             ("Flyttet hit", "Alle"): "refugees_moved_in", ("Uoppgitt", "Alle"): "refugees_first_settlement_unknown",
             ("Bosatt her", "0-4 år"): "refugees_first_settlement_0_4y", ("Flyttet hit", "0-4 år"): "refugees_moved_in_0_4y",
             ("Bosatt her", "5+ år"): "refugees_first_settlement_5y", ("Flyttet hit", "5+ år"): "refugees_moved_in_5y"}
    key = pd.Series(list(zip(df["sekundaerflytting"], df["botid_i_norge"])), index=df.index)
    return _long(df, indicator=key.map(names), symbol=df["flagg"])


def derive_imdikator_2013(folder: Path) -> pd.DataFrame:
    flows = _read(folder, "imdi_flytting_innvkat_2013.csv")
    flow_names = {("alle", "innflytting"): "in_migration_2013", ("alle", "utflytting"): "out_migration_2013",
                  ("alle", "innvandring"): "immigration_2013", ("alle", "utvandring"): "emigration_2013",
                  ("innvandrere", "innflytting"): "immigrants_in_migration_2013",
                  ("innvandrere", "utflytting"): "immigrants_out_migration_2013",
                  ("innvandrere", "nettoinnflytting"): "immigrants_net_migration_2013"}
    flows = flows[flows["vreg_3"] == "alle"]
    flow_key = pd.Series(list(zip(flows["innvkat_3"], flows["flytting"])), index=flows.index)
    employed = _read(folder, "imdi_sysselsatte_innvkat_2013.csv")
    emp_names = {("alle", "personer"): "employed_2013", ("innvandrere", "personer"): "employed_immigrants_2013",
                 ("alle", "prosent"): "employment_rate_2013", ("innvandrere", "prosent"): "employment_rate_immigrants_2013",
                 ("befolkningen_ellers", "prosent"): "employment_rate_rest_2013"}
    emp_key = pd.Series(list(zip(employed["innvkat_3"], employed["enhet"])), index=employed.index)
    unemployed = _read(folder, "imdi_arbeidsledige_innvkat_2013.csv")
    unemployed = unemployed[unemployed["vreg_3"] == "alle"]
    un_names = {("alle", "personer"): "unemployed_2013", ("innvandrere", "personer"): "unemployed_immigrants_2013",
                ("alle", "prosent"): "unemployment_rate_2013", ("innvandrere", "prosent"): "unemployment_rate_immigrants_2013"}
    un_key = pd.Series(list(zip(unemployed["innvkat_3"], unemployed["enhet"])), index=unemployed.index)
    return pd.concat([
        _long(flows, indicator=flow_key.map(flow_names), symbol=flows["flagg"]),
        _long(employed, indicator=emp_key.map(emp_names), symbol=employed["flagg"]),
        _long(unemployed, indicator=un_key.map(un_names), symbol=unemployed["flagg"]),
    ])


GRANT_NAMES = {
    "Totalt": "grants_total", "Integreringstilskudd for år 1": "grants_integration_year1",
    "Integreringstilskudd for år 2-5": "grants_integration_year2_5",
    "Tilskudd til bosetting av enslige mindreårige flyktninger": "grants_unaccompanied_minors",
    "Tilskudd til opplæring i norsk og samfunnskunnskap for voksne innvandrere": "grants_language_training",
    "Tilskudd til opplæring i norsk og samfunnskunnskap for asylsøkere i mottak": "grants_language_training_asylum",
    "Tilskudd til bosetting av personer med alvorlige funksjonshemminger og adferdsvansker": "grants_disabilities",
    "Tilskudd til kompetansekartlegging i mottak": "grants_competence_mapping",
    "Tilskudd til integreringspakke II og III (covid-19)": "grants_covid_integration",
    "Tilskuddsordningen for bosatte utover opprinnelig anmodning for 2023": "grants_above_request",
}


def derive_grants_imdi_2022_2023(folder: Path) -> pd.DataFrame:
    df = _read(folder, "imdi_tilskudd_2022_2024.csv")
    df = df[df["kommentar"] != "Ikke tilgjengelig"]
    symbol = (df["kommentar"] == "Anonymisert").map({True: ":", False: ""})
    return _long(df, indicator=_mapped(df, "tilskuddstype", GRANT_NAMES), value="belop", symbol=symbol)


def _wide_to_long(df: pd.DataFrame, spec: dict[str, tuple[str, int]]) -> pd.DataFrame:
    parts = []
    for column, (indicator, year) in spec.items():
        part = df.assign(aar=str(year))
        parts.append(_long(part, indicator=indicator, value=column))
    return pd.concat(parts)


def derive_income_2021_2024(folder: Path) -> pd.DataFrame:
    df = _read(folder, "inntekt_median_husholdning_2021_2024_kommuner2024.csv")
    return _wide_to_long(df, {"median_inntekt_etter_skatt_husholdning_2021": ("median_household_income", 2021),
                              "median_inntekt_etter_skatt_husholdning_2024": ("median_household_income", 2024),
                              "personer_25_44_aar_2021": ("persons_25_44", 2021)})


def derive_debt_2021(folder: Path) -> pd.DataFrame:
    df = _read(folder, "gjeld_2021_kommuner2024.csv")
    return _wide_to_long(df, {"gjeld_gjennomsnitt_kr": ("mean_debt", 2021),
                              "bruttoinntekt_gjennomsnitt_kr": ("mean_gross_income", 2021),
                              "gjeldsgrad": ("debt_ratio", 2021)})


def derive_jobs_13470_2017(folder: Path) -> pd.DataFrame:
    df = _read(folder, "sysselsatte_arbeidssted_13470_2017_kommuner2024.csv")
    names = {"sysselsatte_arbeidssted_alle_naeringer": "jobs",
             "sysselsatte_arbeidssted_akvakultur_sn03_2": "jobs_aquaculture"}
    no_series = (df["merknad"] != "").map({True: "no_series", False: ""})
    return _long(df, indicator=_mapped(df, "statistikkvariabel", names), symbol=no_series, flag=no_series)


def derive_centrality_2024(folder: Path) -> pd.DataFrame:
    df = _read(folder, "sentralitet_2024.csv")
    return _wide_to_long(df, {"sentralitetsklasse": ("centrality_class", 2024),
                              "sentralitetsindeks": ("centrality_index", 2024)})


def derive_kostra_2024(folder: Path) -> pd.DataFrame:
    df = _read(folder, "kostragrupper_2024.csv")
    df = df.assign(group=df["kostragruppe_kode"].str.removeprefix("EKG").astype(int).astype(str))
    return _wide_to_long(df, {"group": ("kostra_group", 2024)})


def derive_coordinates_2024(folder: Path) -> pd.DataFrame:
    df = _read(folder, "kommune_koordinater_gjennomsnitt_2024.csv")
    return _wide_to_long(df, {"lat_mean_y": ("lat", 2024), "lon_mean_x": ("lon", 2024)})


# ---------------------------------------------------------------- classification tables

def derive_jobs_private_2003_2016(folder: Path) -> pd.DataFrame:
    """Private-sector jobs by place of work on the 2017 structure (the barometer's job measure), as published."""
    df = _read(folder, "arbeidsplasser_naeringsliv_telemarksforsking_2003_2016_kommuner2017.csv")
    scope = set(df["jobs_scope"])
    if scope != {"naeringsliv_privat"}:
        raise ValueError(f"arbeidsplasser_naeringsliv_…csv: jobs_scope {sorted(scope)}, expected naeringsliv_privat")
    return df.rename(columns={"kommunenummer": "number", "kommune_navn": "name", "jobs_growth_pct_published":
                              "jobs_growth_pct", "folketall_1jan": "population", "kommunenummer_2024": "number_2024"}
                     )[["number", "name", "year", "jobs", "jobs_growth_pct", "population", "number_2024"]]


def derive_klass131_2024(folder: Path) -> pd.DataFrame:
    df = _clean_names(_read(folder, "kommuner_2024_klass131.csv"), "kommune_navn", "kommuner_2024_klass131.csv")
    return df.rename(columns={"kommunenummer": "number", "kommune_navn": "name", "fylkesnummer": "county",
                              "fylke_navn": "county_name"})


def derive_klass131_2013_2020(folder: Path) -> pd.DataFrame:
    df = _clean_names(_read(folder, "kommuner_klass131_2013_2017_2018_2019_2020.csv"), "kommune_navn",
                      "kommuner_klass131_2013_2017_2018_2019_2020.csv")
    return df.rename(columns={"aar": "year", "kommunenummer": "number", "kommune_navn": "name"})


def derive_crosswalk_ssb_1994_2024(folder: Path) -> pd.DataFrame:
    df = _read(folder, "kommunenummer_historisk_1994_til_2024_ssb.csv")
    return df.rename(columns={"kommunenummer_historisk": "number", "kommune_tekst_historisk": "label",
                              "kommunenummer_2024": "number_2024", "kommune_navn_2024": "name_2024",
                              "gruppekode_2024": "group"})


def derive_crosswalk_2013_2020(folder: Path) -> pd.DataFrame:
    df = _clean_names(_read(folder, "kommunenummer_overgang_til_2020_long.csv"), "kommunenavn_2020",
                      "kommunenummer_overgang_til_2020_long.csv")
    return df.rename(columns={"kommunenummer_historisk": "number", "kommunenummer_2020": "number_2020",
                              "kommunenavn_2020": "name_2020"})[["number", "number_2020", "name_2020"]]


def derive_kartverket_2020(folder: Path) -> pd.DataFrame:
    df = _read(folder, "kommune_punkt_kartverket_2020.csv")
    df = df.rename(columns={"kommunenummer": "number", "kommune_navn": "name", "kommune_navn_norsk": "name_norwegian",
                            "samisk_forvaltningsomrade": "sami_area"})
    return df[["number", "name", "name_norwegian", "sami_area"]]


def derive_kostra_groups_2024(folder: Path) -> pd.DataFrame:
    df = _read(folder, "kostragrupper_2024_beskrivelse.csv")
    return df.rename(columns={"kostragruppe": "label", "folkemengde_intervall": "population_band",
                              "bundne_kostnader": "bound_costs", "frie_disponible_inntekter": "free_income",
                              "antall_kommuner": "municipality_count"})


def derive_municipality_labels(folder: Path) -> pd.DataFrame:
    """Every (number, label) pair in the then-valid files, with the years it occurs (for names and validity)."""
    frames = [
        _read(folder, "befolkningsendringer_06913_1980_2025_kommuner.csv")
        .rename(columns={"ssb_regionkode": "number", "kommune_navn": "label"}).assign(origin="SSB 06913"),
        _read(folder, "innvandrere_befolkning_hovedgruppe_1986_2015.csv")
        .rename(columns={"kommunenummer": "number", "kommune_navn": "label"}).assign(origin="SSB innvandrere"),
    ]
    df = pd.concat([f[["number", "label", "aar", "origin"]] for f in frames])
    df["aar"] = df["aar"].astype(int)
    return df.groupby(["number", "label", "origin"])["aar"].agg(first_year="min", last_year="max").reset_index()


DERIVERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    name.removeprefix("derive_"): fn for name, fn in globals().items()
    if name.startswith("derive_") and callable(fn)
}
