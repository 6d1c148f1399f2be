#include "indexer/formats/markdown_reader.h"

#include <cmark.h>

#include <filesystem>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "analyzer/utf8.h"
#include "indexer/formats/article_fields.h"
#include "indexer/html_text.h"

namespace chaja::indexer {
namespace {

struct FrontMatter {
  absl::string_view yaml;  // empty when the file has none
  absl::string_view body;
  int body_first_line = 1;
};

// Splits "---\n<yaml>\n---\n<body>". A file without the opening line has no front matter.
absl::StatusOr<FrontMatter> SplitFrontMatter(absl::string_view text) {
  FrontMatter out;
  out.body = text;
  absl::string_view rest = text;
  auto next_line = [&rest]() {
    const size_t nl = rest.find('\n');
    absl::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == absl::string_view::npos ? rest.size() : nl + 1);
    return absl::StripTrailingAsciiWhitespace(line);
  };
  const absl::string_view first = next_line();
  if (first == "+++") {
    return absl::InvalidArgumentError("TOML front matter (+++) is not supported; write it as YAML between --- lines");
  }
  if (first != "---") return out;
  const char* yaml_begin = rest.data();
  int line = 1;
  while (!rest.empty()) {
    const char* line_begin = rest.data();
    const absl::string_view l = next_line();
    ++line;
    if (l == "---" || l == "...") {
      out.yaml = absl::string_view(yaml_begin, line_begin - yaml_begin);
      out.body = rest;
      out.body_first_line = line + 1;
      return out;
    }
  }
  return absl::InvalidArgumentError("front matter opened with --- on line 1 is never closed");
}

// A scalar's text as valid UTF-8. yaml-cpp can hand back invalid bytes from
// valid input (the markdown fuzz target found a tag that was not UTF-8);
// those become U+FFFD, as in the rest of the import.
std::string ScalarText(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  return analyzer::IsValidUtf8(text) ? text : analyzer::ToUtf8(analyzer::ToCodePoints(text));
}

// Every string of a scalar or a sequence. A scalar is split at commas, or
// else at spaces (Jekyll's rule for tags and categories).
std::vector<std::string> StringList(const YAML::Node& node, bool split_scalars) {
  std::vector<std::string> out;
  if (!node) return out;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (item.IsScalar()) out.push_back(ScalarText(item));
    }
  } else if (node.IsScalar()) {
    const std::string s = ScalarText(node);
    if (!split_scalars) {
      out.push_back(s);
    } else if (absl::StrContains(s, ',')) {
      for (absl::string_view part : absl::StrSplit(s, ',', absl::SkipWhitespace())) out.emplace_back(part);
    } else {
      for (absl::string_view part : absl::StrSplit(s, absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
        out.emplace_back(part);
      }
    }
  }
  return out;
}

// True if the quoted scalar starting at yaml[pos] (its quote) has its
// closing quote in `yaml`. A '' inside single quotes and a \" inside double
// quotes are escapes, not the end.
bool QuoteIsClosed(absl::string_view yaml, size_t pos) {
  const char quote = yaml[pos];
  for (size_t i = pos + 1; i < yaml.size(); ++i) {
    if (quote == '"' && yaml[i] == '\\') {
      ++i;
    } else if (yaml[i] == quote) {
      if (quote == '\'' && i + 1 < yaml.size() && yaml[i + 1] == '\'') {
        ++i;
        continue;
      }
      return true;
    }
  }
  return false;
}

// The first quoted scalar in `node` whose quote is never closed: yaml-cpp
// reads such a value to the end of the front matter, swallowing the keys
// after it ("title: \"Hello" makes the title "Hello date: …"). Null if none.
const YAML::Mark* UnclosedQuote(const YAML::Node& node, absl::string_view yaml, YAML::Mark* mark) {
  if (node.IsScalar()) {
    const YAML::Mark m = node.Mark();
    const bool quoted = m.pos >= 0 && static_cast<size_t>(m.pos) < yaml.size() &&
                        (yaml[m.pos] == '"' || yaml[m.pos] == '\'');
    if (quoted && !QuoteIsClosed(yaml, m.pos)) {
      *mark = m;
      return mark;
    }
    return nullptr;
  }
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (UnclosedQuote(item, yaml, mark) != nullptr) return mark;
    }
  } else if (node.IsMap()) {
    for (const auto& entry : node) {
      if (UnclosedQuote(entry.second, yaml, mark) != nullptr) return mark;
    }
  }
  return nullptr;
}

