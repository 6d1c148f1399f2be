#!/usr/bin/env bash
# Chaja's test command (and CI's, through .ci/run), in three stages:
#  1. installs the packages, builds everything (scripts/build.sh) and runs every
#     test with ctest;
#  2. builds the unit tests (the ctest label "unit": the in-process gtest binaries of
#     analyzer, index, search, indexer, searchd and client) again with clang,
#     AddressSanitizer and UndefinedBehaviorSanitizer in build-fuzz/ (the fuzz targets'
#     tree: -DCHAJA_FUZZ=ON) and runs them; any ASan, LeakSanitizer or UBSan report
#     fails the test that caused it;
#  3. builds the libFuzzer targets of fuzz/ in the same tree and runs each for a short
#     time over its seed corpus (scripts/fuzz; docs/fuzzing.md).
# Exits non-zero if a build or a test of any stage failed.
#
#   bash scripts/test.sh [CTEST_ARGS...]     e.g. bash scripts/test.sh -R Analyzer
# CTEST_ARGS go to both stages' ctest.
# Env: BUILD_DIR (default build), SANITIZE_BUILD_DIR (default build-fuzz: stages 2 and 3),
#      JOBS (default nproc), CHAJA_SKIP_SANITIZE=1 to skip stage 2 (developers; CI runs it),
#      CHAJA_SKIP_FUZZ=1 to skip stage 3, CHAJA_FUZZ_SECONDS (default 10) per fuzz target.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CCACHE_BASEDIR="$root"  # ccache shares objects between checkouts (scripts/build.sh)
build=${BUILD_DIR:-build}
sanitize_build=${SANITIZE_BUILD_DIR:-build-fuzz}
jobs=${JOBS:-$(nproc)}

# --- Stage 1: everything, as built for use ------------------------------------------
# Keep going past a target that fails to compile, so that ctest still runs and
# reports every test it can; a failed build still fails this script.
build_status=0
KEEP_GOING=1 bash scripts/build.sh || build_status=$?
status=0
if [ ! -f "$build/CTestTestfile.cmake" ]; then
  echo "test: nothing to test: the build was not configured" >&2
  status=1
else
  ctest --test-dir "$build" --output-on-failure -j2 "$@" || status=$?
fi
if [ "$build_status" -ne 0 ]; then
  echo "test: the build failed (see above); ctest ran on what was built" >&2
  [ "$status" -ne 0 ] || status=$build_status
fi

# --- Stage 2: the unit tests under ASan + UBSan -------------------------------------
# Built in the fuzz stage's clang tree (scripts/fuzz: -DCHAJA_FUZZ=ON compiles every
# target with ASan, UBSan and libFuzzer's coverage hooks), so that one sanitized build
# of the libraries serves both stages: a gcc tree of its own took CI a third build.
sanitize_stage() {
  # The unit-test binaries (their tests carry the ctest label "unit").
  local unit_targets=(analyzer_test index_test index_write_test search_test indexer_test searchd_test client_test)
  # halt_on_error/-fno-sanitize-recover: the first report ends the process with a
  # non-zero status, so ctest marks the test failed. The same settings apply while
  # building, because gtest_discover_tests runs each binary to list its tests.
  # (local -x: exported for this stage only; the fuzz stage sets its own.)
  local -x ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
  local -x UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  local -x LSAN_OPTIONS=suppressions=$root/scripts/lsan.supp:print_suppressions=0

  local sanitize_status=0 started
  started=$(date +%s)
  echo "test: sanitizer stage: building ${unit_targets[*]} in $sanitize_build (clang; address,undefined)"
  if FUZZ_BUILD_DIR=$sanitize_build JOBS=$jobs bash scripts/fuzz --configure-only \
     && cmake --build "$sanitize_build" -j "$jobs" --target "${unit_targets[@]}"; then
    ctest --test-dir "$sanitize_build" --output-on-failure -j2 -L unit "$@" || sanitize_status=$?
  else
    echo "test: the sanitizer build failed (see above)" >&2
    sanitize_status=1
  fi
  echo "test: sanitizer stage took $(( $(date +%s) - started )) s"
  if [ "$sanitize_status" -ne 0 ]; then
    echo "test: the sanitizer stage failed (see above)" >&2
    [ "$status" -ne 0 ] || status=$sanitize_status
  fi
}

# --- Stage 3: the fuzz targets, briefly ----------------------------------------------
# Each target runs CHAJA_FUZZ_SECONDS over a copy of its seed corpus: new bugs
# near the seeds and every seed itself (a regression input added to
# fuzz/corpus/ is replayed on every change).
fuzz_stage() {
  local started; started=$(date +%s)
  local fuzz_status=0
  FUZZ_BUILD_DIR=$sanitize_build JOBS=$jobs bash scripts/fuzz --seconds "${CHAJA_FUZZ_SECONDS:-10}" || fuzz_status=$?
  echo "test: fuzz stage took $(( $(date +%s) - started )) s"
  if [ "$fuzz_status" -ne 0 ]; then
    echo "test: the fuzz stage failed (see above)" >&2
    [ "$status" -ne 0 ] || status=$fuzz_status
  fi
}

if [ "${CHAJA_SKIP_SANITIZE:-0}" = 1 ]; then
  echo "test: CHAJA_SKIP_SANITIZE=1: the sanitizer stage is skipped"
else
  sanitize_stage "$@"
fi
if [ "${CHAJA_SKIP_FUZZ:-0}" = 1 ]; then
  echo "test: CHAJA_SKIP_FUZZ=1: the fuzz stage is skipped"
else
  fuzz_stage
fi
exit "$status"
