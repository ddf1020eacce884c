"""Benchmarks run by `make bench` (python -m bench); each module exposes run()."""
