"""``make bench``: timings of the build, searches and pages (``python -m tests.bench.run``); not run by pytest."""
