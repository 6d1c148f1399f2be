#include "indexer/formats/feed_reader.h"

#include <algorithm>
#include <climits>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "indexer/formats/article_fields.h"
#include "indexer/formats/wxr_item.h"
#include "indexer/html_text.h"
#include "indexer/xml.h"

namespace chaja::indexer {
namespace {

const char* RootFor(Format format) { return format == Format::kAtom ? "feed" : "rss"; }

const char* FormatName(Format format) {
  switch (format) {
    case Format::kAtom:
      return "Atom";
    case Format::kWxr:
      return "WordPress WXR";
    default:
      return "RSS";
  }
}

// Feeds written by hand or by sloppy generators use HTML's named entities
// (&nbsp; &hellip; &middot;), which XML does not define: libxml2 stops there.
// Rewrites each one libxml2's HTML table knows as a numeric reference, outside
// CDATA sections and comments. Returns false (leaving *out alone) when there
// is nothing to rewrite.
bool RewriteHtmlEntities(absl::string_view text, std::string* out) {
  std::string result;
  size_t copied = 0;  // text[0, copied) is in result
  size_t i = 0;
  while (i < text.size()) {
    const size_t amp = text.find_first_of("&<", i);
    if (amp == absl::string_view::npos) break;
    if (text[amp] == '<') {
      absl::string_view close;
      if (text.substr(amp, 9) == "<![CDATA[") close = "]]>";
      if (text.substr(amp, 4) == "<!--") close = "-->";
      if (close.empty()) {
        i = amp + 1;
        continue;
      }
      const size_t end = text.find(close, amp);
      if (end == absl::string_view::npos) break;
      i = end + close.size();
      continue;
    }
    size_t j = amp + 1;
    while (j < text.size() && j - amp <= 32 && absl::ascii_isalnum(static_cast<unsigned char>(text[j]))) ++j;
    const absl::string_view name = text.substr(amp + 1, j - amp - 1);
    if (j >= text.size() || text[j] != ';' || name.empty() || name == "amp" || name == "lt" || name == "gt" ||
        name == "quot" || name == "apos") {
      i = amp + 1;
      continue;
    }
    const htmlEntityDesc* entity = htmlEntityLookup(reinterpret_cast<const xmlChar*>(std::string(name).c_str()));
    if (entity == nullptr) {
      i = amp + 1;
      continue;
    }
    result.append(text.data() + copied, amp - copied);
    absl::StrAppend(&result, "&#", entity->value, ";");
    copied = j + 1;
    i = j + 1;
  }
  if (copied == 0) return false;
  result.append(text.data() + copied, text.size() - copied);
  *out = std::move(result);
  return true;
}

// Body text from an Atom text construct (type="text", "html" or "xhtml").
std::string AtomText(const xmlNode* node) {
  if (node == nullptr) return "";
  const std::string type = absl::AsciiStrToLower(Attribute(node, "type"));
  if (type == "xhtml") return HtmlNodeToText(node);
  if (type == "html" || type == "text/html") return HtmlToText(NodeText(node));
  // type="text" (the default): plain text, but feeds put markup there too.
  return HtmlToText(NodeText(node));
}

// Tistory's blogs live on NAME.tistory.com (custom domains keep the generator).
bool IsTistoryUrl(absl::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == absl::string_view::npos) return false;
  absl::string_view host = url.substr(scheme + 3);
  host = host.substr(0, host.find_first_of("/:?#"));
  const std::string lower = absl::AsciiStrToLower(host);
  return lower == "tistory.com" || absl::EndsWith(lower, ".tistory.com");
}

absl::StatusOr<v1::Article> RssItemToArticle(const xmlNode* item, const ReaderOptions& options,
                                             bool first_is_category) {
  v1::Article article;
  std::string id = std::string(absl::StripAsciiWhitespace(ChildText(item, "", "guid")));
  const std::string link = std::string(absl::StripAsciiWhitespace(ChildText(item, "", "link")));
  if (id.empty()) id = link;
  // RSS 1.0 items carry their id as rdf:about.
  if (id.empty()) id = std::string(absl::StripAsciiWhitespace(Attribute(item, "about")));
  if (id.empty()) return absl::InvalidArgumentError("item has no guid or link to use as its id");
  article.set_id(id);
  article.set_url(link);
  article.set_title(CleanTitle(ChildText(item, "", "title")));
  std::string body = ChildText(item, "content", "encoded");
  if (absl::StripAsciiWhitespace(body).empty()) body = ChildText(item, "", "description");
  article.set_body(HtmlToText(body));
  TagCollector tags(&article);
  for (const xmlNode* c : ChildElements(item)) {
    if (!IsElement(c, "", "category") && !IsElement(c, "dc", "subject")) continue;
    const std::string value = CollapseSpaces(NodeText(c));
    if (first_is_category && article.category().empty() && IsElement(c, "", "category") && !value.empty()) {
      article.set_category(value);
    } else {
      tags.Add(value);
    }
  }
  std::string date = ChildText(item, "", "pubDate");
  if (absl::StripAsciiWhitespace(date).empty()) date = ChildText(item, "dc", "date");
  if (absl::Status s = SetPublished(date, options.timezone, &article); !s.ok()) return s;
  std::string author = ChildText(item, "dc", "creator");
  if (absl::StripAsciiWhitespace(author).empty()) author = ChildText(item, "", "author");
  article.set_author(CollapseSpaces(author));
  uint32_t comments = 0;
  if (absl::SimpleAtoi(absl::StripAsciiWhitespace(ChildText(item, "slash", "comments")), &comments)) {
    article.set_comment_count(comments);
  }
  return article;
}

absl::StatusOr<v1::Article> AtomEntryToArticle(const xmlNode* entry, const ReaderOptions& options) {
  v1::Article article;
  std::string url;
  for (const xmlNode* link : ChildElements(entry)) {
    if (!IsElement(link, "", "link")) continue;
    const std::string rel = Attribute(link, "rel");
    if (rel.empty() || rel == "alternate") {
      url = Attribute(link, "href");
      break;
    }
  }
  std::string id = std::string(absl::StripAsciiWhitespace(ChildText(entry, "", "id")));
  if (id.empty()) id = url;
  if (id.empty()) return absl::InvalidArgumentError("entry has no id or link");
  article.set_id(id);
  article.set_url(url);
  article.set_title(CollapseSpaces(AtomText(FirstChild(entry, "", "title"))));
  const xmlNode* content = FirstChild(entry, "", "content");
  std::string body = AtomText(content);
  if (body.empty()) body = AtomText(FirstChild(entry, "", "summary"));
  article.set_body(std::move(body));
  TagCollector tags(&article);
  for (const xmlNode* c : ChildElements(entry)) {
    if (!IsElement(c, "", "category")) continue;
    const std::string label = Attribute(c, "label");
    tags.Add(label.empty() ? Attribute(c, "term") : label);
  }
  std::string date = ChildText(entry, "", "published");
  if (absl::StripAsciiWhitespace(date).empty()) date = ChildText(entry, "", "updated");
  if (absl::Status s = SetPublished(date, options.timezone, &article); !s.ok()) return s;
  article.set_author(CollapseSpaces(ChildText(FirstChild(entry, "", "author"), "", "name")));
  uint32_t comments = 0;
  if (absl::SimpleAtoi(absl::StripAsciiWhitespace(ChildText(entry, "thr", "total")), &comments)) {
    article.set_comment_count(comments);
  }
  return article;
}

}  // namespace

