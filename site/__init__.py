"""bolyst.site — the composition root: ``build`` assembles the database from the stages; the rooms use it.

``pages/`` (generated pages), ``serve/`` (Datasette), ``export/`` (evidence for reports), ``qda/`` (REFI-QDA
exchange) and ``cli/``, the outermost room, which imports the others and is imported by none.
"""
