#include "search/xapian_ranker.h"

#include <algorithm>
#include <vector>

#include "index/schema.h"
#include "index/status.h"
#include "search/phrase_filter.h"

namespace chaja::search {
namespace {

// Extra candidates Xapian checks beyond the requested page, so small sites
// get exact hit counts without scanning every posting of big ones.
constexpr Xapian::doccount kCheckAtLeastExtra = 100;

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

void SetOrder(const RankQuery& query, Xapian::Enquire* enquire) {
  switch (query.sort) {
    case v1::SORT_ORDER_NEWEST:
      enquire->set_sort_by_value_then_relevance(index::kSlotPublished, /*reverse=*/true);
      break;
    case v1::SORT_ORDER_OLDEST:
      enquire->set_sort_by_value_then_relevance(index::kSlotPublished, /*reverse=*/false);
      break;
    case v1::SORT_ORDER_MOST_COMMENTED:
      enquire->set_sort_by_value_then_relevance(index::kSlotCommentCount, /*reverse=*/true);
      break;
    default:
      // With no text to rank by, show the newest first rather than index order.
      if (!query.plan->has_text) enquire->set_sort_by_value(index::kSlotPublished, /*reverse=*/true);
      break;
  }
}

}  // namespace

// Ranking a sentence on a big site: BM25 over every gram of the sentence
// walks the long posting lists of grams like 니다 or 에서 that a tenth of the
// posts share. Instead, a shortlist of the best posts by the query's
// selective grams (held by at most a small share of the posts) is taken
// first, then ranked by the whole query: the top of the whole query is
// (almost always) among posts that match its rare grams, which dominate BM25.
// RankingParams holds the sizes; bench/README.md has the figures.
std::optional<Xapian::Query> XapianRanker::Shortlisted(const RankQuery& query, const Xapian::Query& whole,
                                                       const Xapian::MatchDecider* decider) {
  const QueryPlan& plan = *query.plan;
  if (query.page.limit == 0 || query.sort != v1::SORT_ORDER_RELEVANCE || !plan.has_text || plan.options.match_all ||
      db_->get_doccount() < params_->shortlist_min_docs || query.page.end() > params_->shortlist_size / 2) {
    return std::nullopt;
  }
  const double doc_count = db_->get_doccount();
  const QueryNode selective = SelectiveTree(
      plan, [&](const std::string& term) { return db_->get_termfreq(term) / doc_count; }, params_->shortlist_share);
  if (selective.empty()) return std::nullopt;
  Xapian::Enquire first(*db_);
  first.set_query(ToXapian(selective));
  first.set_weighting_scheme(Bm25());
  const Xapian::MSet best = first.get_mset(0, params_->shortlist_size, 0, nullptr, decider);
  std::vector<Xapian::docid> ids;
  for (Xapian::MSetIterator it = best.begin(); it != best.end(); ++it) ids.push_back(*it);
  if (ids.size() < query.page.end()) return std::nullopt;
  std::sort(ids.begin(), ids.end());
  return Xapian::Query(Xapian::Query::OP_FILTER, whole, Xapian::Query((new DocidSetSource(std::move(ids)))->release()));
}

uint64_t XapianRanker::CountMatches(const RankQuery& query, const Xapian::MatchDecider* decider) {
  Xapian::Enquire count(*db_);
  count.set_query(ToXapian(CountingTree(*query.plan)));
  count.set_weighting_scheme(Xapian::BoolWeight());
  count.add_matchspy(query.facets->AsMatchSpy());
  return count.get_mset(0, 0, db_->get_doccount(), nullptr, decider).get_matches_estimated();
}

RankedPage XapianRanker::RankOrThrow(const RankQuery& query) {
  const Xapian::Query whole = ToXapian(query.plan->tree);
  // Every pass checks the deadline as it matches; the shortlist's pass keeps
  // posts without the phrases (the ranked pass checks them).
  const DeadlineDecider in_time(query.deadline, nullptr);
  const std::optional<Xapian::Query> shortlisted = Shortlisted(query, whole, &in_time);
  Xapian::Enquire enquire(*db_);
  enquire.set_query(shortlisted ? *shortlisted : whole);
  // No posts asked for (facets alone): nothing to weigh or order, only to count.
  const bool count_only = query.page.limit == 0;
  if (count_only) {
    enquire.set_weighting_scheme(Xapian::BoolWeight());
  } else {
    enquire.set_weighting_scheme(Bm25());
    SetOrder(query, &enquire);
  }
  const PhraseFilter phrases(query.plan->phrase_checks);
  const DeadlineDecider in_time_with_phrases(query.deadline, &phrases);
  const Xapian::MatchDecider* decider = query.plan->phrase_checks.empty() ? &in_time : &in_time_with_phrases;
  // Facets need every match seen: the ranked pass sees them all, unless it
  // only ranks a shortlist.
  const bool spy_on_ranked = query.facets != nullptr && !shortlisted;
  if (spy_on_ranked) enquire.add_matchspy(query.facets->AsMatchSpy());
  const Xapian::doccount check_at_least =
      spy_on_ranked || count_only ? db_->get_doccount() : static_cast<Xapian::doccount>(query.page.end() + kCheckAtLeastExtra);
  const Xapian::MSet mset = enquire.get_mset(query.page.offset, query.page.limit, check_at_least, nullptr, decider);
  RankedPage page;
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) page.hits.push_back({*it, it.get_weight()});
  page.total = mset.get_matches_estimated();
  page.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  if (query.facets != nullptr && shortlisted) {
    page.total = CountMatches(query, decider);
    page.total_exact = true;
  } else if (shortlisted) {
    // The count of the whole query, estimated from its terms' statistics
    // without matching (maxitems 0).
    Xapian::Enquire estimate(*db_);
    estimate.set_query(whole);
    page.total = std::max<uint64_t>(estimate.get_mset(0, 0).get_matches_estimated(), page.total);
    page.total_exact = false;
  }
  return page;
}

absl::StatusOr<std::optional<RankedPage>> XapianRanker::Rank(const RankQuery& query) {
  try {
    return std::optional<RankedPage>(RankOrThrow(query));
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "searching");
  }
}

Xapian::BM25Weight XapianRanker::Bm25() const {
  return Xapian::BM25Weight(params_->k1, params_->k2, params_->k3, params_->b, params_->min_normlen);
}

}  // namespace chaja::search
