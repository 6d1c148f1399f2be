#!/usr/bin/env bash
# cli_flags_cli_test.sh INDEXER SEARCHD CHAJA SAMPLE_JSONL TLS_DIR
#
# The command-line contract of the three binaries: --version says the
# project version and commit; an unknown flag or a bad value exits 2 with a
# usage line (absl's own parse exits 1); and `chaja` reaches a TLS searchd
# with --tls_ca/--tls_server_name and fails without them.
set -u
indexer=$1 searchd=$2 chaja=$3 sample=$4 tls=$5
source "$(dirname "$0")/lib.sh"
test_setup cli_flags_cli_test

for bin in "$chaja" "$indexer" "$searchd"; do
  name=$(basename "$bin")
  out=$("$bin" --version 2>&1)
  status=$?
  [[ $status -eq 0 ]] || fail "$name --version exited $status"
  grep -Eq "^$name [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{7,}|unknown)\)$" <<<"$out" ||
    fail "$name --version said: $out"

  "$bin" --no_such_flag=1 >"$tmp/out" 2>"$tmp/err"
  status=$?
  [[ $status -eq 2 ]] || fail "$name with an unknown flag exited $status, want 2"
  grep -q "^$name: unknown flag --no_such_flag$" "$tmp/err" || { cat "$tmp/err"; fail "$name did not name the flag"; }
  grep -q "^usage: $name " "$tmp/err" || { cat "$tmp/err"; fail "$name printed no usage line"; }
done

"$chaja" search 패권 --site blog --limit=many 2>"$tmp/err"
status=$?
[[ $status -eq 2 ]] || fail "chaja with a bad --limit exited $status, want 2"
grep -q 'bad value "many" for --limit' "$tmp/err" || { cat "$tmp/err"; fail "no bad-value message"; }
"$chaja" search 패권 --site 2>"$tmp/err"
status=$?
[[ $status -eq 2 ]] || fail "chaja with --site lacking its value exited $status, want 2"
"$indexer" --data "$tmp/data" --site blog --fromat jsonl "$sample" 2>"$tmp/err"
status=$?
[[ $status -eq 2 ]] || fail "chaja-indexer with a mistyped flag exited $status, want 2"
[[ ! -e $tmp/data ]] || fail "chaja-indexer with a mistyped flag created the data folder"

# TLS: searchd with the test certificate (CN and SAN localhost, 127.0.0.1).
"$indexer" --data "$tmp/data" --site blog "$sample" 2>"$tmp/indexer.err" || { cat "$tmp/indexer.err"; fail "indexing failed"; exit 1; }
"$searchd" --data "$tmp/data" --listen 127.0.0.1:0 --tls_cert "$tls/server.crt" --tls_key "$tls/server.key" \
  2>"$tmp/searchd.err" &
searchd_pid=$!
port=
for _ in $(seq 1 200); do
  port=$(sed -n 's/^chaja-searchd: serving .* on 127\.0\.0\.1:\([0-9][0-9]*\) (TLS).*$/\1/p' "$tmp/searchd.err")
  [[ -n $port ]] && break
  sleep 0.05
done
[[ -n $port ]] || { cat "$tmp/searchd.err"; fail "chaja-searchd did not report its TLS port"; exit 1; }
addr=127.0.0.1:$port

"$chaja" search 패권 --site blog --server "$addr" --tls_ca "$tls/server.crt" --tls_server_name localhost \
  >"$tmp/tls.out" 2>"$tmp/tls.err"
status=$?
[[ $status -eq 0 ]] || { cat "$tmp/tls.err"; fail "chaja search over TLS exited $status"; }
grep -q "패권" "$tmp/tls.out" || { cat "$tmp/tls.out"; fail "chaja search over TLS found nothing"; }
"$chaja" sites --server "$addr" --tls_ca "$tls/server.crt" >"$tmp/sites.out" 2>"$tmp/sites.err" ||
  { cat "$tmp/sites.err"; fail "chaja sites over TLS (certificate for 127.0.0.1) failed"; }

"$chaja" search 패권 --site blog --server "$addr" --timeout_ms 3000 >/dev/null 2>"$tmp/plain.err"
status=$?
[[ $status -ne 0 ]] || fail "chaja search without --tls_ca reached the TLS server"
"$chaja" search 패권 --site blog --server "$addr" --tls_ca "$tls/server.crt" --tls_server_name other.example \
  --timeout_ms 3000 >/dev/null 2>"$tmp/name.err"
status=$?
[[ $status -ne 0 ]] || fail "chaja search accepted a certificate for another name"
"$chaja" search 패권 --site blog --server "$addr" --tls_ca "$tmp/missing.pem" 2>"$tmp/missing.err"
status=$?
[[ $status -eq 2 ]] || fail "an unreadable --tls_ca exited $status, want 2"

if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "cli_flags_cli_test: all checks passed"
