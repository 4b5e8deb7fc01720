#!/usr/bin/env bash
# Back up the marketplace: its PostgreSQL database (pg_dump, custom format) and its media folder (product images),
# into a new dated directory with a manifest and SHA-256 checksums. restore.sh puts such a backup back.
set -euo pipefail

usage() {
    cat <<'TEXT'
Usage: scripts/backup.sh [-d DATABASE_URL] [-m MEDIA_ROOT] [--no-media] DEST_DIR

Writes DEST_DIR/ocop-backup-YYYYMMDDTHHMMSSZ/ holding:
  database.dump   pg_dump --format=custom of the database (pg_restore reads it)
  media.tar.gz    the media folder (product images and their renditions)
  MANIFEST        what was backed up, when, from where, with which pg_dump
  SHA256SUMS      checksums of the three files above (restore.sh checks them first)

  -d DATABASE_URL  the database (default: $DATABASE_URL, else postgres://postgres@127.0.0.1:5432/ocop_marketplace)
  -m MEDIA_ROOT    the media folder (default: $MEDIA_ROOT, else var/media in the project)
  --no-media       the database alone (a site whose images live elsewhere)

The backup appears under its final name only when every part is written and checked; a failure leaves nothing
but an error message and a non-zero exit status. Redis needs no backup (cache and queue only), and the
Elasticsearch index is rebuilt from the database (manage.py rebuild_search_index).
TEXT
}

fail() {
    echo "backup.sh: $*" >&2
    exit 1
}

PROJECT_DIR=$(cd "$(dirname "$0")/.." && pwd)
DB_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ocop_marketplace}
MEDIA=${MEDIA_ROOT:-$PROJECT_DIR/var/media}
WITH_MEDIA=1
DEST=""
while [ $# -gt 0 ]; do
    case $1 in
    -h | --help) usage; exit 0 ;;
    -d) [ $# -ge 2 ] || { usage >&2; exit 2; }; DB_URL=$2; shift 2 ;;
    -m) [ $# -ge 2 ] || { usage >&2; exit 2; }; MEDIA=$2; shift 2 ;;
    --no-media) WITH_MEDIA=0; shift ;;
    -*) echo "backup.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$DEST" ] || { usage >&2; exit 2; }; DEST=$1; shift ;;
    esac
done
[ -n "$DEST" ] || { usage >&2; exit 2; }
[ -d "$DEST" ] || fail "DEST_DIR $DEST is not a directory"
[ -w "$DEST" ] || fail "DEST_DIR $DEST is not writable"
if [ "$WITH_MEDIA" -eq 1 ] && [ ! -d "$MEDIA" ]; then
    fail "the media folder $MEDIA does not exist (give -m MEDIA_ROOT, or --no-media for the database alone)"
fi
for tool in pg_dump psql sha256sum tar; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done

# pg_dump must be at least as new as the server.
server_version=$(psql "$DB_URL" -XtAc "SHOW server_version_num") || fail "cannot connect to the database"
dump_version=$(pg_dump --version | sed -E 's/.* ([0-9]+)(\.([0-9]+))?.*/\1/')
[ "$dump_version" -ge "$((server_version / 10000))" ] ||
    fail "pg_dump $dump_version is older than the server ($server_version): install a newer client"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
FINAL="$DEST/ocop-backup-$STAMP"
[ ! -e "$FINAL" ] || fail "$FINAL already exists"
WORK=$(mktemp -d "$DEST/.ocop-backup-$STAMP.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

started=$(date +%s%N)
pg_dump --format=custom --compress=6 --no-password --file="$WORK/database.dump" --dbname="$DB_URL" ||
    fail "pg_dump failed"
pg_restore --list "$WORK/database.dump" >/dev/null || fail "the dump cannot be read back"
files=(database.dump)
if [ "$WITH_MEDIA" -eq 1 ]; then
    tar -C "$MEDIA" -czf "$WORK/media.tar.gz" . || fail "could not archive $MEDIA"
    files+=(media.tar.gz)
fi
DB_NAME=${DB_URL##*/}
DB_NAME=${DB_NAME%%\?*}
{
    echo "created: $STAMP"
    echo "database: $DB_NAME (server $server_version)"
    echo "pg_dump: $(pg_dump --version)"
    if [ "$WITH_MEDIA" -eq 1 ]; then
        echo "media: $MEDIA ($(find "$MEDIA" -type f | wc -l) files)"
    else
        echo "media: not included"
    fi
    echo "code: $(git -C "$PROJECT_DIR" rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "migrations: $(psql "$DB_URL" -XtAc "SELECT count(*) FROM django_migrations" 2>/dev/null || echo unknown)"
} >"$WORK/MANIFEST"
files+=(MANIFEST)
(cd "$WORK" && sha256sum "${files[@]}" >SHA256SUMS) || fail "could not write checksums"
(cd "$WORK" && sha256sum --quiet -c SHA256SUMS) || fail "the checksums do not match what was written"

mv "$WORK" "$FINAL"
trap - EXIT
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
echo "backup.sh: $FINAL ($(du -sh "$FINAL" | cut -f1), ${elapsed_ms} ms)"
