"""Tables of the stats stage (declared as data; see bolyst.corpus.shape)."""

from __future__ import annotations

from bolyst.corpus.shape import Table, View

TABLES: tuple[Table, ...] = ()
VIEWS: tuple[View, ...] = ()
#: Datasette canned queries of this stage: name -> {title, description, sql, ...}
QUERIES: dict[str, dict] = {}