FeedReader::FeedReader(std::string source, std::string utf8, Format format, ReaderOptions options)
    : source_(std::move(source)), text_(std::move(utf8)), format_(format), options_(std::move(options)) {
  InitLibxml();
  if (absl::Status refused = RefuseEntityDeclarations(text_, &first_error_line_); !refused.ok()) {
    first_error_ = std::string(refused.message());
    return;
  }
  std::string rewritten;
  if (RewriteHtmlEntities(text_, &rewritten)) text_ = std::move(rewritten);
  reader_ = xmlReaderForMemory(text_.data(), static_cast<int>(std::min<size_t>(text_.size(), INT32_MAX)),
                               source_.c_str(), "UTF-8", kSafeXmlOptions);
  if (reader_ != nullptr) xmlTextReaderSetStructuredErrorHandler(reader_, &FeedReader::OnError, this);
}

FeedReader::~FeedReader() {
  if (reader_ != nullptr) xmlFreeTextReader(reader_);
  if (current_doc_ != nullptr) xmlFreeDoc(current_doc_);
}

void FeedReader::OnError(void* self, xmlErrorPtr error) {
  auto* reader = static_cast<FeedReader*>(self);
  if (error == nullptr || error->level < XML_ERR_ERROR || IsIgnoredXmlError(*error) ||
      !reader->first_error_.empty()) {
    return;
  }
  std::string message = error->message != nullptr ? error->message : "unknown error";
  reader->first_error_ = CollapseSpaces(message);
  reader->first_error_line_ = error->line;
}

