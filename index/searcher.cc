#include "index/searcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <limits>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "analyzer/highlighter.h"
#include "index/document_builder.h"
#include "index/phrase_filter.h"
#include "index/query_builder.h"
#include "index/schema.h"
#include "index/status.h"

namespace chaja::index {
namespace {

// Extra candidates Xapian checks beyond the requested page, so small sites
// get exact hit counts without scanning every posting of big ones.
constexpr Xapian::doccount kCheckAtLeastExtra = 100;

// Ranking a sentence on a big site: BM25 over every gram of the sentence
// walks the long posting lists of grams like 니다 or 에서 that a tenth of the
// posts share. Instead, a shortlist of the best posts by the
// query's selective grams (held by at most a small share of the posts) is
// taken first, then ranked by the whole query: the top of the whole query is
// (almost always) among posts that match its rare grams, which dominate BM25.
// RankingParams holds the sizes; bench/README.md has the figures.

// A fixed, sorted set of documents as a Xapian posting list (weight 0), to
// filter a query to the shortlist.
class DocidSetSource : public Xapian::PostingSource {
 public:
  explicit DocidSetSource(std::vector<Xapian::docid> ids) : ids_(std::move(ids)) { set_maxweight(0); }
  Xapian::doccount get_termfreq_min() const override { return ids_.size(); }
  Xapian::doccount get_termfreq_est() const override { return ids_.size(); }
  Xapian::doccount get_termfreq_max() const override { return ids_.size(); }
  void init(const Xapian::Database&) override { at_ = -1; }
  void next(double) override { ++at_; }
  void skip_to(Xapian::docid did, double) override {
    if (at_ < 0) at_ = 0;
    at_ = std::lower_bound(ids_.begin() + at_, ids_.end(), did) - ids_.begin();
  }
  bool at_end() const override { return at_ >= static_cast<ptrdiff_t>(ids_.size()); }
  Xapian::docid get_docid() const override { return ids_[at_]; }
  DocidSetSource* clone() const override { return new DocidSetSource(ids_); }

 private:
  std::vector<Xapian::docid> ids_;
  ptrdiff_t at_ = -1;
};
constexpr uint32_t kDefaultFacetLimit = 20;
constexpr uint32_t kMaxFacetLimit = 1000;

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  return bytes;
}

// The page a listing request asks for; `fingerprint` identifies the request
// without its paging fields, binding page tokens to it.
template <typename Request>
absl::StatusOr<Page> PageOf(const Request& request, std::string* fingerprint) {
  Request paging_free = request;
  paging_free.clear_offset();
  paging_free.clear_limit();
  paging_free.clear_page_token();
  *fingerprint = DeterministicBytes(paging_free);
  return ResolvePage(request.offset(), request.limit(), request.page_token(), *fingerprint);
}

// Counts tags and categories of every matching document from the columns
// snapshot: an array lookup per document, no document or value reads.
class FacetSpy : public Xapian::MatchSpy {
 public:
  FacetSpy(const SiteColumns* columns, bool tags, bool categories)
      : columns_(columns),
        tag_counts_(tags ? columns->tag_count() : 0, 0),
        category_counts_(categories ? columns->category_count() : 0, 0),
        tags_(tags),
        categories_(categories) {}

  void operator()(const Xapian::Document& doc, double) override { Count(doc.get_docid()); }

  void Count(Xapian::docid did) {
    if (tags_) {
      for (uint32_t id : columns_->tags(did)) ++tag_counts_[id];
    }
    if (categories_) {
      const uint32_t id = columns_->category(did);
      if (id != SiteColumns::kNone) ++category_counts_[id];
    }
  }

  const std::vector<uint64_t>& tag_counts() const { return tag_counts_; }
  const std::vector<uint64_t>& category_counts() const { return category_counts_; }

