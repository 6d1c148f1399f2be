// One WordPress WXR <item> → Article (used by FeedReader).
//
// Kept: post_type "post" with status "publish". Everything else (pages,
// attachments, menu items, drafts, scheduled and private posts) is skipped.
//   id        guid (the same id the blog's RSS feed carries), else link, else "wp-<post_id>"
//   category  the first category (domain="category"); further categories become tags
//   tags      the post tags (domain="post_tag")
//   published wp:post_date_gmt, else wp:post_date in the site's zone, else pubDate
//   author    dc:creator, as the display name its <wp:author> gives
//   comments  approved comments that are not pingbacks or trackbacks
//   body      content:encoded as text; blank lines are paragraphs (wpautop)
#ifndef CHAJA_INDEXER_FORMATS_WXR_ITEM_H_
#define CHAJA_INDEXER_FORMATS_WXR_ITEM_H_

#include <map>
#include <string>

#include <libxml/tree.h>

#include "absl/status/statusor.h"
#include "indexer/record_reader.h"

namespace chaja::indexer {

// The article, or NOT_FOUND (with the reason) for an item that is skipped on
// purpose, or INVALID_ARGUMENT for a post that cannot be indexed.
absl::StatusOr<v1::Article> ArticleFromWxrItem(const xmlNode* item,
                                               const std::map<std::string, std::string>& authors,
                                               const ReaderOptions& options);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_FORMATS_WXR_ITEM_H_
