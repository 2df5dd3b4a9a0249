#!/usr/bin/env bash
# The full crash test: the released server killed with SIGKILL 20 times (or $TAIZHANG_CRASH_KILLS)
# under concurrent intake, on SQLite and — when TAIZHANG_TEST_POSTGRES names a PostgreSQL server —
# on PostgreSQL. Prints one summary line per provider for docs/RELIABILITY.md.
#   bench/crash.sh                      # 20 kills per provider
#   TAIZHANG_CRASH_KILLS=50 bench/crash.sh
#   TAIZHANG_CRASH_SEED=1234 bench/crash.sh   # repeat a run's kill timings
set -euo pipefail
cd "$(dirname "$0")/.."

export TAIZHANG_CRASH_KILLS=${TAIZHANG_CRASH_KILLS:-20}
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
export TAIZHANG_CRASH_SUMMARY=$summary

filter="FullyQualifiedName~CrashSafetyTests_Sqlite"
if [ -n "${TAIZHANG_TEST_POSTGRES:-}" ]; then
  filter="FullyQualifiedName~CrashSafetyTests"
else
  echo "TAIZHANG_TEST_POSTGRES is not set: SQLite only." >&2
fi

dotnet build Taizhang.slnx -c Release -nologo -v q >/dev/null
status=0
dotnet test tests/Taizhang.Reliability.Tests -c Release --no-build -nologo --filter "$filter" \
  --logger "console;verbosity=minimal" || status=$?
echo
cat "$summary"
exit $status