 private:
  const SiteColumns* columns_;
  std::vector<uint64_t> tag_counts_;
  std::vector<uint64_t> category_counts_;
  bool tags_;
  bool categories_;
};

void FillFacet(v1::FacetField field, uint32_t limit, const std::vector<uint64_t>& counts,
               const std::function<const std::string&(uint32_t)>& display, v1::FacetResult* out) {
  out->set_field(field);
  std::vector<uint32_t> ids;
  for (uint32_t id = 0; id < counts.size(); ++id) {
    if (counts[id] > 0) ids.push_back(id);
  }
  const size_t keep = std::min<size_t>(limit, ids.size());
  auto by_count_then_name = [&](uint32_t a, uint32_t b) {
    if (counts[a] != counts[b]) return counts[a] > counts[b];
    return display(a) < display(b);
  };
  std::partial_sort(ids.begin(), ids.begin() + keep, ids.end(), by_count_then_name);
  for (size_t i = 0; i < keep; ++i) {
    v1::FacetCount* c = out->add_counts();
    c->set_value(display(ids[i]));
    c->set_count(counts[ids[i]]);
  }
  out->set_other_values(ids.size() - keep);
}

Xapian::Query PublishedRange(double from, double to) {
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kSlotPublished, Xapian::sortable_serialise(from),
                       Xapian::sortable_serialise(to));
}

// True for a tree of OR and weight-scaling nodes over single terms: its
// matches are exactly the union of the terms' posting lists.
bool IsUnionOfTerms(const Xapian::Query& query) {
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
      return true;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SCALE_WEIGHT:
      for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
        if (!IsUnionOfTerms(query.get_subquery(i))) return false;
      }
      return query.get_num_subqueries() > 0;
    default:
      return false;
  }
}

bool HasRequestFilters(const v1::SearchRequest& request) {
  return !request.tags().empty() || !request.category().empty() || request.has_published_from() ||
         request.has_published_to() || !request.exclude_tags().empty();
}

// The request's tag and category filters as index terms: every clause must
// hold (a post holds a clause if it has any of its terms) and no post with an
// `excluded` term is kept. The Xapian path and the in-memory one both read it.
struct FilterTerms {
  std::vector<std::vector<std::string>> clauses;
  std::vector<std::string> excluded;
};

FilterTerms FilterTermsOf(const v1::SearchRequest& request) {
  FilterTerms f;
  if (!request.tags().empty()) {
    std::vector<std::string> tags;
    for (const std::string& tag : request.tags()) tags.push_back(TagTerm(tag));
    if (request.tag_match() == v1::TAG_MATCH_ANY) {
      f.clauses.push_back(std::move(tags));
    } else {
      for (std::string& tag : tags) f.clauses.push_back({std::move(tag)});
    }
  }
  if (!request.category().empty()) f.clauses.push_back({CategoryTerm(request.category())});
  for (const std::string& tag : request.exclude_tags()) f.excluded.push_back(TagTerm(tag));
  return f;
}

bool HasDateRange(const v1::SearchRequest& request) {
  return request.has_published_from() || request.has_published_to();
}

// The request's published_from/published_to as an inclusive range of seconds.
std::pair<double, double> PublishedBounds(const v1::SearchRequest& request) {
  const double from = request.has_published_from() ? TimestampSeconds(request.published_from())
                                                   : -std::numeric_limits<double>::max();
  // published_to is exclusive.
  const double to = request.has_published_to() ? std::nextafter(TimestampSeconds(request.published_to()), -1e300)
                                               : std::numeric_limits<double>::max();
  return {from, to};
}

// `query` restricted by the request's tag, category, date and excluded-tag filters.
Xapian::Query WithRequestFilters(Xapian::Query query, const v1::SearchRequest& request) {
  const FilterTerms terms = FilterTermsOf(request);
  std::vector<Xapian::Query> filters;
  for (const std::vector<std::string>& clause : terms.clauses) {
    filters.emplace_back(Xapian::Query::OP_OR, clause.begin(), clause.end());
  }
  if (HasDateRange(request)) {
    const auto [from, to] = PublishedBounds(request);
    filters.push_back(PublishedRange(from, to));
  }
  if (!filters.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                          Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
  }
  if (!terms.excluded.empty()) {
    query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                          Xapian::Query(Xapian::Query::OP_OR, terms.excluded.begin(), terms.excluded.end()));
  }
  return query;
}

