// A saved web page of one blog post (Tistory, WordPress, Naver, Jekyll …).
//
//   title     og:title, else <title> without a " :: blog name" / " | blog name" tail, else the first <h1>
//   url, id   <link rel=canonical>, else og:url; the id is that url, else the file name
//   body      the first of: [itemprop=articleBody], a known post container (.entry-content,
//             .article-view, .tt_article_useless_p_margin, .post-content, .se-main-container, …),
//             <article>, <main>, <body>; scripts, styles, navigation, header, footer, aside,
//             comment and share blocks removed
//   tags      meta article:tag, links with rel="tag" or an href containing /tag/
//   category  meta article:section, else a link with rel="category" or an href containing /category/
//   published meta article:published_time, itemprop=datePublished, <time datetime>, or an
//             element whose class says "date" (2025. 1. 22. 15:20 on Tistory)
//   author    meta author / article:author
#ifndef CHAJA_INDEXER_FORMATS_HTML_PAGE_READER_H_
#define CHAJA_INDEXER_FORMATS_HTML_PAGE_READER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "indexer/record_reader.h"

namespace chaja::indexer {

// The record of one saved page (`utf8` already decoded). `path` gives the
// fallback id; `source` names the file in the location.
Record HtmlPageToRecord(const std::string& source, const std::string& path, absl::string_view utf8,
                        const ReaderOptions& options);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_FORMATS_HTML_PAGE_READER_H_
