#!/usr/bin/env bash
# The residents' public pages, measured:  bench/public.sh [--cases N] [--secs S] [--connections C]
#
# 1. publishes the app (Release, ReadyToRun, as README "Deploying" does) and the data generator;
# 2. generates a county of N cases (default 1,000,000) on SQLite, cached in the work folder per
#    (N, seed, day, generator + demo + domain sources); the app migrates its copy forward on start;
# 3. starts the app on a copy, anonymous like a resident, with the public form's rate limit and
#    proof-of-work difficulty lifted for the load (Residents:ProofOfWorkBits=0: the server still
#    checks a challenge per submission; only the client's search is skipped);
# 4. measures with wrk, one scenario after another, S seconds each (default 10) at C connections
#    (default 4): GET /report (the form), POST /report (a submission through the form, a new case each),
#    GET /track/{code} (the tracking page) and GET /api/v1/track/{code}, codes drawn from the ledger;
# 5. prints p50/p95/p99 and writes the raw results to $WORK/results/<stamp>/public.jsonl.
#
# The target (issue 14): the public form and the tracking page under 50 ms p95 at 1,000,000 cases.
# PostgreSQL is optional: with TAIZHANG_BENCH_POSTGRES (a connection string without Database=) the same
# runs on a PostgreSQL copy as well. Work files live in $TAIZHANG_BENCH_PUBLIC_WORK (default
# /var/tmp/taizhang-bench-public). Never part of ./test.sh. docs/BENCHMARKS.md ("Public pages") has the figures.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

CASES=1000000; SECS=10; CONNS=4
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) CASES=$2; shift ;;
    --secs) SECS=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    *) echo "usage: bench/public.sh [--cases N] [--secs S] [--connections C]" >&2; exit 2 ;;
  esac
  shift
