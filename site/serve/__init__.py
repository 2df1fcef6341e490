"""Serving the database with Datasette: the plugin (SQL functions, the pages' and exports' routes), the
metadata (site/serve/metadata.yaml merged with every stage's descriptions), full-text search and ``serve``.
"""
