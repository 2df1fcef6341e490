"""Progress of long commands: a tqdm bar on a terminal (items done, rate, time left); one summary line otherwise.

``Progress`` is what the library functions' ``progress`` hooks call (``progress(n)``: n more items done).
"""

from __future__ import annotations

import sys
import time

import click
from tqdm import tqdm


class Progress:
    """``with Progress("koding / coding", total=n) as step: … step(k) …``"""

    def __init__(self, label: str, total: int | None = None, unit: str = "excerpts") -> None:
        self.label, self.total, self.unit, self.done = label, total, unit, 0
        self.started = time.perf_counter()
        self.bar = (tqdm(total=total, desc=label, unit=f" {unit}", file=sys.stderr, leave=False, dynamic_ncols=True)
                    if sys.stderr.isatty() else None)

    def __call__(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)

    def write(self, line: str, err: bool = False) -> None:
        """A line of output that does not tear the bar (tqdm clears and redraws it around the line)."""
        if self.bar is not None:
            self.bar.clear()
        click.echo(line, err=err)
        if self.bar is not None:
            self.bar.refresh()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.done and exc[0] is None:
            seconds = time.perf_counter() - self.started
            click.echo(f"  {self.label}: {self.done:,} {self.unit} in {seconds:.1f}s "
                       f"({self.done / max(seconds, 1e-9):,.0f}/s)", err=True)
