#include "search/site_reader.h"

#include <sys/stat.h>

#include <atomic>
#include <vector>

#include "absl/strings/str_cat.h"
#include "index/document_builder.h"
#include "index/status.h"
#include "search/blog_pages.h"
#include "search/facet_counter.h"
#include "search/hit_writer.h"
#include "search/lexicon.h"
#include "search/site_equivalents.h"
#include "search/listing_ranker.h"
#include "search/page_token.h"
#include "search/suggester.h"
#include "search/query_plan.h"
#include "search/xapian_ranker.h"

namespace chaja::search {

absl::Status ValidateSearchRequest(const v1::SearchRequest& request) {
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.limit(), kMaxLimit, "limit"));
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.offset(), kMaxOffset, "offset"));
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.tags_size(), kMaxTagFilters, "number of tags"));
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.exclude_tags_size(), kMaxTagFilters, "number of exclude_tags"));
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.facets_size(), kMaxFacetRequests, "number of facets"));
  if (!v1::SortOrder_IsValid(request.sort())) {
    return absl::InvalidArgumentError(absl::StrCat("unknown sort order ", request.sort()));
  }
  if (!v1::MatchMode_IsValid(request.match_mode())) {
    return absl::InvalidArgumentError(absl::StrCat("unknown match mode ", request.match_mode()));
  }
  if (!v1::TagMatch_IsValid(request.tag_match())) {
    return absl::InvalidArgumentError(absl::StrCat("unknown tag match ", request.tag_match()));
  }
  CHAJA_RETURN_IF_ERROR(ValidateFacets(request));
  if (request.has_published_from() && request.has_published_to() &&
      index::TimestampSeconds(request.published_from()) >= index::TimestampSeconds(request.published_to())) {
    return absl::InvalidArgumentError("published_from must be before published_to");
  }
  return absl::OkStatus();
}

absl::Status RetryWhenModified(const std::function<absl::Status()>& fn, const std::function<absl::Status()>& refresh,
                               const Deadline& deadline) {
  for (int attempt = 1;; ++attempt) {
    const absl::Status status = fn();
    // Xapian 1.4 can also report a block reused by a later commit as
    // corrupt; a database that really is corrupt fails the second time too.
    const bool modified = status.code() == absl::StatusCode::kAborted ||
                          (status.code() == absl::StatusCode::kDataLoss && attempt == 1);
    if (!modified || attempt == kMaxReadAttempts) return status;
    CHAJA_RETURN_IF_ERROR(deadline.Check());
    CHAJA_RETURN_IF_ERROR(refresh());
  }
}

namespace {
std::atomic<int64_t> open_readers{0};
}  // namespace

SiteReader::SiteReader(Xapian::Database db, std::string path, uint64_t folder_identity)
    : db_(std::move(db)), path_(std::move(path)), folder_identity_(folder_identity) {
  open_readers.fetch_add(1, std::memory_order_relaxed);
}

SiteReader::~SiteReader() { open_readers.fetch_sub(1, std::memory_order_relaxed); }

int64_t SiteReader::open_count() { return open_readers.load(std::memory_order_relaxed); }

uint64_t SiteReader::FolderIdentity(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return 0;
  uint64_t identity = static_cast<uint64_t>(st.st_ino) ^ (static_cast<uint64_t>(st.st_dev) << 40);
  // A replica (xapian-replicate) keeps its folder but switches copies after a
  // full copy by renaming a new stub file over XAPIANDB, then deletes the old
  // copy: reopen() would keep reading the deleted one.
  struct stat stub;
  if (stat((path + "/XAPIANDB").c_str(), &stub) == 0) {
    identity ^= static_cast<uint64_t>(stub.st_ino) * 0x9E3779B97F4A7C15ull;
  }
  return identity;
}

absl::StatusOr<std::unique_ptr<SiteReader>> SiteReader::Open(const std::string& path) {
  try {
    // The identity is taken before opening: if the folder changes in between,
    // the next Refresh() opens it again rather than missing the change.
    const uint64_t identity = FolderIdentity(path);
    return std::unique_ptr<SiteReader>(new SiteReader(Xapian::Database(path), path, identity));
  } catch (const Xapian::DatabaseNotFoundError& e) {
    return absl::NotFoundError(absl::StrCat("no database at ", path));
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, absl::StrCat("opening ", path));
  }
}

absl::Status SiteReader::Refresh() {
  try {
    // A bulk import replaces the whole folder (BulkBuilder); reopen() only
    // follows new revisions of the same database, so open the new one.
    const uint64_t identity = FolderIdentity(path_);
    if (identity != folder_identity_) {
      db_ = Xapian::Database(path_);
      folder_identity_ = identity;
      return absl::OkStatus();
    }
    db_.reopen();
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "reopening the database");
  }
}

absl::StatusOr<index::IndexVersion> SiteReader::Version() const {
  try {
    return index::IndexVersion::Of(db_);
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "reading the index version");
  }
}

uint64_t SiteReader::doc_count() const {
  try {
    return db_.get_doccount();
  } catch (const Xapian::Error&) {
    return 0;  // the next read reports the error
  }
}

absl::StatusOr<std::shared_ptr<const index::SiteColumns>> SiteReader::LoadColumns(
    const index::SiteColumns* previous) const {
  return index::SiteColumns::Load(db_, previous);
}