// The file's line of a front-matter node (its YAML starts on line 2); 1 if unknown.
int FileLine(const YAML::Node& node) {
  if (!node || node.Mark().is_null()) return 1;
  return node.Mark().line + 2;
}

std::string ScalarOr(const YAML::Node& map, const char* key, const std::string& fallback = "") {
  const YAML::Node node = map[key];
  return node && node.IsScalar() ? ScalarText(node) : fallback;
}

bool IsFalse(const std::string& s) { return s == "false" || s == "False" || s == "FALSE" || s == "no"; }
bool IsTrue(const std::string& s) { return s == "true" || s == "True" || s == "TRUE" || s == "yes"; }

// Drops Hugo shortcodes and Liquid tags outside fenced code blocks.
std::string StripTemplateTags(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_fence = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    const absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(line);
    if (absl::StartsWith(trimmed, "```") || absl::StartsWith(trimmed, "~~~")) in_fence = !in_fence;
    if (in_fence || line.find('{') == absl::string_view::npos) {
      absl::StrAppend(&out, line, "\n");
      continue;
    }
    size_t i = 0;
    while (i < line.size()) {
      absl::string_view close;
      const absl::string_view at = line.substr(i);
      if (absl::StartsWith(at, "{{<")) close = ">}}";
      else if (absl::StartsWith(at, "{{%")) close = "%}}";
      else if (absl::StartsWith(at, "{%")) close = "%}";
      else if (absl::StartsWith(at, "{{")) close = "}}";
      const size_t end = close.empty() ? absl::string_view::npos : line.find(close, i + 2);
      if (end == absl::string_view::npos) {
        out.push_back(line[i++]);
        continue;
      }
      i = end + close.size();
    }
    out.push_back('\n');
  }
  return out;
}

// Runs of spaces inside a text node → one space (the ends are kept).
std::string CollapseInnerSpaces(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out.push_back(c);
  }
  return out;
}

struct MarkdownText {
  std::string text;
  std::string first_heading;
};

absl::string_view LiteralOf(cmark_node* node) {
  const char* literal = cmark_node_get_literal(node);
  return literal != nullptr ? absl::string_view(literal) : absl::string_view();
}

// Whether a paragraph is an item of a tight list (its lines are lines, not paragraphs).
bool InTightListItem(cmark_node* paragraph) {
  cmark_node* item = cmark_node_parent(paragraph);
  cmark_node* list = item != nullptr ? cmark_node_parent(item) : nullptr;
  return item != nullptr && cmark_node_get_type(item) == CMARK_NODE_ITEM && list != nullptr &&
         cmark_node_get_list_tight(list);
}

