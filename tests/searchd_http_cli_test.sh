#!/usr/bin/env bash
# searchd_http_cli_test.sh INDEXER SEARCHD SAMPLE_JSONL
#
# The real chaja-searchd with --http 127.0.0.1:0: it prints exactly one
# "chaja-searchd: http on 127.0.0.1:PORT" line, and that port answers the JSON
# API (python3's urllib as the client: curl may be missing on a fresh machine).
set -u
indexer=$1 searchd=$2 sample=$3
source "$(dirname "$0")/lib.sh"
test_setup searchd_http_cli_test

"$indexer" --data "$tmp/data" --site blog "$sample" 2>"$tmp/indexer.err" || { cat "$tmp/indexer.err"; fail "indexing failed"; exit 1; }

"$searchd" --data "$tmp/data" --listen 127.0.0.1:0 --http 127.0.0.1:0 2>"$tmp/searchd.err" &
searchd_pid=$!
port=$(searchd_http_port "$tmp/searchd.err")
[[ -n $port ]] || { cat "$tmp/searchd.err"; fail "chaja-searchd did not print 'http on 127.0.0.1:PORT'"; exit 1; }
lines=$(grep -c '^chaja-searchd: http on ' "$tmp/searchd.err")
[[ $lines -eq 1 ]] || fail "want one 'http on' line, got $lines"

# GET a search with a Korean query, then a 404, and check status and JSON.
python3 - "$port" <<'PY' || fail "the HTTP API did not answer as expected"
import json, sys, urllib.error, urllib.parse, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
with urllib.request.urlopen(base + "/healthz", timeout=10) as r:
    assert json.load(r) == {"status": "SERVING"}
url = base + "/v1/sites/blog/search?" + urllib.parse.urlencode({"q": "패권", "limit": 2})
with urllib.request.urlopen(url, timeout=10) as r:
    assert r.status == 200 and r.headers["ETag"], r.headers
    body = json.load(r)
assert int(body["totalHits"]) >= 2 and len(body["hits"]) == 2, body
try:
    urllib.request.urlopen(base + "/v1/sites/nosuchsite/search?q=x", timeout=10)
    raise AssertionError("unknown site answered 200")
except urllib.error.HTTPError as e:
    assert e.code == 404 and json.load(e)["status"] == "NOT_FOUND"
print("searchd_http_cli_test: search over HTTP found", body["totalHits"], "posts")
PY

if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "searchd_http_cli_test: all checks passed"