absl::Status CheckLimit(uint32_t limit, uint32_t max, absl::string_view what) {
  if (limit > max) return absl::InvalidArgumentError(absl::StrCat(what, " ", limit, " is over the maximum of ", max));
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSearchRequest(const v1::SearchRequest& request) {
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.limit(), kMaxLimit, "limit"));
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.offset(), kMaxOffset, "offset"));
  if (!v1::SortOrder_IsValid(request.sort())) {
    return absl::InvalidArgumentError(absl::StrCat("unknown sort order ", request.sort()));
  }
  if (!v1::MatchMode_IsValid(request.match_mode())) {
    return absl::InvalidArgumentError(absl::StrCat("unknown match mode ", request.match_mode()));
  }
  if (!v1::TagMatch_IsValid(request.tag_match())) {
    return absl::InvalidArgumentError(absl::StrCat("unknown tag match ", request.tag_match()));
  }
  for (const v1::FacetRequest& facet : request.facets()) {
    if (facet.field() != v1::FACET_FIELD_TAG && facet.field() != v1::FACET_FIELD_CATEGORY) {
      return absl::InvalidArgumentError("facets: field must be FACET_FIELD_TAG or FACET_FIELD_CATEGORY");
    }
    CHAJA_RETURN_IF_ERROR(CheckLimit(facet.limit(), kMaxFacetLimit, "facet limit"));
  }
  if (request.has_published_from() && request.has_published_to() &&
      TimestampSeconds(request.published_from()) >= TimestampSeconds(request.published_to())) {
    return absl::InvalidArgumentError("published_from must be before published_to");
  }
  return absl::OkStatus();
}

absl::StatusOr<Page> ResolvePage(uint32_t offset, uint32_t limit, const std::string& page_token,
                                 const std::string& fingerprint) {
  CHAJA_RETURN_IF_ERROR(CheckLimit(limit, kMaxLimit, "limit"));
  Page page;
  page.offset = offset;
  page.limit = limit == 0 ? kDefaultLimit : limit;
  if (page_token.empty()) return page;
  std::string decoded;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(page_token, &decoded)) parts = absl::StrSplit(decoded, ':');
  uint32_t token_offset = 0;
  if (parts.size() != 3 || parts[0] != "p1" || !absl::SimpleAtoi(parts[1], &token_offset)) {
    return absl::InvalidArgumentError("page_token is not one this server issued");
  }
  if (parts[2] != StableHash(fingerprint)) {
    return absl::InvalidArgumentError("page_token belongs to a different query; start again without it");
  }
  page.offset = token_offset;
  return page;
}

std::string NextPageToken(const Page& page, uint64_t total, const std::string& fingerprint) {
  const uint64_t next = static_cast<uint64_t>(page.offset) + page.limit;
  if (next >= total || next > kMaxOffset) return "";
  return absl::WebSafeBase64Escape(absl::StrCat("p1:", next, ":", StableHash(fingerprint)));
}

Searcher::Searcher(Xapian::Database db, std::string path)
    : db_(std::move(db)), path_(std::move(path)), folder_identity_(FolderIdentity(path_)) {
  settings_ = std::make_shared<SiteSettings>();
  // Standalone searchers (tests, tools) load a snapshot per call; searchd
  // installs a shared per-revision cache instead.
  columns_source_ = [](const Xapian::Database& db) { return SiteColumns::Load(db); };
}

uint64_t Searcher::FolderIdentity(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.st_ino) ^ (static_cast<uint64_t>(st.st_dev) << 40);
}

absl::StatusOr<std::unique_ptr<Searcher>> Searcher::Open(const std::string& path) {
  try {
    return std::unique_ptr<Searcher>(new Searcher(Xapian::Database(path), path));
  } catch (const Xapian::DatabaseNotFoundError& e) {
    return absl::NotFoundError(absl::StrCat("no database at ", path));
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("opening ", path));
  }
}

absl::Status Searcher::Refresh() {
  try {
    // A bulk import replaces the whole folder (BulkBuilder); reopen() only
    // follows new revisions of the same database, so open the new one.
    const uint64_t identity = FolderIdentity(path_);
    if (identity != folder_identity_) {
      db_ = Xapian::Database(path_);
      count_db_.reset();
      folder_identity_ = identity;
      return absl::OkStatus();
    }
    db_.reopen();
    if (count_db_ != nullptr) count_db_->reopen();
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "reopening the database");
  }
}

