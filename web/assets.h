// The browser files searchd serves over HTTP: the embeddable search widget
// (/widget.js) and the demo blog page (/ and its script and style). They are
// compiled into the library at build time (web/embed_assets.cmake), so the
// daemon needs no files on disk; each carries a content type and an ETag that
// is a hash of its bytes, computed at build time.
//
// Thread-safety: the table is constant data; FindAsset may be called from any
// thread.
#ifndef CHAJA_WEB_ASSETS_H_
#define CHAJA_WEB_ASSETS_H_

#include <string_view>

namespace chaja::web {

// One embedded file. The views point into static storage (never freed).
struct Asset {
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view body;          // the file's bytes
  std::string_view etag;          // a quoted strong ETag, e.g. "\"3f2a…\"" (hash of body)
};

// Returns the asset served at `path` ("/", "/widget.js", "/demo.js", ...), or
// nullptr when no asset has this path. The path is matched exactly: no query
// string, no percent-decoding. "/" is the demo page (index.html).
const Asset* FindAsset(std::string_view path);

}  // namespace chaja::web

#endif  // CHAJA_WEB_ASSETS_H_