uint64_t FeedReader::bytes_read() const {
  if (done_ || reader_ == nullptr) return text_.size();
  const long consumed = xmlTextReaderByteConsumed(reader_);
  return consumed < 0 ? 0 : std::min<uint64_t>(consumed, text_.size());
}

bool FeedReader::Fail(Record* record, long line, const std::string& reason) {
  done_ = true;
  record->location = absl::StrCat(source_, ":", line > 0 ? line : 1);
  record->article = absl::InvalidArgumentError(reason);
  return true;
}

absl::StatusOr<v1::Article> FeedReader::ItemToArticle(xmlNode* item) {
  switch (format_) {
    case Format::kAtom:
      return AtomEntryToArticle(item, options_);
    case Format::kWxr:
      return ArticleFromWxrItem(item, authors_, options_);
    default:
      break;
  }
  const bool first_is_category =
      options_.rss_categories == RssCategories::kFirstIsCategory ||
      (options_.rss_categories == RssCategories::kAuto && (tistory_ || IsTistoryUrl(options_.feed_url)));
  return RssItemToArticle(item, options_, first_is_category);
}

bool FeedReader::ReadChannelField(xmlNode* node) {
  // rss > channel > title (RDF alike); feed > title for Atom.
  const int depth = xmlTextReaderDepth(reader_);
  if (depth != (format_ == Format::kAtom ? 1 : 2) || items_ > 0) return false;
  const bool title = IsElement(node, "", "title");
  const bool generator = IsElement(node, "", "generator");
  const bool link = IsElement(node, "", "link");
  if (!title && !generator && !link) return false;
  xmlNode* expanded = xmlTextReaderExpand(reader_);
  if (expanded == nullptr) return false;
  const std::string text = CollapseSpaces(NodeText(expanded));
  if (title && channel_title_.empty()) channel_title_ = CleanTitle(text);
  if (generator && absl::StartsWithIgnoreCase(text, "TISTORY")) tistory_ = true;
  if (link && IsTistoryUrl(text.empty() ? Attribute(expanded, "href") : text)) tistory_ = true;
  next_result_ = xmlTextReaderNext(reader_);
  advanced_ = true;
  return true;
}

