"""Evidence exports for reports: Markdown, Word (.docx), CSV and JSON, from the database alone.

``filters`` (what to export) → ``query`` (select the evidence) → ``md`` / ``word`` / ``tabular`` (render it);
``evidence.export`` ties them together and ``route`` serves it at ``/-/bolyst/export.{md,docx,csv,json}``.
A new format: a module here with ``(Evidence) -> bytes``, a line in ``filters.FORMATS`` and in ``evidence.export``.
"""
