// chaja::testing site helpers: the repository's sample blog, articles read
// from JSONL, and a site folder written from articles with index::SiteWriter
// — the data every index, searchd and cross-folder test starts from.
//
//   chaja::testing::TempDir dir("blog_pages_test");
//   absl::StatusOr<std::vector<v1::Article>> articles =
//       chaja::testing::WriteSiteFromJsonl(dir.path(), "blog", chaja::testing::SampleBlogPath());
//
// These write the way the tests always have (SiteWriter::Upsert, one Commit);
// to test the indexer's import itself, use indexer::Importer directly.
// Part of chaja_testing (testing/CMakeLists.txt); needs index/ only.
#ifndef CHAJA_TESTING_SITES_H_
#define CHAJA_TESTING_SITES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chaja/v1/article.pb.h"

namespace chaja::testing {

// The absolute path of sample/blog.jsonl (the 44-post demo blog "AI 탐구노트").
std::string SampleBlogPath();

// The articles of a JSONL file: one v1::Article in protobuf's JSON mapping per
// line; empty lines are skipped. NOT_FOUND if the file cannot be read,
// INVALID_ARGUMENT naming FILE:LINE for a line that does not parse.
absl::StatusOr<std::vector<v1::Article>> ReadArticles(const std::string& jsonl_path);

// Upserts `articles` into site `site` of `data_dir` (created if new) and
// commits once; the writer is closed (its lock released) on return.
absl::Status WriteSite(const std::string& data_dir, const std::string& site,
                       const std::vector<v1::Article>& articles);

// ReadArticles(jsonl_path), then WriteSite; returns the articles written.
absl::StatusOr<std::vector<v1::Article>> WriteSiteFromJsonl(const std::string& data_dir, const std::string& site,
                                                             const std::string& jsonl_path);

}  // namespace chaja::testing

#endif  // CHAJA_TESTING_SITES_H_
