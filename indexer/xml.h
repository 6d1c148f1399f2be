// Small helpers over libxml2's tree API, shared by the feed, WXR and HTML
// readers and by HtmlToText: ownership wrappers, quiet error handling and
// namespace-tolerant lookups.
//
// libxml2 is initialised once (InitLibxml) with its error printing turned off:
// parse errors reach the user as "FILE:LINE: reason" records, never as
// libxml2's own stderr lines. After that, the functions are thread-compatible
// (one document per thread).
#ifndef CHAJA_INDEXER_XML_H_
#define CHAJA_INDEXER_XML_H_

#include <memory>
#include <string>
#include <vector>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "absl/strings/string_view.h"

namespace chaja::indexer {

// Idempotent; every entry point that parses calls it.
void InitLibxml();

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// Parses UTF-8 HTML (a whole page or a fragment) leniently, as browsers do.
// Never fails on real input; null only for empty input or out of memory.
XmlDocPtr ParseHtml(absl::string_view utf8);

// The element's local name ("encoded" for content:encoded), lower-cased for HTML.
absl::string_view LocalName(const xmlNode* node);
// The namespace prefix the document used for the element ("content", "wp", "" for none).
absl::string_view NamespacePrefix(const xmlNode* node);
// True if the element is `prefix:name` ("" prefix: no namespace prefix).
bool IsElement(const xmlNode* node, absl::string_view prefix, absl::string_view name);

// Child elements of `node` in order.
std::vector<xmlNode*> ChildElements(const xmlNode* node);
// The first child element `prefix:name`, or null.
xmlNode* FirstChild(const xmlNode* node, absl::string_view prefix, absl::string_view name);
// The text content of the first child element `prefix:name` (CDATA included), or "".
std::string ChildText(const xmlNode* node, absl::string_view prefix, absl::string_view name);

// The whole text content of `node` (entities decoded, CDATA included).
std::string NodeText(const xmlNode* node);
// The attribute's value ("" when missing).
std::string Attribute(const xmlNode* node, absl::string_view name);

// The node's source line (1-based; 0 if unknown). Needs XML_PARSE_BIG_LINES
// beyond line 65535.
long NodeLine(const xmlNode* node);

// Depth-first search for the first element matching `pred`, `node` included.
template <typename Pred>
xmlNode* FindElement(xmlNode* node, const Pred& pred) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (pred(n)) return n;
    if (xmlNode* found = FindElement(n->children, pred)) return found;
  }
  return nullptr;
}
// Every element matching `pred` below (and including) the `node` list, in document order.
template <typename Pred>
void FindAllElements(xmlNode* node, const Pred& pred, std::vector<xmlNode*>* out) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (pred(n)) out->push_back(n);
    FindAllElements(n->children, pred, out);
  }
}

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_XML_H_