absl::StatusOr<std::shared_ptr<const SiteColumns>> Searcher::Columns() { return columns_source_(db_); }

absl::StatusOr<Xapian::Document> Searcher::FindArticle(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("article id is empty");
  try {
    const std::string term = IdTerm(id);
    Xapian::PostingIterator it = db_.postlist_begin(term);
    if (it == db_.postlist_end(term)) return absl::NotFoundError(absl::StrCat("no article with id \"", id, "\""));
    return db_.get_document(*it);
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "looking up an article");
  }
}

absl::StatusOr<v1::SearchResponse> Searcher::Search(const v1::SearchRequest& request) {
  CHAJA_RETURN_IF_ERROR(ValidateSearchRequest(request));
  return Retrying<v1::SearchResponse>([&] { return SearchOnce(request); });
}

absl::StatusOr<v1::SearchResponse> Searcher::SearchOnce(const v1::SearchRequest& request) {
  std::string fingerprint;
  absl::StatusOr<Page> page = PageOf(request, &fingerprint);
  if (!page.ok()) return page.status();

  QueryOptions options;
  options.match_all = request.match_mode() == v1::MATCH_MODE_ALL;
  options.title_boost = settings_->title_boost;
  options.body_weight = settings_->body_weight;
  absl::StatusOr<BuiltQuery> built = BuildQuery(request.query(), options);
  if (!built.ok()) return built.status();
  const Xapian::Query query = WithRequestFilters(built->query, request);

  bool want_tags = false, want_categories = false;
  uint32_t tag_limit = kDefaultFacetLimit, category_limit = kDefaultFacetLimit;
  for (const v1::FacetRequest& facet : request.facets()) {
    const uint32_t limit = facet.limit() == 0 ? kDefaultFacetLimit : facet.limit();
    if (facet.field() == v1::FACET_FIELD_TAG) want_tags = true, tag_limit = limit;
    if (facet.field() == v1::FACET_FIELD_CATEGORY) want_categories = true, category_limit = limit;
  }
  // Listing the whole site by date (the blog's front page, the tag cloud) needs
  // no matching at all: the snapshot has every post in time order.
  const bool browse_all = !built->has_text && !HasRequestFilters(request) && built->phrase_checks.empty() &&
                          built->query.get_type() == Xapian::Query::LEAF_MATCH_ALL &&
                          request.sort() != v1::SORT_ORDER_MOST_COMMENTED;
  std::shared_ptr<const SiteColumns> columns;
  if (want_tags || want_categories || browse_all) {
    absl::StatusOr<std::shared_ptr<const SiteColumns>> loaded = Columns();
    if (!loaded.ok()) return loaded.status();
    columns = *std::move(loaded);
  }

  v1::SearchResponse response;
  const analyzer::Highlighter highlighter(built->highlight_terms);
  auto add_hit = [&](const Xapian::Document& doc, double weight) -> absl::Status {
    absl::StatusOr<v1::Article> article = ArticleFromDocument(doc);
    if (!article.ok()) return article.status();
    v1::SearchHit* hit = response.add_hits();
    hit->set_id(article->id());
    hit->set_score(built->has_text ? weight : 0.0);
    hit->set_title(article->title());
    hit->set_title_highlighted(highlighter.Highlight(article->title()));
    hit->set_url(article->url());
    hit->set_snippet(highlighter.Snippet(article->body(), kSnippetChars));
    hit->set_category(article->category());
    *hit->mutable_tags() = article->tags();
    if (article->has_published()) *hit->mutable_published() = article->published();
    hit->set_comment_count(article->comment_count());
    hit->set_author(article->author());
    return absl::OkStatus();
  };
  auto fill_facets = [&](const FacetSpy& spy) {
    if (want_tags) {
      FillFacet(v1::FACET_FIELD_TAG, tag_limit, spy.tag_counts(),
                [&](uint32_t id) -> const std::string& { return columns->tag_display(id); }, response.add_facets());
    }
    if (want_categories) {
      FillFacet(v1::FACET_FIELD_CATEGORY, category_limit, spy.category_counts(),
                [&](uint32_t id) -> const std::string& { return columns->category_display(id); },
                response.add_facets());
    }
  };
  try {
    if (browse_all) {
      FacetSpy spy(columns.get(), want_tags, want_categories);
      if (want_tags || want_categories) {
        for (const auto& [published, did] : columns->by_published()) spy.Count(did);
      }
      fill_facets(spy);
      const auto& by_time = columns->by_published();
      const uint64_t total = by_time.size();
      const bool oldest_first = request.sort() == v1::SORT_ORDER_OLDEST;
      for (uint64_t i = page->offset; i < total && i < uint64_t{page->offset} + page->limit; ++i) {
        const Xapian::docid did = oldest_first ? by_time[i].second : by_time[total - 1 - i].second;
        CHAJA_RETURN_IF_ERROR(add_hit(db_.get_document(did), 0));
      }
      response.set_total_hits(total);
      response.set_total_hits_exact(true);
      response.set_next_page_token(NextPageToken(*page, total, fingerprint));
      return response;
    }

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
    // Exact facets need every match seen. A second, unweighted pass does that
    // cheaper than making the ranked pass exhaustive (no BM25, no sorting), and
    // it runs on its own database handle in another thread while this one
    // ranks and cuts snippets: the two overlap on a 2-core machine.
    struct Counted {
      absl::Status status;
      uint64_t total = 0;
      bool exact = false;
    };
    const bool facets = want_tags || want_categories;
    // The site's in-memory posting lists, if loaded at this revision: the
    // ranked pass and the facet count both read them instead of Xapian's.
    const std::shared_ptr<const MemoryPostings> lists = built->has_text ? CurrentPostings() : nullptr;
    FacetSpy spy(columns.get(), want_tags, want_categories);
    std::future<Counted> counted;
    if (facets) {
      // Copies of a Xapian::Database share its internals; open a separate one.
      if (count_db_ == nullptr) count_db_ = std::make_unique<Xapian::Database>(path_);
      counted = std::async(std::launch::async, [&]() {
        Counted c;
        // Xapian::Query copies share a non-atomic reference count: this thread
        // builds its own query from the request instead of touching `query`.
        QueryOptions counting = options;
        counting.unweighted = true;
        absl::StatusOr<BuiltQuery> own = BuildQuery(request.query(), counting);
        if (!own.ok()) {
          c.status = own.status();
          return c;
        }
        try {
          const PhraseFilter own_phrases(own->phrase_checks);
          const Xapian::MatchDecider* own_decider = own->phrase_checks.empty() ? nullptr : &own_phrases;
          if (!HasRequestFilters(request) && own_decider == nullptr && IsUnionOfTerms(own->query)) {
            // A natural-mode query of plain words matches the union of its
            // terms' posting lists: mark them in a bitmap, then count each
            // matching post once, without the matcher's per-document work.
            std::vector<uint64_t> bits((lists != nullptr ? lists->last_docid() : count_db_->get_lastdocid()) / 64 + 1, 0);
            for (Xapian::TermIterator t = own->query.get_unique_terms_begin(); t != own->query.get_unique_terms_end();
                 ++t) {
              if (lists != nullptr) {
                for (MemoryPostings::Cursor p = lists->Open(*t); !p.at_end(); p.Next()) {
                  bits[p.docid() / 64] |= uint64_t{1} << (p.docid() % 64);
                }
                continue;
              }
              for (Xapian::PostingIterator p = count_db_->postlist_begin(*t); p != count_db_->postlist_end(*t); ++p) {
                bits[*p / 64] |= uint64_t{1} << (*p % 64);
              }
            }
            for (size_t word = 0; word < bits.size(); ++word) {
              for (uint64_t w = bits[word]; w != 0; w &= w - 1) {
                spy.Count(static_cast<Xapian::docid>(word * 64 + __builtin_ctzll(w)));
                ++c.total;
              }
            }
            c.exact = true;
            return c;
          }
          Xapian::Enquire count(*count_db_);
          count.set_query(WithRequestFilters(own->query, request));
          count.set_weighting_scheme(Xapian::BoolWeight());
          count.add_matchspy(&spy);
          const Xapian::MSet all = count.get_mset(0, 0, count_db_->get_doccount(), nullptr, own_decider);
          c.total = all.get_matches_estimated();
          c.exact = all.get_matches_lower_bound() == all.get_matches_upper_bound();
        } catch (const Xapian::Error& e) {
          c.status = XapianErrorToStatus(e, "counting facets");
        }
        return c;
      });
    }
    const PhraseFilter phrases(built->phrase_checks);
    absl::Status ranked = [&]() -> absl::Status {
      try {
        const bool shortlist = request.sort() == v1::SORT_ORDER_RELEVANCE && built->has_text && !options.match_all &&
                               db_.get_doccount() >= ranking_.shortlist_min_docs &&
                               page->offset + page->limit <= ranking_.shortlist_size / 2;
        bool shortlisted = false;
        if (shortlist && built->phrase_checks.empty()) {
          if (std::optional<MemoryRanking> ranking = RankFromMemory(lists.get(), request, options, *built, *page)) {
            response.set_total_hits(ranking->estimated_total);
            response.set_total_hits_exact(false);
            for (const MemoryHit& hit : ranking->hits) {
              CHAJA_RETURN_IF_ERROR(add_hit(db_.get_document(hit.docid), hit.weight));
            }
            return absl::OkStatus();
          }
        }
        if (shortlist) {
          absl::StatusOr<BuiltQuery> selective =
              SelectiveQuery(request, options, [&](const std::string& term) { return db_.get_termfreq(term); });
          if (selective.ok() && selective->has_text && !selective->query.empty()) {
            Xapian::Enquire first(db_);
            first.set_query(WithRequestFilters(selective->query, request));
            first.set_weighting_scheme(
                Xapian::BM25Weight(ranking_.k1, ranking_.k2, ranking_.k3, ranking_.b, ranking_.min_normlen));
            const Xapian::MSet best = first.get_mset(0, ranking_.shortlist_size);
            std::vector<Xapian::docid> ids;
            for (Xapian::MSetIterator it = best.begin(); it != best.end(); ++it) ids.push_back(*it);
            std::sort(ids.begin(), ids.end());
            if (ids.size() >= page->offset + page->limit) {
              enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                              Xapian::Query((new DocidSetSource(std::move(ids)))->release())));
              shortlisted = true;
            }
          }
        }
        const Xapian::MSet mset =
            enquire.get_mset(page->offset, page->limit, page->offset + page->limit + kCheckAtLeastExtra, nullptr,
                             built->phrase_checks.empty() ? nullptr : &phrases);
        response.set_total_hits(mset.get_matches_estimated());
        response.set_total_hits_exact(mset.get_matches_lower_bound() == mset.get_matches_upper_bound());
        if (shortlisted) {
          // The count of the whole query, estimated from its terms' statistics
          // without matching (maxitems 0).
          Xapian::Enquire whole(db_);
          whole.set_query(query);
          const Xapian::MSet estimate = whole.get_mset(0, 0);
          response.set_total_hits(std::max<uint64_t>(estimate.get_matches_estimated(), mset.get_matches_estimated()));
          response.set_total_hits_exact(false);
        }
        for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
          CHAJA_RETURN_IF_ERROR(add_hit(it.get_document(), it.get_weight()));
        }
        return absl::OkStatus();
      } catch (const Xapian::Error& e) {
        return XapianErrorToStatus(e, "searching");
      }
    }();
    if (facets) {
      const Counted c = counted.get();  // always joined before `spy` and `query` go away
      if (ranked.ok()) ranked = c.status;
      response.set_total_hits(c.total);
      response.set_total_hits_exact(c.exact);
      fill_facets(spy);
    }
    CHAJA_RETURN_IF_ERROR(ranked);
    response.set_next_page_token(NextPageToken(*page, response.total_hits(), fingerprint));
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "searching");
  }
  return response;
}

