#!/usr/bin/env bash
# Chaja's test command: installs the packages, builds (scripts/build.sh) and runs
# every test with ctest. Exits with ctest's status (non-zero also if the build failed).
#
#   bash scripts/test.sh [CTEST_ARGS...]     e.g. bash scripts/test.sh -R Analyzer
# Env: BUILD_DIR (default build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${BUILD_DIR:-build}

# Keep going past a target that fails to compile, so that ctest still runs and
# reports every test it can; a failed build still fails this script.
build_status=0
KEEP_GOING=1 bash scripts/build.sh || build_status=$?
if [ ! -f "$build/CTestTestfile.cmake" ]; then
  echo "test: nothing to test: the build was not configured" >&2
  [ "$build_status" -ne 0 ] || build_status=1
  exit "$build_status"
fi

status=0
ctest --test-dir "$build" --output-on-failure -j2 "$@" || status=$?
if [ "$build_status" -ne 0 ]; then
  echo "test: the build failed (see above); ctest ran on what was built" >&2
  [ "$status" -ne 0 ] || status=$build_status
fi
exit "$status"
