#!/usr/bin/env bash
# The consultation pages, measured:  bench/consultation.sh [--cases N] [--meetings M] [--secs S]
#
# 1. publishes the app (Release, ReadyToRun) and the data generator;
# 2. generates a county of N cases (default 1,000,000) and M meetings (default 50,000: each village's
#    council, representatives' assemblies, the towns' forums and concentrated-handling meetings, with
#    members, agendas drawn from the topic ledger, outcomes, votes and minutes) on SQLite, cached per
#    (N, M, seed, day, generator + demo + domain + data sources);
# 3. starts the app on a copy, signs in a town's staff (TownStaff at T01) and a county leader;
# 4. measures with wrk, one client, S seconds a scenario (default 10): the meetings list (API and page,
#    by village), a meeting (API and page), the topic ledger (API and page, by village and overdue step)
#    and a village's public page (HTML and JSON, anonymous);
# 5. prints p50/p95/p99 and writes the raw results to $WORK/results/<stamp>/consultation.jsonl.
#
# The target (issue 15): every scenario under 30 ms p95 at 1,000,000 cases and 50,000 meetings.
# Work files live in $TAIZHANG_BENCH_CONSULTATION_WORK (default /var/tmp/taizhang-bench-consultation).
# Never part of ./test.sh. docs/BENCHMARKS.md ("Consultation pages") has the figures.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

CASES=1000000; MEETINGS=50000; SECS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) CASES=$2; shift ;;
    --meetings) MEETINGS=$2; shift ;;
    --secs) SECS=$2; shift ;;
    *) echo "usage: bench/consultation.sh [--cases N] [--meetings M] [--secs S]" >&2; exit 2 ;;
  esac
  shift
done
SEED=42; PORT=${TAIZHANG_BENCH_CONSULTATION_PORT:-5092}
WORK=${TAIZHANG_BENCH_CONSULTATION_WORK:-/var/tmp/taizhang-bench-consultation}
STAMP=$(date -u +%Y%m%d-%H%M%S); RES="$WORK/results/$STAMP"; mkdir -p "$RES"
OUT="$RES/consultation.jsonl"; : > "$OUT"
LUA="$ROOT/bench/wrk"
ADMIN_PW='Bench-Admin-2026!'; ADMIN_OWN='Bench-Admin-2026! own words'
TOWN_PW='Bench-Town-2026!'; TOWN_OWN='Bench-Town-2026! own words'
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

KEY=$( (echo "$CASES $MEETINGS $SEED $(date -u +%F)"; find bench/Taizhang.Bench.Generator src/Taizhang.Web/Demo src/Taizhang.Web/Data src/Taizhang.Domain \
  -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort | xargs sha1sum) | sha1sum | cut -c1-12)
NOW_ISO="$(date -u +%F)T00:00:00Z"
GOLDEN="$WORK/golden-$CASES-$KEY.db"
if [ ! -s "$GOLDEN" ]; then
  log "generating $CASES cases and $MEETINGS meetings on SQLite (cached as $GOLDEN)"
  rm -f "$WORK"/golden-"$CASES"-*.db* "$WORK/generating.db"*
  dotnet "$BUILD/gen/Taizhang.Bench.Generator.dll" --provider sqlite --connection "Data Source=$WORK/generating.db" \
    --cases "$CASES" --meetings "$MEETINGS" --seed "$SEED" --now "$NOW_ISO" | tail -n 4
  mv "$WORK/generating.db" "$GOLDEN"; rm -f "$WORK/generating.db"*
else
  log "reusing $GOLDEN"
fi

SERVER_PID=""
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
trap stop_server EXIT
start_server() {
  (cd "$BUILD/app" && exec dotnet Taizhang.Web.dll --urls "$BASE" --Database:Provider Sqlite --Database:ConnectionString "Data Source=$WORK/run.db" \
    --Bootstrap:AdminPassword "$ADMIN_PW" --RateLimits:PublicPerMinute 100000000) >>"$RES/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 900); do curl -sf -o /dev/null "$BASE/health" && return 0; sleep 0.2; done
  echo "the app did not start" >&2; tail -n 30 "$RES/server.log" >&2; exit 1
}

run_wrk() { # name cookie paths-file
  local name=$1 cookie=$2 paths=$3 line
  line=$(env BENCH_LUA_DIR="$LUA" BENCH_PATHS="$paths" BENCH_COOKIE="$cookie" wrk -t1 -c1 -d"${SECS}s" --timeout 30s -s "$LUA/paths.lua" "$BASE" | tail -n 1)
  if ! echo "$line" | jq -e . >/dev/null 2>&1; then echo "wrk failed for $name: $line" >&2; exit 1; fi
  echo "$line" | jq -c --arg name "$name" --argjson cases "$CASES" --argjson meetings "$MEETINGS" --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
    '. + {name: $name, provider: "sqlite", connections: 1, cases: $cases, meetings: $meetings, loadavg_1m: ($load | tonumber)}' >> "$OUT"
  echo "$line" | jq -r --arg name "$name" \
    '"  \($name): \(.ok) ok (\(.ok / (.duration_us / 1e6) | floor)/s), \(.other_status) other \(.sample_other), p50 \(.lat_us.p50/1000) ms, p95 \(.lat_us.p95/1000) ms, p99 \(.lat_us.p99/1000) ms"'
}

