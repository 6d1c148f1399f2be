# Sourced by the shell tests that start chaja-searchd:
#   source "$(dirname "$0")/lib.sh"; test_setup NAME
# gives $tmp (a fresh folder under /tmp, removed at exit together with the
# searchd whose pid the test keeps in $searchd_pid), $failures and fail MESSAGE.
# KEEP_TMP=1 keeps $tmp (logs, data folders) for a look after a failure.
test_setup() {
  tmp=$(mktemp -d "/tmp/chaja_$1.XXXXXX")
  searchd_pid=
  failures=0
  trap test_cleanup EXIT
}

test_cleanup() {
  [[ -n $searchd_pid ]] && kill "$searchd_pid" 2>/dev/null && wait "$searchd_pid" 2>/dev/null
  [[ -n ${KEEP_TMP:-} ]] || rm -rf "$tmp"
}

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# searchd_http_port LOG: the port chaja-searchd says it serves HTTP on in LOG
# (its stderr), waiting up to 20 s for the line; empty when it never came.
searchd_http_port() {
  local port=
  for _ in $(seq 1 400); do
    port=$(sed -n 's/^chaja-searchd: http on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$1")
    [[ -n $port ]] && break
    sleep 0.05
  done
  echo "$port"
}