absl::StatusOr<BuiltQuery> Searcher::SelectiveQuery(const v1::SearchRequest& request, const QueryOptions& options,
                                                    const std::function<Xapian::doccount(const std::string&)>& term_freq) {
  QueryOptions selective = options;
  const double doc_count = db_.get_doccount();
  selective.term_share = [&](const std::string& term) { return term_freq(term) / doc_count; };
  selective.max_term_share = ranking_.shortlist_share;
  return BuildQuery(request.query(), selective);
}

std::shared_ptr<const MemoryPostings> Searcher::CurrentPostings() {
  if (!postings_source_) return nullptr;
  std::shared_ptr<const MemoryPostings> postings = postings_source_(db_);
  if (postings == nullptr || !postings->IsOf(db_)) return nullptr;
  return postings;
}

std::optional<MemoryRanking> Searcher::RankFromMemory(const MemoryPostings* postings, const v1::SearchRequest& request,
                                                      const QueryOptions& options, const BuiltQuery& built,
                                                      const Page& page) {
  if (postings == nullptr) return std::nullopt;
  absl::StatusOr<BuiltQuery> selective =
      SelectiveQuery(request, options, [&](const std::string& term) { return postings->term_freq(term); });
  if (!selective.ok() || !selective->has_text || selective->tree.empty()) return std::nullopt;
  if (!HasRequestFilters(request)) {
    return RankInMemory(*postings, built.tree, selective->tree, ranking_, page.offset, page.limit, &scratch_);
  }
  const FilterTerms terms = FilterTermsOf(request);
  DocBitmap allowed = AllowedPosts(*postings, terms.clauses, terms.excluded);
  if (HasDateRange(request)) {
    // Published times come from the column snapshot of the same database.
    absl::StatusOr<std::shared_ptr<const SiteColumns>> columns = Columns();
    if (!columns.ok() || !(*columns)->IsOf(db_)) return std::nullopt;
    const auto [from, to] = PublishedBounds(request);
    const auto& by_time = (*columns)->by_published();
    DocBitmap in_range(allowed.size(), 0);
    for (auto it = std::lower_bound(by_time.begin(), by_time.end(), std::make_pair(from, Xapian::docid{0}));
         it != by_time.end() && it->first <= to; ++it) {
      if (it->second / 64 < in_range.size()) in_range[it->second / 64] |= uint64_t{1} << (it->second % 64);
    }
    for (size_t w = 0; w < allowed.size(); ++w) allowed[w] &= in_range[w];
  }
  return RankInMemory(*postings, built.tree, selective->tree, ranking_, page.offset, page.limit, &scratch_, &allowed);
}

