#!/usr/bin/env bash
# Runs every test, on SQLite and on PostgreSQL, and the browser tests in headless Chromium.
# On a fresh Debian machine with the .NET SDK it installs what is missing (PostgreSQL, Chromium,
# CJK fonts), starts a throwaway cluster on 127.0.0.1 in a temporary folder, runs the whole
# suite, and stops the cluster again.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to install: $*" >&2; return 1; fi
}

apt_updated=0
need_pkg() { # command-or-path package...
  local probe=$1; shift
  if compgen -G "$probe" >/dev/null || command -v "$probe" >/dev/null 2>&1; then return 0; fi
  if [ $apt_updated -eq 0 ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_pkg '/usr/lib/postgresql/*/bin/initdb' postgresql
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# Browser tests: Debian's Chromium (Playwright's own browser download is not used) and CJK fonts.
need_pkg chromium chromium
need_pkg '/usr/share/fonts/opentype/noto/NotoSansCJK*' fonts-noto-cjk
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# A throwaway cluster: its own folder, its own port, fsync off (test data is disposable).
PGTMP=$(mktemp -d /tmp/taizhang-pg.XXXXXX)
PGPORT=${TAIZHANG_PG_PORT:-$(( 54000 + RANDOM % 1000 ))}
run_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGTMP"; fi
cleanup() {
  run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT

log "starting PostgreSQL ($("$PGBIN/postgres" --version)) on 127.0.0.1:$PGPORT"
run_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
  -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null
export TAIZHANG_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres;Include Error Detail=true"

log "restoring tools and building"
dotnet tool restore >/dev/null
dotnet build Taizhang.slnx -c Release -nologo -v q

log "checking that the model has no changes missing from the migrations"
for ctx in SqliteTaizhangDb PostgresTaizhangDb; do
  dotnet ef migrations has-pending-model-changes --no-build --configuration Release \
    --project src/Taizhang.Web --context "$ctx" >/dev/null
done

log "running all tests (SQLite and PostgreSQL)"
dotnet test Taizhang.slnx -c Release --no-build -nologo --logger "console;verbosity=minimal"
