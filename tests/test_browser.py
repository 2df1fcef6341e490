"""The served site in headless Chromium (Debian's package, driven by Playwright): search, pages, charts, a download.

Datasette runs as ``bolyst serve`` configures it, on a free loopback port in a background thread.
Screenshots go to test-artifacts/ (gitignored). ``make test`` installs Chromium when it is missing.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: run `make test` (installs Debian's "
                                                     "chromium) or apt-get install chromium chromium-driver"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (test extra)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(built_db_path: Path) -> Iterator[str]:
    """Base URL of Datasette serving the shipped knowledge base."""
    import asyncio

    import uvicorn
    from bolyst.site.serve.server import make_datasette

    ds = make_datasette(built_db_path)
    asyncio.run(ds.invoke_startup())
    port = free_port()
    config = uvicorn.Config(ds.app(), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(base + "/-/versions.json", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield base
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, request):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def open_ok(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} → {response and response.status}"


def charts_render(page) -> int:
    """Number of chart SVGs on the page, each asserted to have a non-zero drawn size."""
    charts = page.locator("svg")
    count = charts.count()
    for i in range(count):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, f"svg #{i} has no size"
    return count


def test_search_quotes_finds_inflected_forms(page, server, built_db):
    open_ok(page, server + "/bolyst/search_quotes")
    page.fill("input[name=q]", "flytte")
    page.locator("form input[type=submit]").first.click()
    page.wait_for_load_state()
    rows = page.locator("table.rows-and-columns tbody tr")
    expected = built_db.execute("select count(*) from excerpts_fts where excerpts_fts match "
                                "'\"flytte\" OR lemmas:\"flytte\"'").fetchone()[0]
    assert rows.count() == min(expected, 200) and expected > 0
    assert "flytt" in rows.first.inner_text().lower()


def test_home_page_loads(page, server):
    open_ok(page, server + "/-/bolyst/")
    assert page.locator("h1").count() >= 1


def test_theme_page_renders_quotes_and_charts(page, server, built_db):
    assert built_db["codings"].count, "the shipped knowledge base has codings"
    open_ok(page, server + "/-/bolyst/code/push/")
    assert "push" in page.content().lower()
    assert charts_render(page) >= 1


def test_municipality_page_renders_charts(page, server, built_db):
    row = built_db.execute("select municipality from excerpt_places where link_type = 'exact' order by 1 limit 1"
                           ).fetchone()
    assert row is not None, "the shipped corpus names municipalities (Vestvågøy, Tynset, Haram)"
    open_ok(page, server + f"/-/bolyst/municipality/{row[0]}/")
    assert charts_render(page) >= 1


def test_export_download_opens_in_word_and_csv(page, server, tmp_path):
    import csv

    from docx import Document

    open_ok(page, server + "/-/bolyst/code/stay/")
    link = page.locator("a[href*='/-/bolyst/export.docx']")
    with page.expect_download() as info:
        if link.count():
            link.first.click()
        else:  # until the pages link to it: the same URL a page link would use
            page.evaluate("url => { const a = document.createElement('a'); a.href = url; document.body.append(a); "
                          "a.click(); }", "/-/bolyst/export.docx?theme=stay")
    download = info.value
    assert download.suggested_filename.startswith("bolyst-evidence-") and download.suggested_filename.endswith(".docx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert Document(str(path)).paragraphs[0].text == "Bolyst-belegg"  # Norwegian by default
    with page.expect_download() as info:
        page.evaluate("url => { const a = document.createElement('a'); a.href = url; document.body.append(a); "
                      "a.click(); }", "/-/bolyst/export.csv?theme=stay&role=refugee")
    info.value.save_as(tmp_path / "x.csv")
    rows = list(csv.DictReader((tmp_path / "x.csv").open(encoding="utf-8-sig")))
    assert rows and all(r["role"] == "refugee" and r["citation"] for r in rows)


def test_finder_types_ahead_to_a_municipality_and_an_old_name(page, server):
    open_ok(page, server + "/-/bolyst/")
    finder = page.locator("#finder-name")
    finder.fill("Tynset")
    finder.press("Enter")
    page.wait_for_url("**/municipality/3427/**")
    assert "Tynset" in page.locator("h1").inner_text()
    open_ok(page, server + "/-/bolyst/municipalities/")
    page.locator("#finder-name").fill("Orkdal")  # merged into Orkland in 2020
    page.locator("form.finder button").click()
    page.wait_for_url("**/municipality/5059/**")
    assert "Orkland" in page.locator("h1").inner_text()


def test_search_by_keyboard_only(page, server):
    """Header box → results → a theme filter → its code page, with Tab and Enter alone."""
    open_ok(page, server + "/-/bolyst/sources/")
    page.keyboard.press("Tab")  # the skip link first
    for _ in range(12):
        if page.evaluate("document.activeElement.id") == "quick-q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-q"
    page.keyboard.type("bolig")
    page.keyboard.press("Enter")
    page.wait_for_selector("#hits")
    before = page.locator("#hits").inner_text()
    page.locator("fieldset.facet a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("fieldset.facet a.chosen")
    assert page.locator("#hits").inner_text() != before
    assert page.locator("article.card mark").count() > 0


AXE = "axe_playwright_python/axe.min.js"
AXE_PAGES = ("/-/bolyst/", "/-/bolyst/themes/", "/-/bolyst/code/retain/", "/-/bolyst/municipalities/",
             "/-/bolyst/municipality/3427/", "/-/bolyst/municipality/3427/compare/", "/-/bolyst/sources/",
             "/-/bolyst/source/nibr-derfor-blir-vi-her/", "/-/bolyst/reliability/", "/-/bolyst/search/?q=bolig",
             "/-/bolyst/methods/barometer/", "/-/bolyst/methods/refugee_secondary_in/", "/-/bolyst/en/municipality/3427/", "/-/bolyst/en/search/?q=housing",
             "/-/bolyst/no-such-page/")


def axe_script() -> Path:
    axe = pytest.importorskip("axe_playwright_python", reason="pip install axe-playwright-python (test extra)")
    return Path(axe.__file__).parent / "axe.min.js"


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_accessibility_violations(page, server, path):
    """axe-core (Deque's rules, WCAG 2.x A and AA) finds no serious or critical violation."""
    response = page.goto(server + path)
    assert response is not None and response.status == (404 if "no-such" in path else 200)
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
                              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    serious = [(v["id"], v["help"], len(v["nodes"]), v["nodes"][0]["target"]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


OVERLAPS = """() => Array.from(document.querySelectorAll('svg.chart')).flatMap((svg, i) => {
  const box = svg.getBoundingClientRect();
  const texts = Array.from(svg.querySelectorAll('text')).map(t => [t.textContent, t.getBoundingClientRect()]);
  const out = [];
  texts.forEach(([a, r], j) => {
    if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`chart ${i}: «${a}» sticks out of the chart`);
    texts.slice(j + 1).forEach(([b, s]) => {
      const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      if (w > 1 && h > 1) out.push(`chart ${i}: «${a}» overlaps «${b}»`);
    });
  });
  return out;
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_chart_labels_do_not_overlap(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    try:
        problems = []
        for path in ("/-/bolyst/", "/-/bolyst/code/stay/", "/-/bolyst/code/push.housing/",
                     "/-/bolyst/municipality/3427/", "/-/bolyst/municipality/0301/", "/-/bolyst/municipality/1860/"):
            response = tab.goto(server + path)
            assert response is not None and response.status == 200, path
            assert tab.locator("svg.chart").count() > 0, path
            problems += [f"{path} {p}" for p in tab.evaluate(OVERLAPS)]
        assert problems == []
    finally:
        context.close()


def test_overlap_check_sees_an_overlap(page):
    """The check above is not blind: two labels drawn on top of each other are reported."""
    page.set_content('<svg class="chart" viewBox="0 0 200 50" width="200"><text x="10" y="20">Landsmedian</text>'
                     '<text x="14" y="22">Tynset</text></svg>')
    assert page.evaluate(OVERLAPS) == ["chart 0: «Landsmedian» overlaps «Tynset»"]
