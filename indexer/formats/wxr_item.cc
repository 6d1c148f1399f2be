#include "indexer/formats/wxr_item.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "indexer/formats/article_fields.h"
#include "indexer/html_text.h"
#include "indexer/xml.h"

namespace chaja::indexer {
namespace {

std::string Trimmed(const xmlNode* node, absl::string_view prefix, absl::string_view name) {
  return std::string(absl::StripAsciiWhitespace(ChildText(node, prefix, name)));
}

}  // namespace

absl::StatusOr<v1::Article> ArticleFromWxrItem(const xmlNode* item, const std::map<std::string, std::string>& authors,
                                               const ReaderOptions& options) {
  const std::string type = Trimmed(item, "wp", "post_type");
  if (type != "post") return absl::NotFoundError(absl::StrCat("post_type ", type));
  const std::string status = Trimmed(item, "wp", "status");
  if (status != "publish") return absl::NotFoundError(absl::StrCat("status ", status));

  v1::Article article;
  const std::string link = Trimmed(item, "", "link");
  std::string id = Trimmed(item, "", "guid");
  if (id.empty()) id = link;
  if (id.empty()) {
    const std::string post_id = Trimmed(item, "wp", "post_id");
    if (!post_id.empty()) id = absl::StrCat("wp-", post_id);
  }
  if (id.empty()) return absl::InvalidArgumentError("post has no guid, link or wp:post_id to use as its id");
  article.set_id(id);
  article.set_url(link);
  article.set_title(CleanTitle(ChildText(item, "", "title")));
  HtmlTextOptions text_options;
  text_options.blank_lines_are_paragraphs = true;
  article.set_body(HtmlToText(ChildText(item, "content", "encoded"), text_options));

  TagCollector tags(&article);
  std::vector<std::string> extra_categories;
  for (const xmlNode* c : ChildElements(item)) {
    if (!IsElement(c, "", "category")) continue;
    const std::string domain = Attribute(c, "domain");
    const std::string value = CollapseSpaces(NodeText(c));
    if (value.empty()) continue;
    if (domain == "category") {
      if (article.category().empty()) {
        article.set_category(value);
      } else {
        extra_categories.push_back(value);
      }
    } else if (domain == "post_tag") {
      tags.Add(value);
    }
  }
  for (const std::string& c : extra_categories) tags.Add(c);

  const std::string gmt = Trimmed(item, "wp", "post_date_gmt");
  const std::string local = Trimmed(item, "wp", "post_date");
  absl::Status dated;
  if (!gmt.empty() && gmt.rfind("0000", 0) != 0) {
    dated = SetPublished(gmt, absl::UTCTimeZone(), &article);
  } else if (!local.empty() && local.rfind("0000", 0) != 0) {
    dated = SetPublished(local, options.timezone, &article);
  } else {
    dated = SetPublished(ChildText(item, "", "pubDate"), options.timezone, &article);
  }
  if (!dated.ok()) return dated;

  const std::string login = Trimmed(item, "dc", "creator");
  const auto author = authors.find(login);
  article.set_author(author != authors.end() ? author->second : CollapseSpaces(login));

  uint32_t comments = 0;
  for (const xmlNode* c : ChildElements(item)) {
    if (!IsElement(c, "wp", "comment")) continue;
    const std::string comment_type = Trimmed(c, "wp", "comment_type");
    if (Trimmed(c, "wp", "comment_approved") == "1" && comment_type != "pingback" && comment_type != "trackback") {
      ++comments;
    }
  }
  article.set_comment_count(comments);
  return article;
}

}  // namespace chaja::indexer
