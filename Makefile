# Gröna nyckeltal. `make help` lists the targets.
.DEFAULT_GOAL := help
PORT ?= 8501
.PHONY: help run test bench demo-db clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

run:  ## set up (venv, pinned deps, demo database) and start the dashboard on http://127.0.0.1:$(PORT) (PORT=8501)
	bash scripts/setup.sh requirements.txt
	bash scripts/chromium.sh
	.venv/bin/python -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

test:  ## set up with the dev deps, install chromium if missing (as root), run every test
	bash scripts/test.sh -q

bench:  ## benchmarks at Kolada scale (10 M rows); writes bench/results.json and bench/README.md
	bash scripts/setup.sh requirements-dev.txt
	.venv/bin/python -m bench

demo-db:  ## rebuild the demo database from scratch
	rm -f data/gronanyckeltal.duckdb data/gronanyckeltal.duckdb.wal
	bash scripts/setup.sh requirements.txt

clean:  ## remove the venv, the database and test artifacts
	rm -rf .venv data/gronanyckeltal.duckdb data/gronanyckeltal.duckdb.wal test-artifacts