absl::StatusOr<v1::Article> Searcher::GetArticle(const std::string& id) {
  return Retrying<v1::Article>([&]() -> absl::StatusOr<v1::Article> {
    absl::StatusOr<Xapian::Document> doc = FindArticle(id);
    if (!doc.ok()) return doc.status();
    try {
      return ArticleFromDocument(*doc);
    } catch (const Xapian::Error& e) {
      return XapianErrorToStatus(e, "reading an article");
    }
  });
}

absl::StatusOr<v1::ListCategoryPostsResponse> Searcher::ListCategoryPosts(
    const v1::ListCategoryPostsRequest& request) {
  return Retrying<v1::ListCategoryPostsResponse>([&] { return CategoryPostsOnce(request); });
}

absl::StatusOr<v1::ListCategoryPostsResponse> Searcher::CategoryPostsOnce(
    const v1::ListCategoryPostsRequest& request) {
  std::string fingerprint;
  absl::StatusOr<Page> page = PageOf(request, &fingerprint);
  if (!page.ok()) return page.status();
  CHAJA_RETURN_IF_ERROR(CheckLimit(page->offset, kMaxOffset, "offset"));

  v1::ListCategoryPostsResponse response;
  std::string category = request.category();
  Xapian::docid self = 0;
  if (!request.article_id().empty()) {
    absl::StatusOr<Xapian::Document> doc = FindArticle(request.article_id());
    if (!doc.ok()) return doc.status();
    absl::StatusOr<v1::Article> article = ArticleFromDocument(*doc);
    if (!article.ok()) return article.status();
    category = article->category();
    self = doc->get_docid();
  } else if (category.empty()) {
    return absl::InvalidArgumentError("give article_id (its category is listed) or category");
  }
  response.set_category(category);
  if (NormalizeKey(category).empty()) return response;  // an article without a category has no list

  // Walk the snapshot's time order instead of asking Xapian to sort the whole
  // category by date: newest-first pages and the neighbours of the article are
  // a short walk from the right end, and only the shown posts are loaded.
  absl::StatusOr<std::shared_ptr<const SiteColumns>> loaded = Columns();
  if (!loaded.ok()) return loaded.status();
  const SiteColumns& columns = **loaded;
  const std::string key = NormalizeKey(category);
  std::vector<bool> listed(columns.category_count(), false);
  for (uint32_t id = 0; id < columns.category_count(); ++id) {
    const std::string& k = columns.category_key(id);
    listed[id] = k == key || (k.size() > key.size() && k.compare(0, key.size(), key) == 0 && k[key.size()] == '/');
  }
  auto in_list = [&](Xapian::docid did) {
    const uint32_t id = columns.category(did);
    return id != SiteColumns::kNone && listed[id];
  };
  try {
    const uint64_t total = db_.get_termfreq(CategoryTerm(category)) - (self != 0 && in_list(self) ? 1 : 0);
    auto add_post = [&](Xapian::docid did, v1::PostSummary* out) -> absl::Status {
      absl::StatusOr<v1::Article> article = ArticleFromDocument(db_.get_document(did));
      if (!article.ok()) return article.status();
      FillPostSummary(*article, out);
      return absl::OkStatus();
    };
    const auto& by_time = columns.by_published();
    uint64_t seen = 0;
    for (auto it = by_time.rbegin(); it != by_time.rend() && seen < uint64_t{page->offset} + page->limit; ++it) {
      if (it->second == self || !in_list(it->second)) continue;
      if (seen++ >= page->offset) CHAJA_RETURN_IF_ERROR(add_post(it->second, response.add_posts()));
    }
    response.set_total(total);
    response.set_next_page_token(NextPageToken(*page, total, fingerprint));

    if (self != 0) {
      // Previous = the next older post of the list; next = the next newer one.
      auto at = std::lower_bound(by_time.begin(), by_time.end(), std::make_pair(columns.published(self), self));
      for (auto it = std::make_reverse_iterator(at); it != by_time.rend(); ++it) {
        if (it->second != self && in_list(it->second)) {
          CHAJA_RETURN_IF_ERROR(add_post(it->second, response.mutable_previous()));
          break;
        }
      }
      for (auto it = at; it != by_time.end(); ++it) {
        if (it->second != self && in_list(it->second)) {
          CHAJA_RETURN_IF_ERROR(add_post(it->second, response.mutable_next()));
          break;
        }
      }
    }
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "listing the category");
  }
  return response;
}

