// Field helpers the format readers share, so every format cleans titles,
// dates and tags the same way.
#ifndef CHAJA_INDEXER_FORMATS_ARTICLE_FIELDS_H_
#define CHAJA_INDEXER_FORMATS_ARTICLE_FIELDS_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chaja/v1/article.pb.h"

namespace chaja::indexer {

// Sets article.published from any form of indexer/dates.h. Empty text leaves
// it unset. INVALID_ARGUMENT ("published: unrecognized date …") otherwise.
absl::Status SetPublished(absl::string_view text, absl::TimeZone zone, v1::Article* article);

// A one-line title: markup and entities become text, whitespace collapses.
std::string CleanTitle(absl::string_view text);

// Adds tags to an article after trimming; empty tags and tags equal (after
// NFKC and case folding) to one already added are dropped.
class TagCollector {
 public:
  explicit TagCollector(v1::Article* article);
  void Add(absl::string_view tag);

 private:
  v1::Article* article_;
  absl::flat_hash_set<std::string> keys_;
};

// Whitespace trimmed and runs of whitespace collapsed to one space.
std::string CollapseSpaces(absl::string_view text);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_FORMATS_ARTICLE_FIELDS_H_
