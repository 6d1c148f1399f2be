#!/usr/bin/env bash
# Facets alone (limit=0) against a 10-hit search with the same facets, over HTTP on a
# generated site of N posts (default 20,000; tests/make_synthetic_articles.py): searchd's own
# `took`, median and minimum of 30 runs per query. A side-by-side, not a pass/fail test.
#   bash bench/facets_alone.sh        (needs chaja-indexer and chaja-searchd built; OUT=/tmp/…)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
b=${BUILD_DIR:-$root/build}
out=${OUT:-/tmp/chaja-facets-alone}
mkdir -p "$out"
d=$out/data
n=${N:-20000}
if [ ! -d $d/syn ]; then
  python3 $root/tests/make_synthetic_articles.py $n $out/syn.jsonl
  $b/indexer/chaja-indexer --data $d --site syn $out/syn.jsonl > /dev/null
fi
$b/searchd/chaja-searchd --data $d --listen 127.0.0.1:0 --http 127.0.0.1:0 > $out/searchd.log 2>&1 &
pid=$!
trap 'kill $pid' EXIT
for _ in $(seq 100); do grep -q "http on" $out/searchd.log && break; sleep 0.1; done
port=$(grep -o "http on [0-9.]*:[0-9]*" $out/searchd.log | sed 's/.*://')
python3 - "$port" <<'PY'
import json, statistics, sys, urllib.request, urllib.parse
port = sys.argv[1]
def took(qs):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/sites/syn/search?{qs}") as r:
        body = json.load(r)
    return float(body["took"].rstrip("s")) * 1e3, body
for q in ["", "도커", "파이썬 서버"]:
    base = "q=" + urllib.parse.quote(q) + "&facet=tag&facet=category"
    for name, qs in [("10 hits + facets", base), ("limit=0 (facets alone)", base + "&limit=0")]:
        took(qs)  # warm
        times = [took(qs)[0] for _ in range(30)]
        _, body = took(qs)
        print(f"q={q!r:14} {name:24} median {statistics.median(times):7.2f} ms  min {min(times):7.2f} ms  "
              f"hits {len(body.get('hits', []))} total {body['totalHits']} exact {body['totalHitsExact']} ranker {body['ranker']}")
PY
