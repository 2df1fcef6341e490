"""``python -m bolyst.site.cli_main`` runs the ``bolyst`` command (used where no console script is on PATH)."""

from .cli import cli

if __name__ == "__main__":
    cli()
