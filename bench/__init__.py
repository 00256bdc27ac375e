"""Benchmark harness: generated order exports, three pipelines timed on the same file.

- :mod:`bench.generate` writes a seeded, generic orders CSV (and a small ad-spend CSV)
  chunk by chunk, so that 10 million rows never sit in memory at once;
- :mod:`bench.steps` holds the measured steps, each run in a fresh process;
- :mod:`bench.run` runs them, takes medians and writes the report
  (``python -m bench.run --sizes 100k,1M,10M --repeats 3 --out docs/performance.md``).

Nothing here runs inside the regular test suite (one smoke test runs it on a tiny file).
"""
