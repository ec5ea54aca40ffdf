# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint system-deps clean

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python run_pipeline.py demo

# LibreOffice renders the workbooks in the tests, as a committee member would open them;
# Chromium opens the public dashboard, as the public would.
system-deps:
	@command -v soffice >/dev/null && command -v pdftotext >/dev/null && fc-list | grep -qi garuda \
	  && command -v chromium >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	     libreoffice-calc poppler-utils fonts-thai-tlwg chromium)

test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) demo
