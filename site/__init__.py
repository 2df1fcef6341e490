"""bolyst.site — the composition root: database assembly, CLI, Datasette configuration, pages, exports."""

from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = SITE_DIR / "templates"
STATIC_DIR = SITE_DIR / "static"
DEFAULT_DB = Path("bolyst.db")
