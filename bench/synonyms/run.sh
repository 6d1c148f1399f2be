#!/usr/bin/env bash
# Synonym discovery (issue 13) on the sample blog and the Korean sets of
# ../shared/eval: index each (or reuse an index), run
# chaja-discover-equivalents, write the top candidates of each site to
# $out/synonyms/<site>.tsv, and score them against the judged lists
# (tests/testdata/synonyms/judged_<site>.tsv) with precision.py.
#
#   bench/synonyms/run.sh [SET...]   sets: blog klue_nli petitions nsmc_reviews nsmc_movies
#                                    (default: all of them)
# Env: BUILD_DIR (default build), EVAL_DIR (default ../shared/eval), OUT (default bench/out),
#      REUSE_DATA: a data folder whose sites are read (never written) when it has them,
#      e.g. another worktree's bench/out/relevance-data; LIMIT (default 50);
#      MAX_POSTS (default 30000).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
eval_dir=${EVAL_DIR:-$root/../shared/eval}
out=${OUT:-$root/bench/out}
limit=${LIMIT:-50}
max_posts=${MAX_POSTS:-30000}
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(blog klue_nli petitions nsmc_reviews nsmc_movies)

for binary in indexer/chaja-indexer bench/chaja-discover-equivalents; do
  [ -x "$build/$binary" ] || { echo "synonyms: build first: scripts/build.sh chaja-indexer chaja-discover-equivalents" >&2; exit 2; }
done

# shellcheck source=bench/sets.sh
source "$root/bench/sets.sh"
data="$out/synonyms-data"
mkdir -p "$data" "$out/synonyms"

for set in "${sets[@]}"; do
  if [ "$set" = blog ]; then
    site=blog
    corpus="$root/sample/blog.jsonl"
  else
    site=$(set_site "$set")
    corpus=""
  fi
  site_data=$data
  if [ -n "${REUSE_DATA:-}" ] && [ -d "$REUSE_DATA/$site/xapian" ]; then
    site_data=$REUSE_DATA
  else
    [ -n "$corpus" ] || corpus="$(eval_set_dir "$set")/corpus.jsonl"
    index_site "$site" "$corpus" >&2
  fi
  "$build/bench/chaja-discover-equivalents" --data "$site_data" --site "$site" --limit "$limit" \
    --max_posts "$max_posts" >"$out/synonyms/$site.tsv"
done

for set in "${sets[@]}"; do
  site=$([ "$set" = blog ] && echo blog || set_site "$set")
  python3 "$root/bench/synonyms/precision.py" "$out/synonyms/$site.tsv" \
    "$root/tests/testdata/synonyms/judged_$site.tsv" --top "$limit"
done
