#!/usr/bin/env bash
# indexer_cli_test.sh INDEXER SEARCHD CHAJA BAD_LINES_JSONL
#
# Runs the real chaja-indexer on a file with bad lines, checks its exit status
# and its FILE:LINE: messages, then starts chaja-searchd on a free port and
# checks with the chaja CLI that exactly the good lines were indexed.
set -u

indexer=$1 searchd=$2 chaja=$3 fixture=$4
name=$(basename "$fixture")
tmp=$(mktemp -d /tmp/chaja_indexer_cli_test.XXXXXX)
searchd_pid=
failures=0

cleanup() {
  if [[ -n $searchd_pid ]]; then
    kill "$searchd_pid" 2>/dev/null
    wait "$searchd_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# --- chaja-indexer ------------------------------------------------------------
"$indexer" --data "$tmp/data" --site fixture "$fixture" >"$tmp/indexer.out" 2>"$tmp/indexer.err"
status=$?
echo "--- chaja-indexer exited $status; stderr:"
cat "$tmp/indexer.err"
[[ $status -ne 0 ]] || fail "chaja-indexer exited 0 although lines were rejected"
[[ $status -eq 1 ]] || fail "chaja-indexer exited $status; 1 means 'some records rejected'"

for line in 3 5 6 7; do
  grep -q "$name:$line: " "$tmp/indexer.err" || fail "no '$name:$line: ' message for bad line $line"
done
for line in 1 2 4 8; do
  if grep -q "$name:$line:" "$tmp/indexer.err"; then fail "good line $line was reported as bad"; fi
done
reported=$(grep -c "$name:[0-9]*: " "$tmp/indexer.err")
[[ $reported -eq 4 ]] || fail "expected 4 FILE:LINE: messages, got $reported"
grep -q "4 indexed, 0 deleted, 4 rejected" "$tmp/indexer.err" || fail "summary line does not say 4 indexed, 4 rejected"

# --- chaja-searchd on a free port ----------------------------------------------
"$searchd" --data "$tmp/data" --listen 127.0.0.1:0 2>"$tmp/searchd.err" &
searchd_pid=$!
port=
for _ in $(seq 1 200); do
  port=$(sed -n 's/^chaja-searchd: serving .* on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/searchd.err")
  [[ -n $port ]] && break
  kill -0 "$searchd_pid" 2>/dev/null || break
  sleep 0.05
done
if [[ -z $port ]]; then
  echo "--- chaja-searchd stderr:"
  cat "$tmp/searchd.err"
  fail "chaja-searchd did not report its port"
  exit 1
fi
echo "--- chaja-searchd serving on port $port"

# search QUERY [FLAGS...]: the sorted ids of the hits, space separated.
search() {
  local query=$1
  shift
  "$chaja" search "$query" --site fixture --server "127.0.0.1:$port" --limit 100 --json "$@" >"$tmp/search.out" \
    2>"$tmp/search.err" || { echo "ERROR: $(cat "$tmp/search.err")"; return; }
  grep -o '"id": "[^"]*"' "$tmp/search.out" | sed 's/"id": "\(.*\)"/\1/' | sort | tr '\n' ' ' | sed 's/ $//'
}

expect() {
  local want=$1 got=$2 what=$3
  if [[ $got == "$want" ]]; then echo "ok: $what -> $got"; else fail "$what: want '$want', got '$got'"; fi
}

expect "fixture-4 fixture-8" "$(search 수박)" "search 수박"
expect "fixture-1" "$(search 고양이)" "search 고양이"
expect "fixture-2" "$(search Rust)" "search Rust"
expect "" "$(search 펭귄)" "search 펭귄 (only in rejected lines)"
expect "fixture-1 fixture-4 fixture-8" "$(search '' --category 일상 --sort newest)" "--category 일상"
expect "fixture-1 fixture-2 fixture-4 fixture-8" "$(search '' --sort oldest)" "every good line"
expect "fixture-4 fixture-8" "$(search '' --tag 농사)" "--tag 농사"
expect "fixture-1 fixture-8" "$(search '' --tag 고양이)" "--tag 고양이"

# A malformed query is a clean error from the CLI, not a crash.
"$chaja" search '"unterminated' --site fixture --server "127.0.0.1:$port" >/dev/null 2>"$tmp/bad.err"
bad_status=$?
[[ $bad_status -ne 0 ]] || fail "an unterminated quote did not fail"
grep -q INVALID_ARGUMENT "$tmp/bad.err" || fail "an unterminated quote did not say INVALID_ARGUMENT: $(cat "$tmp/bad.err")"

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all checks passed"
