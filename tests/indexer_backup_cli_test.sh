#!/usr/bin/env bash
# indexer_backup_cli_test.sh INDEXER SAMPLE_JSONL
#
# chaja-indexer --backup and --restore as an operator runs them: the manifest,
# a restore into a new site, and each refusal with exit code 2, a message, and
# nothing changed. (That a restore holds every article of the backed-up
# revision of a live site is indexer_test's BackupTest.)
set -u

indexer=$1 sample=$2
tmp=$(mktemp -d /tmp/chaja_indexer_backup_cli_test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failures=0

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

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all checks passed"
