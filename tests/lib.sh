# Sourced by the shell tests that start chaja-searchd:
#   source "$(dirname "$0")/lib.sh"; test_setup NAME
# gives $tmp (a fresh folder under /tmp, removed at exit together with the
# searchd whose pid the test keeps in $searchd_pid), $failures and fail MESSAGE.
test_setup() {
  tmp=$(mktemp -d "/tmp/chaja_$1.XXXXXX")
  searchd_pid=
  failures=0
  trap test_cleanup EXIT
}

test_cleanup() {
  [[ -n $searchd_pid ]] && kill "$searchd_pid" 2>/dev/null && wait "$searchd_pid" 2>/dev/null
  rm -rf "$tmp"
}

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
