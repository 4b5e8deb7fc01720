#!/usr/bin/env bash
# Restore a backup made by backup.sh into a new database (which it creates) and an empty media folder.
set -euo pipefail

usage() {
    cat <<'TEXT'
Usage: scripts/restore.sh [-m MEDIA_ROOT] [--no-media] BACKUP_DIR TARGET_DATABASE_URL

  BACKUP_DIR           a directory written by backup.sh (ocop-backup-YYYYMMDDTHHMMSSZ)
  TARGET_DATABASE_URL  postgres://USER@HOST:PORT/NAME: the database NAME must not exist yet; it is created,
                       and dropped again if the restore fails (a restore never writes into a live database)
  -m MEDIA_ROOT        where the media files go (default: $MEDIA_ROOT, else var/media in the project); the folder
                       must be missing or empty
  --no-media           restore the database alone

Checks the backup's SHA-256 sums first. Afterwards point DATABASE_URL and MEDIA_ROOT at what was restored, run
`manage.py migrate` (a backup from older code), and `manage.py rebuild_search_index` if you use Elasticsearch.
TEXT
}

fail() {
    echo "restore.sh: $*" >&2
    exit 1
}

PROJECT_DIR=$(cd "$(dirname "$0")/.." && pwd)
MEDIA=${MEDIA_ROOT:-$PROJECT_DIR/var/media}
WITH_MEDIA=1
args=()
while [ $# -gt 0 ]; do
    case $1 in
    -h | --help) usage; exit 0 ;;
    -m) [ $# -ge 2 ] || { usage >&2; exit 2; }; MEDIA=$2; shift 2 ;;
    --no-media) WITH_MEDIA=0; shift ;;
    -*) echo "restore.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
    esac
done
[ "${#args[@]}" -eq 2 ] || { usage >&2; exit 2; }
BACKUP=${args[0]}
TARGET_URL=${args[1]}

[ -d "$BACKUP" ] || fail "$BACKUP is not a directory"
[ -f "$BACKUP/SHA256SUMS" ] && [ -f "$BACKUP/database.dump" ] || fail "$BACKUP is not a backup made by backup.sh"
(cd "$BACKUP" && sha256sum --quiet -c SHA256SUMS) || fail "$BACKUP fails its checksums: it is damaged"
if [ "$WITH_MEDIA" -eq 1 ]; then
    [ -f "$BACKUP/media.tar.gz" ] || fail "$BACKUP holds no media (made with --no-media): restore with --no-media"
    if [ -e "$MEDIA" ] && [ -n "$(ls -A "$MEDIA")" ]; then
        fail "the media folder $MEDIA is not empty: give -m with a new folder"
    fi
fi

case $TARGET_URL in
postgres://* | postgresql://*) ;;
*) fail "TARGET_DATABASE_URL must be a postgres:// URL" ;;
esac
DB_NAME=${TARGET_URL##*/}
QUERY=""
case $DB_NAME in *\?*) QUERY="?${DB_NAME#*\?}" ;; esac
DB_NAME=${DB_NAME%%\?*}
[[ $DB_NAME =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || fail "database name '$DB_NAME': letters, digits and _ only"
MAINTENANCE_URL="${TARGET_URL%/*}/postgres$QUERY"
exists=$(psql "$MAINTENANCE_URL" -XtA -v name="$DB_NAME" <<<"SELECT 1 FROM pg_database WHERE datname = :'name'") ||
    fail "cannot connect to the server of $DB_NAME"
[ -z "$exists" ] || fail "the database $DB_NAME already exists: restore into a new one (or drop it first)"

started=$(date +%s%N)
psql "$MAINTENANCE_URL" -Xq -c "CREATE DATABASE \"$DB_NAME\"" || fail "could not create $DB_NAME"
created_media=0
cleanup() {
    echo "restore.sh: failed; dropping the half-restored database $DB_NAME" >&2
    psql "$MAINTENANCE_URL" -Xq -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >&2 || true
    if [ "$created_media" -eq 1 ]; then
        find "$MEDIA" -mindepth 1 -delete 2>/dev/null || true
    fi
}
trap cleanup EXIT

pg_restore --exit-on-error --no-owner --no-acl --dbname="$TARGET_URL" "$BACKUP/database.dump"
if [ "$WITH_MEDIA" -eq 1 ]; then
    mkdir -p "$MEDIA"
    created_media=1
    tar -C "$MEDIA" -xzf "$BACKUP/media.tar.gz"
fi
trap - EXIT

elapsed_ms=$((($(date +%s%N) - started) / 1000000))
counts=$(psql "$TARGET_URL" -XtA -F' ' -c "SELECT
    (SELECT count(*) FROM orders_order), (SELECT count(*) FROM certification_certification),
    (SELECT count(*) FROM catalogue_listingevent)" 2>/dev/null || echo "? ? ?")
read -r orders certificates events <<<"$counts"
echo "restore.sh: $DB_NAME restored from $BACKUP in ${elapsed_ms} ms: $orders orders, $certificates certificates," \
    "$events listing events$([ "$WITH_MEDIA" -eq 1 ] && echo "; media in $MEDIA")"
