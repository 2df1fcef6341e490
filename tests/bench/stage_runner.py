"""One full build in its own process, for the scale benchmark: prints one JSON line per stage (seconds, peak RSS).

``python -m tests.bench.stage_runner PROJECT DB [--full] [--jobs N]`` — run by :mod:`tests.bench.scale`, so each build's peak
memory is its own (``ru_maxrss`` of this process), not the benchmark's.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    from bolyst.corpus.project import open_project
    from bolyst.site.build import build

    project_dir, db = Path(argv[0]), Path(argv[1])
    incremental = "--full" not in argv
    jobs = int(argv[argv.index("--jobs") + 1]) if "--jobs" in argv else 1
    started, cpu = time.perf_counter(), [cpu_s()]

    def progress(report) -> None:
        now = cpu_s()
        print(json.dumps({"stage": report.name, "seconds": report.seconds, "cpu_s": now - cpu[0], "rss_mb": rss_mb(),
                          "counts": report.counts}), flush=True)
        cpu[0] = now

    build(db, open_project(project_dir, db), progress=progress, incremental=incremental, jobs=jobs)
    print(json.dumps({"stage": "total", "seconds": time.perf_counter() - started, "cpu_s": cpu_s(), "rss_mb": rss_mb()}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
