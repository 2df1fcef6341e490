"""The scale benchmark: a SYNTHETIC corpus of N excerpts (tests/bench/synthetic.py) built, imported, coded, served.

For each size: a project of N synthetic excerpts (plus the shipped corpus, as any project has), then
* the full build in its own process: time and peak RSS per stage;
* ``bolyst import`` of the same N excerpts as one large CSV into an empty project;
* coder throughput beside a blank spaCy tokenizer on the same texts (one process, and ``--jobs 2``);
* the generated pages and an FTS search through Datasette (16 concurrent clients: p95).
Every figure is a :class:`Size` row; :mod:`tests.bench.scale_report` writes the table, ratios and plot.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .synthetic import generate, learn

PAGES = ("", "themes/", "code/push/", "code/retain.volunteers/", "municipalities/", "municipality/0301/", "sources/")
SEARCHES = ("flytte", "jobb", "barna skole", "ensom", "Nord-Norge", "vi har flyttet nok", "kommune", "bolig")


@dataclass
class Size:
    excerpts: int
    stages: dict[str, float] = field(default_factory=dict)  # stage -> seconds ("total" too)
    cpu_s: dict[str, float] = field(default_factory=dict)  # stage -> CPU seconds of the build process
    rebuild: dict[str, float] = field(default_factory=dict)  # incremental rebuild after one changed file
    rebuild_identical: bool | None = None
    rss_mb: dict[str, float] = field(default_factory=dict)  # stage -> peak RSS so far
    db_mb: float = 0.0
    import_s: float | None = None
    import_note: str = ""
    tokenizer_per_s: float = 0.0
    coder_per_s: float = 0.0
    coder_jobs_per_s: float = 0.0
    pages_ms: dict[str, float] = field(default_factory=dict)  # page -> median ms
    search_p95_ms: float = 0.0
    search_errors: int = 0
    texts: int = 0
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)  # the machine's load average when this size was done


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def stage_runner(project: Path, db: Path, *flags: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "tests.bench.stage_runner", str(project), str(db), *flags],
                         check=True, capture_output=True, text=True, env=child_env())
    return [json.loads(line) for line in out.stdout.splitlines()]


def run_build(project: Path, size: Size) -> Path:
    from bolyst.corpus.project import init_project

    init_project(project)
    db = project / "bolyst.db"
    for row in stage_runner(project, db):  # a first build: nothing cached, every excerpt coded
        size.stages[row["stage"]] = row["seconds"]
        size.rss_mb[row["stage"]] = row["rss_mb"]
        size.cpu_s[row["stage"]] = row["cpu_s"]
    size.db_mb = db.stat().st_size / 1e6
    return db


def run_rebuild(project: Path, db: Path, size: Size) -> None:
    """One excerpt changed, then the default (incremental) build, and a full build to compare with."""
    from tests.test_build import differences

    from .synthetic import change_one_excerpt

    change_one_excerpt(project)
    size.rebuild = {row["stage"]: row["seconds"] for row in stage_runner(project, db)}
    full = db.with_name("full.db")
    stage_runner(project, full, "--full")
    size.rebuild_identical = not differences(db, full)


def run_import(csv_file: Path, project: Path, size: Size, timeout: float) -> None:
    from bolyst.corpus.project import init_project

    init_project(project)
    command = [sys.executable, "-m", "bolyst.site.cli", "import", "--project", str(project), str(csv_file)]
    started = time.perf_counter()
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=timeout, env=child_env())
        size.import_s = time.perf_counter() - started
    except subprocess.TimeoutExpired:
        size.import_note = f"stopped after {timeout:.0f} s"
    except subprocess.CalledProcessError as exc:
        size.import_note = "failed: " + (exc.stderr or b"").decode()[-200:].strip().replace("\n", " ")


def run_coder(db: Path, size: Size) -> None:
    import spacy
    import sqlite_utils
    from bolyst.coding import CODING_DIR
    from bolyst.coding.build import cached_nlp
    from bolyst.coding.codebook import load_codebook
    from bolyst.coding.coder import Text, code

    texts = [Text(r["id"], r["text"], r["lang"]) for r in sqlite_utils.Database(db).query(
        "select id, text, lang from excerpts where lang in ('nb', 'nn', 'en') order by id")]
    size.texts = len(texts)
    blank = {"nb": spacy.blank("nb"), "en": spacy.blank("en")}
    nlp = cached_nlp(load_codebook(CODING_DIR / "codebook.yaml"))

    def tokenize() -> None:
        for t in texts:
            blank["en" if t.lang == "en" else "nb"](t.text)

    def rules() -> None:
        list(code(nlp, texts))

    # side by side, warm (both keep caches of words met), alternating, best of three: the machine is shared
    tok, coder = [], []
    for i in range(4):
        for fn, times in ((tokenize, tok), (rules, coder)):
            started = time.perf_counter()
            fn()
            if i:
                times.append(time.perf_counter() - started)
    size.tokenizer_per_s = len(texts) / min(tok)
    size.coder_per_s = len(texts) / min(coder)
    started = time.perf_counter()
    list(code(nlp, texts, jobs=2))
    size.coder_jobs_per_s = len(texts) / (time.perf_counter() - started)


def run_pages(db: Path, size: Size, runs: int) -> None:
    from bolyst.site.serve.server import make_datasette

    ds = make_datasette(db)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(ds.invoke_startup())
    for page in PAGES:
        times = []
        for i in range(runs + 1):
            started = time.perf_counter()
            response = loop.run_until_complete(ds.client.get("/-/bolyst/" + page))
            if i:
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                times = [float("nan")]
                break
        size.pages_ms[page or "home"] = statistics.median(times)

    loop.run_until_complete(search_round(ds, db))  # warm
    times, errors = loop.run_until_complete(search_round(ds, db))
    times.sort()
    size.search_p95_ms = times[int(0.95 * (len(times) - 1))]
    size.search_errors = len(errors)
    loop.close()


async def search_round(ds, db: Path, clients: int = 16, each: int = 4) -> tuple[list[float], list[int]]:
    """``clients`` concurrent clients, each searching ``each`` times through search_quotes.json: every search's
    wall ms, and the status of each that failed."""
    times: list[float] = []
    errors: list[int] = []

    async def client(term: str) -> None:
        for _ in range(each):
            started = time.perf_counter()
            response = await ds.client.get(f"/{db.stem}/search_quotes.json", params={"q": term})
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                errors.append(response.status_code)

    await asyncio.gather(*(client(SEARCHES[i % len(SEARCHES)]) for i in range(clients)))
    return times, errors


def bench_size(n: int, workdir: Path, runs: int, import_timeout: float, log=print) -> Size:
    size = Size(n)
    chains = learn()
    project = workdir / f"synthetic-{n}"
    log(f"  {n:,} synthetic excerpts: generating …")
    generate(project, n, chains=chains)
    log(f"  {n:,}: full build …")
    db = run_build(project, size)
    log(f"  {n:,}: incremental rebuild after one changed file, and a full build to compare …")
    run_rebuild(project, db, size)
    log(f"  {n:,}: import of one CSV …")
    run_import(project / "synthetic-excerpts.csv", workdir / f"synthetic-{n}-import", size, import_timeout)
    log(f"  {n:,}: coder …")
    run_coder(db, size)
    log(f"  {n:,}: pages and search …")
    run_pages(db, size, runs)
    size.load = os.getloadavg()
    return size


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
