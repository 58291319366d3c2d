#!/usr/bin/env bash
# Backs up anjoman: the PostgreSQL database (pg_dump, custom format) and, when uploads are kept
# on local disk, the files directory. Usage:
#
#   deploy/backup.sh DEST_DIR
#
# Reads ANJOMAN_DATABASE_URL (postgres://…) and ANJOMAN_FILES (a directory; for s3://… back the
# bucket up with the store's own tools — deploy/README.md). Writes
# DEST_DIR/anjoman-<UTC time>/{database.dump,files.tar.gz,SHA256SUMS}. Safe while anjoman runs:
# pg_dump reads one consistent snapshot. Restore with deploy/restore.sh.
set -euo pipefail

dest=${1:?usage: deploy/backup.sh DEST_DIR}
db=${ANJOMAN_DATABASE_URL:?set ANJOMAN_DATABASE_URL to the postgres:// URL}
case "$db" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh: ANJOMAN_DATABASE_URL must be a postgres:// URL (copy a SQLite file with sqlite3 .backup)" >&2; exit 1 ;;
esac

out="$dest/anjoman-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
pg_dump --format=custom --no-owner --no-privileges --file="$out/database.dump" "$db"

files=${ANJOMAN_FILES:-data/files}
case "$files" in
  s3://*) echo "uploads are in $files: back the bucket up with the store's tools (deploy/README.md)" ;;
  *)
    if [ -d "$files" ]; then
      tar -C "$files" -czf "$out/files.tar.gz" .
    else
      echo "no files directory at $files: nothing uploaded yet"
    fi
    ;;
esac

(cd "$out" && sha256sum ./* > SHA256SUMS)
echo "$out"
