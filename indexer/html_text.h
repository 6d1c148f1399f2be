// HTML → plain text for indexing: what a reader sees, as Article.body wants it.
//
// Entities are decoded; scripts, styles, navigation, forms and other
// non-content elements are dropped; block elements (p, div, li, h1…, tr, br)
// become line breaks, paragraphs and headings a blank line; runs of spaces
// collapse except inside <pre>. Parsing is libxml2's lenient HTML parser, so
// broken markup gives text, never an error.
//
// Thread-compatible (pure functions over their arguments).
#ifndef CHAJA_INDEXER_HTML_TEXT_H_
#define CHAJA_INDEXER_HTML_TEXT_H_

#include <string>

#include <libxml/tree.h>

#include "absl/strings/string_view.h"

namespace chaja::indexer {

struct HtmlTextOptions {
  // Treat a blank line in the source text as a paragraph break, as WordPress
  // does for post content written without <p> (wpautop).
  bool blank_lines_are_paragraphs = false;
};

// The text of an HTML document or fragment given as UTF-8.
std::string HtmlToText(absl::string_view html, const HtmlTextOptions& options = HtmlTextOptions());

// The text of an already parsed subtree (the node and its descendants).
std::string HtmlNodeToText(const xmlNode* node, const HtmlTextOptions& options = HtmlTextOptions());

// True for elements whose content is never article text (script, style, nav,
// header/footer chrome, forms, …).
bool IsNonContentElement(absl::string_view lower_name);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_HTML_TEXT_H_
