"""Generated pages: one per theme, code, municipality and source, from SQLite only.

Rendering runs the named queries in ``queries`` and jinja2 templates in ``site/templates/pages``; it never
imports ``bolyst.coding`` or ``bolyst.stats``, so a published database is enough to rebuild every page.
The same pages are written as a static site (``static.build_site``) and served by Datasette under
``/-/bolyst/`` (``bolyst.site.datasette_plugin``).
"""
