#include "indexer/formats/article_fields.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "index/schema.h"
#include "indexer/dates.h"
#include "indexer/html_text.h"

namespace chaja::indexer {

absl::Status SetPublished(absl::string_view text, absl::TimeZone zone, v1::Article* article) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return absl::OkStatus();
  absl::StatusOr<absl::Time> t = ParseDate(text, zone);
  if (!t.ok()) return absl::InvalidArgumentError(absl::StrCat("published: ", t.status().message()));
  const int64_t seconds = absl::ToUnixSeconds(*t);
  article->mutable_published()->set_seconds(seconds);
  article->mutable_published()->set_nanos(static_cast<int32_t>((*t - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return absl::OkStatus();
}

std::string CollapseSpaces(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string CleanTitle(absl::string_view text) {
  if (text.find('<') == absl::string_view::npos && text.find('&') == absl::string_view::npos) {
    return CollapseSpaces(text);
  }
  return CollapseSpaces(HtmlToText(text));
}

TagCollector::TagCollector(v1::Article* article) : article_(article) {
  for (const std::string& t : article->tags()) keys_.insert(index::NormalizeKey(t));
}

void TagCollector::Add(absl::string_view tag) {
  std::string clean = CollapseSpaces(tag);
  if (clean.empty()) return;
  std::string key = index::NormalizeKey(clean);
  if (key.empty() || !keys_.insert(std::move(key)).second) return;
  article_->add_tags(std::move(clean));
}

}  // namespace chaja::indexer
