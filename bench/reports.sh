#!/usr/bin/env bash
# The reports and the board, measured:  bench/reports.sh [--golden PATH] [--cases N] [--meetings M] [--secs S]
#
# 1. publishes the app (Release, ReadyToRun) and the data generator;
# 2. takes the SQLite database given by --golden (e.g. one bench/consultation.sh generated today), or
#    generates a county of N cases (default 1,000,000) and M meetings (default 50,000) as consultation.sh
#    does, cached per (N, M, seed, day, sources); copies it to a work copy (the app migrates the copy on start);
# 3. starts the app on the copy, signs in a town's staff (TownStaff at T01) and a county leader (Leader at
#    the county);
# 4. per reader and scenario: the first request's time (cold: the closed-period cache,
#    Reports:ClosedPeriodCacheSeconds, is still empty for that period and scope unless an earlier scenario
#    of the same reader filled it), then wrk with one client for S seconds (default 10): warm p50/p95/p99;
#    the server's peak RSS over the run;
# 5. prints a table and writes the raw results to $WORK/results/<stamp>/reports.jsonl.
#
# Scenarios: GET /api/v1/reports (this month, last month, quarter, year, last month of a T01 village),
# GET /reports and /reports/print (last month), GET /reports/export.xlsx (skipped when the app has none),
# GET /api/v1/reports/cases (last month, handled), GET /board and /board?period=last-month, GET /api/v1/tasks/counts
# (the header's number) and /api/v1/tasks (my tasks).
# The target (issue 16): every figure under 200 ms p95 at 1,000,000 cases on SQLite on 2 cores.
# Work files live in $TAIZHANG_BENCH_REPORTS_WORK (default /var/tmp/taizhang-bench-reports).
# Never part of ./test.sh. docs/BENCHMARKS.md ("Reports and board at 1,000,000 cases") has the figures.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

CASES=1000000; MEETINGS=50000; SECS=10; GIVEN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --golden) GIVEN=$2; shift ;;
    --cases) CASES=$2; shift ;;
    --meetings) MEETINGS=$2; shift ;;
    --secs) SECS=$2; shift ;;
    *) echo "usage: bench/reports.sh [--golden PATH] [--cases N] [--meetings M] [--secs S]" >&2; exit 2 ;;
  esac
  shift
