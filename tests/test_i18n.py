"""One language at a time: every message the pages use has its English, and each page exists in both."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bolyst.site.pages import TEMPLATES_DIR
from bolyst.site.pages.i18n import catalogue, translate
from bolyst.site.pages.render import environment

PAGES_DIR = TEMPLATES_DIR.parent


def used_messages() -> dict[str, str]:
    """Every message the pages use → where (template or module)."""
    env = environment("nb")
    found: dict[str, str] = {}
    for template in sorted(TEMPLATES_DIR.glob("*.html")):
        for _, _, message in env.extract_translations(template.read_text(encoding="utf-8")):
            for text in (message if isinstance(message, tuple) else (message,)):
                if text:
                    found.setdefault(text, template.name)
    for module in [m for room in ("pages", "serve", "export") for m in sorted((PAGES_DIR.parent / room).glob("*.py"))]:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and ((isinstance(node.func, ast.Attribute) and node.func.attr == "t")
                         or (isinstance(node.func, ast.Name) and node.func.id == "N_"))):
                found.setdefault(node.args[0].value, module.name)
    return found


def test_every_message_has_its_english_and_none_is_unused() -> None:
    used, english = used_messages(), catalogue("en")
    missing = sorted(f"{where}: {message}" for message, where in used.items() if message not in english)
    unused = sorted(set(english) - set(used))
    assert missing == [] and unused == []


def test_translate_fills_in_values_and_falls_back_to_norwegian() -> None:
    english = catalogue("en")
    assert all(v.strip() for v in english.values())
    assert translate("nb", "Ukjent melding %(n)s", n=3) == "Ukjent melding 3"
    with pytest.raises(ValueError, match="no language 'xx'"):
        catalogue("xx")


def test_templates_and_page_code_have_no_bilingual_leftovers() -> None:
    """No «Norsk <span class="en">English</span>» pairs: each page shows one language."""
    leftovers = [f"{p.name}:{n}" for p in sorted(TEMPLATES_DIR.glob("*.html"))
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if 'class="en"' in line or "m.bi(" in line]
    assert leftovers == []


def test_english_pages_say_english(site: Path) -> None:
    from bs4 import BeautifulSoup

    for path in ("index.html", "code/push/index.html", "municipality/3427/index.html", "reliability/index.html",
                 "methods/barometer/index.html", "source/nibr-derfor-blir-vi-her/index.html"):
        nb = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        en = BeautifulSoup((site / "en" / path).read_text(encoding="utf-8"), "html.parser")
        assert nb.html["lang"] == "nb" and en.html["lang"] == "en"
        nb_heads = [h.get_text(" ", strip=True) for h in nb.select("main h2")]
        en_heads = [h.get_text(" ", strip=True) for h in en.select("main h2")]
        assert len(nb_heads) == len(en_heads) and nb_heads
        assert all(a != b for a, b in zip(nb_heads, en_heads)), list(zip(nb_heads, en_heads))
        assert en.select_one("a.lang-switch")["href"].endswith(path)


def test_a_percent_sign_in_a_message_is_doubled() -> None:
    """jinja's newstyle gettext always %-formats: a lone % in a message breaks the page in either language."""
    import re as _re

    lone = _re.compile(r"(?<!%)%(?![%(])")
    in_templates = [m for m, where in used_messages().items() if where.endswith(".html")]
    assert [m for m in in_templates if lone.search(m)] == []
    assert [catalogue("en")[m] for m in in_templates if lone.search(catalogue("en").get(m, ""))] == []
