# syntax=docker/dockerfile:1
# The anjoman image: the server built in release mode, the web client built with Node, both
# copied into a slim Debian runtime that runs as an unprivileged user. deploy/README.md shows how
# docker-compose.yml runs it (PostgreSQL, two replicas behind nginx, MinIO, Mailpit).

# --- The single-page app -------------------------------------------------------------------
FROM node:20-bookworm-slim AS web
WORKDIR /src/web-client
COPY web-client/package.json web-client/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY openapi /src/openapi
COPY web-client ./
RUN npm run build

# --- The server ----------------------------------------------------------------------------
FROM rust:1.95-bookworm AS server
RUN apt-get update \
 && apt-get install -y --no-install-recommends pkg-config libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The whole workspace (every member's manifest is needed to resolve it); target/ and the web
# client's node_modules are left out by .dockerignore.
COPY Cargo.toml Cargo.lock rustfmt.toml ./
COPY api api
COPY migrations migrations
COPY openapi openapi
COPY tests tests
COPY benches benches
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p anjoman-server \
 && cp target/release/anjoman /usr/local/bin/anjoman

# --- The runtime ---------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3 curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 anjoman \
 && useradd --system --uid 10001 --gid anjoman --home-dir /var/lib/anjoman --shell /usr/sbin/nologin anjoman \
 && install -d -o anjoman -g anjoman -m 0750 /var/lib/anjoman
COPY --from=server /usr/local/bin/anjoman /usr/local/bin/anjoman
COPY --from=web /src/web-client/dist /usr/share/anjoman/web
ENV ANJOMAN_BIND=0.0.0.0:8080 \
    ANJOMAN_WEB_DIR=/usr/share/anjoman/web \
    ANJOMAN_DATA_DIR=/var/lib/anjoman \
    ANJOMAN_LOG_FORMAT=json
USER anjoman:anjoman
WORKDIR /var/lib/anjoman
EXPOSE 8080
# Ready means: the database answers and every migration is applied.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl --fail --silent --show-error --max-time 2 http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["/usr/local/bin/anjoman"]
CMD ["serve"]
