#!/usr/bin/env bash
# Installs the Debian 12 packages Chaja builds and runs with, and the browser tests' npm
# packages (tests/browser: playwright-core only; it drives Debian's chromium, no browser
# download). Idempotent: packages already present are skipped, apt is not touched at all when
# nothing is missing, and npm runs only when tests/browser/node_modules is missing or was
# installed from another package-lock.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

PACKAGES=(
  build-essential cmake pkg-config ninja-build
  libxapian-dev xapian-tools
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libicu-dev
  libxml2-dev libyaml-cpp-dev libcmark-dev
  libcurl4-openssl-dev  # chaja-indexer fetches http(s) feeds (indexer/feed_fetch)
  libcpp-httplib-dev  # searchd's HTTP/JSON API (cpp-httplib)
  haproxy  # the proxy in front of a cluster (docs/cluster.md; tests/proxy_routing_test.sh)
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev  # fuzz targets (scripts/fuzz): clang-14 and libFuzzer's runtime (only recommended by clang)
  python3 tzdata
  curl  # tests/replication_test.sh polls the replicas over HTTP
  chromium fonts-nanum  # browser tests (tests/browser): the browser, Korean glyphs for screenshots
)
# Node.js for the browser tests, unless a node is already on PATH (e.g. a newer one).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

# One dpkg-query for all packages (one call per package took about 1.5 s).
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null | sed -n 's/ install ok installed$//p' || true)
missing=()
for p in "${PACKAGES[@]}"; do
  if ! grep -qxF -- "$p" <<<"$installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- npm packages of the browser tests ----------------------------------------------
# `npm ci` installs exactly package-lock.json. The stamp holds the hash of the lock file
# it installed, so a changed lock file (or a removed node_modules) triggers a new install.
browser=$root/tests/browser
stamp=$browser/node_modules/.chaja-lock-sha256
want=$(sha256sum "$browser/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "install-deps: npm ci in tests/browser (playwright-core; no browser download)"
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing, but be explicit.
  if (cd "$browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error); then
    echo "$want" >"$stamp"
  else
    # The C++ build does not need it; only the browser test fails, and says why.
    echo "install-deps: warning: npm ci failed in tests/browser; the browser test cannot run" >&2
  fi
else
  echo "install-deps: tests/browser/node_modules is up to date"
fi
