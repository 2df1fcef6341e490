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
    assert chart.head == ("År / year", "Oslo", "Landsmedian", "Bergen")
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
    assert "Ingen data / no data" in str(chart.svg) and chart.rows == ()
