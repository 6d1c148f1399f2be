#!/usr/bin/env bash
# feed_watch_test.sh INDEXER SEARCHD CHAJA FEED_SERVER_PY FEEDS_DIR
#
# "Point Chaja at your blog's feed", end to end over loopback: a fixture
# Tistory feed served by tests/feed_server.py, listed in the site's site.json
# with a 1 s interval, polled by `chaja-indexer --watch` while chaja-searchd
# serves the site. Checks: the first poll indexes the posts with Tistory's
# category rule and names the site after the feed; polls of the unchanged
# feed are answered 304 and index nothing; a post added to the feed becomes
# searchable; `chaja sites` shows the feed's state; a restarted watcher keeps
# its validators (its first poll is a 304); a feed taken out of site.json is
# forgotten, its posts kept.
set -u

indexer=$1 searchd=$2 chaja=$3 server_py=$4 feeds=$5
tmp=$(mktemp -d /tmp/chaja_feed_watch_test.XXXXXX)
pids=()
failures=0

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# wait_for DESCRIPTION COMMAND...: runs COMMAND until it succeeds (at most 120 s: a loaded
# machine starts python3 slowly; no timing decides a pass).
wait_for() {
  local what=$1
  shift
  for _ in $(seq 1 1200); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  fail "timed out waiting for: $what"
  return 1
}

# state FIELD: a number from the feed's state file (0 when absent).
state() {
  python3 -c 'import json,sys
try: f=json.load(open(sys.argv[1]))["feeds"][0]
except Exception: f={}
print(f.get(sys.argv[2], 0))' "$tmp/data/blog/feeds-state.json" "$1"
}
state_at_least() { [[ $(state "$1") -ge $2 ]]; }

# --- the feed server ------------------------------------------------------------
mkdir -p "$tmp/served" "$tmp/data/blog"
cp "$feeds/tistory.xml" "$tmp/served/live.xml"
python3 "$server_py" "$tmp/served" --port-file "$tmp/feed_port" >/dev/null &
pids+=($!)
wait_for "feed_server.py's port" test -s "$tmp/feed_port" || exit 1
feed_port=$(cat "$tmp/feed_port")
feed_url="http://127.0.0.1:$feed_port/feed/live.xml"
cat >"$tmp/data/blog/site.json" <<JSON
{"timeZone": "Asia/Seoul", "feeds": [{"url": "$feed_url", "intervalSeconds": 1}]}
JSON

# --- chaja-indexer --watch --------------------------------------------------------
start_watcher() {
  "$indexer" --data "$tmp/data" --site blog --watch --min_poll_interval=1s 2>>"$tmp/indexer.err" &
  watcher=$!
  pids+=($watcher)
}
start_watcher
wait_for "the first poll" state_at_least polls 1
[[ $(state added) -eq 3 ]] || fail "first poll added $(state added) posts, want 3"

# --- chaja-searchd ------------------------------------------------------------------
"$searchd" --data "$tmp/data" --listen 127.0.0.1:0 2>"$tmp/searchd.err" &
pids+=($!)
port=
for _ in $(seq 1 200); do
  port=$(sed -n 's/^chaja-searchd: serving .* on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/searchd.err")
  [[ -n $port ]] && break
  sleep 0.05
done
[[ -n $port ]] || { cat "$tmp/searchd.err"; fail "chaja-searchd did not report its port"; exit 1; }

search_json() { "$chaja" search "$1" --site blog --server "127.0.0.1:$port" --json 2>&1; }
finds() { search_json "$1" | grep -q "\"id\": \"$2\""; }

finds 어텐션 https://aitamgu.tistory.com/57 || fail "search 어텐션 does not find post 57"
# Tistory's rule: the first <category> is the category, the rest are tags.
hit57=$(search_json 어텐션 | python3 -c 'import json,sys
h=[h for h in json.load(sys.stdin).get("hits", []) if h["id"].endswith("/57")]
print(h[0].get("category", "") + " | " + ",".join(h[0].get("tags", [])) if h else "none")')
[[ $hit57 == "공부 기록/딥러닝 | 파이토치,어텐션" ]] || fail "post 57: want category 공부 기록/딥러닝 and tags 파이토치,어텐션, got '$hit57'"

# --- unchanged feed: 304s, nothing indexed --------------------------------------------
polls=$(state polls)
wait_for "two more polls" state_at_least polls $((polls + 2))
[[ $(state notModified) -ge 2 ]] || fail "polls of the unchanged feed were not 304s (notModified $(state notModified))"
[[ $(state added) -eq 3 && $(state changed) -eq 0 ]] || fail "a 304 poll indexed something: $(cat "$tmp/data/blog/feeds-state.json")"
counts=$(python3 -c 'import sys,urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode().strip())' \
  "http://127.0.0.1:$feed_port/count/live.xml")
[[ ${counts#* } -ge 2 ]] || fail "the server answered no 304 (gets, 304s: $counts)"

# --- a new post --------------------------------------------------------------------------
cp "$feeds/tistory_new_post.xml" "$tmp/served/live.xml.new"
mv "$tmp/served/live.xml.new" "$tmp/served/live.xml"
wait_for "the new post in the state" state_at_least added 4
wait_for "the new post in search" finds 강아지풀 https://aitamgu.tistory.com/59
"$chaja" sites --server "127.0.0.1:$port" >"$tmp/sites.out" 2>&1
cat "$tmp/sites.out"
grep -q "AI 탐구노트" "$tmp/sites.out" || fail "chaja sites does not name the site after the feed's title"
grep -q "live.xml" "$tmp/sites.out" || fail "chaja sites does not list the feed"
grep -Eq "1 new, 0 changed, 3 unchanged|not modified" "$tmp/sites.out" || fail "chaja sites does not show the last poll's result"

# --- restart: the validators survive --------------------------------------------------------
kill "$watcher"
wait "$watcher" 2>/dev/null
added=$(state added) not_modified=$(state notModified) polls=$(state polls)
start_watcher
wait_for "a poll after the restart" state_at_least polls $((polls + 1))
[[ $(state notModified) -gt $not_modified ]] || fail "the restarted watcher's first poll was not a 304"
[[ $(state added) -eq $added ]] || fail "the restarted watcher indexed again"

# --- a feed taken out of site.json: its state goes, its posts stay --------------------------------
echo '{"timeZone": "Asia/Seoul"}' >"$tmp/data/blog/site.json"
no_feeds() { python3 -c 'import json,sys; sys.exit(1 if json.load(open(sys.argv[1])).get("feeds") else 0)' \
  "$tmp/data/blog/feeds-state.json"; }
wait_for "the dropped feed's state to go" no_feeds
finds 강아지풀 https://aitamgu.tistory.com/59 || fail "a post was deleted when its feed was dropped"

echo "--- chaja-indexer stderr (tail):"
tail -5 "$tmp/indexer.err"
if [[ $failures -gt 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "feed_watch_test: all checks passed"
