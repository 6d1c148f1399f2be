#!/usr/bin/env bash
# indexer_server_test.sh INDEXER SEARCHD CHAJA SAMPLE_JSONL
#
# Live updates with the real binaries: chaja-searchd started with an index
# token owns the site, so chaja-indexer --data is refused with a hint to use
# --server; --server with the token indexes (a re-run is a no-op); a wrong
# token is refused; the CLI finds what was sent.
set -u
indexer=$1 searchd=$2 chaja=$3 sample=$4
source "$(dirname "$0")/lib.sh"
test_setup indexer_server_test

(umask 077; echo "secret-$$-0123456789abcdef" >"$tmp/token"; echo "wrong-0123456789abcdef" >"$tmp/wrong")
mkdir -p "$tmp/data"
"$searchd" --data "$tmp/data" --listen 127.0.0.1:0 --index_token_file "$tmp/token" 2>"$tmp/searchd.err" &
searchd_pid=$!
port=
for _ in $(seq 1 200); do
  port=$(sed -n 's/^chaja-searchd: serving .* on 127\.0\.0\.1:\([0-9][0-9]*\).*$/\1/p' "$tmp/searchd.err")
  [[ -n $port ]] && break
  sleep 0.05
done
[[ -n $port ]] || { cat "$tmp/searchd.err"; fail "chaja-searchd did not report its port"; exit 1; }
addr=127.0.0.1:$port

"$indexer" --server "$addr" --token_file "$tmp/token" --site blog "$sample" 2>"$tmp/first.err"
status=$?
cat "$tmp/first.err"
[[ $status -eq 0 ]] || fail "--server import exited $status"
grep -q "via $addr" "$tmp/first.err" || fail "summary does not say the import went through searchd"
grep -q "created site blog via $addr" "$tmp/first.err" || fail "summary does not say the site was created"

"$indexer" --server "$addr" --token_file "$tmp/token" --site blog "$sample" 2>"$tmp/second.err"
grep -q "nothing changed" "$tmp/second.err" || { cat "$tmp/second.err"; fail "a re-run through searchd was not a no-op"; }

"$indexer" --server "$addr" --token_file "$tmp/wrong" --site blog "$sample" 2>"$tmp/wrong.err"
status=$?
[[ $status -eq 2 ]] || fail "a wrong token exited $status, want 2"
grep -q "wrong index token" "$tmp/wrong.err" || { cat "$tmp/wrong.err"; fail "no 'wrong index token' message"; }

"$indexer" --data "$tmp/data" --site blog "$sample" 2>"$tmp/direct.err"
status=$?
[[ $status -eq 2 ]] || fail "writing directly while searchd owns the site exited $status, want 2"
grep -q -- "--server" "$tmp/direct.err" || { cat "$tmp/direct.err"; fail "the lock message does not mention --server"; }

# A mistyped site through searchd: an import whose every article is rejected
# (here by the indexer, before sending; searchd's own refusals are in
# write_backend_test) and a delete create nothing.
printf '{"title":"id 없는 글"}\n' >"$tmp/no_id.jsonl"
"$indexer" --server "$addr" --token_file "$tmp/token" --site blgo "$tmp/no_id.jsonl" 2>"$tmp/typo.err"
status=$?
[[ $status -eq 1 ]] || { cat "$tmp/typo.err"; fail "an import of only rejected articles exited $status, want 1"; }
"$indexer" --server "$addr" --token_file "$tmp/token" --site blgo --delete post-001 2>>"$tmp/typo.err"
grep -q "created site" "$tmp/typo.err" && fail "a mistyped site was reported created"
[[ -e $tmp/data/blgo ]] && { cat "$tmp/typo.err"; fail "a mistyped --site through searchd left $tmp/data/blgo"; }

hits=$("$chaja" search 패권 --site blog --server "$addr" --json | grep -c '"id"')
[[ $hits -ge 2 ]] || fail "패권 found $hits posts through the CLI, want at least 2"

if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "indexer_server_test: all checks passed"
