#!/usr/bin/env bash
# indexer_crash_test.sh INDEXER MAKE_ARTICLES_PY [batch|bulk]
#
# Nothing lost: SIGKILL chaja-indexer in the middle of a large import (40,000
# generated articles, --batch_size 1000), then check that
#   1. the database opens and passes xapian-check,
#   2. batch (--threads 1): it holds exactly the committed batches (a multiple of
#      1000, fewer than 40,000); bulk (--threads 2, the parallel first import of an
#      empty site): it is still empty, since shards are merged only at the end,
#   3. re-running the import completes with exactly 40,000 articles, every id once,
#      the committed ones skipped as unchanged,
#   4. a third run changes nothing and says so.
set -u

indexer=$1 make_articles=$2 mode=${3:-batch}
threads=1
[[ $mode == bulk ]] && threads=2
total=40000 batch=1000
tmp=$(mktemp -d /tmp/chaja_indexer_crash_test.XXXXXX)
pid=
failures=0
cleanup() {
  if [[ -n $pid ]]; then kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

db="$tmp/data/crash/xapian"
doc_count() { xapian-delve "$db" 2>/dev/null | sed -n 's/^number of documents = //p'; }

python3 "$make_articles" "$total" "$tmp/articles.jsonl" || { echo "FAIL: cannot generate the input" >&2; exit 1; }
echo "--- generated $total articles ($(stat -c %s "$tmp/articles.jsonl") bytes)"

# --- 1st run, killed mid-import -------------------------------------------------
"$indexer" --data "$tmp/data" --site crash --batch_size "$batch" --threads "$threads" "$tmp/articles.jsonl" \
  2>"$tmp/run1.err" &
pid=$!
killed_at=
# Batch mode: kill once 3 batches are committed. Bulk mode: once a shard has
# flushed to disk (the site itself stays empty until the merge).
progress() {
  if [[ $mode == bulk ]]; then
    [[ -s "$tmp/data/crash/bulk.tmp/shard-0/postlist.glass" ]] && echo 0
  else
    n=$(doc_count)
    [[ -n $n && $n -ge $((3 * batch)) ]] && echo "$n"
  fi
}
for _ in $(seq 1 1200); do
  n=$(progress)
  if [[ -n $n ]]; then
    kill -9 "$pid"
    killed_at=$n
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.02
done
wait "$pid" 2>/dev/null
status=$?
pid=
if [[ -z $killed_at ]]; then
  cat "$tmp/run1.err"
  echo "FAIL: the import ended (status $status) before it could be killed mid-way" >&2
  exit 1
fi
[[ $status -eq 137 ]] || fail "the indexer was not killed by SIGKILL (status $status)"
echo "--- killed with SIGKILL after seeing $killed_at committed articles"

# --- the database after the crash ------------------------------------------------
after=$(doc_count)
[[ -n $after ]] || { fail "the database does not open after the crash"; exit 1; }
xapian-check "$db" >"$tmp/check.out" 2>&1 || { cat "$tmp/check.out"; fail "xapian-check found errors"; }
echo "--- after the crash: $after articles"
(( after % batch == 0 )) || fail "$after articles is not a whole number of $batch-article batches"
[[ $mode == bulk && $after -ne 0 ]] && fail "$after articles after a killed bulk import, want 0 (nothing before the merge)"
(( after >= killed_at )) || fail "$after articles, fewer than the $killed_at seen committed before the kill"
(( after < total )) || fail "all $total articles were committed: the kill was not mid-import"
[[ -d "$tmp/data/crash/bulk.tmp" && $mode == batch ]] && fail "a --threads 1 import left bulk shards"

# --- 2nd run: completes, nothing lost or duplicated -------------------------------
"$indexer" --data "$tmp/data" --site crash --batch_size "$batch" "$tmp/articles.jsonl" 2>"$tmp/run2.err"
status=$?
cat "$tmp/run2.err"
[[ $status -eq 0 ]] || fail "the re-run exited $status"
final=$(doc_count)
[[ $final -eq $total ]] || fail "after the re-run: $final articles, want $total"
ids=$(xapian-delve -a -1 "$db" | grep -c '^Q')
[[ $ids -eq $total ]] || fail "$ids distinct ids, want $total"
grep -q "$((total - after)) new, 0 changed, $after unchanged" "$tmp/run2.err" ||
  fail "the re-run did not add exactly the $((total - after)) lost articles and skip the $after committed ones"
xapian-check "$db" >"$tmp/check.out" 2>&1 || { cat "$tmp/check.out"; fail "xapian-check found errors after the re-run"; }
[[ -e "$tmp/data/crash/bulk.tmp" ]] && fail "the re-run left bulk.tmp behind"

# --- 3rd run: a no-op, and it says so -----------------------------------------------
"$indexer" --data "$tmp/data" --site crash --batch_size "$batch" "$tmp/articles.jsonl" 2>"$tmp/run3.err"
status=$?
cat "$tmp/run3.err"
[[ $status -eq 0 ]] || fail "the third run exited $status"
grep -q "nothing changed: all $total articles were already up to date" "$tmp/run3.err" ||
  fail "the third run did not say that nothing changed"
[[ $(doc_count) -eq $total ]] || fail "the third run changed the article count"

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all checks passed"
