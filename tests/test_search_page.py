"""Bolyst's own search page, the municipality finder and the 404 page, through Datasette's client."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from bolyst.site.serve.searchpage import MAX_QUERY, highlight

AMINA = "Jeg gråt hver dag i flere år etter at vi flyttet hit"


async def get(datasette, path: str, status: int = 200, **params) -> BeautifulSoup:
    response = await datasette.client.get(path, params=params)
    assert response.status_code == status, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


def total(page: BeautifulSoup) -> int:
    return int(re.match(r"[\d\u202f]+", page.select_one("#hits").get_text()).group().replace("\u202f", ""))


def facet(page: BeautifulSoup, legend: str) -> dict[str, int]:
    for fieldset in page.select("fieldset.facet"):
        if fieldset.legend.get_text().startswith(legend):
            return {li.a.get_text(" ", strip=True): int(li.select_one(".n").get_text().replace("\u202f", ""))
                    for li in fieldset.select("li")}
    return {}


async def test_inflected_form_is_found_and_marked(datasette):
    page = await get(datasette, "/-/bolyst/search/", q="flytte hit")
    cards = page.select("article.card")
    assert cards and total(page) >= len(cards)
    amina = [c for c in cards if " ".join(c.blockquote.get_text().split()) == AMINA]
    assert amina, [c.blockquote.get_text(strip=True)[:60] for c in cards]
    marked = [m.get_text() for m in amina[0].select("mark")]
    assert marked == ["flyttet", "hit"]  # «flytte» finds «flyttet» through its lemma, and says so
    assert amina[0].select_one(".card-source a")["href"].startswith("../source/fafo-2025-14/index.html#q-")


async def test_every_card_says_what_it_is_evidence_of(datasette):
    page = await get(datasette, "/-/bolyst/search/", q="trives")
    cards = page.select("article.card")
    coded = [c for c in cards if c.select("ul.codes li.code")]
    assert coded, "no coded quote among the matches for «trives»"
    for chip in coded[0].select("ul.codes li.code"):
        assert chip.a["href"].startswith("../code/") and chip.a.get_text(strip=True)
        assert chip["data-state"] in ("confirmed", "unreviewed") and chip["data-origin"]


async def test_filters_narrow_the_results_and_the_counts_follow(datasette):
    everything = await get(datasette, "/-/bolyst/search/", q="bolig")
    themes = facet(everything, "Tema")
    assert themes and max(themes.values()) <= total(everything)
    label, n = max(themes.items(), key=lambda kv: kv[1])
    theme = {"Push": "push", "Pull": "pull", "Stay": "stay", "Retain": "retain"}[label.split()[0]]
    narrowed = await get(datasette, "/-/bolyst/search/", q="bolig", theme=theme)
    assert total(narrowed) == n < total(everything)
    languages = facet(everything, "Språk")
    assert sum(languages.values()) == total(everything)  # every excerpt has one language
    nynorsk = await get(datasette, "/-/bolyst/search/", q="bolig", lang="nn")
    assert total(nynorsk) == languages.get("nynorsk", 0)
    assert all(c.blockquote["lang"] == "nn" for c in nynorsk.select("article.card"))


async def test_filter_without_words_lists_a_theme(datasette):
    page = await get(datasette, "/-/bolyst/search/", theme="retain", role="refugee")
    assert total(page) > 0
    assert all(any(a["href"].startswith("../code/retain") for a in c.select("ul.codes a"))
               for c in page.select("article.card"))


async def test_a_search_too_long_is_refused_with_a_message(datasette):
    """Refused before any SQL runs (serve/guard.py answers 400); the page's own check says the same in words."""
    page = await get(datasette, "/-/bolyst/search/", status=400, q="flytte " * (MAX_QUERY // 5))
    assert "For langt" in page.get_text() and page.select("article.card") == []
    from bolyst.site.serve.searchpage import Search

    search = Search.from_args({"q": "bo " * 13})
    assert search.problem and not search.active  # too many words: the page says so, runs nothing


async def test_same_search_in_datasette(datasette):
    page = await get(datasette, "/-/bolyst/search/", q="ensom*")
    link = [a["href"] for a in page.select("p.ranking a")]
    assert link == ["/bolyst/search_quotes?q=ensom%2A"]
    response = await datasette.client.get(link[0].replace("search_quotes?", "search_quotes.json?"))
    assert response.status_code == 200 and len(response.json()["rows"]) == total(page)


async def test_search_box_on_every_page(datasette):
    for path in ("/-/bolyst/", "/-/bolyst/code/push/", "/-/bolyst/municipality/3427/", "/-/bolyst/sources/"):
        page = await get(datasette, path)
        form = page.select_one("header.site form[role=search]")
        assert form is not None, path
        assert form["action"].endswith("search/index.html") and form.select_one("input[name=q]")


async def test_finder_knows_old_names(datasette):
    page = await get(datasette, "/-/bolyst/")
    options = {o["value"]: o for o in page.select("#finder-names option")}
    assert options["Tynset"]["data-href"] == "municipality/3427/index.html"
    assert options["Orkdal"]["data-href"] == "municipality/5059/index.html"  # merged into Orkland in 2020
    assert "Orkland" in options["Orkdal"]["label"]
    listing = await get(datasette, "/-/bolyst/municipalities/")
    counties = [s.get_text(" ", strip=True) for s in listing.select("details.county summary")]
    assert len(counties) >= 15 and any(c.startswith("Innlandet") for c in counties)
    assert sum(len(d.select("li")) for d in listing.select("details.county")) == 357


async def test_unknown_page_is_a_real_404(datasette):
    for path in ("/-/bolyst/no-such-page/", "/-/bolyst/municipality/9999/"):
        page = await get(datasette, path, status=404)
        assert page.select_one("main form[role=search] input[name=q]") is not None
        assert page.h1.get_text().startswith("Fant ikke siden")


def test_highlight_escapes_html_and_marks_prefixes() -> None:
    html = str(highlight("<b>Ensomheten</b> & ensom", "ensom*", "nb"))
    assert html == "&lt;b&gt;<mark>Ensomheten</mark>&lt;/b&gt; &amp; <mark>ensom</mark>"
