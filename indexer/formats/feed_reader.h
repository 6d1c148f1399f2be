// RSS 2.0 (and RSS 1.0), Atom 1.0 and WordPress WXR exports.
//
// Streams the document with libxml2's xmlTextReader: one <item>/<entry> is
// expanded at a time, so a large WordPress export costs the memory of its
// text plus one post. Each item becomes a record located at its start line.
//
// Mapping (RSS / Atom):
//   id        guid / id, else the link
//   url       link / link[rel=alternate]
//   title     title (HTML in it becomes text)
//   body      content:encoded, else description / content, else summary → HtmlToText
//   tags      every category (Atom: label, else term); for a Tistory feed
//             (generator TISTORY, or a *.tistory.com link or URL) the first
//             <category> is the article's category and the rest are tags
//             (ReaderOptions::rss_categories chooses for other feeds)
//   published pubDate or dc:date / published, else updated (indexer/dates.h forms)
//   author    dc:creator or author / author/name
//   comments  slash:comments / thr:total
// WXR (wxr_item.h): only post_type "post" with status "publish"; categories
// and tags kept apart; approved comments counted.
//
// HTML's named entities (&nbsp;, &hellip;), which sloppy feeds use although
// XML lacks them, are read as the characters they name. Any other XML error
// (a truncated file, a broken tag) ends the file: the complete items before
// it are kept and the error becomes a rejected record at its line.
// A document type that declares entities (<!ENTITY, internal or external) is
// refused by libxml2's own parse of the prolog (xml.h), so neither an
// expansion bomb nor an external entity (XXE) is ever read; DTDs are never
// loaded and libxml2's size limits apply (no XML_PARSE_HUGE).
#ifndef CHAJA_INDEXER_FORMATS_FEED_READER_H_
#define CHAJA_INDEXER_FORMATS_FEED_READER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <libxml/xmlreader.h>

#include "indexer/record_reader.h"
#include "indexer/xml.h"

namespace chaja::indexer {

class FeedReader : public RecordReader {
 public:
  // `format` is kRss, kAtom or kWxr; the root element must match it.
  // `utf8` is the whole document, already decoded (encoding.h).
  FeedReader(std::string source, std::string utf8, Format format, ReaderOptions options);
  ~FeedReader() override;

  bool Next(Record* record) override;
  uint64_t bytes_read() const override;
  uint64_t total_bytes() const override { return text_.size(); }
  size_t skipped() const override { return skipped_; }

  // The channel's (Atom: the feed's) <title>, once read past it.
  const std::string& channel_title() const { return channel_title_; }
  // Whether the feed was recognised as Tistory's (known once items are read).
  bool is_tistory() const { return tistory_; }

 private:
  // Reads <title>, <link> and <generator> of the channel; false if `node` is not one.
  bool ReadChannelField(xmlNode* node);
  // Fills *record with the error that stops the file (once) and returns true.
  bool Fail(Record* record, long line, const std::string& reason);
  absl::StatusOr<v1::Article> ItemToArticle(xmlNode* item);
  // After an XML error: every item the streaming reader had not handed out
  // yet, from a recovering parse of the document (xml.h); an item with an
  // error in its lines becomes a rejected record at its line.
  void Recover();
  // The next record from Recover(), or the end; the first error when the
  // document could not be recovered.
  bool NextRecovered(Record* record);
  // The line of what follows `item` in the document (a text node's line is
  // where it ends); LONG_MAX if nothing follows.
  long LineAfter(const xmlNode* item) const;
  // An error between or after the items, `items_read_after` of which the
  // recovered tree holds after it: a warning, or a rejected record when the
  // text has more items after it (they were lost).
  void ReportOutsideItems(const XmlError& error, size_t items_read_after);

  std::string source_;
  std::string text_;
  Format format_;
  ReaderOptions options_;
  xmlTextReaderPtr reader_ = nullptr;
  // The reader's document once taken for the entity check: ours to free.
  xmlDocPtr current_doc_ = nullptr;
  bool root_checked_ = false;
  bool done_ = false;
  bool advanced_ = false;  // xmlTextReaderNext already moved on; its result is next_result_
  int next_result_ = 0;
  size_t items_ = 0;
  size_t skipped_ = 0;
  std::string first_error_;
  long first_error_line_ = 0;
  bool recovered_ = false;
  bool recovered_ok_ = false;  // Recover() read the document
  long last_outside_line_ = 0;  // of the last error ReportOutsideItems took
  bool lost_reported_ = false;   // it said the items after an error were lost
  std::vector<Record> recovered_records_;
  size_t next_recovered_ = 0;
  std::string channel_title_;
  bool tistory_ = false;
  // WXR: author login → display name, from <wp:author> before the items.
  std::map<std::string, std::string> authors_;

  static void OnError(void* self, xmlErrorPtr error);
};

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_FORMATS_FEED_READER_H_
