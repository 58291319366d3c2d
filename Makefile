# Anjoman: `make run` starts the server with demo data; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
PG_URL := $(or $(ANJOMAN_TEST_POSTGRES_URL),postgres://postgres@127.0.0.1:5432/postgres)

.PHONY: help run build test lint openapi rust-tests clean

help:
	@echo "make run      build and start anjoman on SQLite with demo data at http://127.0.0.1:8080"
	@echo "make test     lint, OpenAPI freshness, Rust tests on SQLite (and PostgreSQL when reachable)"
	@echo "make openapi  regenerate openapi/openapi.json from the code"

build:
	$(CARGO) build -p anjoman-server

run: build
	ANJOMAN_DATABASE_URL=$${ANJOMAN_DATABASE_URL:-sqlite://data/anjoman.db} \
	ANJOMAN_BIND=$${ANJOMAN_BIND:-127.0.0.1:8080} \
	./target/debug/anjoman serve --demo

openapi:
	$(CARGO) run --quiet -p anjoman-server -- openapi > openapi/openapi.json

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --quiet -- -D warnings

# Rust tests: every test on SQLite; the `::postgres` twins (and PostgreSQL-only tests) when a
# server answers at ANJOMAN_TEST_POSTGRES_URL or 127.0.0.1:5432. Prints which backends ran and
# one closing line with the totals.
rust-tests:
	@set -o pipefail; \
	if scripts/postgres-reachable "$(PG_URL)"; then \
	  backends="sqlite postgresql"; skip=""; export ANJOMAN_TEST_POSTGRES_URL="$(PG_URL)"; \
	else \
	  backends="sqlite"; skip="--skip postgres"; \
	  echo "PostgreSQL is not reachable at $(PG_URL): running SQLite only"; \
	fi; \
	mkdir -p test-output; \
	$(CARGO) build --quiet -p anjoman-server; \
	$(CARGO) test --workspace --all-targets -- $$skip 2>&1 | tee test-output/rust.log; status=$$?; \
	passed=$$(awk '/^test result:/ {s += $$4} END {print s+0}' test-output/rust.log); \
	failed=$$(awk '/^test result:/ {s += $$6} END {print s+0}' test-output/rust.log); \
	echo "backends ran: $$backends"; \
	echo "rust: $$passed passed, $$failed failed"; \
	exit $$status

test: lint rust-tests

clean:
	$(CARGO) clean
	rm -rf test-output
