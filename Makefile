# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint system-deps clean bench bench-small

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	touch $(STAMP)

# hypothesis (the property tests) goes beside the venv, not into it, and pytest puts it on the
# path (pyproject.toml): pandera imports it whenever it can (unionai-oss/pandera#1644), which
# cost every run that checks files 0.065 s and 6 MB, and the pipeline never uses it.
TEST_ONLY := $(VENV)/test-only
TEST_STAMP := $(TEST_ONLY)/.installed

$(TEST_STAMP): requirements-test.lock $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --target $(TEST_ONLY) \
	  -r requirements-test.lock
	touch $(TEST_STAMP)

demo: $(STAMP)
	$(BIN)/python run_pipeline.py demo

# LibreOffice renders the workbooks in the tests, as a committee member would open them;
# Chromium opens the public dashboard, as the public would.
system-deps:
	@command -v soffice >/dev/null && command -v pdftotext >/dev/null && fc-list | grep -qi garuda \
	  && command -v chromium >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	     libreoffice-calc poppler-utils fonts-thai-tlwg chromium)

test: $(STAMP) $(TEST_STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# A fiscal year of the city (600 workbooks) against the naive way and the read floor; not a
# test. `make bench ARGS="--repeat 5"`; the workload is cached in bench/work/.
bench: $(STAMP)
	$(BIN)/python -m bench.run $(ARGS)

bench-small: $(STAMP)
	$(BIN)/python -m bench.run --small $(ARGS)

clean:
	rm -rf $(VENV) demo
