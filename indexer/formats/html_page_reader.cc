#include "indexer/formats/html_page_reader.h"

#include <filesystem>
#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "indexer/dates.h"
#include "indexer/formats/article_fields.h"
#include "indexer/html_text.h"
#include "indexer/xml.h"

namespace chaja::indexer {
namespace {

std::string Lower(absl::string_view s) { return absl::AsciiStrToLower(s); }

bool HasName(const xmlNode* n, absl::string_view name) { return Lower(LocalName(n)) == name; }

// True if the class or id attribute has a word containing `part`.
bool ClassOrIdContains(const xmlNode* n, absl::string_view part) {
  return absl::StrContains(Lower(Attribute(n, "class")), part) || absl::StrContains(Lower(Attribute(n, "id")), part);
}

bool HasClassWord(const xmlNode* n, absl::string_view word) {
  for (absl::string_view w : absl::StrSplit(Lower(Attribute(n, "class")), ' ', absl::SkipEmpty())) {
    if (w == word) return true;
  }
  return Lower(Attribute(n, "id")) == word;
}

bool RelHas(const xmlNode* n, absl::string_view value) {
  for (absl::string_view w : absl::StrSplit(Lower(Attribute(n, "rel")), ' ', absl::SkipEmpty())) {
    if (w == value) return true;
  }
  return false;
}

// Page chrome inside the chosen container: removed before taking the text.
bool IsChrome(const xmlNode* n) {
  const std::string name = Lower(LocalName(n));
  if (name == "header" || name == "footer" || name == "aside") return true;
  for (absl::string_view part : {"comment", "sidebar", "related", "share", "sns", "another_category", "tag_label",
                                 "tags", "revenue", "adsense"}) {
    if (ClassOrIdContains(n, part)) return true;
  }
  return false;
}

// Unlinks and frees every chrome element below `node`.
void RemoveChrome(xmlNode* node) {
  std::vector<xmlNode*> chrome;
  FindAllElements(node->children, IsChrome, &chrome, /*skip_inside_matches=*/true);
  for (xmlNode* c : chrome) {
    xmlUnlinkNode(c);
    xmlFreeNode(c);
  }
}

// The element holding the post, best guess first.
xmlNode* FindContent(xmlNode* root) {
  if (xmlNode* n = FindElement(root, [](xmlNode* e) { return Lower(Attribute(e, "itemprop")) == "articlebody"; })) {
    return n;
  }
  for (absl::string_view word : {"tt_article_useless_p_margin", "entry-content", "article-view", "article_view",
                                 "post-content", "post_content", "article-content", "article_content",
                                 "se-main-container", "post-view", "postviewarea", "post-body", "entry-body"}) {
    if (xmlNode* n = FindElement(root, [&](xmlNode* e) { return HasClassWord(e, word); })) return n;
  }
  for (absl::string_view name : {"article", "main", "body"}) {
    if (xmlNode* n = FindElement(root, [&](xmlNode* e) { return HasName(e, name); })) return n;
  }
  return root;
}

// Strips a " :: blog", " | blog" or " - blog" tail from a <title>.
std::string TrimTitleTail(std::string title, const std::string& site_name) {
  for (absl::string_view sep : {" :: ", " | "}) {
    const size_t pos = title.rfind(std::string(sep));
    if (pos != std::string::npos && pos > 0) return title.substr(0, pos);
  }
  if (!site_name.empty() && absl::EndsWith(title, absl::StrCat(" - ", site_name))) {
    return title.substr(0, title.size() - site_name.size() - 3);
  }
  return title;
}

// The first options.max_html_bytes of the page, cut before a whole UTF-8
// character, with a warning when that is not all of it.
absl::string_view CappedHtml(const std::string& source, absl::string_view utf8, const ReaderOptions& options) {
  if (utf8.size() <= options.max_html_bytes) return utf8;
  size_t end = options.max_html_bytes;
  while (end > 0 && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;
  if (options.on_warning) {
    options.on_warning(absl::StrCat(source, ":1: warning: the page has ", utf8.size(),
                                    " bytes of HTML; only the first ", end,
                                    " were read (--max_html_bytes bounds the parser's memory)"));
  }
  return utf8.substr(0, end);
}

}  // namespace

Record HtmlPageToRecord(const std::string& source, const std::string& path, absl::string_view utf8,
                        const ReaderOptions& options) {
  Record record;
  record.location = absl::StrCat(source, ":1");
  XmlDocPtr doc = ParseHtml(CappedHtml(source, utf8, options));
  xmlNode* root = doc == nullptr ? nullptr : xmlDocGetRootElement(doc.get());
  if (root == nullptr) {
    record.article = absl::InvalidArgumentError("empty page");
    return record;
  }
  // <meta property|name=… content=…>: first value per key, and every article:tag.
  std::map<std::string, std::string> meta;
  v1::Article article;
  TagCollector tags(&article);
  std::vector<xmlNode*> metas;
  FindAllElements(root, [](xmlNode* e) { return HasName(e, "meta"); }, &metas);
  for (const xmlNode* m : metas) {
    std::string key = Lower(Attribute(m, "property"));
    if (key.empty()) key = Lower(Attribute(m, "name"));
    if (key.empty()) key = Lower(Attribute(m, "itemprop"));
    const std::string content = CollapseSpaces(Attribute(m, "content"));
    if (key.empty() || content.empty()) continue;
    if (key == "article:tag") tags.Add(content);
    meta.emplace(key, content);
  }
  auto meta_value = [&meta](absl::string_view key) {
    const auto it = meta.find(std::string(key));
    return it == meta.end() ? std::string() : it->second;
  };

  std::string url;
  if (xmlNode* canonical = FindElement(root, [](xmlNode* e) { return HasName(e, "link") && RelHas(e, "canonical"); })) {
    url = std::string(absl::StripAsciiWhitespace(Attribute(canonical, "href")));
  }
  if (url.empty()) url = meta_value("og:url");
  article.set_url(url);
  article.set_id(!url.empty() ? url : std::filesystem::path(path).filename().string());

  std::string title = meta_value("og:title");
  if (title.empty()) title = meta_value("twitter:title");
  if (title.empty()) {
    if (xmlNode* t = FindElement(root, [](xmlNode* e) { return HasName(e, "title"); })) {
      title = TrimTitleTail(CollapseSpaces(NodeText(t)), meta_value("og:site_name"));
    }
  }
  if (title.empty()) {
    if (xmlNode* h1 = FindElement(root, [](xmlNode* e) { return HasName(e, "h1"); })) {
      title = CollapseSpaces(HtmlNodeToText(h1));
    }
  }
  article.set_title(title);

  // Tags and category from links, before the chrome (where they often sit) is removed.
  std::vector<xmlNode*> links;
  FindAllElements(root, [](xmlNode* e) { return HasName(e, "a"); }, &links);
  std::string category = meta_value("article:section");
  for (const xmlNode* a : links) {
    const std::string href = Attribute(a, "href");
    const bool category_link = RelHas(a, "category") || absl::StrContains(href, "/category/");
    if (category_link) {
      if (category.empty()) category = CollapseSpaces(HtmlNodeToText(a));
    } else if (RelHas(a, "tag") || absl::StrContains(href, "/tag/") || absl::StrContains(href, "/tags/")) {
      tags.Add(HtmlNodeToText(a));
    }
  }
  // "개발 / 파이썬" as Tistory shows it is the path 개발/파이썬.
  article.set_category(absl::StrJoin(absl::StrSplit(category, '/', absl::SkipWhitespace()), "/",
                                     [](std::string* out, absl::string_view part) {
                                       absl::StrAppend(out, absl::StripAsciiWhitespace(part));
                                     }));

  std::string date = meta_value("article:published_time");
  if (date.empty()) date = meta_value("datepublished");
  if (date.empty()) {
    if (xmlNode* t = FindElement(root, [](xmlNode* e) {
          return (HasName(e, "time") && !Attribute(e, "datetime").empty()) ||
                 Lower(Attribute(e, "itemprop")) == "datepublished";
        })) {
      date = Attribute(t, "datetime");
      if (date.empty()) date = Attribute(t, "content");
      if (date.empty()) date = CollapseSpaces(NodeText(t));
    }
  }
  if (date.empty()) {
    // A visible date ("2025. 1. 22. 15:20"): used only when it parses.
    std::vector<xmlNode*> dated;
    FindAllElements(root, [](xmlNode* e) { return ClassOrIdContains(e, "date"); }, &dated);
    for (const xmlNode* d : dated) {
      const std::string text = CollapseSpaces(NodeText(d));
      if (!text.empty() && text.size() < 64 && ParseDate(text, options.timezone).ok()) {
        date = text;
        break;
      }
    }
  }
  if (absl::Status s = SetPublished(date, options.timezone, &article); !s.ok()) {
    record.article = s;
    return record;
  }
  std::string author = meta_value("author");
  if (author.empty() && !absl::StartsWith(meta_value("article:author"), "http")) author = meta_value("article:author");
  article.set_author(author);

  xmlNode* content = FindContent(root);
  RemoveChrome(content);
  article.set_body(HtmlNodeToText(content));
  if (article.title().empty() && article.body().empty()) {
    record.article = absl::InvalidArgumentError("no title and no text found in the page");
    return record;
  }
  record.article = std::move(article);
  return record;
}

}  // namespace chaja::indexer
