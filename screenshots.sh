#!/usr/bin/env bash
# Refreshes the pictures in docs/screenshots/ (shown in README.md) by running the browser tests.
# Ordinary test runs (./test.sh, dotnet test) save their screenshots to artifacts/screenshots/,
# which git ignores, so that running the tests never changes tracked files.
# Needs Chromium and CJK fonts (./test.sh installs Debian's chromium and fonts-noto-cjk); no
# PostgreSQL: the browser tests start the built app on SQLite.
set -euo pipefail
cd "$(dirname "$0")"

chromium=${TAIZHANG_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "no Chromium at $chromium: apt-get install chromium fonts-noto-cjk (or run ./test.sh once)" >&2
  exit 1
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# Taken into a fresh folder and copied only once every browser test has passed, so a failing run
# leaves the documented pictures as they were.
shots=artifacts/screenshots-docs
rm -rf "$shots"
TAIZHANG_SCREENSHOTS=$shots dotnet test tests/Taizhang.Browser.Tests -c Release -nologo --logger "console;verbosity=minimal"
mkdir -p docs/screenshots
cp "$shots"/*.png docs/screenshots/
echo "docs/screenshots/ refreshed: $(cd "$shots" && echo *.png)"
