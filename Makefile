# boiduong — two commands: `make run` (set up and serve the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test assets translations demo worker lint check browser-test bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "boiduong needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

install: $(BIN)/python
	$(PIP) -e .
	$(BIN)/python -m boiduong.assets
	$(BIN)/boiduong compile_translations

install-test: install
	$(PIP) -e '.[test]'

demo: install
	$(BIN)/boiduong migrate --noinput
	$(BIN)/boiduong setup_demo

## make run: set everything up, build the demo world and serve http://$(HOST):$(PORT)
run: demo
	@echo
	@echo "  boiduong is starting on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@echo "  Demo logins, password Demo@2025:"
	@echo "    admin         ministry administrator (Bộ GDĐT)"
	@echo "    cuc.ngcbqlgd  ministry officer (Cục NGCBQLGD)"
	@echo "    so.hanoi      provincial officer (Sở GDĐT Hà Nội)"
	@echo "    so.camau      provincial officer (Sở GDĐT Cà Mau)"
	@echo "    dhsp.hanoi    institution officer (Trường ĐHSP Hà Nội)"
	@echo "    thanhtra      inspector"
	@echo "    giangvien     trainer"
	@echo "    giaovien      teacher / participant"
	@echo "    lanhdao       viewer (leadership)"
	@echo
	@$(BIN)/celery -A boiduong worker --beat --pool=threads --concurrency=2 --loglevel=WARNING & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/boiduong runserver $(HOST):$(PORT)

## make worker: a background-job worker alone (make run starts one for you)
worker: install
	$(BIN)/celery -A boiduong worker --loglevel=INFO

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: install-test
	$(BIN)/boiduong check
	$(BIN)/boiduong makemigrations --check --dry-run

## make test: install what the tests need, lint, check, and run the whole suite
test: lint check
	$(BIN)/pytest -n 2 -q

## make browser-test: the Playwright journeys in Chromium (/usr/bin/chromium)
browser-test: install-test
	$(BIN)/pytest -m browser -q -p no:xdist

bench: install
	$(PIP) -e '.[bench]'

clean:
	rm -rf $(VENV) var node_modules
