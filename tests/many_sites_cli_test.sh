#!/usr/bin/env bash
# many_sites_cli_test.sh MAKE_MANY_SITES SEARCHD COUNT
#
# Issue 16: COUNT small sites on one chaja-searchd started under the usual
# service limit of 1,024 open files, soft and hard (so that raising the soft
# limit to the hard one cannot hide the bug). Every site must answer a search
# over HTTP with its own post, in name order and again in reverse order:
# searchd keeps its open readers within the budget by closing the least
# recently used sites and reopening them on demand. Before the budget, sites
# past ~336 answered 503 (DatabaseOpeningError) forever.
set -u
make_sites=$1 searchd=$2 count=$3
source "$(dirname "$0")/lib.sh"
test_setup many_sites_cli_test

"$make_sites" "$tmp/data" "$count" || { fail "make_many_sites failed"; exit 1; }

(ulimit -Sn 1024 && ulimit -Hn 1024 && exec "$searchd" --data "$tmp/data" --listen 127.0.0.1:0 \
  --http 127.0.0.1:0 --query_stats=false) 2>"$tmp/searchd.err" &
searchd_pid=$!
port=$(searchd_http_port "$tmp/searchd.err")
[[ -n $port ]] || { cat "$tmp/searchd.err"; fail "chaja-searchd did not print 'http on 127.0.0.1:PORT'"; exit 1; }
grep -q '^chaja-searchd: open files: soft limit 1024 (hard 1024); at most [0-9]* open readers$' "$tmp/searchd.err" ||
  fail "no line with the file limits and the reader budget"

python3 - "$port" "$count" <<'PY' || fail "not every site answered its post"
import http.client, json, re, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

def get(path):
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, r.read()

sites = ["s%05d" % i for i in range(count)]
bad = []
for round_sites in (sites, sites[::-1]):
    for site in round_sites:
        status, body = get(f"/v1/sites/{site}/search?q=%EC%9A%B0%EB%B6%84%ED%88%AC")  # 우분투
        hits = json.loads(body).get("hits", []) if status == 200 else []
        if status != 200 or [h["id"] for h in hits] != [f"{site}-1"]:
            bad.append((site, status, body[:200]))
for site, status, body in bad[:5]:
    print(f"{site}: HTTP {status} {body!r}", file=sys.stderr)
assert not bad, f"{len(bad)} of {2 * count} searches failed"

# What is open, per site and node-wide.
status, body = get(f"/v1/sites/{sites[0]}")
stats = json.loads(body)
assert status == 200 and stats.get("openReaders") == 1 and "openSince" in stats, stats
status, body = get("/metrics")
metrics = dict(re.findall(r"^(chaja_\w+|process_\w+) (\S+)$", body.decode(), re.M))
budget, open_readers = float(metrics["chaja_max_open_readers"]), float(metrics["chaja_open_readers"])
assert 0 < open_readers <= budget, metrics
assert float(metrics["chaja_sites_closed_total"]) >= count, metrics
assert float(metrics["process_max_fds"]) == 1024, metrics
print(f"many_sites_cli_test: {2 * count} searches answered; budget {budget:.0f} readers, "
      f"{open_readers:.0f} open, {metrics['chaja_sites_closed_total']} sites closed, "
      f"{metrics['process_open_fds']} fds open")
PY
grep -q 'closed .* least recently used sites.*(the first)' "$tmp/searchd.err" || fail "no line about the first sites closed"
closed_lines=$(grep -c 'least recently used sites' "$tmp/searchd.err")
[[ $closed_lines -le 5 ]] || fail "$closed_lines lines about closed sites: want one now and then, not one per request"

if [[ $failures -gt 0 ]]; then tail -3 "$tmp/searchd.err" | cut -c1-300; echo "$failures check(s) failed"; exit 1; fi
echo "many_sites_cli_test: all checks passed"
