#include "testing/sites.h"

#include <fstream>
#include <memory>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "index/site_writer.h"

#ifndef CHAJA_SAMPLE_BLOG
#error "CHAJA_SAMPLE_BLOG must name sample/blog.jsonl"
#endif

namespace chaja::testing {

std::string SampleBlogPath() { return CHAJA_SAMPLE_BLOG; }

absl::StatusOr<std::vector<v1::Article>> ReadArticles(const std::string& jsonl_path) {
  std::ifstream in(jsonl_path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", jsonl_path));
  std::vector<v1::Article> articles;
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty()) continue;
    v1::Article article;
    const auto parsed = google::protobuf::util::JsonStringToMessage(line, &article);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(jsonl_path, ":", line_number, ": ", parsed.message().ToString()));
    }
    articles.push_back(std::move(article));
  }
  return articles;
}

absl::Status WriteSite(const std::string& data_dir, const std::string& site,
                       const std::vector<v1::Article>& articles) {
  absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data_dir, site);
  if (!writer.ok()) return writer.status();
  for (const v1::Article& article : articles) {
    if (absl::Status s = (*writer)->Upsert(article); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("article ", article.id(), ": ", s.message()));
    }
  }
  return (*writer)->Commit();
}

absl::StatusOr<std::vector<v1::Article>> WriteSiteFromJsonl(const std::string& data_dir, const std::string& site,
                                                             const std::string& jsonl_path) {
  absl::StatusOr<std::vector<v1::Article>> articles = ReadArticles(jsonl_path);
  if (!articles.ok()) return articles.status();
  if (absl::Status s = WriteSite(data_dir, site, *articles); !s.ok()) return s;
  return articles;
}

}  // namespace chaja::testing
