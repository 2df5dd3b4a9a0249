#!/usr/bin/env bash
# The benchmark suite, in one command:  bench/run.sh [--quick] [--cases N] [--skip-rt] [--skip-postgres]
#
# 1. builds the app, the data generator and the bare endpoint (Release) from a snapshot of the sources taken at the start;
# 2. generates a county of N cases (default 1,000,000; --quick 50,000) on SQLite and on PostgreSQL,
#    once per (N, seed, day, generator + demo catalogue and texts + migrations): later runs copy the cached database;
# 3. per provider, on a copy of that database: start-up time, query latency (ledger list filters,
#    case detail, board, month report), then intake (POST /api/v1/cases) at several concurrencies,
#    with the server's peak RSS per scenario;
# 4. the intake limit: the same requests against bench/BareEndpoint (parses, answers 201, stores nothing);
# 5. the peer: Request Tracker 5 through ../shared/peers/rt (install.sh, bench.sh, stop.sh);
# 6. prints a table and writes docs/BENCHMARKS.md (raw results in bench/results/latest.json).
#
# PostgreSQL: TAIZHANG_BENCH_POSTGRES (a connection string without Database=) names a server to use;
# otherwise a private cluster is started for the run (fsync on: intake is measured durable) in
# $TAIZHANG_BENCH_WORK/pg and stopped at the end. Work files (databases, logs) live in
# $TAIZHANG_BENCH_WORK (default /var/tmp/taizhang-bench). Never part of ./test.sh.
set -euo pipefail
# Run from a copy, so that editing this file during a run (it takes a while) cannot derail it.
if [ -z "${TAIZHANG_BENCH_ROOT:-}" ]; then
  TAIZHANG_BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd); export TAIZHANG_BENCH_ROOT
  copy=$(mktemp /tmp/taizhang-bench-run.XXXXXX); cp "$0" "$copy"
  exec bash "$copy" "$@"
fi
cd "$TAIZHANG_BENCH_ROOT"
# (bash keeps the copy open: it can go now)
case "$0" in /tmp/taizhang-bench-run.*) rm -f "$0" ;; esac
ROOT=$(pwd)

ORIG_ARGS="$*"
QUICK=0; CASES=""; SKIP_RT=0; SKIP_PG=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --cases) CASES=$2; shift ;;
    --skip-rt) SKIP_RT=1 ;;
    --skip-postgres) SKIP_PG=1 ;;
    *) echo "usage: bench/run.sh [--quick] [--cases N] [--skip-rt] [--skip-postgres]" >&2; exit 2 ;;
  esac
  shift
done

if [ $QUICK -eq 1 ]; then
  CASES=${CASES:-50000}; QUERY_SECS=2; FILTER_SECS=1; INTAKE_SECS=2; RT_N=30; RT_C=8; RT_REPS=5; RT_BACKENDS="sqlite"
else
  CASES=${CASES:-1000000}; QUERY_SECS=10; FILTER_SECS=4; INTAKE_SECS=10; RT_N=200; RT_C=8; RT_REPS=20; RT_BACKENDS="sqlite pg"
fi
INTAKE_CONCURRENCY="1 8 32 128"
MAXBATCH_SWEEP="1 16 64 256 1024"; STARTS="1 2 3"; WARMUP_SECS=3
if [ $QUICK -eq 1 ]; then MAXBATCH_SWEEP="1 256"; STARTS="1"; WARMUP_SECS=1; fi
SEED=42
APP_PORT=5080; BARE_PORT=5081; APP2_PORT=5082; PG_PORT=${TAIZHANG_BENCH_PG_PORT:-56432}
ADMIN_PW='Bench-Admin-2026!'; TOWN_PW='Bench-Town-2026!'
# The passwords they set at their first sign-in (a configured or administrator-set one must be replaced).
ADMIN_OWN='Bench-Admin-2026! own words'; TOWN_OWN='Bench-Town-2026! own words'
LEADER_PW='Bench-Leader-2026!'; LEADER_OWN='Bench-Leader-2026! own words'
WORK=${TAIZHANG_BENCH_WORK:-/var/tmp/taizhang-bench}
STAMP=$(date -u +%Y%m%d-%H%M%S)
RES="$WORK/results/$STAMP"
mkdir -p "$RES"
# The run builds, keys its cached databases and reads its scripts from a snapshot of the sources as they are now
# (uncommitted changes included): an edit in the work tree during the hour it takes cannot reach its build, change the
# key of the generated databases, or change a request list half-way. Results and docs are written to the work tree.
SNAP="$WORK/tree"
rm -rf "$SNAP"; mkdir -p "$SNAP"
tar -C "$ROOT" --exclude=bin --exclude=obj -cf - src bench Directory.Build.props Directory.Packages.props global.json \
  Taizhang.slnx dotnet-tools.json .editorconfig | tar -C "$SNAP" -xf -
