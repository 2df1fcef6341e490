"""The ``bolyst`` command, the outermost room: it calls the stages and the other rooms; nothing imports it.

``main`` holds the group (``bolyst.site.cli.main:cli``, the console script) and the build, serve, import
and metadata commands; each area adds its commands with ``register(group)``: ``coding``, ``stats``,
``pages``, ``export``. Options they share are in ``options``.
"""
