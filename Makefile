# Anjoman: `make run` starts the server with demo data; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
PG_URL := $(or $(ANJOMAN_TEST_POSTGRES_URL),postgres://postgres@127.0.0.1:5432/postgres)

WEB := web-client
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/tsconfig.json -type f 2>/dev/null)

.PHONY: help run build test lint openapi rust-tests web-tests web-build clean bench test-cluster api-fuzz

help:
	@echo "make run      build and start anjoman on SQLite with demo data at http://127.0.0.1:8080"
	@echo "make test     lint, OpenAPI freshness, Rust tests on SQLite (and PostgreSQL when reachable),"
	@echo "              web unit tests and browser tests in headless Chromium"
	@echo "make test-cluster  the scale-out test alone: two processes behind nginx on PostgreSQL"
	@echo "make api-fuzz Schemathesis as every role (API_FUZZ_SECONDS=600 for the long run)"
	@echo "make openapi  regenerate openapi/openapi.json from the code"
	@echo "make bench    load benchmarks of a release build on PostgreSQL, with this machine's limits"
	@echo "              (BENCH_ARGS='--scenarios login,cast --seconds 30' to choose; see BENCHMARKS.md)"

build:
	$(CARGO) build -p anjoman-server

# The web client's packages, installed exactly as locked, again whenever the lock changes.
$(WEB)/node_modules/.package-lock.json: $(WEB)/package-lock.json $(WEB)/package.json
	cd $(WEB) && npm ci --no-audit --no-fund
	@touch $@

# The real OpenID Connect provider the single sign-on tests start (panva's oidc-provider).
OIDC := tests/oidc-provider
$(OIDC)/node_modules/.package-lock.json: $(OIDC)/package-lock.json $(OIDC)/package.json
	cd $(OIDC) && npm ci --no-audit --no-fund
	@touch $@

# The built web client, rebuilt when its sources change.
$(WEB)/dist/index.html: $(WEB)/node_modules/.package-lock.json $(WEB_SOURCES)
	cd $(WEB) && npm run build

web-build: $(WEB)/dist/index.html

run: build web-build
	ANJOMAN_DATABASE_URL=$${ANJOMAN_DATABASE_URL:-sqlite://data/anjoman.db} \
	ANJOMAN_BIND=$${ANJOMAN_BIND:-127.0.0.1:8080} \
	./target/debug/anjoman serve --demo

# Load benchmarks (BENCHMARKS.md): a release anjoman on a fresh PostgreSQL database, driven by
# benches/load, with pgbench, raw argon2id and an empty actix-web handler measured in the same run.
BENCH_ARGS ?=
bench:
	$(CARGO) build --release -p anjoman-server -p anjoman-load
	ANJOMAN_BENCH_POSTGRES=$${ANJOMAN_BENCH_POSTGRES:-$(PG_URL)} ./target/release/anjoman-load $(BENCH_ARGS)

openapi:
	$(CARGO) run --quiet -p anjoman-server -- openapi > openapi/openapi.json
	cd $(WEB) && npm run --silent gen:api

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --quiet -- -D warnings
	scripts/check-deploy

# The scale-out test alone (also part of make test): PostgreSQL, two anjoman processes behind
# Debian's nginx running deploy/nginx.conf, an S3 protocol server and an SMTP sink, on loopback.
test-cluster:
	@python3 -c 'import moto.server' 2>/dev/null || python3 -m pip install --quiet 'moto[server]' \
	  || python3 -m pip install --quiet --break-system-packages 'moto[server]'
	$(CARGO) build --quiet -p anjoman-server
	ANJOMAN_TEST_POSTGRES_URL="$(PG_URL)" $(CARGO) test -p anjoman-tests --test cluster

# Rust tests: every test on SQLite; the `::postgres` twins (and PostgreSQL-only tests) when a
# server answers at ANJOMAN_TEST_POSTGRES_URL or 127.0.0.1:5432. Prints which backends ran and
# one closing line with the totals.
rust-tests: $(OIDC)/node_modules/.package-lock.json
	@set -o pipefail; \
	if scripts/postgres-reachable "$(PG_URL)"; then \
	  backends="sqlite postgresql"; skip=""; export ANJOMAN_TEST_POSTGRES_URL="$(PG_URL)"; \
	else \
	  backends="sqlite"; skip="--skip postgres"; \
	  echo "PostgreSQL is not reachable at $(PG_URL): running SQLite only"; \
	fi; \
	mkdir -p test-output; \
	python3 -c 'import moto.server' 2>/dev/null || python3 -m pip install --quiet 'moto[server]' \
	  || python3 -m pip install --quiet --break-system-packages 'moto[server]'; \
	$(CARGO) build --quiet -p anjoman-server; \
	$(CARGO) test --workspace --all-targets -- $$skip 2>&1 | tee test-output/rust.log; status=$$?; \
	passed=$$(awk '/^test result:/ {s += $$4} END {print s+0}' test-output/rust.log); \
	failed=$$(awk '/^test result:/ {s += $$6} END {print s+0}' test-output/rust.log); \
	{ echo "backends ran: $$backends"; echo "rust: $$passed passed, $$failed failed"; } | tee test-output/rust-summary.log; \
	exit $$status

# Schemathesis over every operation as each kind of user (scripts/api-fuzz): no server error,
# every answer as the OpenAPI document says. API_FUZZ_SECONDS per role (20 here; longer runs:
# `make api-fuzz API_FUZZ_SECONDS=600`).
API_FUZZ_SECONDS ?= 20
api-fuzz:
	$(CARGO) build --quiet -p anjoman-server
	@set -o pipefail; mkdir -p test-output; scripts/api-fuzz $(API_FUZZ_SECONDS) 2>&1 | tee test-output/api-fuzz.log

# Web: generated API types current, type check, unit tests (Vitest), then the browser tests
# (@playwright/test driving Debian's Chromium against the real binary, web-client/e2e/*.spec.ts).
web-tests: $(WEB)/node_modules/.package-lock.json $(OIDC)/node_modules/.package-lock.json
	cd $(WEB) && npm run --silent check:api
	cd $(WEB) && npm run --silent build
	@set -o pipefail; mkdir -p test-output; \
	cd $(WEB) && NO_COLOR=1 npx vitest run 2>&1 | tee ../test-output/web-unit.log
	$(CARGO) build --quiet -p anjoman-server
	cd $(WEB) && npx tsc -p tsconfig.e2e.json
	@set -o pipefail; cd $(WEB) && NO_COLOR=1 npx playwright test 2>&1 | tee ../test-output/e2e.log

test: lint rust-tests api-fuzz web-tests
	@echo "== summary =="
	@grep -h -E '^(backends ran|rust):' test-output/rust.log test-output/rust-summary.log 2>/dev/null || true
	@grep -h -E '^api-fuzz: no server errors' test-output/api-fuzz.log || true
	@grep -h -E 'Tests +[0-9]+ passed' test-output/web-unit.log | sed 's/^ */web unit: /' || true
	@grep -h -E '^ +[0-9]+ (passed|failed|flaky)' test-output/e2e.log | sed 's/^ */e2e: /'

clean:
	$(CARGO) clean
	rm -rf test-output $(WEB)/dist $(WEB)/node_modules
