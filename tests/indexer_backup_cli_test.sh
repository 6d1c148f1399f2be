#!/usr/bin/env bash
# indexer_backup_cli_test.sh INDEXER SEARCHD SAMPLE_JSONL
#
# chaja-indexer --backup and --restore as an operator runs them: the manifest,
# a restore into a new site, each refusal with exit code 2, a message, and
# nothing changed, and a restore that a running chaja-searchd serves without a
# restart. (That a restore holds every article of the backed-up revision of a
# live site is indexer_test's BackupTest.)
set -u

indexer=$1 searchd=$2 sample=$3
tmp=$(mktemp -d /tmp/chaja_indexer_backup_cli_test.XXXXXX)
searchd_pid=
failures=0

cleanup() {
  if [[ -n $searchd_pid ]]; then
    kill "$searchd_pid" 2>/dev/null
    wait "$searchd_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run WANT_STATUS WHAT ARGS...: runs the indexer on $tmp/data, checks its exit status.
run() {
  local want=$1 what=$2
  shift 2
  "$indexer" --data "$tmp/data" "$@" >"$tmp/out" 2>"$tmp/err"
  local status=$?
  echo "--- $what: exit $status: $(cat "$tmp/err")"
  [[ $status -eq $want ]] || fail "$what: exit $status, want $want"
}

expect_message() {
  grep -q -- "$1" "$tmp/err" || fail "no message '$1' in: $(cat "$tmp/err")"
}

run 0 "import" --site blog --threads 1 "$sample"
articles=$(grep -c . "$sample")

run 0 "backup" --site blog --backup "$tmp/backup"
expect_message "backup written to $tmp/backup: site blog, revision [0-9]*, $articles articles"
grep -q "^format: chaja-backup 1$" "$tmp/backup/manifest.txt" || fail "manifest: no format line"
grep -q "^site: blog$" "$tmp/backup/manifest.txt" || fail "manifest: no site line"
grep -q "^documents: $articles$" "$tmp/backup/manifest.txt" || fail "manifest: no 'documents: $articles'"
[[ -f $tmp/backup/xapian/iamglass ]] || fail "no database in the backup folder"

run 2 "backup into a folder with files" --site blog --backup "$tmp/backup"
expect_message "is not empty"
run 2 "backup of a missing site" --site nosuch --backup "$tmp/backup2"
expect_message 'site "nosuch" has no database'
[[ ! -e $tmp/backup2 ]] || fail "a backup of a missing site created its folder"
run 2 "backup with files to import" --site blog --backup "$tmp/backup3" "$sample"

run 0 "restore into a new site" --site copy --restore "$tmp/backup"
expect_message "site copy restored from $tmp/backup: site blog, revision [0-9]*, $articles articles"
run 0 "backup of the restored site" --site copy --backup "$tmp/copy-backup"
grep -q "^documents: $articles$" "$tmp/copy-backup/manifest.txt" || fail "the restored site does not hold $articles"

run 2 "restore over a site with articles" --site copy --restore "$tmp/backup"
expect_message "give --force"
run 0 "restore over it with --force" --site copy --restore "$tmp/backup" --force

cp "$tmp/backup/manifest.txt" "$tmp/manifest.good"
sed -i 's/^documents: .*/documents: 7/' "$tmp/backup/manifest.txt"
run 2 "restore with a manifest that disagrees" --site other --restore "$tmp/backup"
expect_message "manifest says 7"
echo "garbage" >"$tmp/backup/manifest.txt"
run 2 "restore with a damaged manifest" --site other --restore "$tmp/backup"
expect_message "is damaged"
[[ ! -e $tmp/data/other ]] || fail "a refused restore created the site"
run 2 "restore from a folder without a backup" --site other --restore "$tmp/nothing"
expect_message "no backup in"
cp "$tmp/manifest.good" "$tmp/backup/manifest.txt"

# --- a restore under a running chaja-searchd -----------------------------------
"$searchd" --data "$tmp/data" --listen 127.0.0.1:0 --http 127.0.0.1:0 2>"$tmp/searchd.err" &
searchd_pid=$!
port=
for _ in $(seq 1 200); do
  port=$(sed -n 's/^chaja-searchd: http on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/searchd.err")
  [[ -n $port ]] && break
  kill -0 "$searchd_pid" 2>/dev/null || break
  sleep 0.05
done
[[ -n $port ]] || { cat "$tmp/searchd.err"; fail "chaja-searchd did not report its HTTP port"; exit 1; }

# status PATH: the HTTP status of GET PATH on searchd.
status() {
  python3 - "http://127.0.0.1:$port$1" <<'PY'
import sys, urllib.error, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=10).status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
}

first_id=$(head -1 "$sample" | sed 's/^{"id": *"\([^"]*\)".*/\1/')
[[ $(status "/v1/sites/blog/articles/$first_id") == 200 ]] || fail "searchd does not serve $first_id"
run 0 "delete $first_id while searchd serves" --site blog --delete "$first_id"
[[ $(status "/v1/sites/blog/articles/$first_id") == 404 ]] || fail "searchd still serves the deleted $first_id"
run 0 "restore while searchd serves" --site blog --restore "$tmp/backup" --force
[[ $(status "/v1/sites/blog/articles/$first_id") == 200 ]] || fail "searchd does not serve the restored $first_id"

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all checks passed"
