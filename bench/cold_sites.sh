#!/usr/bin/env bash
# Issue 16: what a cold site's first search costs (its database closed: the
# reader opened, settings read, column snapshot built) against the same search
# once the site is open (warm), over HTTP on N generated three-post sites
# (default 2,000; tests/make_many_sites.cc). Per site: one search right after
# searchd starts or after the budget closed the site (cold), then the same
# search again (warm); medians over all sites of searchd's own `took` and of
# the client's round trip. Also the resident memory and files per open site.
# The files are in the page cache (just written): cold here means closed, not
# read from disk. A side-by-side, not a pass/fail test.
#   bash bench/cold_sites.sh    (needs make_many_sites and chaja-searchd built; N=…, OUT=/tmp/…)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
b=${BUILD_DIR:-$root/build}
out=${OUT:-/tmp/chaja-cold-sites}
n=${N:-2000}
mkdir -p "$out"
d=$out/data
[ -d $d/s$(printf %05d $((n - 1))) ] || $b/tests/make_many_sites $d $n

# Every site stays open in the first run (a budget above N); the second keeps
# 100 readers, so its second round finds every site closed again.
for budget in 10000 100; do
  $b/searchd/chaja-searchd --data $d --listen 127.0.0.1:0 --http 127.0.0.1:0 --query_stats=false \
    --max_open_readers $budget > $out/searchd.log 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q "http on" $out/searchd.log && break; sleep 0.1; done
  port=$(grep -o "http on [0-9.]*:[0-9]*" $out/searchd.log | sed 's/.*://')
  python3 - "$port" "$n" "$budget" <<'PY'
import http.client, json, re, statistics, sys, time
port, n, budget = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port)
def get(path):
    t = time.perf_counter()
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    assert r.status == 200, (path, r.status, body[:200])
    return (time.perf_counter() - t) * 1e3, body
def gauges():
    text = get("/metrics")[1].decode()
    return {k: float(v) for k, v in re.findall(r"^(\w+) (\S+)$", text, re.M)}
def search(site):
    ms, body = get(f"/v1/sites/{site}/search?q=%EC%9A%B0%EB%B6%84%ED%88%AC")
    return ms, float(json.loads(body)["took"].rstrip("s")) * 1e3
sites = ["s%05d" % i for i in range(n)]
before = gauges()
for rnd in (1, 2):
    cold, warm = [], []
    for site in sites:
        cold.append(search(site))
        warm.append(search(site))
    med = lambda xs, i: statistics.median(x[i] for x in xs)
    print(f"budget {budget}, round {rnd}: cold first search: took {med(cold, 1):.3f} ms, round trip {med(cold, 0):.3f} ms; "
          f"warm: took {med(warm, 1):.3f} ms, round trip {med(warm, 0):.3f} ms (medians over {n} sites)")
    if rnd == 1 and budget >= n:
        after = gauges()
        sites_open = after["chaja_open_readers"] - before["chaja_open_readers"]
        print(f"  {sites_open:.0f} sites open: {(after['process_resident_memory_bytes'] - before['process_resident_memory_bytes']) / sites_open / 1024:.1f} KiB "
              f"resident and {(after['process_open_fds'] - before['process_open_fds']) / sites_open:.2f} files per open site")
PY
  kill $pid; wait $pid 2>/dev/null || true
done
