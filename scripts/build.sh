#!/usr/bin/env bash
# Builds Chaja: installs the Debian 12 packages (scripts/install-deps.sh), configures
# CMake (Ninja, Release) into build/ (or $BUILD_DIR) and builds everything.
# Idempotent and incremental: a second run only rebuilds what changed.
#
#   bash scripts/build.sh [TARGET...]      (default: all targets)
# Env: BUILD_DIR (default build), BUILD_TYPE (default Release), JOBS (default nproc),
#      KEEP_GOING=1 to build every target that can be built despite failures (still exits 1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${BUILD_DIR:-build}
build_type=${BUILD_TYPE:-Release}
jobs=${JOBS:-$(nproc)}

bash scripts/install-deps.sh

# Configure only when there is no Ninja build yet; afterwards Ninja re-runs CMake
# itself whenever a CMakeLists.txt changes. A cache made by another generator
# (or a half-finished configure) is replaced.
if [ ! -f "$build/build.ninja" ] || ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build/CMakeCache.txt" 2>/dev/null \
   || ! grep -q "^CMAKE_BUILD_TYPE:STRING=$build_type\$" "$build/CMakeCache.txt" 2>/dev/null; then
  if [ -f "$build/CMakeCache.txt" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build/CMakeCache.txt"; then
    echo "build: $build was configured with another generator; starting it over" >&2
    rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
  fi
  launcher=()
  if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "${launcher[@]}"
fi
# ccache (when installed) keys on paths relative to the checkout, so that clones
# and worktrees of the same tree share their compiled objects.
export CCACHE_BASEDIR="$root"

targets=()
if [ $# -gt 0 ]; then targets=(--target "$@"); fi
ninja_args=()
if [ "${KEEP_GOING:-0}" = 1 ]; then ninja_args=(-- -k 0); fi
cmake --build "$build" -j "$jobs" "${targets[@]}" "${ninja_args[@]}"
echo "build: done ($build_type) in $build"