done
SEED=42; PORT=${TAIZHANG_BENCH_REPORTS_PORT:-5093}
# A request slower than this is cut off (cold) or ends the scenario's warm run early (wrk's timeout).
COLD_MAX=${TAIZHANG_BENCH_REPORTS_COLD_MAX:-300}
WORK=${TAIZHANG_BENCH_REPORTS_WORK:-/var/tmp/taizhang-bench-reports}
STAMP=$(date -u +%Y%m%d-%H%M%S); RES="$WORK/results/$STAMP"; mkdir -p "$RES"
OUT="$RES/reports.jsonl"; : > "$OUT"
LUA="$ROOT/bench/wrk"
ADMIN_PW='Bench-Admin-2026!'; ADMIN_OWN='Bench-Admin-2026! own words'
USER_PW='Bench-User-2026!'; USER_OWN='Bench-User-2026! own words'
log() { printf '\n== %s  (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
for tool in curl jq python3 wrk sqlite3; do
  command -v $tool >/dev/null || { echo "needs $tool (apt-get install wrk jq sqlite3 curl)" >&2; exit 1; }
done
echo "{\"started_at\": \"$(date -u '+%F %T')\", \"nproc\": $(nproc), \"loadavg_at_start\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"git\": \"$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo '+changes')\"}" > "$RES/machine.json"

# TAIZHANG_BENCH_REPORTS_BUILD: an app published before (its app/ folder) instead of publishing this tree (before/after runs).
if [ -n "${TAIZHANG_BENCH_REPORTS_BUILD:-}" ]; then
  BUILD=$TAIZHANG_BENCH_REPORTS_BUILD; log "using the app published in $BUILD"
else
log "publishing the app (Release, ReadyToRun) to $WORK/build"
BUILD="$WORK/build"; rm -rf "$BUILD"; mkdir -p "$BUILD"
RID="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
dotnet publish src/Taizhang.Web/Taizhang.Web.csproj -c Release -r "$RID" --self-contained false -p:PublishReadyToRun=true \
  -nologo -v q -o "$BUILD/app" >>"$RES/build.log" 2>&1 || { cat "$RES/build.log"; exit 1; }
fi

if [ -n "$GIVEN" ]; then
  [ -s "$GIVEN" ] || { echo "no database at $GIVEN" >&2; exit 1; }
  GOLDEN=$GIVEN
  log "using the given database $GOLDEN"
else
  dotnet publish bench/Taizhang.Bench.Generator/Taizhang.Bench.Generator.csproj -c Release -nologo -v q -o "$BUILD/gen" >>"$RES/build.log" 2>&1 \
    || { cat "$RES/build.log"; exit 1; }
  KEY=$( (echo "$CASES $MEETINGS $SEED $(date -u +%F)"; find bench/Taizhang.Bench.Generator src/Taizhang.Web/Demo src/Taizhang.Web/Data src/Taizhang.Domain \
    -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort | xargs sha1sum) | sha1sum | cut -c1-12)
  GOLDEN="$WORK/golden-$CASES-$KEY.db"
  if [ ! -s "$GOLDEN" ]; then
    log "generating $CASES cases and $MEETINGS meetings on SQLite (cached as $GOLDEN)"
    rm -f "$WORK"/golden-"$CASES"-*.db* "$WORK/generating.db"*
    dotnet "$BUILD/gen/Taizhang.Bench.Generator.dll" --provider sqlite --connection "Data Source=$WORK/generating.db" \
      --cases "$CASES" --meetings "$MEETINGS" --seed "$SEED" --now "$(date -u +%F)T00:00:00Z" | tail -n 4
    mv "$WORK/generating.db" "$GOLDEN"; rm -f "$WORK/generating.db"*
  else
    log "reusing $GOLDEN"
  fi
fi

SERVER_PID=""
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
trap stop_server EXIT
peak_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$SERVER_PID/status"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$SERVER_PID/status"; }
start_server() {
  local t0; t0=$(date +%s)
  (cd "$BUILD/app" && exec dotnet Taizhang.Web.dll --urls "$BASE" --Database:Provider Sqlite --Database:ConnectionString "Data Source=$WORK/run.db" \
    --Bootstrap:AdminPassword "$ADMIN_PW" --RateLimits:PublicPerMinute 100000000 ${TAIZHANG_BENCH_SERVER_ARGS:-}) >>"$RES/server.log" 2>&1 &
  SERVER_PID=$!
  # The first start on an older golden database migrates it (new columns, indexes): allow some minutes.
  for _ in $(seq 1 6000); do
    if curl -sf -o /dev/null "$BASE/health"; then echo "  up after $(( $(date +%s) - t0 )) s (migrations included), RSS $(rss_mib) MiB"; return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2
  done
  echo "the app did not start" >&2; tail -n 30 "$RES/server.log" >&2; exit 1
}

log "copying $GOLDEN to $WORK/run.db"
rm -f "$WORK/run.db" "$WORK/run.db-wal" "$WORK/run.db-shm"
cp "$GOLDEN" "$WORK/run.db"
BASE="http://127.0.0.1:$PORT"
log "starting the app"
start_server

log "signing in: the administrator creates T01's staff and a county leader"
xsrf=$(curl -s -c "$RES/admin.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"admin\",\"password\":\"$ADMIN_PW\"}" "$BASE/api/v1/session" | jq -r .antiforgeryToken)
curl -s -o /dev/null -b "$RES/admin.jar" -c "$RES/admin.jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
  -d "{\"currentPassword\":\"$ADMIN_PW\",\"newPassword\":\"$ADMIN_OWN\"}" "$BASE/api/v1/account/password"