// Collects the text of a Markdown tree as cmark walks it: blocks apart by a
// blank line, lines by a newline; and the first heading's text.
class MarkdownTextWriter {
 public:
  void Enter(cmark_node* node) {
    const absl::string_view lit = LiteralOf(node);
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_TEXT:
        Append(CollapseInnerSpaces(lit));  // dropped template tags leave doubled spaces behind
        break;
      case CMARK_NODE_CODE:
        Append(lit);
        break;
      case CMARK_NODE_SOFTBREAK:
        Append(" ");
        break;
      case CMARK_NODE_LINEBREAK:
        RequestBreak(1);
        break;
      case CMARK_NODE_CODE_BLOCK:
        Block(absl::StripTrailingAsciiWhitespace(lit));
        break;
      case CMARK_NODE_HTML_BLOCK:
        Block(HtmlToText(lit));
        break;
      case CMARK_NODE_HEADING:
        RequestBreak(2);
        if (!heading_done_) in_heading_ = true;
        break;
      default:
        break;
    }
  }

  void Exit(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_HEADING:
        if (in_heading_) heading_done_ = true;
        in_heading_ = false;
        RequestBreak(2);
        break;
      case CMARK_NODE_PARAGRAPH:
        RequestBreak(InTightListItem(node) ? 1 : 2);
        break;
      case CMARK_NODE_BLOCK_QUOTE:
      case CMARK_NODE_LIST:
      case CMARK_NODE_THEMATIC_BREAK:
        RequestBreak(2);
        break;
      case CMARK_NODE_ITEM:
        RequestBreak(1);
        break;
      default:
        break;
    }
  }

  MarkdownText Take() { return std::move(out_); }

 private:
  void Append(absl::string_view s) {
    if (s.empty()) return;
    if (!out_.text.empty()) out_.text.append(pending_break_ >= 2 ? "\n\n" : pending_break_ == 1 ? "\n" : "");
    pending_break_ = 0;
    out_.text.append(s.data(), s.size());
    if (in_heading_) out_.first_heading.append(s.data(), s.size());
  }
  void Block(absl::string_view text) {
    RequestBreak(2);
    Append(text);
    RequestBreak(2);
  }
  void RequestBreak(int n) { pending_break_ = std::max(pending_break_, n); }

  MarkdownText out_;
  int pending_break_ = 0;  // newlines owed before the next text
  bool in_heading_ = false;
  bool heading_done_ = false;
};

MarkdownText WalkMarkdown(absl::string_view markdown) {
  cmark_node* doc = cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
  if (doc == nullptr) return {};
  MarkdownTextWriter writer;
  cmark_iter* it = cmark_iter_new(doc);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    if (ev == CMARK_EVENT_ENTER) writer.Enter(cmark_iter_get_node(it));
    if (ev == CMARK_EVENT_EXIT) writer.Exit(cmark_iter_get_node(it));
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  return writer.Take();
}

// The id a file gets without a slug: its name without the extension and
// Jekyll's date prefix; a Hugo bundle's index.md takes its folder's name.
std::string IdFromPath(const std::string& path, std::string* jekyll_date) {
  const std::filesystem::path p(path);
  std::string stem = p.stem().string();
  if ((stem == "index" || stem == "_index") && p.has_parent_path() && !p.parent_path().filename().empty()) {
    stem = p.parent_path().filename().string();
  }
  if (stem.size() > 11 && stem[4] == '-' && stem[7] == '-' && stem[10] == '-' &&
      absl::ascii_isdigit(static_cast<unsigned char>(stem[0])) && absl::ascii_isdigit(static_cast<unsigned char>(stem[9]))) {
    *jekyll_date = stem.substr(0, 10);
    stem = stem.substr(11);
  }
  return stem;
}

}  // namespace

std::string MarkdownToText(absl::string_view markdown) { return WalkMarkdown(markdown).text; }

