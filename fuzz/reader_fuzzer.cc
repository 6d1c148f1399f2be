// One import format's reader on any bytes, through the entry point the
// indexer uses for a file in memory (RecordReaderForBytes: charset decoding,
// then the format's reader). Built once per format (fuzz/CMakeLists.txt sets
// CHAJA_FUZZ_FORMAT_<format>). Invariants (indexer/record_reader.h: readers
// never crash; malformed input becomes rejected records): every record has a
// location and ends in bounded time; an accepted article's text fields are
// valid UTF-8 (protobuf strings must be).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "analyzer/utf8.h"
#include "fuzz/fuzz_util.h"
#include "indexer/reader_factory.h"

namespace {

using chaja::analyzer::IsValidUtf8;
using chaja::indexer::Format;

#if defined(CHAJA_FUZZ_FORMAT_jsonl)
constexpr Format kFormats[] = {Format::kJsonl};
constexpr const char* kPath = "fuzz/posts.jsonl";
#elif defined(CHAJA_FUZZ_FORMAT_feed)
constexpr Format kFormats[] = {Format::kRss, Format::kAtom};
constexpr const char* kPath = "fuzz/feed.xml";
#elif defined(CHAJA_FUZZ_FORMAT_wxr)
constexpr Format kFormats[] = {Format::kWxr};
constexpr const char* kPath = "fuzz/export.xml";
#elif defined(CHAJA_FUZZ_FORMAT_markdown)
constexpr Format kFormats[] = {Format::kMarkdown};
constexpr const char* kPath = "fuzz/content/post/2025-01-02-hello.md";
#elif defined(CHAJA_FUZZ_FORMAT_html)
constexpr Format kFormats[] = {Format::kHtml};
constexpr const char* kPath = "fuzz/saved/page.html";
#else
#error "define CHAJA_FUZZ_FORMAT_<jsonl|feed|wxr|markdown|html>"
#endif

void CheckArticle(const chaja::v1::Article& a) {
  for (const std::string* s : {&a.id(), &a.url(), &a.title(), &a.body(), &a.category(), &a.author()}) {
    CHAJA_FUZZ_CHECK(IsValidUtf8(*s));
  }
  for (const std::string& tag : a.tags()) CHAJA_FUZZ_CHECK(IsValidUtf8(tag));
}

void ReadAll(const std::string& bytes, Format format) {
  chaja::indexer::ReaderOptions options;
  options.on_warning = [](const std::string&) {};
  std::unique_ptr<chaja::indexer::RecordReader> reader =
      chaja::indexer::RecordReaderForBytes("fuzz", kPath, bytes, format, options);
  chaja::indexer::Record record;
  size_t records = 0;
  while (reader->Next(&record)) {
    // A record takes at least a byte of input, bar one for an empty file.
    CHAJA_FUZZ_CHECK(++records <= bytes.size() + 1);
    CHAJA_FUZZ_CHECK(!record.location.empty());
    if (record.article.ok()) CheckArticle(*record.article);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (const Format format : kFormats) ReadAll(bytes, format);
  return 0;
}
