# One command each: `make install`, `make seeds` (the main job on the seed files), `make test`.
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install test test-fast seeds ingest bench

# torch is asked for as exactly 2.13.0 first: that is the CPU build this machine
# carries; any other spec makes pip fetch several GB of CUDA packages.
install:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test,ray,train]"
	@if $(BIN)/pip list 2>/dev/null | grep -iE '^(nvidia|triton|cuda)'; then \
		echo "install pulled CUDA packages (see above); torch must be the local CPU build" >&2; exit 1; fi
	$(BIN)/align model build

test:
	$(BIN)/python -m pytest -q

test-fast:
	$(BIN)/python -m pytest -q -m "not slow"

# The main job: the machine-translated English 000 checked against the Chinese reports 001-003.
seeds:
	$(BIN)/align report fixtures/seeds/000_*.txt fixtures/seeds/001_*.txt fixtures/seeds/002_*.txt fixtures/seeds/003_*.txt

ingest:
	$(BIN)/align ingest fixtures/seeds/*.txt

bench:
	$(BIN)/python eval/bench_encoders.py
