"""site/pages/charts.py: inline SVG with title, desc and the same numbers as a table."""

from __future__ import annotations

from bs4 import BeautifulSoup

from bolyst.site.pages.charts import Bar, Series, bar_chart, line_chart


def test_line_chart_table_has_every_year_and_series() -> None:
    chart = line_chart("Folketall <Oslo>", "desc & more", [
        Series("Oslo", ((2020, 1000.0), (2021, 1100.5), (2022, None)), "subject"),
        Series("Landsmedian", ((2021, 50.0),), "median"),
        Series("Bergen", ((2020, 900.0), (2022, 950.0)), "peer"),
    ], unit="persons")
    assert chart.head == ("År", "Oslo", "Landsmedian", "Bergen")
    assert chart.rows == (("2020", "1\u202f000", "–", "900"), ("2021", "1\u202f100", "50", "–"),
                          ("2022", "–", "–", "950"))
    svg = BeautifulSoup(str(chart.svg), "html.parser").svg
    assert svg.title.get_text() == "Folketall <Oslo>" and svg.desc.get_text() == "desc & more"
    assert svg["aria-labelledby"] == f"{svg.title['id']} {svg.desc['id']}"
    assert [p["class"] for p in svg.select("polyline")] == [["line", "peer"], ["line", "median"], ["line", "subject"]]
    assert "<Oslo>" not in str(chart.svg)


def test_same_chart_same_bytes() -> None:
    def make():
        return line_chart("t", "d", [Series("a", ((2020, 1.0), (2021, 2.0)))]).svg
    assert make() == make()


def test_bar_chart_negative_values_start_at_zero() -> None:
    chart = bar_chart("Netto", "d", [Bar("A", 40.0), Bar("B", -13.0), Bar("C", None)], percent=False)
    svg = BeautifulSoup(str(chart.svg), "html.parser").svg
    a, b = svg.select("rect.bar")
    assert float(b["x"]) + float(b["width"]) == float(a["x"])  # B ends where A starts: the zero line
    assert svg.select_one("line.axis")["x1"] == a["x"]
    assert chart.rows == (("A", "40", ""), ("B", "\u221213", ""), ("C", "–", ""))


def test_empty_line_chart_says_no_data() -> None:
    chart = line_chart("t", "d", [Series("a", ())])
    assert "Ingen data" in str(chart.svg) and chart.rows == ()
    assert "No data" in str(line_chart("t", "d", [Series("a", ())], lang="en").svg)


def test_axis_ticks_are_round_numbers_covering_the_data() -> None:
    from bolyst.site.pages.charts import nice_ticks

    assert nice_ticks(0, 7.3) == [0, 2, 4, 6, 8]
    assert nice_ticks(12.2, 13.7) == [12, 12.5, 13, 13.5, 14]
    assert nice_ticks(-3.4, 8.1) == [-5, 0, 5, 10]
    assert nice_ticks(0.031, 0.044) == [0.03, 0.035, 0.04, 0.045]
    chart = line_chart("t", "d", [Series("a", ((2020, 0.031), (2021, 0.044)))])
    ticks = [t.get_text() for t in BeautifulSoup(str(chart.svg), "html.parser").select("text.tick")][:4]
    assert ticks == ["0,030", "0,035", "0,040", "0,045"]  # as many decimals as the step needs, no more


def test_share_of_a_tiny_group_is_a_count_not_a_bar() -> None:
    chart = bar_chart("Andel", "d", [Bar("stor", 0.5, "10 av 20", n=20), Bar("liten", 1.0, "3 av 3", n=3)])
    svg = BeautifulSoup(str(chart.svg), "html.parser").svg
    assert len(svg.select("rect.bar")) == 1  # no 100 % bar for n = 3
    assert svg.select("text.val")[1].get_text() == "3 av 3 (n < 5)"
    assert chart.rows[1] == ("liten", "–", "3 av 3")


def test_line_names_never_overlap() -> None:
    chart = line_chart("t", "d", [Series("Tynset", ((2020, 10.0), (2021, 10.0)), "subject"),
                                  Series("Landsmedian", ((2020, 10.1), (2021, 10.1)), "median")])
    ys = sorted(float(t["y"]) for t in BeautifulSoup(str(chart.svg), "html.parser").select("text.key"))
    assert len(ys) == 2 and ys[1] - ys[0] >= 14
