# shellcheck shell=bash disable=SC2154  # build, eval_dir, out and data come from the script
# Sourced by bench/relevance and bench/typing: the judged sets of ../shared/eval,
# their indexes and a chaja-searchd over them, done one way for both.
#
# The caller sets: build (binaries), eval_dir (../shared/eval), out (bench/out).
# Indexes live in $out/relevance-data/<site>, one site per set (klue_nli →
# klue-nli), so both scripts use the same indexes.

# The folder holding SET's corpus.jsonl and queries.jsonl: ../shared/eval/SET,
# or $out/gen/SET for the NSMC sets, which make_dev.py makes on first use.
eval_set_dir() {
  local set=$1 dir="$eval_dir/$1"
  if [ ! -f "$dir/corpus.jsonl" ] || [ ! -f "$dir/queries.jsonl" ]; then
    dir="$out/gen/$set"
    if [ ! -f "$dir/corpus.jsonl" ]; then
      echo "${0##*/}: generating the NSMC sets with make_dev.py (about a minute)" >&2
      python3 "$eval_dir/make_dev.py" "$eval_dir/../corpus" "$out/gen" >&2
    fi
  fi
  [ -f "$dir/corpus.jsonl" ] || { echo "${0##*/}: no set $set (not in $eval_dir, not made by make_dev.py)" >&2; return 2; }
  echo "$dir"
}

# The site a set is indexed as: klue_nli → klue-nli.
set_site() { echo "${1//_/-}"; }

# Indexes CORPUS (Article JSON lines) as SITE into $data, unless the index is
# newer than both the corpus and the indexer binary.
index_site() {
  local site=$1 corpus=$2 stamp="$data/$1/.indexed"
  if [ ! -f "$stamp" ] || [ "$corpus" -nt "$stamp" ] || [ "$build/indexer/chaja-indexer" -nt "$stamp" ]; then
    rm -rf "${data:?}/$site"
    "$build/indexer/chaja-indexer" --data "$data" --site "$site" --batch_size 20000 "$corpus"
    touch "$stamp"
  fi
}

# Starts chaja-searchd over $data on a free loopback port with $SEARCHD_FLAGS,
# its log in LOG; sets searchd (the pid) and port, and stops it when the
# script exits.
start_searchd() {
  local log=$1
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # shellcheck disable=SC2086  # SEARCHD_FLAGS is a list of flags
  "$build/searchd/chaja-searchd" --data "$data" --listen "127.0.0.1:$port" ${SEARCHD_FLAGS:-} 2>"$log" &
  searchd=$!
  trap 'kill $searchd 2>/dev/null; wait $searchd 2>/dev/null || true' EXIT
  for _ in $(seq 100); do grep -q serving "$log" && break; sleep 0.1; done
  grep -q serving "$log" || { echo "${0##*/}: chaja-searchd did not start; see $log" >&2; exit 1; }
}
