"""Benchmarks at Kolada scale (`make bench`). Not part of `make test`."""
