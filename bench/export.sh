#!/usr/bin/env bash
# The ledger export, measured:  bench/export.sh [--cases N] [--repeat R]
#
# 1. publishes the app (Release, ReadyToRun, as README "Deploying" does) and the data generator;
# 2. generates a county of N cases (default 100,000) on SQLite, cached in the work folder per
#    (N, seed, day, generator + demo + schema sources) like run.sh's databases;
# 3. starts the app on a copy and signs in the county administrator (every case in scope);
# 4. downloads GET /api/v1/cases/export.xlsx and .csv (every case: N rows) R times each (default 3),
#    measuring the time of each download (curl, to the last byte), its size, its rows (counted in the
#    file), and the server's extra memory: its peak RSS during the download (VmHWM, reset before) less
#    its RSS just before;
# 5. prints a table and writes the raw results to $WORK/results/<stamp>/export.jsonl.
#
# PostgreSQL is optional: with TAIZHANG_BENCH_POSTGRES (a connection string without Database=) the same
# runs on a PostgreSQL copy as well. Work files live in $TAIZHANG_BENCH_EXPORT_WORK (default
# /var/tmp/taizhang-bench-export). Never part of ./test.sh. docs/BENCHMARKS.md ("Ledger export") has the figures.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

CASES=100000; REPEAT=3
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) CASES=$2; shift ;;
    --repeat) REPEAT=$2; shift ;;
    *) echo "usage: bench/export.sh [--cases N] [--repeat R]" >&2; exit 2 ;;
  esac
  shift