cp "$GOLDEN" "$WORK/run.db"; rm -f "$WORK/run.db-wal" "$WORK/run.db-shm"
BASE="http://127.0.0.1:$PORT"
start_server
log "signing in: the administrator creates T01's staff"
xsrf=$(curl -s -c "$RES/admin.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"admin\",\"password\":\"$ADMIN_PW\"}" "$BASE/api/v1/session" | jq -r .antiforgeryToken)
curl -s -o /dev/null -b "$RES/admin.jar" -c "$RES/admin.jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
  -d "{\"currentPassword\":\"$ADMIN_PW\",\"newPassword\":\"$ADMIN_OWN\"}" "$BASE/api/v1/account/password"
curl -s -o /dev/null -b "$RES/admin.jar" -c "$RES/admin.jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
  -d "{\"userName\":\"town01\",\"displayName\":\"受理员\",\"password\":\"$TOWN_PW\",\"posts\":[{\"role\":\"TownStaff\",\"unit\":\"T01\"}]}" "$BASE/api/v1/admin/users"
xsrf=$(curl -s -c "$RES/town.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"town01\",\"password\":\"$TOWN_PW\"}" "$BASE/api/v1/session" | jq -r .antiforgeryToken)
curl -s -o /dev/null -b "$RES/town.jar" -c "$RES/town.jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
  -d "{\"currentPassword\":\"$TOWN_PW\",\"newPassword\":\"$TOWN_OWN\"}" "$BASE/api/v1/account/password"
rm -f "$RES/town.jar"
curl -s -o /dev/null -c "$RES/town.jar" -H 'Content-Type: application/json' -d "{\"userName\":\"town01\",\"password\":\"$TOWN_OWN\"}" "$BASE/api/v1/session"
TOWN_COOKIE=$(awk '$6=="taizhang.auth" {print $6"="$7}' "$RES/town.jar")
[ -n "$TOWN_COOKIE" ] || { echo "could not sign in town01" >&2; exit 1; }

sqlq() { sqlite3 "$WORK/run.db" "$1"; }
TOWN_ID=$(sqlq "select \"Id\" from \"OrgUnits\" where \"Code\"='T01'")
sqlq "select \"Code\" from \"OrgUnits\" where \"TownId\"=$TOWN_ID and \"Kind\" in ('Village','Community') order by \"Id\"" > "$RES/villages.txt"
sqlq "select \"Id\" from \"Meetings\" where \"TownId\"=$TOWN_ID order by \"Id\" desc limit 500" > "$RES/meeting-ids.txt"
# Every village's public page shows something: publish each T01 village's latest decision (through the API, as a cadre would).
python3 - "$RES" <<'PY'
import sys, urllib.parse
res = sys.argv[1]
read = lambda n: [l.strip() for l in open(f"{res}/{n}", encoding="utf-8") if l.strip()]
villages, ids = read("villages.txt"), read("meeting-ids.txt")
lists = {
    "meetings-api": [f"/api/v1/meetings?unit={v}" for v in villages] + ["/api/v1/meetings"],
    "meetings-page": [f"/meetings?unit={v}" for v in villages] + ["/meetings"],
    "meeting-api": [f"/api/v1/meetings/{i}" for i in ids],
    "meeting-page": [f"/meetings/{i}" for i in ids],
    "topics-api": [f"/api/v1/topics?village={v}" for v in villages] + ["/api/v1/topics", "/api/v1/topics?overdueStep=true"],
    "topics-page": [f"/topics?village={v}" for v in villages] + ["/topics"],
    "public-page": [f"/public/{v}" for v in villages],
    "public-api": [f"/api/v1/public/disclosures/{v}" for v in villages],
}
for name, paths in lists.items():
    open(f"{res}/paths-{name}.txt", "w", encoding="utf-8").write("\n".join(paths) + "\n")
PY

log "warm-up"
for f in "$RES"/paths-*.txt; do
  p=$(head -n 1 "$f"); curl -s -o /dev/null -b "$TOWN_COOKIE" -w "  GET $p %{http_code}\n" --cookie "$TOWN_COOKIE" "$BASE$p"
done
log "$SECS s per scenario, one client"
for q in meetings-api meetings-page meeting-api meeting-page topics-api topics-page; do
  run_wrk "$q" "$TOWN_COOKIE" "$RES/paths-$q.txt"
done
for q in public-page public-api; do
  run_wrk "$q" "" "$RES/paths-$q.txt"
done
stop_server

log "results (load average now: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores)"
jq -rs '["scenario","requests/s","p50 ms","p95 ms","p99 ms","other","load 1m"],
  (.[] | [.name, (.ok / (.duration_us / 1e6) | floor), (.lat_us.p50 / 1000), (.lat_us.p95 / 1000), (.lat_us.p99 / 1000), .other_status, .loadavg_1m])
  | @tsv' "$OUT" | column -t -s $'\t'
echo "raw results: $OUT"
