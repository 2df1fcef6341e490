"""``python -m bolyst.site.cli`` runs the ``bolyst`` command (used where no console script is on PATH)."""

from .main import cli

if __name__ == "__main__":
    cli()