LUA="$SNAP/bench/wrk"
STARTED_AT=$(date -u '+%Y-%m-%d %H:%M UTC')
T_START=$(date +%s)

log() { printf '\n== %s  (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

# ---------------------------------------------------------------- tools
apt_updated=0
need_pkg() { # command-or-glob package...
  local probe=$1; shift
  if compgen -G "$probe" >/dev/null || command -v "$probe" >/dev/null 2>&1; then return 0; fi
  if [ $apt_updated -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
need_pkg wrk wrk
need_pkg jq jq
need_pkg sqlite3 sqlite3
need_pkg python3 python3
[ $SKIP_PG -eq 1 ] || need_pkg '/usr/lib/postgresql/*/bin/initdb' postgresql
[ $SKIP_PG -eq 1 ] || need_pkg psql postgresql-client

# ---------------------------------------------------------------- machine
{
  echo "{"
  echo "\"nproc\": $(nproc),"
  echo "\"cpu\": $(lscpu | sed -n 's/^Model name: *//p' | head -1 | jq -R .),"
  echo "\"ram_gib\": $(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo),"
  echo "\"kernel\": $(uname -r | jq -R .),"
  echo "\"os\": $( (. /etc/os-release; echo "$PRETTY_NAME") | jq -R .),"
  echo "\"dotnet\": $(dotnet --version | jq -R .),"
  echo "\"wrk\": $( (wrk -v 2>&1 || true) | head -1 | jq -R .),"
  echo "\"loadavg_at_start\": $(cut -d' ' -f1-3 /proc/loadavg | jq -R .),"
  echo "\"started_at\": \"$STARTED_AT\", \"quick\": $QUICK, \"cases\": $CASES, \"seed\": $SEED,"
  echo "\"query_secs\": $QUERY_SECS, \"intake_secs\": $INTAKE_SECS, \"git\": \"$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo '+changes')\""
  echo "}"
} > "$RES/machine.json"

# ---------------------------------------------------------------- build
log "building (Release): app, data generator, bare endpoint — published to $WORK/build"
# Published copies: the benchmark runs from its own folder, unaffected by builds in the work tree meanwhile.
BUILD="$WORK/build"; rm -rf "$BUILD"; mkdir -p "$BUILD"
for p in src/Taizhang.Web/Taizhang.Web.csproj:app-jit bench/Taizhang.Bench.Generator/Taizhang.Bench.Generator.csproj:gen bench/BareEndpoint/BareEndpoint.csproj:bare; do
  dotnet publish "$SNAP/${p%%:*}" -c Release -nologo -v q -o "$BUILD/${p##*:}" >>"$RES/build.log" 2>&1 || { cat "$RES/build.log"; exit 1; }
done
# The released build, as README "Deploying" publishes it: ReadyToRun (precompiled). Every scenario runs
# on it; the plain JIT build above is started only for the start-up comparison.
RID="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
dotnet publish "$SNAP/src/Taizhang.Web/Taizhang.Web.csproj" -c Release -r "$RID" --self-contained false -p:PublishReadyToRun=true \
  -nologo -v q -o "$BUILD/app" >>"$RES/build.log" 2>&1 || { cat "$RES/build.log"; exit 1; }
APP_JIT_DIR="$BUILD/app-jit"
APP_DIR="$BUILD/app"
GEN="$BUILD/gen/Taizhang.Bench.Generator.dll"
BARE="$BUILD/bare/BareEndpoint.dll"

# The cached databases are valid for this many cases, this seed, today, and this generator, its weights
# and texts (the demo's catalogue and texts) and schema.
KEY=$( (echo "$CASES $SEED $(date -u +%F)"; cd "$SNAP" && find bench/Taizhang.Bench.Generator src/Taizhang.Web/Demo src/Taizhang.Web/Data src/Taizhang.Domain \
  -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort | xargs sha1sum) | sha1sum | cut -c1-12)
NOW_ISO="$(date -u +%F)T00:00:00Z"

# ---------------------------------------------------------------- PostgreSQL
PG_OWN=0
PGBIN=""
if [ $SKIP_PG -eq 0 ]; then
  if [ -n "${TAIZHANG_BENCH_POSTGRES:-}" ]; then
    PG_BASE="$TAIZHANG_BENCH_POSTGRES"
  else
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    PGDATA="$WORK/pg/data"
    mkdir -p "$WORK/pg"; chown postgres "$WORK/pg"
    as_pg() { runuser -u postgres -- "$@"; }
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
      log "creating a private PostgreSQL cluster in $PGDATA"
      as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    log "starting PostgreSQL ($("$PGBIN/postgres" --version)) on 127.0.0.1:$PG_PORT (fsync on, synchronous_commit on)"
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/pg/server.log" -w -t 120 \
      -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB -c max_wal_size=4GB" \
      start >/dev/null
    PG_OWN=1
    PG_BASE="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
  fi
  PG_HOST=$(echo "$PG_BASE" | sed -n 's/.*Host=\([^;]*\).*/\1/p'); PG_PORT_USED=$(echo "$PG_BASE" | sed -n 's/.*Port=\([^;]*\).*/\1/p')
  PG_USER=$(echo "$PG_BASE" | sed -n 's/.*User[ a-zA-Z]*=\([^;]*\).*/\1/p')
  psqlc() { psql -X -q -At -h "$PG_HOST" -p "${PG_PORT_USED:-5432}" -U "${PG_USER:-postgres}" "$@"; }
  PG_FSYNC=$(psqlc -d postgres -c "show fsync"); PG_SYNC=$(psqlc -d postgres -c "show synchronous_commit")
  PG_VERSION=$(psqlc -d postgres -c "show server_version")
  echo "{\"version\": \"$PG_VERSION\", \"fsync\": \"$PG_FSYNC\", \"synchronous_commit\": \"$PG_SYNC\", \"own_cluster\": $PG_OWN}" > "$RES/postgres.json"
fi

SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ $PG_OWN -eq 1 ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- data
generate() { # provider connection-string
  dotnet "$GEN" --provider "$1" --connection "$2" --cases "$CASES" --seed "$SEED" --now "$NOW_ISO"
}
SQLITE_GOLDEN="$WORK/golden-$CASES-$KEY.db"
if [ ! -s "$SQLITE_GOLDEN" ]; then
  log "generating $CASES cases on SQLite (cached as $SQLITE_GOLDEN)"
  rm -f "$WORK"/golden-"$CASES"-*.db* "$WORK/generating.db"*
  t0=$(date +%s); generate sqlite "Data Source=$WORK/generating.db" | tee "$RES/gen-sqlite.log"; echo $(( $(date +%s) - t0 )) > "$RES/gen-sqlite.time"
  mv "$WORK/generating.db" "$SQLITE_GOLDEN"; rm -f "$WORK/generating.db"*
  cp "$RES/gen-sqlite.log" "$WORK/golden-$CASES-$KEY.sqlite.log"; cp "$RES/gen-sqlite.time" "$WORK/golden-$CASES-$KEY.sqlite.time"
else
  log "reusing generated SQLite database $SQLITE_GOLDEN"
  cp "$WORK/golden-$CASES-$KEY.sqlite.log" "$RES/gen-sqlite.log" 2>/dev/null || true; cp "$WORK/golden-$CASES-$KEY.sqlite.time" "$RES/gen-sqlite.time" 2>/dev/null || true
fi
PG_GOLDEN="tzb_golden_${CASES}_$KEY"
if [ $SKIP_PG -eq 0 ]; then
  if [ "$(psqlc -d postgres -c "select count(*) from pg_database where datname='$PG_GOLDEN'")" != 1 ]; then
    log "generating $CASES cases on PostgreSQL (cached as database $PG_GOLDEN)"
    for db in $(psqlc -d postgres -c "select datname from pg_database where datname like 'tzb\_golden\_${CASES}\_%' or datname = 'tzb_generating'"); do psqlc -d postgres -c "drop database \"$db\" with (force)"; done
    t0=$(date +%s); generate postgres "$PG_BASE;Database=tzb_generating" | tee "$RES/gen-postgres.log"; echo $(( $(date +%s) - t0 )) > "$RES/gen-postgres.time"
    psqlc -d postgres -c "alter database tzb_generating rename to \"$PG_GOLDEN\""
    mkdir -p "$WORK/pglogs"; cp "$RES/gen-postgres.log" "$WORK/pglogs/$KEY.log"; cp "$RES/gen-postgres.time" "$WORK/pglogs/$KEY.time"
  else
    log "reusing generated PostgreSQL database $PG_GOLDEN"
    cp "$WORK/pglogs/$KEY.log" "$RES/gen-postgres.log" 2>/dev/null || true; cp "$WORK/pglogs/$KEY.time" "$RES/gen-postgres.time" 2>/dev/null || true
  fi
fi

# ---------------------------------------------------------------- helpers
wait_http() { # url timeout-seconds -> prints ms from $T0_NS to the first 2xx
  local url=$1 limit=$2 deadline code
  deadline=$(( $(date +%s) + limit ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)
    if [ "${code:0:1}" = 2 ]; then echo $(( ($(date +%s%N) - T0_NS) / 1000000 )); return 0; fi
    if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server exited" >&2; return 1; fi
    sleep 0.02
  done
  echo "timed out waiting for $url" >&2; return 1
}

start_server() { # log-file command... ; sets SERVER_PID and STARTUP_MS
  local logf=$1; shift
  T0_NS=$(date +%s%N)
  "$@" >"$logf" 2>&1 &
  SERVER_PID=$!
}

stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi
}

reset_peak() { echo 5 > "/proc/$SERVER_PID/clear_refs" 2>/dev/null || true; }
peak_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$SERVER_PID/status"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$SERVER_PID/status"; }

# run_wrk name kind threads connections seconds script url [env...] -> appends a JSON line to $OUT
run_wrk() {
  local name=$1 kind=$2 threads=$3 conns=$4 secs=$5 script=$6 url=$7; shift 7
  reset_peak
  local line
  line=$(env BENCH_LUA_DIR="$LUA" "$@" wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 30s -s "$LUA/$script" "$url" | tail -n 1)
  if ! echo "$line" | jq -e . >/dev/null 2>&1; then echo "wrk failed for $name: $line" >&2; line='{"requests":0,"duration_us":1,"ok":0,"other_status":0,"socket_errors":0,"timeouts":0,"lat_us":{"p50":0,"p90":0,"p95":0,"p99":0,"max":0,"mean":0},"sample_other":"wrk failed"}'; fi
  echo "$line" | jq -c --arg name "$name" --arg kind "$kind" --argjson c "$conns" --argjson rss "$(peak_mib)" \
    '. + {name: $name, kind: $kind, connections: $c, peak_rss_mib: $rss}' >> "$OUT"
  echo "$line" | jq -r --arg name "$name" --argjson c "$conns" \
    '"  \($name) c=\($c): \(.ok) ok (\(.ok / (.duration_us / 1e6) | floor)/s), \(.other_status) other, p50 \(.lat_us.p50/1000) ms, p95 \(.lat_us.p95/1000) ms, p99 \(.lat_us.p99/1000) ms"'
}

intake_runs() { # base-url label token
  local url=$1 label=$2 token=$3 c t
  for c in $INTAKE_CONCURRENCY; do
    t=$(( c < 2 ? 1 : 2 ))
    run_wrk "intake" "$label" "$t" "$c" "$INTAKE_SECS" intake.lua "$url" \
      BENCH_TOKEN="$token" BENCH_VILLAGES="$RES/villages.txt" BENCH_RUN="$label-$STAMP-c$c"
  done
}

# ---------------------------------------------------------------- one provider
bench_provider() { # sqlite|postgres
  local provider=$1 cs sqlq
  OUT="$RES/$provider.jsonl"; : > "$OUT"
  log "[$provider] preparing a working copy of the generated database"
  if [ "$provider" = sqlite ]; then
    rm -f "$WORK/run.db" "$WORK/run.db-wal" "$WORK/run.db-shm"
    cp "$SQLITE_GOLDEN" "$WORK/run.db"
    cs="Data Source=$WORK/run.db"
    sqlq() { sqlite3 "$WORK/run.db" "$1"; }
    ARGS=(--Database:Provider Sqlite --Database:ConnectionString "$cs")
  else
    psqlc -d postgres -c 'drop database if exists tzb_run with (force)'
    psqlc -d postgres -c "create database tzb_run template \"$PG_GOLDEN\""
    cs="$PG_BASE;Database=tzb_run"
    sqlq() { psqlc -d tzb_run -c "$1"; }
    ARGS=(--Database:Provider Postgres --Database:ConnectionString "$cs")
  fi
  local APP=(dotnet "$APP_DIR/Taizhang.Web.dll" --urls "http://127.0.0.1:$APP_PORT" "${ARGS[@]}" --Bootstrap:AdminPassword "$ADMIN_PW")
  local base="http://127.0.0.1:$APP_PORT"

  # First start: creates the administrator (county post); it creates the town user through the admin API.
  pushd "$APP_DIR" >/dev/null
  start_server "$RES/$provider-setup.log" "${APP[@]}"
  popd >/dev/null
  wait_http "$base/health" 180 >/dev/null
  rm -f "$RES/admin.jar"
  local xsrf
  xsrf=$(curl -s -c "$RES/admin.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"admin\",\"password\":\"$ADMIN_PW\"}" "$base/api/v1/session" | jq -r .antiforgeryToken)
  curl -s -o /dev/null -b "$RES/admin.jar" -c "$RES/admin.jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
    -d "{\"currentPassword\":\"$ADMIN_PW\",\"newPassword\":\"$ADMIN_OWN\"}" "$base/api/v1/account/password"
  curl -s -o /dev/null -b "$RES/admin.jar" -c "$RES/admin.jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
    -d "{\"userName\":\"town01\",\"displayName\":\"三岔镇受理员\",\"password\":\"$TOWN_PW\",\"posts\":[{\"role\":\"TownStaff\",\"unit\":\"T01\"}]}" \
    "$base/api/v1/admin/users"
  # A county leader (Leader at the county): my tasks at county scope.
  curl -s -o /dev/null -b "$RES/admin.jar" -c "$RES/admin.jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
    -d "{\"userName\":\"leader\",\"displayName\":\"县领导\",\"password\":\"$LEADER_PW\",\"posts\":[{\"role\":\"Leader\",\"unit\":\"BJX\"}]}" \
    "$base/api/v1/admin/users"
  rm -f "$RES/leader.jar"
  xsrf=$(curl -s -c "$RES/leader.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"leader\",\"password\":\"$LEADER_PW\"}" "$base/api/v1/session" | jq -r .antiforgeryToken)
  curl -s -o /dev/null -b "$RES/leader.jar" -c "$RES/leader.jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
    -d "{\"currentPassword\":\"$LEADER_PW\",\"newPassword\":\"$LEADER_OWN\"}" "$base/api/v1/account/password"
  rm -f "$RES/town.jar"
  xsrf=$(curl -s -c "$RES/town.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"town01\",\"password\":\"$TOWN_PW\"}" "$base/api/v1/session" | jq -r .antiforgeryToken)
  curl -s -o /dev/null -b "$RES/town.jar" -c "$RES/town.jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
    -d "{\"currentPassword\":\"$TOWN_PW\",\"newPassword\":\"$TOWN_OWN\"}" "$base/api/v1/account/password"
  stop_server
  local token
  token=$(cd "$APP_DIR" && dotnet Taizhang.Web.dll api-client create --name "bench-intake" --unit BJX \
    --channels Hotline,WeChat,Web,WalkIn "${ARGS[@]}" | sed -n 's/^token (shown only now): //p')
  [ -n "$token" ] || { echo "could not create the API client" >&2; exit 1; }

  # Measured starts on the existing database: process start to the first successful request, three
  # times for the Release build and three for the same build published ReadyToRun (less JIT at start).
  log "[$provider] start-up on $(sqlq 'select count(*) from "Cases"') cases"
  local variant dir i startup_ms startup_rss
  for variant in r2r plain; do
    dir=$APP_DIR; [ $variant = plain ] && dir=$APP_JIT_DIR
    [ -f "$dir/Taizhang.Web.dll" ] || continue
    for i in $STARTS; do
      sync; sleep 1
      pushd "$dir" >/dev/null
      start_server "$RES/$provider-start-$variant-$i.log" dotnet "$dir/Taizhang.Web.dll" "${APP[@]:2}"
      popd >/dev/null
      startup_ms=$(wait_http "$base/health" 180)
      startup_rss=$(rss_mib)
      echo "  $variant: first successful request (GET /health) after $startup_ms ms; RSS $startup_rss MiB"
      jq -nc --arg v "$variant" --argjson ms "$startup_ms" --argjson rss "$startup_rss" \
        '{name: "startup", kind: "startup", variant: $v, startup_ms: $ms, rss_mib: $rss}' >> "$OUT"
      stop_server
    done
  done
  pushd "$APP_DIR" >/dev/null
  start_server "$RES/$provider-server.log" "${APP[@]}"
  popd >/dev/null
  wait_http "$base/health" 180 >/dev/null

  # Sessions: the town's staff (TownStaff at T01) and the county administrator.
  local town_cookie county_cookie
  curl -s -o /dev/null -c "$RES/town.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"town01\",\"password\":\"$TOWN_OWN\"}" "$base/api/v1/session"
  curl -s -o /dev/null -c "$RES/county.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"admin\",\"password\":\"$ADMIN_OWN\"}" "$base/api/v1/session"
  town_cookie=$(awk '$6=="taizhang.auth" {print $6"="$7}' "$RES/town.jar")
  county_cookie=$(awk '$6=="taizhang.auth" {print $6"="$7}' "$RES/county.jar")
  curl -s -o /dev/null -c "$RES/leader.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"leader\",\"password\":\"$LEADER_OWN\"}" "$base/api/v1/session"
  local leader_cookie
  leader_cookie=$(awk '$6=="taizhang.auth" {print $6"="$7}' "$RES/leader.jar")

  # The closed-period warm-up (ClosedPeriodWarmup): every town's figures for the default closed periods are computed
  # once in the background after the first start (then stored); /health says "Healthy" once it is done. Readers measured
  # before that would time the one-off replay instead of the board and the reports.
  local t_warm warm_s
  t_warm=$(date +%s)
  while [ "$(curl -s --max-time 5 "$base/health" || true)" != "Healthy" ] && [ $(( $(date +%s) - t_warm )) -lt 1800 ]; do sleep 2; done
  warm_s=$(( $(date +%s) - t_warm ))
  echo "  closed-period warm-up finished ${warm_s} s after the measured start ($(curl -s --max-time 5 "$base/health" || true))"
  jq -nc --argjson s "$warm_s" '{name: "warmup", kind: "warmup", seconds: $s}' >> "$OUT"

  # Request lists: T01's villages, ids of T01's cases, the last 12 months.
  local town_id
  town_id=$(sqlq "select \"Id\" from \"OrgUnits\" where \"Code\"='T01'")
  sqlq "select \"Code\" from \"OrgUnits\" where \"Kind\" in ('Village','Community') order by \"Id\"" > "$RES/villages.txt"
  sqlq "select \"Code\" from \"OrgUnits\" where \"TownId\"=$town_id and \"Kind\" in ('Village','Community') order by \"Id\"" > "$RES/t01-villages.txt"
  sqlq "select \"Id\" from \"Cases\" where \"TownId\"=$town_id and \"Id\" % 7 = 3 order by \"Id\" desc limit 500" > "$RES/t01-ids.txt"
  python3 "$SNAP/bench/paths.py" "$RES"

  log "[$provider] query latency, one client, ${QUERY_SECS}s each"
  local q
  for q in list-village-status list-overdue list-urgency-category list-search list-search-1 list-search-2 list-search-4 list-month case-detail \
           board my-tasks report-month topics report-consultation report-data report-cases; do
    run_wrk "$q" "town" 1 1 "$QUERY_SECS" paths.lua "$base" BENCH_PATHS="$RES/paths-$q.txt" BENCH_COOKIE="$town_cookie"
  done
  # County scope (issue 17): the administrator's county post; my tasks for a county leader.
  for q in list-village-status list-overdue list-urgency-category list-month list-search list-search-1 list-search-2 list-search-4 \
           board report-month report-consultation report-data; do
    run_wrk "$q" "county" 1 1 "$QUERY_SECS" paths.lua "$base" BENCH_PATHS="$RES/paths-$q-county.txt" BENCH_COOKIE="$county_cookie"
  done
  run_wrk my-tasks "county" 1 1 "$QUERY_SECS" paths.lua "$base" BENCH_PATHS="$RES/paths-my-tasks-county.txt" BENCH_COOKIE="$leader_cookie"
  local f
  while read -r f; do
    run_wrk "list-filter-$f" "county" 1 1 "$FILTER_SECS" paths.lua "$base" BENCH_PATHS="$RES/paths-list-filter-$f-county.txt" BENCH_COOKIE="$county_cookie"
  done < "$RES/filters.txt"

  log "[$provider] intake, ${INTAKE_SECS}s per concurrency"
  intake_runs "$base" "$provider" "$token"
  if [ "$provider" = sqlite ]; then
    # The intake journal (issue 17 item 4): "Prefer: respond-async" is answered 202 once the registration is durable
    # in the journal; the ledger's tables are written behind it. After each run, one registration without the
    # preference is answered only once everything before it is applied (the applier keeps the journal's order):
    # its wait is the time the ledger needed to catch up, so acknowledged and entered rates are both measured.
    log "[$provider] intake acknowledged from the journal (Prefer: respond-async), ${INTAKE_SECS}s per concurrency"
    local drain_ms
    for c in $INTAKE_CONCURRENCY; do
      t=$(( c < 2 ? 1 : 2 ))
      run_wrk "intake-async" "$provider" "$t" "$c" "$INTAKE_SECS" intake.lua "$base" \
        BENCH_TOKEN="$token" BENCH_VILLAGES="$RES/villages.txt" BENCH_RUN="$provider-$STAMP-async-c$c" BENCH_PREFER=respond-async
      drain_ms=$(curl -s -o /dev/null -m 900 -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d "{\"channel\":\"Hotline\",\"title\":\"排空计时 $c\",\"description\":\"排空计时\",\"orgUnit\":\"$(head -n 1 "$RES/villages.txt")\"}" \
        "$base/api/v1/cases" | awk '$1 == 201 {printf "%d", $2 * 1000; next} {printf "null"}')
      echo "  the ledger caught up ${drain_ms} ms after the run ended (null: the timing registration failed)"
      jq -nc --argjson c "$c" --argjson ms "$drain_ms" '{name: "intake-async-drain", kind: "sqlite", connections: $c, drain_ms: $ms}' >> "$OUT"
    done
  fi
  if [ "$provider" = postgres ]; then
    # Two nodes on one PostgreSQL (issue 17): a second server on the same database, 64 connections each,
    # at the same time; the sum of both nodes' 201s counts. Both run on the same 2 cores as wrk.
    log "[$provider] intake on two nodes, 2 × 64 connections"
    local SECOND_PID
    pushd "$APP_DIR" >/dev/null
    dotnet "$APP_DIR/Taizhang.Web.dll" --urls "http://127.0.0.1:$APP2_PORT" "${ARGS[@]}" >"$RES/$provider-node2.log" 2>&1 &
    SECOND_PID=$!
    popd >/dev/null
    local t2=$(( $(date +%s) + 120 ))
    until curl -sf -o /dev/null "http://127.0.0.1:$APP2_PORT/health"; do
      [ "$(date +%s)" -lt $t2 ] && kill -0 $SECOND_PID 2>/dev/null || { echo "second node did not start" >&2; break; }; sleep 0.2
    done
    reset_peak
    env BENCH_LUA_DIR="$LUA" BENCH_TOKEN="$token" BENCH_VILLAGES="$RES/villages.txt" BENCH_RUN="$provider-$STAMP-n2b" \
      wrk -t1 -c64 -d"${INTAKE_SECS}s" --timeout 30s -s "$LUA/intake.lua" "http://127.0.0.1:$APP2_PORT" | tail -n 1 > "$RES/node2-b.json" &
    local WRK2=$!
    env BENCH_LUA_DIR="$LUA" BENCH_TOKEN="$token" BENCH_VILLAGES="$RES/villages.txt" BENCH_RUN="$provider-$STAMP-n2a" \
      wrk -t1 -c64 -d"${INTAKE_SECS}s" --timeout 30s -s "$LUA/intake.lua" "$base" | tail -n 1 > "$RES/node2-a.json"
    wait $WRK2 || true
    kill $SECOND_PID 2>/dev/null || true; wait $SECOND_PID 2>/dev/null || true
    if jq -e . "$RES/node2-a.json" >/dev/null 2>&1 && jq -e . "$RES/node2-b.json" >/dev/null 2>&1; then
      jq -sc --argjson rss "$(peak_mib)" '{name: "intake-2nodes", kind: "postgres", connections: 128, peak_rss_mib: $rss,
        requests: (.[0].requests + .[1].requests), ok: (.[0].ok + .[1].ok), other_status: (.[0].other_status + .[1].other_status),
        socket_errors: (.[0].socket_errors + .[1].socket_errors), timeouts: (.[0].timeouts + .[1].timeouts),
        duration_us: ([.[0].duration_us, .[1].duration_us] | max),
        lat_us: {p50: ([.[0].lat_us.p50, .[1].lat_us.p50] | max), p90: ([.[0].lat_us.p90, .[1].lat_us.p90] | max),
                 p95: ([.[0].lat_us.p95, .[1].lat_us.p95] | max), p99: ([.[0].lat_us.p99, .[1].lat_us.p99] | max),
                 max: ([.[0].lat_us.max, .[1].lat_us.max] | max), mean: ((.[0].lat_us.mean + .[1].lat_us.mean) / 2)},
        nodes: [.[0].ok, .[1].ok]}' "$RES/node2-a.json" "$RES/node2-b.json" >> "$OUT"
      jq -r 'select(.name == "intake-2nodes") | "  two nodes: \(.ok) ok (\(.ok / (.duration_us / 1e6) | floor)/s; per node \(.nodes)), \(.other_status) other, p99 ≤ \(.lat_us.p99/1000) ms"' "$OUT"
    else
      echo "two-node intake: wrk failed ($(cat "$RES/node2-a.json" "$RES/node2-b.json"))" >&2
    fi
  fi
  jq -nc --argjson peak "$(peak_mib)" '{name: "server", kind: "lifetime-peak", peak_rss_mib: $peak}' >> "$OUT"
  stop_server

  # The group commit's batch limit (Intake:MaxBatch, default 256), at 128 connections; 1 = no group commit.
  # Each on a fresh server after a warm-up, so the values compare with each other (not with the runs above).
  local mb
  for mb in $MAXBATCH_SWEEP; do
    pushd "$APP_DIR" >/dev/null
    start_server "$RES/$provider-maxbatch-$mb.log" env DOTNET_TieredCompilation=0 "${APP[@]}" --Intake:MaxBatch "$mb"
    popd >/dev/null
    wait_http "$base/health" 180 >/dev/null
    # A fresh process under a saturating load runs unoptimised (tier-0) code for a long time: the JIT's
    # background compiler starves (measured at 1,000,000 cases, 128 connections: 143 cases/s fresh,
    # 277/s after a gentle warm-up, 695/s with tiered compilation off). So the sweep's servers run with
    # DOTNET_TieredCompilation=0 (everything optimised at first call) and a short warm-up for the caches:
    # the values compare with each other; the main runs above use the default runtime settings.
    env BENCH_LUA_DIR="$LUA" BENCH_TOKEN="$token" BENCH_VILLAGES="$RES/villages.txt" BENCH_RUN="$provider-$STAMP-warm$mb" \
      wrk -t1 -c2 -d"${WARMUP_SECS}s" -s "$LUA/intake.lua" "$base" >/dev/null
    run_wrk "intake-maxbatch-$mb" "$provider" 2 128 "$INTAKE_SECS" intake.lua "$base" \
      BENCH_TOKEN="$token" BENCH_VILLAGES="$RES/villages.txt" BENCH_RUN="$provider-$STAMP-mb$mb"
    stop_server
  done
  if [ "$provider" = sqlite ]; then
    du -m "$SQLITE_GOLDEN" | cut -f1 > "$RES/sqlite-size-mib"
  else
    psqlc -d postgres -c "select pg_database_size('$PG_GOLDEN')/1048576" > "$RES/postgres-size-mib"
  fi
}

bench_provider sqlite
[ $SKIP_PG -eq 1 ] || bench_provider postgres

# ---------------------------------------------------------------- the limit
log "[bare] intake limit: bench/BareEndpoint (parse JSON, 201, nothing stored)"
OUT="$RES/bare.jsonl"; : > "$OUT"
start_server "$RES/bare-server.log" dotnet "$BARE" --urls "http://127.0.0.1:$BARE_PORT"
wait_http "http://127.0.0.1:$BARE_PORT/health" 60 >/dev/null
intake_runs "http://127.0.0.1:$BARE_PORT" bare "none"
stop_server

# ---------------------------------------------------------------- the peer
if [ $SKIP_RT -eq 0 ]; then
  RT="${TAIZHANG_BENCH_RT:-$ROOT/../shared/peers/rt}"
  [ -d "$RT" ] || RT="$ROOT/../../shared/peers/rt"
  for backend in $RT_BACKENDS; do
    log "[rt-$backend] Request Tracker 5: install, bench.sh $RT_N $RT_C, stop"
    if DB_BACKEND=$backend RESET_DB=1 "$RT/install.sh" >"$RES/rt-$backend-install.log" 2>&1; then
      DB_BACKEND=$backend "$RT/bench.sh" "$RT_N" "$RT_C" --phases create1,createC,search --search-reps "$RT_REPS" 2>&1 | tee "$RES/rt-$backend.log" || true
      f=$(sed -n 's/^results: //p' "$RES/rt-$backend.log" | tail -n 1)
      [ -n "$f" ] && [ -f "$f" ] && jq 'del(.phases[].raw_lat_ms)' "$f" > "$RES/rt-$backend.json"
    else
      echo "RT install failed (see $RES/rt-$backend-install.log)"; tail -n 20 "$RES/rt-$backend-install.log"
    fi
    "$RT/stop.sh" >>"$RES/rt-$backend-install.log" 2>&1 || true
  done
fi

# ---------------------------------------------------------------- report
echo "\"$(date -u '+%Y-%m-%d %H:%M UTC')\"" > "$RES/finished_at"
echo "$(( $(date +%s) - T_START ))" > "$RES/wall_s"
cut -d' ' -f1-3 /proc/loadavg > "$RES/loadavg_at_end"
log "report"
python3 "$SNAP/bench/report.py" "$RES" "$ROOT/docs/BENCHMARKS.md" "$ROOT/bench/results/latest.json" "bench/run.sh $ORIG_ARGS"
echo "raw results: $RES"
