#include "indexer/xml.h"

#include <mutex>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace chaja::indexer {
namespace {

void IgnoreGenericError(void*, const char*, ...) {}
void IgnoreStructuredError(void*, xmlErrorPtr) {}

absl::string_view View(const xmlChar* s) {
  return s == nullptr ? absl::string_view() : absl::string_view(reinterpret_cast<const char*>(s));
}

}  // namespace

void InitLibxml() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetGenericErrorFunc(nullptr, IgnoreGenericError);
    xmlSetStructuredErrorFunc(nullptr, IgnoreStructuredError);
  });
}

XmlDocPtr ParseHtml(absl::string_view utf8) {
  InitLibxml();
  if (utf8.empty()) return nullptr;
  // Bytes are already UTF-8 (see encoding.h); a <meta charset> must not switch again.
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                      HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD | XML_PARSE_HUGE | XML_PARSE_BIG_LINES;
  htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(utf8.data(), static_cast<int>(utf8.size()));
  if (ctxt == nullptr) return nullptr;
  htmlDocPtr doc = htmlCtxtReadMemory(ctxt, utf8.data(), static_cast<int>(utf8.size()), nullptr, "UTF-8", options);
  htmlFreeParserCtxt(ctxt);
  return XmlDocPtr(doc);
}

absl::string_view LocalName(const xmlNode* node) { return node == nullptr ? absl::string_view() : View(node->name); }

absl::string_view NamespacePrefix(const xmlNode* node) {
  if (node == nullptr || node->ns == nullptr) return "";
  return View(node->ns->prefix);
}

bool IsElement(const xmlNode* node, absl::string_view prefix, absl::string_view name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && LocalName(node) == name &&
         NamespacePrefix(node) == prefix;
}

std::vector<xmlNode*> ChildElements(const xmlNode* node) {
  std::vector<xmlNode*> out;
  if (node == nullptr) return out;
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

xmlNode* FirstChild(const xmlNode* node, absl::string_view prefix, absl::string_view name) {
  if (node == nullptr) return nullptr;
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (IsElement(c, prefix, name)) return c;
  }
  return nullptr;
}

std::string ChildText(const xmlNode* node, absl::string_view prefix, absl::string_view name) {
  return NodeText(FirstChild(node, prefix, name));
}

std::string NodeText(const xmlNode* node) {
  if (node == nullptr) return "";
  xmlChar* content = xmlNodeGetContent(node);
  std::string out(View(content));
  xmlFree(content);
  return out;
}

std::string Attribute(const xmlNode* node, absl::string_view name) {
  if (node == nullptr) return "";
  for (xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (absl::EqualsIgnoreCase(View(a->name), name)) {
      xmlChar* value = xmlNodeListGetString(node->doc, a->children, 1);
      std::string out(View(value));
      xmlFree(value);
      return out;
    }
  }
  return "";
}

long NodeLine(const xmlNode* node) { return node == nullptr ? 0 : xmlGetLineNo(node); }

}  // namespace chaja::indexer
