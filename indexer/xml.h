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

#include "absl/status/status.h"
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

// Options for every XML (not HTML) parse: no entity substitution, no DTD
// loading, no network, and libxml2's own size and amplification limits (no
// XML_PARSE_HUGE). Text and CDATA nodes are therefore capped at 10 MB each.
constexpr int kSafeXmlOptions =
    XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING;

// One XML error: its source line and libxml2's message (one line).
struct XmlError {
  long line = 0;
  std::string message;
};

// True for errors that lose nothing and are not reported: libxml2's
// complaints about namespaces (a namespace name with non-ASCII letters is a
// valid IRI; an undeclared prefix leaves the element under its full name).
bool IsIgnoredXmlError(const xmlError& error);

// Parses `utf8` with libxml2's recovery mode and kSafeXmlOptions (still no
// entity substitution, no DTD loading, no XML_PARSE_HUGE): the tree of
// everything that could be read past broken markup, a stray "]]>" or content
// after the root, and every error (IsIgnoredXmlError aside; the first 1,000)
// in *errors. Null only when nothing could be read. The caller checks
// DeclaresEntities; RefuseEntityDeclarations should have run first.
XmlDocPtr ParseXmlRecovering(absl::string_view utf8, const std::string& url, std::vector<XmlError>* errors);

// Runs libxml2's own parser over the prolog of `utf8` (up to the root
// element, so the cost does not grow with the document) and refuses a
// document type that declares entities, internal or external (XXE):
// INVALID_ARGUMENT, with the declaration's line in *line. Comments, processing
// instructions and strings are read as the parser reads them, so markup in
// a comment cannot hide a declaration.
absl::Status RefuseEntityDeclarations(absl::string_view utf8, long* line);

// True when the parsed document's internal subset declares any entity; a
// second guard for trees built without RefuseEntityDeclarations.
bool DeclaresEntities(const xmlDoc* doc);

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

// What a tree walk does after entering a node.
enum class WalkStep { kDescend, kSkipChildren, kStop };

// Visits the node list starting at `first`, and every descendant, in document
// order without recursion: saved pages can nest elements 100,000 deep, which
// would overflow the stack of a recursive walk. `enter(node)` returns a
// WalkStep; `leave(node)` runs after the node's subtree (also for a node
// whose children were skipped), except after kStop.
template <typename Enter, typename Leave>
void WalkTree(xmlNode* first, const Enter& enter, const Leave& leave) {
  if (first == nullptr) return;
  xmlNode* const stop = first->parent;
  xmlNode* n = first;
  while (n != nullptr) {
    const WalkStep step = enter(n);
    if (step == WalkStep::kStop) return;
    if (step == WalkStep::kDescend && n->children != nullptr) {
      n = n->children;
      continue;
    }
    leave(n);
    while (n->next == nullptr) {
      n = n->parent;
      if (n == nullptr || n == stop) return;
      leave(n);
    }
    n = n->next;
  }
}

// The first element matching `pred` in the list starting at `node` and below it.
template <typename Pred>
xmlNode* FindElement(xmlNode* node, const Pred& pred) {
  xmlNode* found = nullptr;
  WalkTree(
      node,
      [&](xmlNode* n) {
        if (n->type == XML_ELEMENT_NODE && pred(n)) {
          found = n;
          return WalkStep::kStop;
        }
        return WalkStep::kDescend;
      },
      [](xmlNode*) {});
  return found;
}

// Every element matching `pred` in the list starting at `node` and below it,
// in document order. With `skip_inside_matches`, not those inside a match.
template <typename Pred>
void FindAllElements(xmlNode* node, const Pred& pred, std::vector<xmlNode*>* out, bool skip_inside_matches = false) {
  WalkTree(
      node,
      [&](xmlNode* n) {
        if (n->type == XML_ELEMENT_NODE && pred(n)) {
          out->push_back(n);
          if (skip_inside_matches) return WalkStep::kSkipChildren;
        }
        return WalkStep::kDescend;
      },
      [](xmlNode*) {});
}

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_XML_H_