absl::StatusOr<v1::GetArchiveResponse> Searcher::GetArchive(const v1::GetArchiveRequest& request) {
  if (request.year() < 1 || request.year() > 9999) {
    return absl::InvalidArgumentError(absl::StrCat("year ", request.year(), " is not 1..9999"));
  }
  if (request.month() < 0 || request.month() > 12) {
    return absl::InvalidArgumentError(absl::StrCat("month ", request.month(), " is not 1..12 (or 0 for the year)"));
  }
  absl::StatusOr<std::shared_ptr<const SiteColumns>> columns = Columns();
  if (!columns.ok()) return columns.status();
  const absl::TimeZone zone = settings_->time_zone;
  const bool by_day = request.month() != 0;
  const absl::Time start = by_day ? absl::FromCivil(absl::CivilMonth(request.year(), request.month()), zone)
                                  : absl::FromCivil(absl::CivilYear(request.year()), zone);
  const absl::Time end = by_day ? absl::FromCivil(absl::CivilMonth(request.year(), request.month()) + 1, zone)
                                : absl::FromCivil(absl::CivilYear(request.year()) + 1, zone);
  const double from = absl::ToDoubleSeconds(start - absl::UnixEpoch());
  const double to = absl::ToDoubleSeconds(end - absl::UnixEpoch());

  const auto& posts = (*columns)->by_published();
  auto first = std::lower_bound(posts.begin(), posts.end(), std::make_pair(from, Xapian::docid(0)));
  std::vector<uint32_t> counts(by_day ? 32 : 13, 0);
  uint32_t total = 0;
  for (auto it = first; it != posts.end() && it->first < to; ++it) {
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

absl::StatusOr<v1::SiteStats> Searcher::GetStats() {
  try {
    v1::SiteStats stats;
    stats.set_document_count(db_.get_doccount());
    stats.set_revision(db_.get_revision());
    stats.set_index_uuid(db_.get_uuid());
    return stats;
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "reading site stats");
  }
}

}  // namespace chaja::index
