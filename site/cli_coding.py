"""CLI commands for the coding area, added to the ``bolyst`` group by ``register``."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this area's commands to ``group``."""
