// Equivalent discovery: candidate synonym pairs found in a site's own posts —
// a Hangul word and a Latin word that sound alike (도커 / Docker) and that the
// site's writers use for the same thing: they write both in the same post
// ("테라폼(Terraform)"), or both beside the same tags. For `chaja synonyms
// suggest` (issue 13): a person reviews the list, so every candidate carries
// its evidence.
//
// Words sounding alike is not enough: a native word may sound like an English
// one (미로 "maze" and the Miro app). Such false friends rarely share posts, so
// a pair needs posts holding both beyond what chance gives, or tags it shares.
//
// The sound comparison is injected (SoundComparison) so this module does not
// depend on one transcription; analyzer/loanword.h provides the real one.
//
// Reads a bounded, even sample of the posts: time grows with the sample, not
// with the site. Thread-compatible, like the database handle.
#ifndef CHAJA_SEARCH_EQUIVALENT_DISCOVERY_H_
#define CHAJA_SEARCH_EQUIVALENT_DISCOVERY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <xapian.h>

#include "absl/status/statusor.h"
#include "search/deadline.h"

namespace chaja::search {

// How alike a Latin and a Hangul word sound, and coarse keys that two alike
// words share (only pairs sharing a key are compared).
struct SoundComparison {
  std::function<double(const std::string& latin, const std::string& hangul)> similarity;
  std::function<std::vector<std::string>(const std::string& latin)> latin_keys;
  std::function<std::vector<std::string>(const std::string& hangul)> hangul_keys;
};

struct DiscoveryOptions {
  // Candidates returned, best first.
  size_t limit = 50;
  // Posts read at most, spread evenly over the site.
  size_t max_posts = 30000;
  // Pairs sounding less alike than this are not candidates.
  double min_similarity = 0.85;
  // Required (no default): the sound comparison.
  SoundComparison sound;
  // Pairs already in a list (the site's or the built-in one) are skipped, and
  // so are longer forms of a listed Hangul word (도커파일 when 도커 is listed
  // for docker). The Latin word comes lower-case. May be empty: nothing is known.
  std::function<bool(const std::string& hangul, const std::string& latin)> known;
  // Checked per post read and between the steps (throws WorkStopped);
  // nullptr: no limit.
  const Deadline* deadline = nullptr;
};

struct ExamplePost {
  std::string id;
  std::string title;
};

struct EquivalentCandidate {
  // The Hangul word without particles (넷플릭스 for 넷플릭스에서).
  std::string hangul;
  // The Latin word in the spelling the site uses most (Kubernetes).
  std::string latin;
  double similarity = 0;
  // Counts over the posts read (all of them on a site of up to max_posts).
  uint32_t hangul_posts = 0;
  uint32_t latin_posts = 0;
  uint32_t both_posts = 0;
  // Tags beside which both words appear, each in posts without the other.
  uint32_t shared_tags = 0;
  // Up to three posts holding both words, else posts beside a shared tag.
  std::vector<ExamplePost> examples;
  // Evidence × similarity; candidates are sorted by it, highest first.
  double score = 0;
};

// The best `options.limit` candidates of the site in `db`. INVALID_ARGUMENT
// without a sound comparison; a Xapian read error maps as index/status.h
// does (ABORTED when the database changed under the read).
absl::StatusOr<std::vector<EquivalentCandidate>> DiscoverEquivalents(const Xapian::Database& db,
                                                                     const DiscoveryOptions& options);

// The Hangul words of `text` for discovery: each run of two or more Hangul
// syllables, and that run without a trailing particle or ending (스토리가 →
// 스토리, 업데이트했다 → 업데이트). Exposed for tests.
std::vector<std::string> HangulWordsOf(const std::string& text);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_EQUIVALENT_DISCOVERY_H_