namespace {

// The front matter's YAML (null if there is none), or why not with its file
// line in *line.
absl::StatusOr<YAML::Node> LoadFrontMatter(absl::string_view yaml, int* line) {
  YAML::Node meta;
  if (yaml.empty()) return meta;
  try {
    meta = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    *line = e.mark.is_null() ? 1 : e.mark.line + 2;
    return absl::InvalidArgumentError(absl::StrCat("front matter: ", e.msg));
  }
  if (!meta.IsMap() && !meta.IsNull()) {
    return absl::InvalidArgumentError("front matter is not a YAML mapping (key: value lines)");
  }
  YAML::Mark unclosed;
  if (UnclosedQuote(meta, yaml, &unclosed) != nullptr) {
    *line = unclosed.line + 2;
    return absl::InvalidArgumentError(absl::StrCat(
        "front matter: the quote (", std::string(1, yaml[unclosed.pos]),
        ") that opens this value is never closed, so it would swallow the lines after it"));
  }
  return meta;
}

// id: slug, id or the file's name; url: url or permalink. *jekyll_date: the
// date in a Jekyll file name (2024-05-01-title.md), if any.
void SetIdAndUrl(const YAML::Node& meta, const std::string& path, v1::Article* article, std::string* jekyll_date) {
  const std::string from_path = IdFromPath(path, jekyll_date);
  std::string id = ScalarOr(meta, "slug");
  if (id.empty()) id = ScalarOr(meta, "id");
  if (id.empty()) id = from_path;
  article->set_id(std::string(absl::StripAsciiWhitespace(id)));
  std::string url = ScalarOr(meta, "url");
  if (url.empty()) url = ScalarOr(meta, "permalink");
  article->set_url(url);
}

// The first category is the post's; further ones become tags.
void SetCategoryAndTags(const YAML::Node& meta, v1::Article* article) {
  std::vector<std::string> categories = StringList(meta["categories"], /*split_scalars=*/true);
  if (categories.empty()) categories = StringList(meta["category"], /*split_scalars=*/false);
  TagCollector tags(article);
  for (const std::string& t : StringList(meta["tags"], /*split_scalars=*/true)) tags.Add(t);
  for (size_t i = 0; i < categories.size(); ++i) {
    if (i == 0) {
      article->set_category(CollapseSpaces(categories[0]));
    } else {
      tags.Add(categories[i]);
    }
  }
}

// date, publishDate or the Jekyll file name's date; on error *line is its line.
absl::Status SetDate(const YAML::Node& meta, const std::string& jekyll_date, const ReaderOptions& options,
                     v1::Article* article, int* line) {
  std::string date = ScalarOr(meta, "date");
  int date_line = FileLine(meta["date"]);
  if (date.empty()) {
    date = ScalarOr(meta, "publishDate");
    date_line = FileLine(meta["publishDate"]);
  }
  if (date.empty()) {
    date = jekyll_date;
    date_line = 1;  // from the file's name
  }
  absl::Status s = SetPublished(date, options.timezone, article);
  if (!s.ok()) *line = date_line;
  return s;
}

// author: a name, the first of a list, or a mapping's name.
void SetAuthor(const YAML::Node& meta, v1::Article* article) {
  const YAML::Node author = meta["author"];
  if (author && author.IsScalar()) {
    article->set_author(CollapseSpaces(ScalarText(author)));
  } else if (author && author.IsSequence() && author.size() > 0 && author[0].IsScalar()) {
    article->set_author(CollapseSpaces(ScalarText(author[0])));
  } else if (author && author.IsMap()) {
    article->set_author(CollapseSpaces(ScalarOr(author, "name")));
  }
}

// The article's fields from its front matter; NOT_FOUND for a draft.
absl::Status ArticleFromFrontMatter(const YAML::Node& meta, const std::string& path, const ReaderOptions& options,
                                    v1::Article* article, int* line) {
  try {
    if (IsTrue(ScalarOr(meta, "draft")) || IsFalse(ScalarOr(meta, "published"))) {
      return absl::NotFoundError("draft");
    }
    std::string jekyll_date;
    SetIdAndUrl(meta, path, article, &jekyll_date);
    article->set_title(CollapseSpaces(ScalarOr(meta, "title")));
    SetCategoryAndTags(meta, article);
    if (absl::Status s = SetDate(meta, jekyll_date, options, article, line); !s.ok()) return s;
    SetAuthor(meta, article);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("front matter: ", e.msg));
  }
  return absl::OkStatus();
}

}  // namespace

Record MarkdownFileToRecord(const std::string& source, const std::string& path, absl::string_view utf8,
                            const ReaderOptions& options) {
  Record record;
  int line = 1;  // where an error is
  v1::Article article;
  absl::StatusOr<FrontMatter> split = SplitFrontMatter(utf8);
  absl::Status status = split.status();
  if (status.ok()) {
    absl::StatusOr<YAML::Node> meta = LoadFrontMatter(split->yaml, &line);
    status = meta.ok() ? ArticleFromFrontMatter(*meta, path, options, &article, &line) : meta.status();
  }
  record.location = absl::StrCat(source, ":", line);
  if (!status.ok()) {
    record.article = status;
    return record;
  }
  MarkdownText body = WalkMarkdown(StripTemplateTags(split->body));
  if (article.title().empty()) article.set_title(CollapseSpaces(body.first_heading));
  article.set_body(std::move(body.text));
  record.article = std::move(article);
  return record;
}

}  // namespace chaja::indexer