sqlq() { sqlite3 "$WORK/run.db" "$1"; }
COUNTY=$(sqlq "select \"Code\" from \"OrgUnits\" where \"Kind\"='County' order by \"Id\" limit 1")
sign_in() { # user display role unit -> prints the cookie
  local user=$1 display=$2 role=$3 unit=$4 x
  curl -s -o /dev/null -b "$RES/admin.jar" -c "$RES/admin.jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
    -d "{\"userName\":\"$user\",\"displayName\":\"$display\",\"password\":\"$USER_PW\",\"posts\":[{\"role\":\"$role\",\"unit\":\"$unit\"}]}" "$BASE/api/v1/admin/users"
  x=$(curl -s -c "$RES/$user.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"$user\",\"password\":\"$USER_PW\"}" "$BASE/api/v1/session" | jq -r .antiforgeryToken)
  curl -s -o /dev/null -b "$RES/$user.jar" -c "$RES/$user.jar" -H "X-XSRF-TOKEN: $x" -H 'Content-Type: application/json' \
    -d "{\"currentPassword\":\"$USER_PW\",\"newPassword\":\"$USER_OWN\"}" "$BASE/api/v1/account/password"
  rm -f "$RES/$user.jar"
  curl -s -o /dev/null -c "$RES/$user.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"$user\",\"password\":\"$USER_OWN\"}" "$BASE/api/v1/session"
  awk '$6=="taizhang.auth" {print $6"="$7}' "$RES/$user.jar"
}
TOWN_COOKIE=$(sign_in town01 受理员 TownStaff T01)
COUNTY_COOKIE=$(sign_in leader01 县领导 Leader "$COUNTY")
[ -n "$TOWN_COOKIE" ] || { echo "could not sign in town01" >&2; exit 1; }
[ -n "$COUNTY_COOKIE" ] || { echo "could not sign in leader01" >&2; exit 1; }
TOWN_ID=$(sqlq "select \"Id\" from \"OrgUnits\" where \"Code\"='T01'")
VILLAGE=$(sqlq "select \"Code\" from \"OrgUnits\" where \"TownId\"=$TOWN_ID and \"Kind\" in ('Village','Community') order by \"Id\" limit 1")
echo "  county $COUNTY, village $VILLAGE; $(sqlq 'select count(*) from "Cases"') cases, $(sqlq 'select count(*) from "CaseEvents"') events"

# The closed-period warm-up (ClosedPeriodWarmup) computes every town's last month, quarter and year in the background after
# start; /health says "Healthy" once it is done. Timing readers before that measures the warm-up, not them (a town's year
# read 1.9 s p95 beside it). "Cold" below is then a first request after the warm-up.
t_warm=$(date +%s)
while [ "$(curl -s --max-time 5 "$BASE/health" || true)" != "Healthy" ] && [ $(( $(date +%s) - t_warm )) -lt 1800 ]; do sleep 2; done
echo "  closed-period warm-up finished $(( $(date +%s) - t_warm )) s after sign-in ($(curl -s --max-time 5 "$BASE/health" || true))"

# A closed month of the trend other than last month (six months back): stored with its details by the warm-up.
OLDER_MONTH=$(date -u -d "$(date -u +%Y-%m-01) -6 months" +%Y-%m)
# name path (in this order per reader: the closed-period cache the API fills is reused by the pages after it)
SCENARIOS=(
  "api-this-month|/api/v1/reports"
  "api-last-month|/api/v1/reports?period=last-month"
  "api-quarter|/api/v1/reports?period=quarter"
  "api-year|/api/v1/reports?period=year"
  "api-village-last-month|/api/v1/reports?period=last-month&unit=$VILLAGE"
  "api-older-month|/api/v1/reports?period=month&month=$OLDER_MONTH"
  "page-last-month|/reports?period=last-month"
  "print-last-month|/reports/print?period=last-month"
  "export-xlsx-last-month|/reports/export.xlsx?period=last-month"
  "cases-handled-last-month|/api/v1/reports/cases?period=last-month&figure=handled"
  "board|/board"
  "board-last-month|/board?period=last-month"
  "tasks-counts|/api/v1/tasks/counts"
  "tasks|/api/v1/tasks"
)