void FeedReader::Recover() {
  std::vector<XmlError> errors;
  XmlDocPtr doc = ParseXmlRecovering(text_, source_, &errors);
  if (doc == nullptr || DeclaresEntities(doc.get())) return;
  xmlNode* root = xmlDocGetRootElement(doc.get());
  const absl::string_view root_name = LocalName(root);
  if (format_ == Format::kAtom ? root_name != "feed" : (root_name != "rss" && root_name != "RDF")) return;
  std::vector<xmlNode*> items;
  FindAllElements(root, [this](xmlNode* n) {
    return format_ == Format::kAtom ? IsElement(n, "", "entry") : IsElement(n, "", "item");
  }, &items, /*skip_inside_matches=*/true);
  if (format_ == Format::kWxr) {
    std::vector<xmlNode*> authors;
    FindAllElements(root, [](xmlNode* n) { return IsElement(n, "wp", "author"); }, &authors);
    for (const xmlNode* a : authors) {
      const std::string login = std::string(absl::StripAsciiWhitespace(ChildText(a, "wp", "author_login")));
      const std::string name = CollapseSpaces(ChildText(a, "wp", "author_display_name"));
      if (!login.empty() && !name.empty()) authors_.emplace(login, name);
    }
  }
  // Items already handed out come first in document order. Each later item
  // is read from the recovered tree, unless an error lies within its lines:
  // then it is reported at its line and not imported.
  // Item i's lines end before this one: up to the next item (what lies
  // between is the item's end), or for the last one up to what follows it.
  auto limit_of = [&](size_t i) {
    return std::max(NodeLine(items[i]) + 1, i + 1 < items.size() ? NodeLine(items[i + 1]) : LineAfter(items[i]));
  };
  // Errors up to the end of the items handed out were theirs (or the header's).
  const long handed_out_end = items_ > 0 && items_ <= items.size() ? limit_of(items_ - 1) : 0;
  size_t next_error = 0;
  while (next_error < errors.size() && errors[next_error].line < handed_out_end) ++next_error;
  for (size_t i = items_; i < items.size(); ++i) {
    xmlNode* item = items[i];
    const long start = NodeLine(item);
    const long limit = limit_of(i);
    while (next_error < errors.size() && errors[next_error].line < start) {
      ReportOutsideItems(errors[next_error++], items.size() - i);
    }
    const XmlError* broken = nullptr;
    while (next_error < errors.size() && errors[next_error].line < limit) {
      if (broken == nullptr) broken = &errors[next_error];
      ++next_error;
    }
    ++items_;
    Record record;
    record.location = absl::StrCat(source_, ":", start);
    if (broken != nullptr) {
      record.article = absl::InvalidArgumentError(
          absl::StrCat("XML error in this ", format_ == Format::kAtom ? "entry" : "item", " (line ", broken->line,
                       "): ", broken->message, "; it was not imported"));
      recovered_records_.push_back(std::move(record));
      continue;
    }
    absl::StatusOr<v1::Article> article = ItemToArticle(item);
    if (article.status().code() == absl::StatusCode::kNotFound) {
      ++skipped_;
      continue;
    }
    record.article = std::move(article);
    recovered_records_.push_back(std::move(record));
  }
  while (next_error < errors.size()) ReportOutsideItems(errors[next_error++], 0);
  recovered_ok_ = true;
}

long FeedReader::LineAfter(const xmlNode* item) const {
  for (const xmlNode* n = item; n != nullptr; n = n->parent) {
    if (n->next != nullptr) return NodeLine(n->next);
  }
  return LONG_MAX;
}

void FeedReader::ReportOutsideItems(const XmlError& error, size_t items_read_after) {
  // libxml2 often says more than one thing about one spot: once per line,
  // and nothing more once the rest of the file is said to be lost.
  if (error.line == last_outside_line_ || lost_reported_) return;
  last_outside_line_ = error.line;
  // The recovering parser may have stopped at the error (content after the
  // root): items in the text after it that the tree lacks were lost.
  size_t offset = 0;
  for (long line = 1; line < error.line && offset != std::string::npos; ++line) {
    offset = text_.find('\n', offset);
    if (offset != std::string::npos) ++offset;
  }
  const absl::string_view tag = format_ == Format::kAtom ? "<entry" : "<item";
  size_t items_in_text = 0;
  for (size_t at = offset; at != std::string::npos && at < text_.size(); ++at) {
    at = text_.find(tag.data(), at, tag.size());
    if (at == std::string::npos || at + tag.size() >= text_.size()) break;
    const char next = text_[at + tag.size()];
    if (next == '>' || next == '/' || absl::ascii_isspace(static_cast<unsigned char>(next))) ++items_in_text;
  }
  if (items_in_text > items_read_after) {
    lost_reported_ = true;
    Record record;
    record.location = absl::StrCat(source_, ":", error.line);
    record.article = absl::InvalidArgumentError(
        absl::StrCat("XML error: ", error.message, "; the ", format_ == Format::kAtom ? "entries" : "items",
                     " after it could not be read"));
    recovered_records_.push_back(std::move(record));
  } else if (options_.on_warning) {
    options_.on_warning(absl::StrCat(source_, ":", error.line, ": warning: XML error outside the ",
                                     format_ == Format::kAtom ? "entries" : "items", " (ignored): ", error.message));
  }
}

