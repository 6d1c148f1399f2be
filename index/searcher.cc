#include "index/searcher.h"

#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "analyzer/highlighter.h"
#include "index/document_builder.h"
#include "index/query_builder.h"
#include "index/schema.h"
#include "index/status.h"

namespace chaja::index {
namespace {

// Extra candidates Xapian checks beyond the requested page, so small sites
// get exact hit counts without scanning every posting of big ones.
constexpr Xapian::doccount kCheckAtLeastExtra = 100;

}  // namespace

absl::Status ValidateSearchRequest(const v1::SearchRequest& request) {
  if (request.limit() > kMaxLimit) {
    return absl::InvalidArgumentError(absl::StrCat("limit ", request.limit(), " is over the maximum of ", kMaxLimit));
  }
  if (request.offset() > kMaxOffset) {
    return absl::InvalidArgumentError(
        absl::StrCat("offset ", request.offset(), " is over the maximum of ", kMaxOffset));
  }
  if (!v1::SortOrder_IsValid(request.sort())) {
    return absl::InvalidArgumentError(absl::StrCat("unknown sort order ", request.sort()));
  }
  if (!v1::MatchMode_IsValid(request.match_mode())) {
    return absl::InvalidArgumentError(absl::StrCat("unknown match mode ", request.match_mode()));
  }
  if (request.has_published_from() && request.has_published_to() &&
      TimestampSeconds(request.published_from()) >= TimestampSeconds(request.published_to())) {
    return absl::InvalidArgumentError("published_from must be before published_to");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Searcher>> Searcher::Open(const std::string& path) {
  try {
    return std::unique_ptr<Searcher>(new Searcher(Xapian::Database(path)));
  } catch (const Xapian::DatabaseNotFoundError& e) {
    return absl::NotFoundError(absl::StrCat("no database at ", path));
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("opening ", path));
  }
}

absl::Status Searcher::Refresh() {
  try {
    db_.reopen();
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "reopening the database");
  }
}

absl::StatusOr<v1::SearchResponse> Searcher::Search(const v1::SearchRequest& request) {
  if (absl::Status s = ValidateSearchRequest(request); !s.ok()) return s;
  // A commit can recycle blocks an open reader still uses; Xapian then throws
  // DatabaseModifiedError and the answer is to reopen and run again.
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<v1::SearchResponse> response = SearchOnce(request);
    if (response.ok() || response.status().code() != absl::StatusCode::kAborted || attempt == 2) return response;
    if (absl::Status s = Refresh(); !s.ok()) return s;
  }
}

absl::StatusOr<v1::SearchResponse> Searcher::SearchOnce(const v1::SearchRequest& request) {
  QueryOptions options;
  options.match_all = request.match_mode() == v1::MATCH_MODE_ALL;
  absl::StatusOr<BuiltQuery> built = BuildQuery(request.query(), options);
  if (!built.ok()) return built.status();

  Xapian::Query query = built->query;
  std::vector<Xapian::Query> filters;
  for (const std::string& tag : request.tags()) filters.emplace_back(TagTerm(tag));
  if (!request.category().empty()) filters.emplace_back(CategoryTerm(request.category()));
  if (request.has_published_from() || request.has_published_to()) {
    const double from = request.has_published_from() ? TimestampSeconds(request.published_from())
                                                     : -std::numeric_limits<double>::max();
    // published_to is exclusive.
    const double to = request.has_published_to()
                          ? std::nextafter(TimestampSeconds(request.published_to()), -1e300)
                          : std::numeric_limits<double>::max();
    filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSlotPublished, Xapian::sortable_serialise(from),
                         Xapian::sortable_serialise(to));
  }
  if (!filters.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                          Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
  }

  const uint32_t limit = request.limit() == 0 ? kDefaultLimit : request.limit();
  v1::SearchResponse response;
  try {
    Xapian::Enquire enquire(db_);
    enquire.set_query(query);
    enquire.set_weighting_scheme(
        Xapian::BM25Weight(ranking_.k1, ranking_.k2, ranking_.k3, ranking_.b, ranking_.min_normlen));
    switch (request.sort()) {
      case v1::SORT_ORDER_NEWEST:
        enquire.set_sort_by_value_then_relevance(kSlotPublished, /*reverse=*/true);
        break;
      case v1::SORT_ORDER_OLDEST:
        enquire.set_sort_by_value_then_relevance(kSlotPublished, /*reverse=*/false);
        break;
      case v1::SORT_ORDER_MOST_COMMENTED:
        enquire.set_sort_by_value_then_relevance(kSlotCommentCount, /*reverse=*/true);
        break;
      default:
        // With no text to rank by, show the newest first rather than index order.
        if (!built->has_text) enquire.set_sort_by_value(kSlotPublished, /*reverse=*/true);
        break;
    }
    const Xapian::MSet mset =
        enquire.get_mset(request.offset(), limit, request.offset() + limit + kCheckAtLeastExtra);
    response.set_total_hits(mset.get_matches_estimated());
    response.set_total_hits_exact(mset.get_matches_lower_bound() == mset.get_matches_upper_bound());

    const analyzer::Highlighter highlighter(built->highlight_terms);
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
      absl::StatusOr<v1::Article> article = ArticleFromDocument(it.get_document());
      if (!article.ok()) return article.status();
      v1::SearchHit* hit = response.add_hits();
      hit->set_id(article->id());
      hit->set_score(built->has_text ? it.get_weight() : 0.0);
      hit->set_title(article->title());
      hit->set_title_highlighted(highlighter.Highlight(article->title()));
      hit->set_url(article->url());
      hit->set_snippet(highlighter.Snippet(article->body(), kSnippetChars));
      hit->set_category(article->category());
      *hit->mutable_tags() = article->tags();
      if (article->has_published()) *hit->mutable_published() = article->published();
      hit->set_comment_count(article->comment_count());
      hit->set_author(article->author());
    }
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "searching");
  }
  return response;
}

}  // namespace chaja::index
