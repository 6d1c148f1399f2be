#!/usr/bin/env bash
# stats_queries_cli_test.sh INDEXER SEARCHD CHAJA SAMPLE_JSONL
#
# Issue 15, item 5: the real chaja-searchd counts reader searches made with
# the real chaja CLI; `chaja stats queries` shows them to the holder of the
# write token (a table, --zero_results, --since, --json), refuses without or
# with a wrong token, the counts survive a restart (SIGTERM saves them to
# DATA/blog/query_stats.tsv), and --query_stats=false turns it all off.
set -u
indexer=$1 searchd=$2 chaja=$3 sample=$4
source "$(dirname "$0")/lib.sh"
test_setup stats_queries_cli_test

"$indexer" --data "$tmp/data" --site blog "$sample" 2>"$tmp/indexer.err" || { cat "$tmp/indexer.err"; fail "indexing failed"; exit 1; }
printf 'owner-token-%s\n' 0123456789abcdef > "$tmp/token" && chmod 600 "$tmp/token"
printf 'someone-else-%s\n' 0123456789abcdef > "$tmp/wrong" && chmod 600 "$tmp/wrong"

# Starts searchd with extra flags; sets searchd_pid and server.
start() {
  : > "$tmp/searchd.err"
  "$searchd" --data "$tmp/data" --listen 127.0.0.1:0 --index_token_file "$tmp/token" "$@" 2>"$tmp/searchd.err" &
  searchd_pid=$!
  server=
  for _ in $(seq 1 200); do
    server=$(sed -n 's/^chaja-searchd: serving .* on \(127\.0\.0\.1:[0-9][0-9]*\).*$/\1/p' "$tmp/searchd.err")
    [[ -n $server ]] && break
    sleep 0.05
  done
  [[ -n $server ]] || { cat "$tmp/searchd.err"; fail "chaja-searchd did not start"; exit 1; }
}
stop() {
  kill -TERM "$searchd_pid" && wait "$searchd_pid"
  searchd_pid=
}
cli() { "$chaja" --server "$server" --site blog "$@"; }

start
cli search Docker > /dev/null || fail "search Docker"
cli search "  docker" > /dev/null || fail "search docker"
cli search xyzzyplugh > /dev/null || fail "search xyzzyplugh"
cli search --typing dock > /dev/null || fail "typing search"

cli stats queries > "$tmp/out" 2> "$tmp/err"
[[ $? -eq 2 ]] || fail "stats without --token_file should be a usage error (2)"
grep -q -- "--token_file" "$tmp/err" || fail "stats without --token_file should name the flag: $(cat "$tmp/err")"

cli stats queries --token_file "$tmp/wrong" > "$tmp/out" 2> "$tmp/err"
[[ $? -eq 1 ]] || fail "a wrong token should fail the call (1)"
grep -q PERMISSION_DENIED "$tmp/err" || fail "a wrong token: $(cat "$tmp/err")"

cli stats queries --token_file "$tmp/token" > "$tmp/out" 2> "$tmp/err" || fail "stats queries: $(cat "$tmp/err")"
grep -q '^QUERY  *SEARCHES  *NO RESULTS  *LAST SEEN$' "$tmp/out" || fail "no table header: $(cat "$tmp/out")"
grep -q '^docker  *2  *0  *[0-9-]*$' "$tmp/out" || fail "docker not counted twice: $(cat "$tmp/out")"
grep -q '^xyzzyplugh  *1  *1 ' "$tmp/out" || fail "the zero-result query: $(cat "$tmp/out")"
grep -q '^dock ' "$tmp/out" && fail "a typing search was counted: $(cat "$tmp/out")"
grep -q '^(2 distinct queries kept, at most 10,000)$' "$tmp/out" || fail "footer: $(cat "$tmp/out")"

cli stats queries --token_file "$tmp/token" --zero_results --since 7d > "$tmp/out" || fail "stats --zero_results"
grep -q '^docker ' "$tmp/out" && fail "--zero_results listed docker: $(cat "$tmp/out")"
grep -q '^xyzzyplugh ' "$tmp/out" || fail "--zero_results: $(cat "$tmp/out")"

cli stats queries --token_file "$tmp/token" --json --limit 1 > "$tmp/out" || fail "stats --json"
python3 - "$tmp/out" <<'PY' || fail "stats --json: $(cat "$tmp/out")"
import json, sys
body = json.load(open(sys.argv[1]))
assert [q["text"] for q in body["queries"]] == ["docker"], body
assert body["queries"][0]["count"] == "2" and body["trackedQueries"] == "2", body
PY

stop
grep -q $'^2\t0\t[0-9-]*\tdocker$' "$tmp/data/blog/query_stats.tsv" || fail "not saved at shutdown: $(cat "$tmp/data/blog/query_stats.tsv")"
start
cli stats queries --token_file "$tmp/token" > "$tmp/out" || fail "stats after a restart"
grep -q '^docker  *2 ' "$tmp/out" || fail "lost across a restart: $(cat "$tmp/out")"
stop

start --query_stats=false
cli search docker > /dev/null || fail "search with --query_stats=false"
cli stats queries --token_file "$tmp/token" > "$tmp/out" 2> "$tmp/err"
[[ $? -eq 1 ]] || fail "stats with --query_stats=false should fail"
grep -q -- "--query_stats=false" "$tmp/err" || fail "off: $(cat "$tmp/err")"
stop
grep -q $'^2\t0\t[0-9-]*\tdocker$' "$tmp/data/blog/query_stats.tsv" || fail "counted while off: $(cat "$tmp/data/blog/query_stats.tsv")"

if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "stats_queries_cli_test: all checks passed"
