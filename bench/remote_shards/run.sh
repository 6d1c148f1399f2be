#!/usr/bin/env bash
# A site bigger than a machine, in small (issue 16, docs/scaling.md): the same posts as one
# local database and as two halves served by xapian-tcpsrv on loopback, read as one
# Xapian::Database through the remote backend; chaja-remote-shards compares their top 10s and
# tries Chaja's match deciders, match spy and posting source on the remote one.
#
#   bench/remote_shards/run.sh [ARTICLES.jsonl]
#
# Default input: the 3,668 petitions of ../shared/corpus (bench/make_import_sets.py), else the
# sample blog. Posts are dealt to the shards alternately (odd lines, even lines).
# Env: BUILD_DIR (default build), CORPUS (default ../shared/corpus), OUT (default bench/out/remote_shards).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
corpus=${CORPUS:-$root/../shared/corpus}
out=${OUT:-$root/bench/out/remote_shards}
indexer="$build/indexer/chaja-indexer"
compare="$build/bench/chaja-remote-shards"
for bin in "$indexer" "$compare"; do
  [ -x "$bin" ] || { echo "remote_shards: build first: scripts/build.sh chaja-indexer chaja-remote-shards" >&2; exit 2; }
done
command -v xapian-tcpsrv >/dev/null || { echo "remote_shards: xapian-tcpsrv missing (apt-get install xapian-tools)" >&2; exit 2; }

mkdir -p "$out"
input=${1:-}
if [ -z "$input" ]; then
  if [ -d "$corpus/petitions" ]; then
    python3 "$root/bench/make_import_sets.py" "$corpus" "$root/bench/out/import"
    input="$root/bench/out/import/petitions.jsonl"
  else
    input="$root/sample/blog.jsonl"
  fi
fi

rm -rf "$out/data"
awk 'NR % 2 == 1' "$input" >"$out/shard-a.jsonl"
awk 'NR % 2 == 0' "$input" >"$out/shard-b.jsonl"
"$indexer" --data "$out/data" --site all "$input" 2>"$out/index-all.log"
"$indexer" --data "$out/data" --site shard-a "$out/shard-a.jsonl" 2>"$out/index-a.log"
"$indexer" --data "$out/data" --site shard-b "$out/shard-b.jsonl" 2>"$out/index-b.log"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop EXIT
shards=()
for shard in shard-a shard-b; do
  port=$(free_port)
  xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet "$out/data/$shard/xapian" >"$out/tcpsrv-$shard.log" 2>&1 &
  pids+=($!)
  shards+=("127.0.0.1:$port")
done
# Wait until both listen.
for address in "${shards[@]}"; do
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/${address%:*}/${address#*:}") 2>/dev/null && break
    sleep 0.1
  done
done

"$compare" --full "$out/data/all/xapian" --shards "$(IFS=,; echo "${shards[*]}")" \
  --queries "$root/bench/remote_shards/queries.txt" | tee "$out/result.txt"