measure() { # reader cookie
  local reader=$1 cookie=$2 s name path cold code secs line load
  for s in "${SCENARIOS[@]}"; do
    name=${s%%|*}; path=${s#*|}
    # TAIZHANG_BENCH_REPORTS_ONLY: a regular expression of the scenario names to run (default: all).
    # TAIZHANG_BENCH_SERVER_ARGS: more arguments for the server (e.g. a log level), unquoted.
    if [ -n "${TAIZHANG_BENCH_REPORTS_ONLY:-}" ] && ! [[ $name =~ $TAIZHANG_BENCH_REPORTS_ONLY ]]; then continue; fi
    load=$(cut -d' ' -f1 /proc/loadavg)
    # cold: the first request of this reader for this path
    read -r code secs < <(curl -s -o "$RES/body-$reader-$name" --max-time "$COLD_MAX" -b "$cookie" -H 'Accept: application/json, text/html' \
      -w '%{http_code} %{time_total}\n' "$BASE$path" || echo "000 $COLD_MAX")
    cold=$(awk -v s="$secs" 'BEGIN {printf "%.1f", s * 1000}')
    if [ "$code" = 404 ]; then
      echo "  [$reader] $name: 404, skipped"
      jq -nc --arg r "$reader" --arg n "$name" --arg p "$path" '{reader: $r, name: $n, path: $p, skipped: "404"}' >> "$OUT"
      continue
    fi
    if [ "$code" != 200 ]; then
      echo "  [$reader] $name: cold $code after $cold ms ($(head -c 300 "$RES/body-$reader-$name"))"
    fi
    echo "$path" > "$RES/paths-$reader-$name.txt"
    line=$(env BENCH_LUA_DIR="$LUA" BENCH_PATHS="$RES/paths-$reader-$name.txt" BENCH_COOKIE="$cookie" \
      wrk -t1 -c1 -d"${SECS}s" --timeout "${COLD_MAX}s" -s "$LUA/paths.lua" "$BASE" | tail -n 1)
    if ! echo "$line" | jq -e . >/dev/null 2>&1; then echo "wrk failed for $name: $line" >&2; exit 1; fi
    echo "$line" | jq -c --arg r "$reader" --arg n "$name" --arg p "$path" --argjson cold "$cold" --arg code "$code" \
      --argjson cases "$(sqlq 'select count(*) from "Cases"')" --argjson load "$load" --argjson peak "$(peak_mib)" \
      '. + {reader: $r, name: $n, path: $p, cold_ms: $cold, cold_status: ($code | tonumber), provider: "sqlite", connections: 1,
            cases: $cases, loadavg_1m: $load, peak_rss_mib: $peak}' >> "$OUT"
    echo "$line" | jq -r --arg r "$reader" --arg n "$name" --arg cold "$cold" \
      '"  [\($r)] \($n): cold \($cold) ms; warm \(.ok) ok, \(.other_status) other, p50 \(.lat_us.p50/1000) ms, p95 \(.lat_us.p95/1000) ms, p99 \(.lat_us.p99/1000) ms"'
  done
}

log "the town's staff (T01): cold first request, then $SECS s warm, one client"
measure town "$TOWN_COOKIE"
log "the county leader ($COUNTY): cold first request, then $SECS s warm, one client"
measure county "$COUNTY_COOKIE"
PEAK=$(peak_mib)
echo "{\"name\": \"server\", \"peak_rss_mib\": $PEAK}" >> "$OUT"
stop_server

log "results (peak RSS ${PEAK} MiB; load average now: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores)"
jq -rs '["reader","scenario","cold ms","requests","p50 ms","p95 ms","p99 ms","<200 ms p95","other","load 1m"],
  (.[] | select(.reader != null) | if .skipped then [.reader, .name, "-", "skipped (404)", "", "", "", "", "", ""] else
   [.reader, .name, .cold_ms, .ok, (.lat_us.p50 / 1000), (.lat_us.p95 / 1000), (.lat_us.p99 / 1000),
    (if .ok == 0 then "no" elif .lat_us.p95 < 200000 then "yes" else "no" end), .other_status, .loadavg_1m] end)
  | @tsv' "$OUT" | column -t -s $'\t'
echo "raw results: $OUT"
