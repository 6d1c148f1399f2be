#!/usr/bin/env bash
# indexer_import_cli_test.sh INDEXER INGEST_TESTDATA_DIR
#
# The real chaja-indexer on the import fixtures: format detection across a mix
# of files and folders, exit codes, the no-op re-run message, --prune (and its
# refusal when a record was rejected), --format mismatches and flag errors.
set -u

indexer=$1 testdata=$2
tmp=$(mktemp -d /tmp/chaja_indexer_import_cli_test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# run NAME ARGS...: runs the indexer on site "blog", stderr to $tmp/NAME.err; sets $status.
run() {
  local name=$1
  shift
  "$indexer" --data "$tmp/data" --site blog "$@" 2>"$tmp/$name.err"
  status=$?
  echo "--- $name: exit $status"
  cat "$tmp/$name.err"
}
expect_status() { [[ $status -eq $1 ]] || fail "$2: exit $status, want $1"; }
expect_err() { grep -q -- "$2" "$tmp/$1.err" || fail "$1: no '$2' on stderr"; }

# A mix: RSS, Atom, WXR, a Hugo folder, a saved page, an EUC-KR feed.
run first "$testdata/rss2.xml" "$testdata/atom.xml" "$testdata/wordpress.wxr.xml" "$testdata/hugo" \
  "$testdata/tistory_page.html" "$testdata/euckr_feed.xml"
expect_status 0 "first import"
expect_err first "created site blog: 12 indexed, 0 deleted, 0 rejected (12 new, 0 changed, 0 unchanged, 4 skipped, 0 warnings)"

run again "$testdata/rss2.xml" "$testdata/atom.xml" "$testdata/wordpress.wxr.xml" "$testdata/hugo" \
  "$testdata/tistory_page.html" "$testdata/euckr_feed.xml"
expect_status 0 "re-run"
expect_err again "nothing changed: all 12 articles were already up to date"
grep -q "created site" "$tmp/again.err" && fail "the re-run says it created the site"

# A full export with a rejected record: --prune is refused, nothing is deleted.
run refused --prune "$testdata/rss2.xml" "$testdata/truncated.xml"
expect_status 1 "--prune with a rejected record"
expect_err refused "truncated.xml:29: XML error"
expect_err refused "prune not done: 1 record(s) were rejected"
expect_err refused "0 deleted"
expect_err refused "12 articles in the site"

# A clean full export of only the RSS feed: everything else goes.
run pruned --prune "$testdata/rss2.xml"
expect_status 0 "--prune"
expect_err pruned "0 indexed, 9 deleted, 0 rejected"
expect_err pruned "3 articles in the site"

# Forced format that does not match, and a file no format fits.
printf '그냥 메모\n' >"$tmp/notes.txt"
run mismatch --format rss "$testdata/atom.xml" "$tmp/notes.txt"
expect_status 1 "--format rss on an Atom feed"
expect_err mismatch "atom.xml:[0-9]*: expected a RSS document"
run unknown "$tmp/notes.txt"
expect_status 1 "an undetectable file"
expect_err unknown "notes.txt:1: cannot tell the format"

# A mistyped --site whose import keeps nothing (every record rejected, or a
# fatal error) leaves no empty site behind.
"$indexer" --data "$tmp/data" --site blgo "$tmp/notes.txt" 2>"$tmp/typo.err"
status=$?
expect_status 1 "a new site with every record rejected"
expect_err typo "site blgo was not created: no article was kept"
"$indexer" --data "$tmp/data" --site blgo "$tmp/does-not-exist.xml" 2>"$tmp/typo2.err"
status=$?
expect_status 2 "a new site with a missing file"
[[ -e $tmp/data/blgo ]] && fail "a mistyped --site left the folder $tmp/data/blgo"

# Markdown front matter with an unclosed quote: rejected at its line, not
# imported with the date swallowed into the title.
mkdir -p "$tmp/md"
printf -- '---\ntitle: "따옴표가 열린 제목\ndate: 2025-01-22\n---\n본문\n' >"$tmp/md/open-quote.md"
printf -- '---\ntitle: 날짜\ndate: 2025-02-30\n---\n본문\n' >"$tmp/md/bad-date.md"
run markdown "$tmp/md"
expect_status 1 "Markdown with an unclosed quote and an impossible date"
expect_err markdown "open-quote.md:2: front matter: the quote"
expect_err markdown "bad-date.md:3: "

# WordPress exports that are not quite XML: a raw ]]> in a post (that item is
# rejected at its line, the rest imported), text after </rss> (a warning) and a
# namespace name with Hangul in it (an IRI: fine).
"$indexer" --data "$tmp/data" --site wxr "$testdata/wxr_stray_cdata_end.xml" "$testdata/wxr_trailing_content.xml" \
  "$testdata/wxr_iri_namespace.xml" 2>"$tmp/wxr.err"
status=$?
cat "$tmp/wxr.err"
expect_status 1 "WXR exports with XML errors"
expect_err wxr "wxr_stray_cdata_end.xml:22: XML error in this item (line 27): Sequence ']]>' not allowed"
expect_err wxr "wxr_trailing_content.xml:36: warning: XML error outside the items (ignored): Extra content"
expect_err wxr "created site wxr: 6 indexed, 0 deleted, 1 rejected (6 new, 0 changed, 0 unchanged, 0 skipped, 1 warnings)"

# Encoding problems are warnings: indexed, exit 0.
run warned "$testdata/cp949_page.html"
expect_status 0 "a page with invalid CP949 bytes"
expect_err warned "cp949_page.html:9: warning: "

# Fatal errors: exit 2.
run missing "$tmp/does-not-exist.xml"
expect_status 2 "a missing file"
run badzone --timezone Mars/Olympus "$testdata/rss2.xml"
expect_status 2 "an unknown --timezone"
run badformat --format docx "$testdata/rss2.xml"
expect_status 2 "an unknown --format"

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all checks passed"
