// The on-disk contract of a Chaja site database: every Xapian term prefix and
// value slot, defined once. The indexer writes these and searchd reads them;
// nothing else may spell a prefix or a slot number.
//
// Layout of a data folder:   DATA/<site>/xapian/   one Xapian database per site.
//
// Prefixes follow Xapian's convention (Omega's termprefixes.rst): a single
// capital letter for common fields, "X…" for our own.
#ifndef CHAJA_INDEX_SCHEMA_H_
#define CHAJA_INDEX_SCHEMA_H_

#include <string>
#include <vector>

#include <xapian.h>

#include "absl/strings/string_view.h"

namespace chaja::index {

// --- Term prefixes -----------------------------------------------------------
// Body and title text: analyzer terms (Hangul bigrams, words). The index keeps
// no positions: phrases are checked against the stored text (search/phrase_filter.h).
inline constexpr absl::string_view kPrefixText = "";
// Title text again, for title: queries.
inline constexpr absl::string_view kPrefixTitle = "S";
// Light stems of Latin words ("model" for "models"), no positions.
inline constexpr absl::string_view kPrefixStem = "Z";
// The article id, unique per document: upsert replaces by this term.
inline constexpr absl::string_view kPrefixId = "Q";
// A tag, normalized (NFKC, case-folded): boolean filter.
inline constexpr absl::string_view kPrefixTag = "K";
// The category and each of its ancestors ("개발" and "개발/파이썬"), normalized.
inline constexpr absl::string_view kPrefixCategory = "XCAT";
// The author, normalized.
inline constexpr absl::string_view kPrefixAuthor = "A";
// 초성 (initial consonants) of each Hangul word of the title, of each tag and
// of each category part, as compatibility jamo, then a space and the word
// itself, normalized ("XCHㅇㅂㅌ 우분투"): a query of initials (ㅇㅂㅌ) finds the
// posts and knows the word it stands for. Only initials of two jamo or more;
// a weighted term (wdf 1 per occurrence), so that 초성 queries rank.
inline constexpr absl::string_view kPrefixChoseong = "XCH";
// The whole title, normalized (NormalizeKey), weighted (wdf 1): a query that
// is a title ranks its post first, and the titles that start with what a
// reader types are a range of these terms (typing searches, Suggest).
inline constexpr absl::string_view kPrefixTitleKey = "XTI";
// The 초성 of the whole title without spaces (알렉산더 헤이그 → ㅇㄹㅅㄷㅎㅇㄱ).
inline constexpr absl::string_view kPrefixTitleChoseong = "XTC";

// --- Value slots --------------------------------------------------------------
// Published time, Xapian::sortable_serialise(seconds since the epoch).
inline constexpr Xapian::valueno kSlotPublished = 0;
// Comment count, Xapian::sortable_serialise(count).
inline constexpr Xapian::valueno kSlotCommentCount = 1;
// The category: EncodeKeyed({{NormalizeKey(category), category}}).
inline constexpr Xapian::valueno kSlotCategory = 2;
// Every tag: EncodeKeyed({{NormalizeKey(tag), tag}, ...}). Facets count keys
// (OpenAI = openai) and show the first spelling seen.
inline constexpr Xapian::valueno kSlotTags = 3;
// Hash of the article's content (16 hex digits): unchanged re-imports are skipped.
inline constexpr Xapian::valueno kSlotContentHash = 4;
// Set only for a post whose body is over kStoredHeadBodyBytes: the article
// serialized as the data is, with the body cut there (on a UTF-8 boundary).
// Searches read this head (snippets, the phrase check, lists), so a post's
// size does not set their cost; GetArticle reads the whole data.
inline constexpr Xapian::valueno kSlotStoredHead = 5;
inline constexpr size_t kStoredHeadBodyBytes = 64 * 1024;

// Which terms and values a document of this build has: part of the content
// hash, so a re-import of a site indexed by an older build re-indexes every
// post (format 2 added the 초성 and title-key terms, format 3 the stored head
// of long posts) instead of skipping it as unchanged. Older sites keep working
// without them.
inline constexpr absl::string_view kDocumentFormat = "3";

// --- Document data --------------------------------------------------------------
// The document data is the chaja.v1.Article, serialized as protobuf binary.

// --- Within-document frequency weights ------------------------------------------
// Title terms count this many times a body occurrence.
inline constexpr Xapian::termcount kTitleWdfInc = 3;

// Xapian rejects terms over 245 bytes. Boolean terms built from user values
// (tags, ids, categories) longer than this are cut on a UTF-8 boundary and
// suffixed with a hash of the full value, so they stay distinct.
inline constexpr size_t kMaxBooleanTermBytes = 200;

// Folder names inside DATA/<site>/.
inline constexpr absl::string_view kXapianDirName = "xapian";
// Where a bulk import builds its shards (index/bulk_builder.h).
inline constexpr char kBulkWorkDirName[] = "bulk.tmp";

// Boolean terms for a user value, normalized and length-limited.
std::string IdTerm(absl::string_view id);
std::string TagTerm(absl::string_view tag);
std::string CategoryTerm(absl::string_view category);
std::string AuthorTerm(absl::string_view author);
// The tag term of a key NormalizeKey already made (SiteColumns::tag_key).
std::string TagTermOfKey(absl::string_view key);
// The kPrefixChoseong term of a word and its initials
// (ChoseongTerm("ㅇㅂㅌ", "우분투")); with an empty word, the start of every
// term of those initials.
std::string ChoseongTerm(absl::string_view initials, absl::string_view word);
// The word of a kPrefixChoseong term.
absl::string_view WordOfChoseongTerm(absl::string_view term);
// The kPrefixTitleKey term of a title, and of a title's 초성.
std::string TitleKeyTerm(absl::string_view title);
std::string TitleChoseongTerm(absl::string_view initials);

// Whether `term` is a body-text term (kPrefixText): every other prefix is
// upper-case ASCII, and analyzer terms never start with an upper-case letter.
bool IsBodyTerm(absl::string_view term);

// A list of (normalized key, display form) pairs as one value: "key\x1fdisplay"
// entries joined by '\x1e'. Neither separator survives NormalizeKey or is
// allowed in tags (they are control characters).
struct KeyedValue {
  std::string key;
  std::string display;
};
std::string EncodeKeyed(const std::vector<KeyedValue>& values);
std::vector<KeyedValue> DecodeKeyed(absl::string_view encoded);

// 16 hex digits of a 64-bit hash that is the same on every run and machine.
std::string StableHash(absl::string_view bytes);

// The normalized key used for tag and category matching (NFKC, case fold,
// whitespace collapsed, '/' separated path parts trimmed).
std::string NormalizeKey(absl::string_view value);

}  // namespace chaja::index

#endif  // CHAJA_INDEX_SCHEMA_H_
