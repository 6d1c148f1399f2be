#include "indexer/html_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "indexer/xml.h"

namespace chaja::indexer {
namespace {

enum class Break { kNone = 0, kLine = 1, kParagraph = 2 };

Break BreakFor(absl::string_view name) {
  static constexpr const char* kParagraphs[] = {"p",      "h1",    "h2",  "h3",     "h4",      "h5",
                                                "h6",     "pre",   "blockquote", "ul", "ol",   "dl",
                                                "table",  "section", "article", "figure", "hr", "address",
                                                "details", "main", "center"};
  static constexpr const char* kLines[] = {"div", "li", "tr", "br", "dt", "dd", "figcaption", "caption",
                                           "summary", "tbody", "thead", "tfoot", "option", "legend"};
  for (const char* p : kParagraphs) {
    if (name == p) return Break::kParagraph;
  }
  for (const char* l : kLines) {
    if (name == l) return Break::kLine;
  }
  return Break::kNone;
}

// Collects text, collapsing whitespace and merging breaks: never more than
// one blank line, none at the start or end.
class TextBuilder {
 public:
  explicit TextBuilder(const HtmlTextOptions& options) : options_(options) {}

  void RequestBreak(Break b) {
    if (static_cast<int>(b) > static_cast<int>(pending_break_)) pending_break_ = b;
  }

  void AddText(absl::string_view text, bool preformatted) {
    size_t i = 0;
    while (i < text.size()) {
      const unsigned char c = text[i];
      // U+00A0 (&nbsp;) is a space to a reader.
      const bool nbsp = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0;
      if (absl::ascii_isspace(c) || nbsp) {
        size_t j = i;
        int newlines = 0;
        while (j < text.size()) {
          const unsigned char d = text[j];
          if (d == '\n') {
            ++newlines;
          } else if (!(absl::ascii_isspace(d) ||
                       (d == 0xC2 && j + 1 < text.size() && static_cast<unsigned char>(text[j + 1]) == 0xA0))) {
            break;
          }
          j += (d == 0xC2) ? 2 : 1;
        }
        if (preformatted && newlines > 0) {
          RequestBreak(newlines > 1 ? Break::kParagraph : Break::kLine);
        } else if (options_.blank_lines_are_paragraphs && newlines > 1) {
          RequestBreak(Break::kParagraph);
        } else {
          pending_space_ = true;
        }
        i = j;
        continue;
      }
      Flush();
      out_.push_back(static_cast<char>(c));
      ++i;
    }
  }

  std::string Finish() { return std::move(out_); }

 private:
  void Flush() {
    if (!out_.empty()) {
      if (pending_break_ == Break::kParagraph) {
        out_.append("\n\n");
      } else if (pending_break_ == Break::kLine) {
        out_.push_back('\n');
      } else if (pending_space_) {
        out_.push_back(' ');
      }
    }
    pending_break_ = Break::kNone;
    pending_space_ = false;
  }

  const HtmlTextOptions& options_;
  std::string out_;
  Break pending_break_ = Break::kNone;
  bool pending_space_ = false;
};

// The text of the node list starting at `first` and below it.
void Walk(xmlNode* first, int pre_depth, TextBuilder* out) {
  WalkTree(
      first,
      [&](xmlNode* n) {
        switch (n->type) {
          case XML_TEXT_NODE:
          case XML_CDATA_SECTION_NODE:
            if (n->content != nullptr) out->AddText(reinterpret_cast<const char*>(n->content), pre_depth > 0);
            return WalkStep::kSkipChildren;
          case XML_ELEMENT_NODE: {
            const std::string name = absl::AsciiStrToLower(LocalName(n));
            if (IsNonContentElement(name)) return WalkStep::kSkipChildren;
            out->RequestBreak(BreakFor(name));
            if (name == "td" || name == "th") out->AddText(" ", false);
            if (name == "pre" || name == "textarea") ++pre_depth;
            return WalkStep::kDescend;
          }
          case XML_DOCUMENT_NODE:
          case XML_HTML_DOCUMENT_NODE:
            return WalkStep::kDescend;
          default:  // comments, processing instructions, DTD
            return WalkStep::kSkipChildren;
        }
      },
      [&](xmlNode* n) {
        if (n->type != XML_ELEMENT_NODE) return;
        const std::string name = absl::AsciiStrToLower(LocalName(n));
        if (IsNonContentElement(name)) return;
        out->RequestBreak(BreakFor(name));
        if (name == "td" || name == "th") out->AddText(" ", false);
        if (name == "pre" || name == "textarea") --pre_depth;
      });
}

}  // namespace

bool IsNonContentElement(absl::string_view lower_name) {
  static constexpr const char* kSkipped[] = {"script", "style",  "noscript", "template", "svg",    "math",
                                             "iframe", "object", "embed",    "canvas",   "nav",    "form",
                                             "button", "select", "input",    "head",     "title",  "link",
                                             "meta",   "audio",  "video",    "map",      "dialog"};
  for (const char* s : kSkipped) {
    if (lower_name == s) return true;
  }
  return false;
}

std::string HtmlNodeToText(const xmlNode* node, const HtmlTextOptions& options) {
  TextBuilder out(options);
  if (node != nullptr) {
    // The node's children only: the node itself adds no break, and its
    // following siblings are not part of it.
    const bool pre = node->type == XML_ELEMENT_NODE && absl::AsciiStrToLower(LocalName(node)) == "pre";
    Walk(node->children, pre ? 1 : 0, &out);
  }
  return out.Finish();
}

std::string HtmlToText(absl::string_view html, const HtmlTextOptions& options) {
  // Plain text (no markup, no entity) needs no parser; feeds often carry it.
  if (html.find('<') == absl::string_view::npos && html.find('&') == absl::string_view::npos) {
    TextBuilder out(options);
    out.AddText(html, false);
    return out.Finish();
  }
  XmlDocPtr doc = ParseHtml(html);
  if (doc == nullptr) return "";
  return HtmlNodeToText(reinterpret_cast<const xmlNode*>(doc.get()), options);
}

}  // namespace chaja::indexer