absl::Status SiteReader::Rank(const v1::SearchRequest& request, const SiteView& view, const Deadline& deadline,
                              v1::SearchResponse* response) {
  std::string fingerprint;
  absl::StatusOr<Page> page = PageOf(request, &fingerprint);
  if (!page.ok()) return page.status();
  const XapianLexicon lexicon(&db_);
  absl::StatusOr<QueryPlan> plan =
      PlanSearch(request, view.settings->title_boost, view.settings->body_weight, &lexicon,
                 view.settings->equivalents.get());
  if (!plan.ok()) return plan.status();
  CHAJA_RETURN_IF_ERROR(lexicon.status());
  response->set_interpreted_query(plan->interpreted_query);
  response->set_suggested_query(plan->suggested_query);
  response->set_ignored_query(plan->ignored_query);
  FacetCounter facets(request, view.columns.get(), view.tag_groups.get(), &view.settings->category_order);
  const RankQuery query{&*plan, request.sort(), *page, facets.wanted() ? &facets : nullptr, &deadline};

  ListingRanker listing(view.columns.get());
  MemoryRanker memory(view.postings.get(), view.columns.get(), &view.ranking, view.scratch, view.counting);
  XapianRanker xapian(&db_, &view.ranking);
  std::vector<Ranker*> rankers = {&listing, &xapian};
  if (view.postings != nullptr && view.scratch != nullptr) rankers.insert(rankers.begin() + 1, &memory);
  for (Ranker* ranker : rankers) {
    absl::StatusOr<std::optional<RankedPage>> ranked = ranker->Rank(query);
    if (!ranked.ok()) return ranked.status();
    if (!ranked->has_value()) continue;
    const HitWriter writer(*plan);
    try {
      for (const RankedHit& hit : (*ranked)->hits) {
        CHAJA_RETURN_IF_ERROR(deadline.Check());  // a hit reads and highlights a post
        CHAJA_RETURN_IF_ERROR(writer.Add(db_.get_document(hit.docid), hit.weight, response));
      }
    } catch (const Xapian::Error& e) {
      return index::XapianErrorToStatus(e, "loading the hits");
    }
    response->set_total_hits((*ranked)->total);
    response->set_total_hits_exact((*ranked)->total_exact);
    response->set_ranker(ranker->name());
    facets.Fill(response);
    response->set_next_page_token(NextPageToken(*page, (*ranked)->total, fingerprint));
    return absl::OkStatus();
  }
  return absl::InternalError("no ranker took the search");  // not reached: Xapian takes every plan
}

absl::StatusOr<v1::SearchResponse> SiteReader::Search(const v1::SearchRequest& request, const SiteView& view,
                                                      const Deadline& deadline) {
  CHAJA_RETURN_IF_ERROR(ValidateSearchRequest(request));
  v1::SearchResponse response;
  try {
    CHAJA_RETURN_IF_ERROR(Rank(request, view, deadline, &response));
  } catch (const WorkStopped& stopped) {
    return stopped.status();  // thrown from a ranker's loop or Xapian's match
  }
  return response;
}

absl::StatusOr<v1::Article> SiteReader::GetArticle(const std::string& id) {
  absl::StatusOr<Xapian::Document> doc = FindArticle(db_, id);
  if (!doc.ok()) return doc.status();
  try {
    return index::ArticleFromDocument(*doc);
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "reading an article");
  }
}

absl::StatusOr<v1::ListCategoryPostsResponse> SiteReader::ListCategoryPosts(
    const v1::ListCategoryPostsRequest& request, const SiteView& view) {
  return BlogPages(&db_, view.columns.get(), view.settings.get(), &view.ranking, view.tag_groups.get())
      .CategoryPosts(request);
}

absl::StatusOr<v1::GetArchiveResponse> SiteReader::GetArchive(const v1::GetArchiveRequest& request,
                                                              const SiteView& view) {
  return BlogPages(&db_, view.columns.get(), view.settings.get(), &view.ranking).Archive(request);
}

absl::StatusOr<v1::GetRelatedResponse> SiteReader::GetRelated(const v1::GetRelatedRequest& request,
                                                              const SiteView& view) {
  return BlogPages(&db_, view.columns.get(), view.settings.get(), &view.ranking, view.tag_groups.get())
      .Related(request);
}

absl::StatusOr<v1::SuggestResponse> SiteReader::Suggest(const v1::SuggestRequest& request, const SiteView& view) {
  return search::Suggest(request, db_, view.columns.get(), view.tag_groups.get());
}

absl::StatusOr<v1::SuggestEquivalentsResponse> SiteReader::SuggestEquivalents(
    const v1::SuggestEquivalentsRequest& request, const SiteView& view, const Deadline& deadline) {
  try {
    return search::SuggestEquivalents(db_, *view.settings->equivalents, request, &deadline);
  } catch (const WorkStopped& stopped) {
    return stopped.status();
  }
}

absl::StatusOr<v1::SiteStats> SiteReader::GetStats(const index::Equivalents* equivalents) {
  try {
    v1::SiteStats stats;
    stats.set_document_count(db_.get_doccount());
    stats.set_revision(db_.get_revision());
    stats.set_index_uuid(db_.get_uuid());
    if (equivalents != nullptr) {
      const XapianLexicon lexicon(&db_);
      AddActiveEquivalents(*equivalents, lexicon, &stats);
      CHAJA_RETURN_IF_ERROR(lexicon.status());
    }
    return stats;
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "reading site stats");
  }
}

}  // namespace chaja::search
