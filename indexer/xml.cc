#include "indexer/xml.h"

#include <algorithm>
#include <mutex>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace chaja::indexer {
namespace {

void IgnoreGenericError(void*, const char*, ...) {}
void IgnoreStructuredError(void*, xmlErrorPtr) {}

absl::string_view View(const xmlChar* s) {
  return s == nullptr ? absl::string_view() : absl::string_view(reinterpret_cast<const char*>(s));
}

// What the prolog scan saw; the SAX callbacks fill it.
struct PrologScan {
  xmlParserCtxtPtr ctxt = nullptr;
  bool reached_root = false;
  std::string entity;  // the first declared entity's name
  long entity_line = 0;
};

void OnEntityDecl(void* user, const xmlChar* name, int, const xmlChar*, const xmlChar*, xmlChar*) {
  auto* scan = static_cast<PrologScan*>(user);
  if (!scan->entity.empty()) return;
  scan->entity = std::string(View(name));
  scan->entity_line = xmlSAX2GetLineNumber(scan->ctxt);
  xmlStopParser(scan->ctxt);
}

void OnRootElement(void* user, const xmlChar*, const xmlChar*, const xmlChar*, int, const xmlChar**, int, int,
                   const xmlChar**) {
  auto* scan = static_cast<PrologScan*>(user);
  scan->reached_root = true;
  xmlStopParser(scan->ctxt);
}

// A SAX handler that builds nothing: it only notices entity declarations and
// the root element.
xmlSAXHandler PrologHandler() {
  xmlSAXHandler handler = {};
  handler.initialized = XML_SAX2_MAGIC;
  handler.entityDecl = OnEntityDecl;
  handler.startElementNs = OnRootElement;
  handler.serror = IgnoreStructuredError;
  return handler;
}

// Collects a recovering parse's errors; `user` is the parser context, whose
// _private is the vector.
void CollectError(void* user, xmlErrorPtr error) {
  constexpr size_t kMaxErrors = 1000;
  auto* ctxt = static_cast<xmlParserCtxtPtr>(user);
  auto* errors = static_cast<std::vector<XmlError>*>(ctxt->_private);
  if (error == nullptr || error->level < XML_ERR_ERROR || IsIgnoredXmlError(*error)) return;
  if (errors->size() >= kMaxErrors) return;
  std::string message = error->message != nullptr ? error->message : "unknown error";
  std::replace(message.begin(), message.end(), '\n', ' ');
  errors->push_back({error->line, std::string(absl::StripAsciiWhitespace(message))});
}

}  // namespace

bool IsIgnoredXmlError(const xmlError& error) {
  return error.domain == XML_FROM_NAMESPACE && error.level < XML_ERR_FATAL;
}

XmlDocPtr ParseXmlRecovering(absl::string_view utf8, const std::string& url, std::vector<XmlError>* errors) {
  InitLibxml();
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (ctxt == nullptr) return nullptr;
  ctxt->_private = errors;
  ctxt->sax->serror = CollectError;
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, utf8.data(), static_cast<int>(std::min<size_t>(utf8.size(), INT32_MAX)),
                                    url.c_str(), "UTF-8", kSafeXmlOptions | XML_PARSE_RECOVER);
  xmlFreeParserCtxt(ctxt);
  return XmlDocPtr(doc);
}

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
  // HTML declares no entities, so XML_PARSE_HUGE only lifts the 10 MB limit
  // on one text node; a page's size is capped by ReaderOptions::max_html_bytes.
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                      HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD | XML_PARSE_HUGE | XML_PARSE_BIG_LINES;
  htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(utf8.data(), static_cast<int>(utf8.size()));
  if (ctxt == nullptr) return nullptr;
  htmlDocPtr doc = htmlCtxtReadMemory(ctxt, utf8.data(), static_cast<int>(utf8.size()), nullptr, "UTF-8", options);
  htmlFreeParserCtxt(ctxt);
  return XmlDocPtr(doc);
}

absl::Status RefuseEntityDeclarations(absl::string_view utf8, long* line) {
  InitLibxml();
  xmlSAXHandler handler = PrologHandler();
  PrologScan scan;
  scan.ctxt = xmlCreatePushParserCtxt(&handler, &scan, nullptr, 0, nullptr);
  if (scan.ctxt == nullptr) return absl::ResourceExhaustedError("cannot create an XML parser");
  // Recovering, so that an error early in the file cannot stop the scan
  // before a declaration that a later, recovering parse would still read.
  xmlCtxtUseOptions(scan.ctxt, kSafeXmlOptions | XML_PARSE_RECOVER | XML_PARSE_NOERROR);
  constexpr size_t kChunk = 64 * 1024;
  size_t pos = 0;
  while (!scan.reached_root && scan.entity.empty() && scan.ctxt->instate != XML_PARSER_EOF) {
    const size_t n = std::min(kChunk, utf8.size() - pos);
    const bool last = pos + n == utf8.size();
    xmlParseChunk(scan.ctxt, utf8.data() + pos, static_cast<int>(n), last ? 1 : 0);
    pos += n;
    if (last) break;
  }
  // The parser may have started a document (for the DTD) even with a SAX
  // handler that builds nothing; it is the caller's to free.
  if (scan.ctxt->myDoc != nullptr) xmlFreeDoc(scan.ctxt->myDoc);
  scan.ctxt->myDoc = nullptr;
  xmlFreeParserCtxt(scan.ctxt);
  if (scan.entity.empty()) return absl::OkStatus();
  *line = scan.entity_line;
  return absl::InvalidArgumentError(absl::StrCat("the document type declares the entity \"",
                                                 scan.entity,
                                                 "\" (<!ENTITY>); feeds never need entities and they are refused"));
}

bool DeclaresEntities(const xmlDoc* doc) {
  const xmlDtd* dtd = doc == nullptr ? nullptr : doc->intSubset;
  return dtd != nullptr && (dtd->entities != nullptr || dtd->pentities != nullptr);
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