bool FeedReader::NextRecovered(Record* record) {
  if (!recovered_) {
    recovered_ = true;
    Recover();
  }
  if (next_recovered_ < recovered_records_.size()) {
    *record = std::move(recovered_records_[next_recovered_++]);
    return true;
  }
  if (recovered_ok_) {
    done_ = true;
    return false;
  }
  return Fail(record, first_error_line_,
              absl::StrCat("XML error: ", first_error_.empty() ? "cannot parse" : first_error_,
                           items_ > 0 ? "; the rest of the file was not read" : ""));
}

bool FeedReader::Next(Record* record) {
  if (done_) return false;
  if (reader_ == nullptr) {
    return Fail(record, first_error_line_, first_error_.empty() ? "cannot parse the document" : first_error_);
  }
  for (;;) {
    const int ret = advanced_ ? next_result_ : xmlTextReaderRead(reader_);
    advanced_ = false;
    if (ret != 1) {
      // The streaming parser stops at the first error: the items it had not
      // handed out come from a recovering parse of the whole document.
      if (ret < 0 || !first_error_.empty()) return NextRecovered(record);
      done_ = true;
      if (!root_checked_) return Fail(record, 1, absl::StrCat("no ", FormatName(format_), " document in the file"));
      return false;
    }
    if (xmlTextReaderNodeType(reader_) != XML_READER_TYPE_ELEMENT) continue;
    xmlNode* node = xmlTextReaderCurrentNode(reader_);
    if (!root_checked_) {
      root_checked_ = true;
      // The prolog scan refused entity declarations already; the parsed
      // document type is checked again before any content is read.
      // (xmlTextReaderCurrentDoc would hand the document to us: freed in
      // the destructor, after the reader.)
      current_doc_ = xmlTextReaderCurrentDoc(reader_);
      if (DeclaresEntities(current_doc_)) {
        return Fail(record, NodeLine(node), "the document type declares entities (<!ENTITY>); refused");
      }
      const absl::string_view root = LocalName(node);
      const bool rss_like = root == "rss" || root == "RDF";
      if ((format_ == Format::kAtom && root != "feed") || (format_ != Format::kAtom && !rss_like)) {
        return Fail(record, NodeLine(node),
                    absl::StrCat("expected a ", FormatName(format_), " document (<", RootFor(format_), ">), found <",
                                 root, ">; check --format"));
      }
      continue;
    }
    if (format_ != Format::kWxr && ReadChannelField(node)) continue;
    const bool is_item = format_ == Format::kAtom ? IsElement(node, "", "entry") : IsElement(node, "", "item");
    const bool is_author = format_ == Format::kWxr && IsElement(node, "wp", "author");
    if (!is_item && !is_author) continue;
    const long line = NodeLine(node);
    xmlNode* expanded = xmlTextReaderExpand(reader_);
    // A parse error while reading the item: complete only if the parser has
    // already gone past its end (it made the following sibling).
    if (expanded == nullptr || (!first_error_.empty() && expanded->next == nullptr)) return NextRecovered(record);
    if (is_author) {
      const std::string login = std::string(absl::StripAsciiWhitespace(ChildText(expanded, "wp", "author_login")));
      const std::string name = CollapseSpaces(ChildText(expanded, "wp", "author_display_name"));
      if (!login.empty() && !name.empty()) authors_[login] = name;
      next_result_ = xmlTextReaderNext(reader_);
      advanced_ = true;
      continue;
    }
    ++items_;
    absl::StatusOr<v1::Article> article = ItemToArticle(expanded);
    // Moving on frees the expanded subtree: only after the article is made.
    next_result_ = xmlTextReaderNext(reader_);
    advanced_ = true;
    if (article.status().code() == absl::StatusCode::kNotFound) {
      ++skipped_;
      continue;
    }
    record->location = line > 0 ? absl::StrCat(source_, ":", line) : absl::StrCat(source_, ":item ", items_);
    record->article = std::move(article);
    return true;
  }
}

}  // namespace chaja::indexer
