"""The search page of the static site: the form only; searching runs where Datasette serves the pages
(``bolyst.site.serve.searchpage`` answers ``/-/bolyst/search/`` with results, filters and counts)."""

from __future__ import annotations

from typing import Any

from .links import MOUNT, Links
from .store import Store

#: The longest search a form accepts; the server (serve/guard.py) refuses longer ones with this bound.
MAX_QUERY = 200


def served_search(link: Links) -> str:
    """Where the search box sends a search: the served search page of the Datasette the site links to."""
    return f"{link.datasette}{MOUNT}search/"


def search_form(store: Store, key: Any, link: Links) -> dict[str, Any]:
    themes = store.run("themes_for_search")
    return {
        "nav": "search",
        "search": {"q": "", "filters": {}, "active": False, "problem": None, "page": 1}, "problem": None,
        "results": [], "total": None, "facets": {}, "page_size": 0, "max_page": 0, "max_query": MAX_QUERY,
        "options": {"theme": list(themes.rows)}, "search_action": served_search(link),
        "datasette_url": link.canned("search_quotes"),
    }
