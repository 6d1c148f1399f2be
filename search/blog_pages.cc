#include "search/blog_pages.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/status.h"
#include "search/page_token.h"

namespace chaja::search {
namespace {

// The categories listed under `key`: itself and its subcategories.
std::vector<bool> ListedCategories(const index::SiteColumns& columns, const std::string& key) {
  std::vector<bool> listed(columns.category_count(), false);
  for (uint32_t id = 0; id < columns.category_count(); ++id) {
    const std::string& k = columns.category_key(id);
    listed[id] = k == key || (k.size() > key.size() && k.compare(0, key.size(), key) == 0 && k[key.size()] == '/');
  }
  return listed;
}

}  // namespace

absl::StatusOr<Xapian::Document> FindArticle(const Xapian::Database& db, const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("article id is empty");
  try {
    const std::string term = index::IdTerm(id);
    Xapian::PostingIterator it = db.postlist_begin(term);
    if (it == db.postlist_end(term)) return absl::NotFoundError(absl::StrCat("no article with id \"", id, "\""));
    return db.get_document(*it);
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "looking up an article");
  }
}

bool BlogPages::InList(Xapian::docid did, const std::vector<bool>& listed) const {
  const uint32_t id = columns_->category(did);
  return id != index::SiteColumns::kNone && listed[id];
}

void BlogPages::NameTagsAsMerged(Xapian::docid did, v1::PostSummary* out) const {
  if (tag_groups_ == nullptr) return;
  out->clear_tags();
  for (std::string& name : tag_groups_->NamesOf(*columns_, did)) out->add_tags(std::move(name));
}

absl::Status BlogPages::AddSummary(Xapian::docid did, v1::PostSummary* out) const {
  absl::StatusOr<v1::Article> article = index::ArticleHeadFromDocument(db_->get_document(did));
  if (!article.ok()) return article.status();
  index::FillPostSummary(*article, out);
  NameTagsAsMerged(did, out);
  return absl::OkStatus();
}

absl::Status BlogPages::AddNeighbours(Xapian::docid self, const std::vector<bool>& listed,
                                      v1::ListCategoryPostsResponse* response) const {
  const auto& by_time = columns_->by_published();
  auto at = std::lower_bound(by_time.begin(), by_time.end(), std::make_pair(columns_->published(self), self));
  for (auto it = std::make_reverse_iterator(at); it != by_time.rend(); ++it) {
    if (it->second != self && InList(it->second, listed)) {
      CHAJA_RETURN_IF_ERROR(AddSummary(it->second, response->mutable_previous()));
      break;
    }
  }
  for (auto it = at; it != by_time.end(); ++it) {
    if (it->second != self && InList(it->second, listed)) {
      CHAJA_RETURN_IF_ERROR(AddSummary(it->second, response->mutable_next()));
      break;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ListCategoryPostsResponse> BlogPages::CategoryPosts(
    const v1::ListCategoryPostsRequest& request) const {
  std::string fingerprint;
  absl::StatusOr<Page> page = PageOf(request, &fingerprint);
  if (!page.ok()) return page.status();
  v1::ListCategoryPostsResponse response;
  std::string category = request.category();
  Xapian::docid self = 0;
  if (!request.article_id().empty()) {
    absl::StatusOr<Xapian::Document> doc = FindArticle(*db_, request.article_id());
    if (!doc.ok()) return doc.status();
    absl::StatusOr<v1::Article> article = index::ArticleHeadFromDocument(*doc);
    if (!article.ok()) return article.status();
    category = article->category();
    self = doc->get_docid();
  } else if (category.empty()) {
    return absl::InvalidArgumentError("give article_id (its category is listed) or category");
  }
  response.set_category(category);
  const std::string key = index::NormalizeKey(category);
  if (key.empty()) return response;  // an article without a category has no list

  // Walk the snapshot's time order instead of asking Xapian to sort the whole
  // category by date: newest-first pages and the neighbours of the article are
  // a short walk from the right end, and only the shown posts are loaded.
  const std::vector<bool> listed = ListedCategories(*columns_, key);
  try {
    const uint64_t total =
        db_->get_termfreq(index::CategoryTerm(category)) - (self != 0 && InList(self, listed) ? 1 : 0);
    const auto& by_time = columns_->by_published();
    uint64_t seen = 0;
    for (auto it = by_time.rbegin(); it != by_time.rend() && seen < page->end(); ++it) {
      if (it->second == self || !InList(it->second, listed)) continue;
      if (seen++ >= page->offset) CHAJA_RETURN_IF_ERROR(AddSummary(it->second, response.add_posts()));
    }
    response.set_total(total);
    response.set_next_page_token(NextPageToken(*page, total, fingerprint));
    if (self != 0) CHAJA_RETURN_IF_ERROR(AddNeighbours(self, listed, &response));
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "listing the category");
  }
  return response;
}

absl::StatusOr<v1::GetArchiveResponse> BlogPages::Archive(const v1::GetArchiveRequest& request) const {
  if (request.year() < 1 || request.year() > 9999) {
    return absl::InvalidArgumentError(absl::StrCat("year ", request.year(), " is not 1..9999"));
  }
  if (request.month() < 0 || request.month() > 12) {
    return absl::InvalidArgumentError(absl::StrCat("month ", request.month(), " is not 1..12 (or 0 for the year)"));
  }
  const absl::TimeZone zone = settings_->time_zone;
  const bool by_day = request.month() != 0;
  const absl::Time start = by_day ? absl::FromCivil(absl::CivilMonth(request.year(), request.month()), zone)
                                  : absl::FromCivil(absl::CivilYear(request.year()), zone);
  const absl::Time end = by_day ? absl::FromCivil(absl::CivilMonth(request.year(), request.month()) + 1, zone)
                                : absl::FromCivil(absl::CivilYear(request.year()) + 1, zone);
  const double from = absl::ToDoubleSeconds(start - absl::UnixEpoch());
  const double to = absl::ToDoubleSeconds(end - absl::UnixEpoch());

  const auto& posts = columns_->by_published();
  std::vector<uint32_t> counts(by_day ? 32 : 13, 0);
  uint32_t total = 0;
  for (auto it = std::lower_bound(posts.begin(), posts.end(), std::make_pair(from, Xapian::docid(0)));
       it != posts.end() && it->first < to; ++it) {
    const absl::CivilSecond local =
        absl::ToCivilSecond(absl::FromUnixSeconds(static_cast<int64_t>(std::floor(it->first))), zone);
    ++counts[by_day ? local.day() : local.month()];
    ++total;
  }
  v1::GetArchiveResponse response;
  response.set_year(request.year());
  response.set_month(request.month());
  response.set_time_zone(settings_->time_zone_name);
  response.set_total(total);
  for (int key = 1; key < static_cast<int>(counts.size()); ++key) {
    if (counts[key] == 0) continue;
    v1::ArchiveCount* c = response.add_counts();
    c->set_key(key);
    c->set_count(counts[key]);
  }
  return response;
}

}  // namespace chaja::search
