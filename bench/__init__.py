"""Benchmarks of the portal, run by ``make bench`` (``python -m bench``), never by the test suite.

They need PostgreSQL (``DATABASE_URL``) and work in a scratch database of their own on the same server
(``canceropoles_bench`` unless ``BENCH_DATABASE`` names another), dropped and recreated on each run.
"""