done
SEED=42; PORT=${TAIZHANG_BENCH_EXPORT_PORT:-5090}; ADMIN_PW='Bench-Admin-2026!'
WORK=${TAIZHANG_BENCH_EXPORT_WORK:-/var/tmp/taizhang-bench-export}
STAMP=$(date -u +%Y%m%d-%H%M%S); RES="$WORK/results/$STAMP"; mkdir -p "$RES"
OUT="$RES/export.jsonl"; : > "$OUT"
log() { printf '\n== %s  (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
for tool in curl jq python3; do command -v $tool >/dev/null || { echo "needs $tool" >&2; exit 1; }; done

log "publishing the app (Release, ReadyToRun) and the generator to $WORK/build"
BUILD="$WORK/build"; rm -rf "$BUILD"; mkdir -p "$BUILD"
RID="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
dotnet publish src/Taizhang.Web/Taizhang.Web.csproj -c Release -r "$RID" --self-contained false -p:PublishReadyToRun=true \
  -nologo -v q -o "$BUILD/app" >>"$RES/build.log" 2>&1 || { cat "$RES/build.log"; exit 1; }
dotnet publish bench/Taizhang.Bench.Generator/Taizhang.Bench.Generator.csproj -c Release -nologo -v q -o "$BUILD/gen" >>"$RES/build.log" 2>&1 \
  || { cat "$RES/build.log"; exit 1; }

KEY=$( (echo "$CASES $SEED $(date -u +%F)"; find bench/Taizhang.Bench.Generator src/Taizhang.Web/Demo src/Taizhang.Web/Data src/Taizhang.Domain \
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
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
hwm_kib() { awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status"; }
# The server's CPU time so far (user + system, clock ticks): the work an export costs, whatever else runs on the machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
TICKS=$(getconf CLK_TCK)

# count_rows file format -> data rows in the file (the header row not counted)
count_rows() {
  python3 - "$1" "$2" <<'PY'
import csv, io, re, sys, zipfile
path, kind = sys.argv[1], sys.argv[2]
if kind == "csv":
    with open(path, encoding="utf-8-sig", newline="") as f:
        print(sum(1 for _ in csv.reader(f)) - 1)
else:
    with zipfile.ZipFile(path) as z:
        print(len(re.findall(rb"<(?:x:)?row[ >]", z.read("xl/worksheets/sheet1.xml"))) - 1)
PY
}

bench_provider() { # name args...
  local name=$1; shift
  local base="http://127.0.0.1:$PORT"
  (cd "$BUILD/app" && exec dotnet Taizhang.Web.dll --urls "$base" "$@" --Bootstrap:AdminPassword "$ADMIN_PW") >"$RES/$name-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 900); do curl -sf -o /dev/null "$base/health" && break; sleep 0.2; done
  curl -s -o /dev/null -c "$RES/admin.jar" -H 'Content-Type: application/json' \
    -d "{\"userName\":\"admin\",\"password\":\"$ADMIN_PW\"}" "$base/api/v1/session"
  local cases; cases=$(curl -s -b "$RES/admin.jar" "$base/api/v1/cases?pageSize=1" | jq .total)
  log "[$name] $cases cases in the administrator's ledger; warm-up: one small export of each format"
  for f in xlsx csv; do curl -s -o /dev/null -b "$RES/admin.jar" "$base/api/v1/cases/export.$f?q=%E8%B7%AF%E7%81%AF"; done
  local f i line secs size rows before peak cpu0 cpu1
  for f in xlsx csv; do
    for i in $(seq 1 "$REPEAT"); do
      sleep 1
      echo 5 > "/proc/$SERVER_PID/clear_refs"
      before=$(rss_kib); cpu0=$(cpu_ticks)
      line=$(curl -s -b "$RES/admin.jar" -o "$RES/ledger.$f" -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}' \
        "$base/api/v1/cases/export.$f")
      peak=$(hwm_kib); cpu1=$(cpu_ticks)
      read -r code ttfb secs size <<<"$line"
      [ "$code" = 200 ] || { echo "export.$f answered $code" >&2; tail -n 20 "$RES/$name-server.log"; exit 1; }
      rows=$(count_rows "$RES/ledger.$f" "$f")
      jq -nc --arg provider "$name" --arg format "$f" --argjson run "$i" --argjson rows "$rows" --argjson cases "$cases" \
        --argjson ttfb "$ttfb" --argjson secs "$secs" --argjson bytes "$size" --argjson before "$before" --argjson peak "$peak" \
        --argjson cpu "$(( cpu1 - cpu0 ))" --argjson ticks "$TICKS" --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
        '{provider: $provider, format: $format, run: $run, cases: $cases, rows: $rows, first_byte_s: $ttfb, total_s: $secs, bytes: $bytes,
          server_cpu_s: ($cpu / $ticks), loadavg_1m: ($load | tonumber),
          rss_before_mib: ($before / 1024 | floor), peak_mib: ($peak / 1024 | floor), extra_mib: (($peak - $before) / 1024 | floor)}' | tee -a "$OUT"
    done
  done
  stop_server
}

cp "$GOLDEN" "$WORK/run.db"; rm -f "$WORK/run.db-wal" "$WORK/run.db-shm"
bench_provider sqlite --Database:Provider Sqlite --Database:ConnectionString "Data Source=$WORK/run.db"

if [ -n "${TAIZHANG_BENCH_POSTGRES:-}" ]; then
  command -v psql >/dev/null || { echo "needs psql for PostgreSQL" >&2; exit 1; }
  PGDB="tzb_export_$CASES"
  PGH=$(echo "$TAIZHANG_BENCH_POSTGRES" | sed -n 's/.*Host=\([^;]*\).*/\1/p'); PGP=$(echo "$TAIZHANG_BENCH_POSTGRES" | sed -n 's/.*Port=\([^;]*\).*/\1/p')
  PGU=$(echo "$TAIZHANG_BENCH_POSTGRES" | sed -n 's/.*User[ a-zA-Z]*=\([^;]*\).*/\1/p')
  psqlc() { psql -X -q -At -h "$PGH" -p "${PGP:-5432}" -U "${PGU:-postgres}" -d postgres "$@"; }
  psqlc -c "drop database if exists $PGDB with (force)"
  log "generating $CASES cases on PostgreSQL (database $PGDB)"
  dotnet "$BUILD/gen/Taizhang.Bench.Generator.dll" --provider postgres --connection "$TAIZHANG_BENCH_POSTGRES;Database=$PGDB" \
    --cases "$CASES" --seed "$SEED" --now "$NOW_ISO" | tail -n 3
  bench_provider postgres --Database:Provider Postgres --Database:ConnectionString "$TAIZHANG_BENCH_POSTGRES;Database=$PGDB"
  psqlc -c "drop database if exists $PGDB with (force)"
fi

log "results (load average now: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores)"
jq -rs '["provider","format","rows","first byte s","total s","server CPU s","load 1m","MiB","RSS before MiB","peak MiB","extra MiB"],
  (.[] | [.provider, .format, .rows, .first_byte_s, .total_s, .server_cpu_s, .loadavg_1m, (.bytes / 1048576 | . * 10 | floor / 10), .rss_before_mib, .peak_mib, .extra_mib])
  | @tsv' "$OUT" | column -t -s $'\t'
echo "raw results: $OUT"
