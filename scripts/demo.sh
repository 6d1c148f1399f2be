#!/usr/bin/env bash
# The Chaja demo: installs the packages and builds (scripts/build.sh), indexes the
# sample blog (sample/blog.jsonl) as site "ai-tamgu", starts chaja-searchd in the
# background on 127.0.0.1 (gRPC, and HTTP for the browser: the demo blog page at / with
# the search widget) and runs a few Korean queries through the chaja CLI.
# searchd keeps running afterwards so you can try your own queries; the script
# ends by printing the page to open, how to query it and how to stop it.
#
#   bash scripts/demo.sh
# Env: DEMO_DATA (default ./demo-data), DEMO_PORT (gRPC, default 7700) and
# DEMO_HTTP_PORT (HTTP, default 7701; another free port is picked when one is taken),
# BUILD_DIR (default build).
#
# Running it again stops the previous demo searchd (demo-data/searchd.pid) and
# rebuilds the data folder from scratch.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${BUILD_DIR:-build}
data=${DEMO_DATA:-demo-data}
site=ai-tamgu
want_port=${DEMO_PORT:-7700}
want_http_port=${DEMO_HTTP_PORT:-7701}

# Only the three binaries the demo runs: a test that does not compile yet must not stop it.
bash scripts/build.sh chaja-indexer chaja-searchd chaja

indexer=$build/indexer/chaja-indexer
searchd=$build/searchd/chaja-searchd
chaja=$build/client/chaja
for bin in "$indexer" "$searchd" "$chaja"; do
  [ -x "$bin" ] || { echo "demo: $bin was not built" >&2; exit 1; }
done

