"""Load test of ``bolyst serve`` (part of ``make bench``): 10,000 requests from 32 clients on 127.0.0.1.

Bounded: a fixed number of requests, a deadline, and only the loopback address. The mix is the site's own:
generated pages, table pages, the search query with Norwegian words, a search at the length limit and one
past it (which must get its 400 at once). An error is any other status or a failed connection.
"""

from __future__ import annotations

import http.client
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from bolyst.site.serve.guard import MAX_SEARCH_CHARS, MAX_SEARCH_TERMS

from .measure import Figure

REQUESTS = 10_000
CLIENTS = 32
DEADLINE_S = 900


def _mix(db: str) -> list[tuple[str, int]]:
    words = ("flytte", "ensom", "barna skole", "jobb", "Nord-Norge", "vi har flyttet nok", "frivilligsentralen")
    longest = quote(" ".join(["flyttet"] * MAX_SEARCH_TERMS)[:MAX_SEARCH_CHARS])  # at both limits
    return [("/-/bolyst/", 200), ("/-/bolyst/sources/", 200), (f"/{db}/excerpts?_size=20", 200),
            (f"/{db}/codes.json", 200), (f"/{db}/search_quotes.json?q={longest}", 200),
            (f"/{db}/search_quotes.json?q={quote('flytte ' * 30)}", 400)] + [
        (f"/{db}/search_quotes.json?q={quote(w)}", 200) for w in words]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_listening(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _client(port: int, jobs: queue.Queue, latencies: list[tuple[str, float]], errors: list[str],
            stop: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < stop:
        try:
            path, expected = jobs.get_nowait()
        except queue.Empty:
            break
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != expected:
                errors.append(f"{response.status} {path}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies.append((path, (time.perf_counter() - started) * 1000))
    conn.close()


def bench_load(db: Path, runs: int = 1) -> list[Figure]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "bolyst.site.cli", "serve", "--db", str(db), "--no-rebuild",
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()  # "Serving … on http://127.0.0.1:PORT/"
        _wait_until_listening(port)
        mix = _mix(db.stem)
        jobs: queue.Queue = queue.Queue()
        for i in range(REQUESTS):
            jobs.put(mix[i % len(mix)])
        latencies: list[tuple[str, float]] = []
        errors: list[str] = []
        stop = time.monotonic() + DEADLINE_S
        threads = [threading.Thread(target=_client, args=(port, jobs, latencies, errors, stop)) for _ in range(CLIENTS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    done = len(latencies)
    times = [ms for _, ms in latencies]
    cuts = statistics.quantiles(times, n=100)
    slowest = sorted(((statistics.median(ms for p, ms in latencies if p == path), path.split("?")[0])
                      for path, _ in _mix(db.stem)), reverse=True)[:3]
    note = (f"{done:,} of {REQUESTS:,} requests from {CLIENTS} clients in {seconds:.0f} s ({done / seconds:.0f}/s), "
            f"{len(errors)} errors{' (' + '; '.join(errors[:3]) + ')' if errors else ''}; p50 {cuts[49]:.0f} ms, "
            f"p99 {cuts[98]:.0f} ms, max {max(times):.0f} ms; pages, tables and searches mixed; slowest medians: "
            + ", ".join(f"{path} {ms:.0f} ms" for ms, path in slowest))
    return [Figure(f"load: {CLIENTS} clients, p99 latency of {done:,} requests", cuts[98], min(times), max(times),
                   1, None, note)]
