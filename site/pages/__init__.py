"""Generated pages: one per theme, code, municipality and source, from SQLite only.

Rendering runs the named queries in ``queries`` and jinja2 templates in ``templates/`` (charts as inline
SVG from ``charts``, the stylesheet in ``assets/``); it never imports ``bolyst.coding`` or ``bolyst.stats``,
so a published database is enough to rebuild every page. The same pages are written as a static site
(``static.build_site``) and served by Datasette under ``/-/bolyst/`` (``routes``, mounted by
``bolyst.site.serve.plugin``).
"""

from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
