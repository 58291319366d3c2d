#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into an EMPTY database and files directory, then
# checks it: the audit log's hash chain verifies and the migrations are complete. Usage:
#
#   deploy/restore.sh BACKUP_DIR
#
# Reads ANJOMAN_DATABASE_URL (the new, empty database) and ANJOMAN_FILES (where the files go).
# Stop every anjoman process that uses the target first; start them again after it succeeds.
set -euo pipefail

backup=${1:?usage: deploy/restore.sh BACKUP_DIR}
db=${ANJOMAN_DATABASE_URL:?set ANJOMAN_DATABASE_URL to the postgres:// URL of an empty database}
anjoman=${ANJOMAN_BIN:-anjoman}

(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

tables=$(psql "$db" --tuples-only --no-align --command \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore.sh: the target database is not empty ($tables tables); restore into a new one" >&2
  exit 1
fi
pg_restore --exit-on-error --no-owner --no-privileges --single-transaction --dbname="$db" "$backup/database.dump"

if [ -f "$backup/files.tar.gz" ]; then
  files=${ANJOMAN_FILES:-data/files}
  case "$files" in
    s3://*) echo "restore.sh: the backup holds files on disk but ANJOMAN_FILES is $files; copy them into the bucket" >&2; exit 1 ;;
  esac
  mkdir -p "$files"
  tar -C "$files" -xzf "$backup/files.tar.gz"
fi

# The restored data is whole: the audit chain verifies and no migration is missing (a backup
# from an older version is brought up to date here, once).
"$anjoman" migrate
"$anjoman" verify-audit
echo "restored $backup"