done
SEED=42; PORT=${TAIZHANG_BENCH_PUBLIC_PORT:-5091}
WORK=${TAIZHANG_BENCH_PUBLIC_WORK:-/var/tmp/taizhang-bench-public}
STAMP=$(date -u +%Y%m%d-%H%M%S); RES="$WORK/results/$STAMP"; mkdir -p "$RES"
OUT="$RES/public.jsonl"; : > "$OUT"
LUA="$ROOT/bench/wrk"
log() { printf '\n== %s  (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
for tool in curl jq python3 wrk sqlite3; do
  command -v $tool >/dev/null || { echo "needs $tool (apt-get install wrk jq sqlite3 curl)" >&2; exit 1; }
done

log "publishing the app (Release, ReadyToRun) and the generator to $WORK/build"
BUILD="$WORK/build"; rm -rf "$BUILD"; mkdir -p "$BUILD"
RID="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
dotnet publish src/Taizhang.Web/Taizhang.Web.csproj -c Release -r "$RID" --self-contained false -p:PublishReadyToRun=true \
  -nologo -v q -o "$BUILD/app" >>"$RES/build.log" 2>&1 || { cat "$RES/build.log"; exit 1; }
dotnet publish bench/Taizhang.Bench.Generator/Taizhang.Bench.Generator.csproj -c Release -nologo -v q -o "$BUILD/gen" >>"$RES/build.log" 2>&1 \
  || { cat "$RES/build.log"; exit 1; }

# Keyed without the web project's migrations: the app brings a cached database up to date when it starts.
KEY=$( (echo "$CASES $SEED $(date -u +%F)"; find bench/Taizhang.Bench.Generator src/Taizhang.Web/Demo src/Taizhang.Domain \
  -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort | xargs sha1sum) | sha1sum | cut -c1-12)
NOW_ISO="$(date -u +%F)T00:00:00Z"
GOLDEN="$WORK/golden-$CASES-$KEY.db"
if [ ! -s "$GOLDEN" ]; then
  log "generating $CASES cases on SQLite (cached as $GOLDEN)"
  rm -f "$WORK"/golden-"$CASES"-*.db* "$WORK/generating.db"*
  dotnet "$BUILD/gen/Taizhang.Bench.Generator.dll" --provider sqlite --connection "Data Source=$WORK/generating.db" \
    --cases "$CASES" --seed "$SEED" --now "$NOW_ISO" | tail -n 3
  mv "$WORK/generating.db" "$GOLDEN"; rm -f "$WORK/generating.db"*
else
  log "reusing $GOLDEN"
fi

SERVER_PID=""
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
trap stop_server EXIT

run_wrk() { # name script url env...
  local name=$1 script=$2 url=$3; shift 3
  local line
  line=$(env BENCH_LUA_DIR="$LUA" "$@" wrk -t1 -c"$CONNS" -d"${SECS}s" --timeout 30s -s "$LUA/$script" "$url" | tail -n 1)
  if ! echo "$line" | jq -e . >/dev/null 2>&1; then echo "wrk failed for $name: $line" >&2; exit 1; fi
  echo "$line" | jq -c --arg name "$name" --arg provider "$PROVIDER" --argjson c "$CONNS" --argjson cases "$CASES" \
    --arg load "$(cut -d' ' -f1 /proc/loadavg)" '. + {name: $name, provider: $provider, connections: $c, cases: $cases, loadavg_1m: ($load | tonumber)}' >> "$OUT"
  echo "$line" | jq -r --arg name "$name" \
    '"  \($name): \(.ok) ok (\(.ok / (.duration_us / 1e6) | floor)/s), \(.other_status) other \(.sample_other), p50 \(.lat_us.p50/1000) ms, p95 \(.lat_us.p95/1000) ms, p99 \(.lat_us.p99/1000) ms"'
}

bench_provider() { # name codes-file villages-file town args...
  PROVIDER=$1; local codes=$2 villages=$3 town=$4; shift 4
  local base="http://127.0.0.1:$PORT"
  (cd "$BUILD/app" && exec dotnet Taizhang.Web.dll --urls "$base" "$@" --Bootstrap:AdminPassword 'Bench-Admin-2026!' \
    --Residents:ProofOfWorkBits 0 --RateLimits:ReportPerHour 100000000 --RateLimits:TrackingPerMinute 100000000) \
    >"$RES/$PROVIDER-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 900); do curl -sf -o /dev/null "$base/health" && break; sleep 0.2; done
  awk '{print "/track/" $1}' "$codes" > "$RES/paths-track-page.txt"
  awk '{print "/api/v1/track/" $1}' "$codes" > "$RES/paths-track-api.txt"
  # A county's install asks for the town first (/report), then shows that town's form (/report?town=…): both timed.
  echo "/report" > "$RES/paths-report-towns.txt"
  echo "/report?town=$town" > "$RES/paths-report.txt"
  log "[$PROVIDER] warm-up"
  for p in /report "/report?town=$town" "$(head -n 1 "$RES/paths-track-page.txt")" "$(head -n 1 "$RES/paths-track-api.txt")"; do
    curl -s -o /dev/null -w "  GET $p %{http_code}\n" "$base$p"
  done
  log "[$PROVIDER] $SECS s per scenario, $CONNS connections"
  run_wrk report-towns paths.lua "$base" BENCH_PATHS="$RES/paths-report-towns.txt"
  run_wrk report-form paths.lua "$base" BENCH_PATHS="$RES/paths-report.txt"
  run_wrk track-page paths.lua "$base" BENCH_PATHS="$RES/paths-track-page.txt"
  run_wrk track-api paths.lua "$base" BENCH_PATHS="$RES/paths-track-api.txt"
  # The form's POST needs its antiforgery pair and a challenge per submission: report_submit.py fetches
  # the form before each POST (not timed) and times the POST alone, as a resident's browser sends it.
  local line
  line=$(python3 "$ROOT/bench/report_submit.py" "$base/report?town=$town" "$villages" "$SECS" "$CONNS" "$PROVIDER-$STAMP")
  echo "$line" | jq -c --arg provider "$PROVIDER" --argjson c "$CONNS" --argjson cases "$CASES" --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
    '. + {name: "report-submit", provider: $provider, connections: $c, cases: $cases, loadavg_1m: ($load | tonumber)}' >> "$OUT"
  echo "$line" | jq -r '"  report-submit: \(.ok) ok (\(.ok / (.duration_us / 1e6) | floor)/s), \(.other_status) other \(.sample_other), p50 \(.lat_us.p50/1000) ms, p95 \(.lat_us.p95/1000) ms, p99 \(.lat_us.p99/1000) ms"'
  stop_server
}

cp "$GOLDEN" "$WORK/run.db"; rm -f "$WORK/run.db-wal" "$WORK/run.db-shm"
sqlite3 "$WORK/run.db" "select \"TrackingCode\" from \"Cases\" where \"Id\" % 97 = 5 order by \"Id\" desc limit 2000" > "$RES/codes.txt"
TOWN=$(sqlite3 "$WORK/run.db" "select \"Code\" from \"OrgUnits\" where \"Kind\"='Town' order by \"Id\" limit 1")
sqlite3 "$WORK/run.db" "select v.\"Code\" from \"OrgUnits\" v join \"OrgUnits\" t on t.\"Id\"=v.\"TownId\" where t.\"Code\"='$TOWN' and v.\"Kind\" in ('Village','Community') order by v.\"Id\"" > "$RES/villages.txt"
bench_provider sqlite "$RES/codes.txt" "$RES/villages.txt" "$TOWN" --Database:Provider Sqlite --Database:ConnectionString "Data Source=$WORK/run.db"

if [ -n "${TAIZHANG_BENCH_POSTGRES:-}" ]; then
  command -v psql >/dev/null || { echo "needs psql for PostgreSQL" >&2; exit 1; }
  PGDB="tzb_public_$CASES"
  PGH=$(echo "$TAIZHANG_BENCH_POSTGRES" | sed -n 's/.*Host=\([^;]*\).*/\1/p'); PGP=$(echo "$TAIZHANG_BENCH_POSTGRES" | sed -n 's/.*Port=\([^;]*\).*/\1/p')
  PGU=$(echo "$TAIZHANG_BENCH_POSTGRES" | sed -n 's/.*User[ a-zA-Z]*=\([^;]*\).*/\1/p')
  psqlc() { psql -X -q -At -h "$PGH" -p "${PGP:-5432}" -U "${PGU:-postgres}" "$@"; }
  psqlc -d postgres -c "drop database if exists $PGDB with (force)"
  log "generating $CASES cases on PostgreSQL (database $PGDB)"
  dotnet "$BUILD/gen/Taizhang.Bench.Generator.dll" --provider postgres --connection "$TAIZHANG_BENCH_POSTGRES;Database=$PGDB" \
    --cases "$CASES" --seed "$SEED" --now "$NOW_ISO" | tail -n 3
  psqlc -d "$PGDB" -c "select \"TrackingCode\" from \"Cases\" where \"Id\" % 97 = 5 order by \"Id\" desc limit 2000" > "$RES/pg-codes.txt"
  PGTOWN=$(psqlc -d "$PGDB" -c "select \"Code\" from \"OrgUnits\" where \"Kind\"='Town' order by \"Id\" limit 1")
  psqlc -d "$PGDB" -c "select v.\"Code\" from \"OrgUnits\" v join \"OrgUnits\" t on t.\"Id\"=v.\"TownId\" where t.\"Code\"='$PGTOWN' and v.\"Kind\" in ('Village','Community') order by v.\"Id\"" > "$RES/pg-villages.txt"
  bench_provider postgres "$RES/pg-codes.txt" "$RES/pg-villages.txt" "$PGTOWN" \
    --Database:Provider Postgres --Database:ConnectionString "$TAIZHANG_BENCH_POSTGRES;Database=$PGDB"
  psqlc -d postgres -c "drop database if exists $PGDB with (force)"
fi

log "results (load average now: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores)"
jq -rs '["provider","scenario","requests/s","p50 ms","p95 ms","p99 ms","other","load 1m"],
  (.[] | [.provider, .name, (.ok / (.duration_us / 1e6) | floor), (.lat_us.p50 / 1000), (.lat_us.p95 / 1000), (.lat_us.p99 / 1000), .other_status, .loadavg_1m])
  | @tsv' "$OUT" | column -t -s $'\t'
echo "raw results: $OUT"