# --- Stop the previous demo searchd, if any ---------------------------------------
pid_file=$data/searchd.pid
# True while $1 is a live chaja-searchd (pids get reused; a zombie has no cmdline).
is_searchd() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -q chaja-searchd; }
stop_searchd() {
  echo "demo: stopping the previous demo searchd (pid $1)"
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 100); do is_searchd "$1" || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
old=$(cat "$pid_file" 2>/dev/null || true)
if [[ "$old" =~ ^[0-9]+$ ]] && is_searchd "$old"; then stop_searchd "$old"; fi
# A demo searchd whose pid file was lost: same binary, same --data, started from here.
for proc in /proc/[0-9]*; do
  pid=${proc#/proc/}
  [ "$(readlink "$proc/cwd" 2>/dev/null)" = "$root" ] || continue
  tr '\0' '\n' 2>/dev/null <"$proc/cmdline" | grep -qxF -- "$data" || continue
  if is_searchd "$pid"; then stop_searchd "$pid"; fi
done

# --- Index the sample blog into a fresh data folder ----------------------------
rm -rf "$data"
mkdir -p "$data"
echo "demo: indexing sample/blog.jsonl into $data (site $site)"
"$indexer" --data "$data" --site "$site" sample/blog.jsonl
# The site's settings (SiteConfig): the name the demo page shows, the calendar's zone.
cat >"$data/$site/site.json" <<'JSON'
{"displayName": "AI 탐구노트", "timeZone": "Asia/Seoul"}
JSON

# --- Start searchd -------------------------------------------------------------
port_is_free() {
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gRPC does: TIME_WAIT is no obstacle
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}
listen_port=$want_port
if ! port_is_free "$want_port"; then
  echo "demo: port $want_port is taken; letting searchd pick a free port"
  listen_port=0  # searchd binds a free port and names it in its "serving" line
fi
http_port=$want_http_port
if ! port_is_free "$want_http_port"; then
  echo "demo: port $want_http_port is taken; letting searchd pick a free HTTP port"
  http_port=0  # named in its "http on" line
fi

log=$data/searchd.log
nohup "$searchd" --data "$data" --listen "127.0.0.1:$listen_port" --http "127.0.0.1:$http_port" \
  </dev/null >"$log" 2>&1 &
pid=$!
echo "$pid" >"$pid_file"

started() { grep -q "chaja-searchd: serving" "$log" 2>/dev/null && grep -q "chaja-searchd: http on" "$log" 2>/dev/null; }
for _ in $(seq 300); do
  started && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if ! started; then
  echo "demo: chaja-searchd did not start; its log ($log):" >&2
  cat "$log" >&2
  kill "$pid" 2>/dev/null || true
  rm -f "$pid_file"
  exit 1
fi
# "chaja-searchd: serving ai-tamgu from demo-data on 127.0.0.1:7700"
port=$(sed -n 's/^chaja-searchd: serving .* on .*:\([0-9][0-9]*\)$/\1/p' "$log" | head -n 1)
[ -n "$port" ] || { echo "demo: cannot read the port from $log" >&2; cat "$log" >&2; exit 1; }
server=127.0.0.1:$port
# "chaja-searchd: http on 127.0.0.1:7701"
web_port=$(sed -n 's/^chaja-searchd: http on .*:\([0-9][0-9]*\)$/\1/p' "$log" | head -n 1)
[ -n "$web_port" ] || { echo "demo: cannot read the HTTP port from $log" >&2; cat "$log" >&2; exit 1; }
web=http://127.0.0.1:$web_port
echo "demo: chaja-searchd (pid $pid) is serving $site on $server (gRPC) and $web (HTTP)"

# --- Queries ---------------------------------------------------------------------
# Each query: a heading, the exact command, then the CLI's own output.
bold='' plain=''
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; fi
shell_word() {  # $1 quoted for a shell only when it needs it (keeps Hangul readable)
  case $1 in
    *[[:space:]\'\"\\\$\`\;\&\|\<\>\(\)\*\?\[\]\#\~\!]* | '') printf "'%s'" "${1//\'/\'\\\'\'}" ;;
    *) printf '%s' "$1" ;;
  esac
}
run() {  # run HEADING SUBCOMMAND ARGS...
  local heading=$1 command=$2 arg; shift 2
  printf '\n%s━━ %s%s\n' "$bold" "$heading" "$plain"
  printf '$ chaja %s' "$command"
  for arg in "$@"; do printf ' '; shell_word "$arg"; done
  printf '\n'
  "$chaja" "$command" --site "$site" --server "$server" "$@"
}
query() {
  local heading=$1; shift
  run "$heading" search "$@"
}

echo
echo "================================ demo queries ================================"
query "1. 패권 — a bare word finds 패권을 and 패권이: Hangul bigrams need no particle list" \
  패권
query "2. \"국가적 전략\" — a quoted phrase: the words must be adjacent (post-016 has both, apart)" \
  '"국가적 전략"'
query "3. GPT-4o — also finds gpt4o (post-032) and \"GPT 4o\" (post-024)" \
  --limit 7 GPT-4o
query "4. 우분투 OR ubuntu, minus posts about 도커, newest first" \
  --sort newest --limit 4 우분투 OR ubuntu -도커
query "5. 이미지 생성 inside the category \"이미지 생성\"" \
  --category "이미지 생성" --limit 3 이미지 생성
query "6. 모델 among posts tagged OpenAI, as JSON (the gRPC response's JSON mapping)" \
  --tag OpenAI --limit 1 --json 모델
run "7. The tag cloud: exact counts over every post (OpenAI = openai; 오픈AI is its own tag)" \
  tags --facet_limit 10
run "8. Under post-028: 'AI 관련 소식' 카테고리의 다른 글, with the previous and next post" \
  category post-028 --limit 5
run "9. The archive calendar of January 2025, days in Seoul (post-028 at 23:30 UTC is on the 22nd)" \
  archive 2025-01
run "10. Related to post-003 (Stable Diffusion): image-generation posts first, each with the reason" \
  related post-003 --limit 3
echo
echo "=============================================================================="

# --- How to go on ------------------------------------------------------------------
cat <<EOF

chaja-searchd keeps running in the background (pid $pid, log $log).

${bold}Open the demo blog in a browser:  $web/ ${plain}
  a post of the sample blog with the search widget in its header (type 도커 or 패권),
  the tag cloud, the archive calendar, "other posts in this category" and related posts.
  Embed the widget in any page with one tag:
  <script src="$web/widget.js" data-site="$site" async></script>
  The HTTP/JSON API behind it: curl '$web/v1/sites/$site/search?q=%ED%8C%A8%EA%B6%8C&limit=2'

Search it yourself:
  $chaja search 검색어 --site $site --server $server
  $chaja search --site $site --server $server --sort comments --tag Docker 도커 -쿠버네티스
  $chaja category post-001 --site $site --server $server
  $chaja sites --server $server
  $chaja --help

Or over gRPC (server reflection is on), e.g. with grpcurl if you have it:
  grpcurl -plaintext -d '{"site":"$site","query":"패권"}' $server chaja.v1.SearchService/Search

Stop it:
  kill \$(cat $pid_file)
EOF

printf '\n%s==> open %s/ in a browser: the demo blog with the search widget%s\n' "$bold" "$web" "$plain"
