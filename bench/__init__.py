"""Benchmarks (not tests): `make bench`; see docs/benchmarks.md."""
