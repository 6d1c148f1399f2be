// Searcher::GetRelated: posts related to an article by text, tags, category
// and a little recency.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/searcher.h"
#include "index/status.h"

namespace chaja::index {
namespace {

constexpr uint32_t kDefaultRelated = 5;
constexpr uint32_t kMaxRelated = 100;
// The article's own expand set: its most distinctive terms.
constexpr Xapian::termcount kExpandTerms = 20;
// Text candidates to re-rank, and posts per shared tag to consider.
constexpr Xapian::doccount kTextCandidates = 100;
constexpr size_t kPostsPerTag = 500;
constexpr size_t kReasonTerms = 5;

// Score = text similarity, shared tags, same category, and a small pull to
// recent posts (half weight at one year old). Text and tags dominate.
constexpr double kTextWeight = 0.6;
constexpr double kTagWeight = 0.25;
constexpr double kCategoryWeight = 0.1;
constexpr double kRecencyWeight = 0.05;
constexpr double kRecencyHalfLifeDays = 365;

// Only body/title analyzer terms: user prefixes start with an upper-case letter.
class TextTermsOnly : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
  }
};

struct Candidate {
  double text = 0;
  double score = 0;
};

}  // namespace

absl::StatusOr<v1::GetRelatedResponse> Searcher::GetRelated(const v1::GetRelatedRequest& request) {
  if (request.limit() > kMaxRelated) {
    return absl::InvalidArgumentError(absl::StrCat("limit ", request.limit(), " is over the maximum of ", kMaxRelated));
  }
  return Retrying<v1::GetRelatedResponse>([&] { return RelatedOnce(request); });
}

absl::StatusOr<v1::GetRelatedResponse> Searcher::RelatedOnce(const v1::GetRelatedRequest& request) {
  const uint32_t limit = request.limit() == 0 ? kDefaultRelated : request.limit();
  absl::StatusOr<Xapian::Document> doc = FindArticle(request.article_id());
  if (!doc.ok()) return doc.status();
  absl::StatusOr<std::shared_ptr<const SiteColumns>> loaded = Columns();
  if (!loaded.ok()) return loaded.status();
  const SiteColumns& columns = **loaded;
  const Xapian::docid self = doc->get_docid();

  v1::GetRelatedResponse response;
  try {
    Xapian::Enquire enquire(db_);
    enquire.set_weighting_scheme(
        Xapian::BM25Weight(ranking_.k1, ranking_.k2, ranking_.k3, ranking_.b, ranking_.min_normlen));
    Xapian::RSet rset;
    rset.add_document(self);
    const TextTermsOnly decider;
    const Xapian::ESet eset = enquire.get_eset(kExpandTerms, rset, &decider);
    std::vector<std::string> expand_terms;
    for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it) expand_terms.push_back(*it);

    absl::flat_hash_map<Xapian::docid, Candidate> candidates;
    if (!expand_terms.empty()) {
      enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, expand_terms.begin(), expand_terms.end()));
      const Xapian::MSet mset = enquire.get_mset(0, kTextCandidates + 1);
      const double top = mset.empty() ? 1.0 : std::max(mset.get_max_attained(), 1e-9);
      for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        if (*it != self) candidates[*it].text = it.get_weight() / top;
      }
    }
    const absl::Span<const uint32_t> own_tags = columns.tags(self);
    for (uint32_t tag : own_tags) {
      const std::string term = absl::StrCat(kPrefixTag, columns.tag_key(tag));
      size_t seen = 0;
      for (Xapian::PostingIterator p = db_.postlist_begin(term); p != db_.postlist_end(term) && seen < kPostsPerTag;
           ++p, ++seen) {
        if (*p != self) candidates.try_emplace(*p);
      }
    }

    const uint32_t own_category = columns.category(self);
    const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    const absl::flat_hash_set<uint32_t> own_tag_set(own_tags.begin(), own_tags.end());
    std::vector<std::pair<double, Xapian::docid>> ranked;
    ranked.reserve(candidates.size());
    for (auto& [did, c] : candidates) {
      size_t shared = 0;
      for (uint32_t tag : columns.tags(did)) shared += own_tag_set.contains(tag);
      const double tags = own_tags.empty() ? 0.0 : static_cast<double>(shared) / own_tags.size();
      const double same_category = own_category != SiteColumns::kNone && columns.category(did) == own_category;
      const double age_days = std::max(0.0, (now - columns.published(did)) / 86400.0);
      const double recency = std::isnan(age_days) ? 0.0 : std::exp2(-age_days / kRecencyHalfLifeDays);
      c.score = kTextWeight * c.text + kTagWeight * tags + kCategoryWeight * same_category + kRecencyWeight * recency;
      ranked.emplace_back(c.score, did);
    }
    const size_t keep = std::min<size_t>(limit, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(),
                      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });

    for (size_t i = 0; i < keep; ++i) {
      const Xapian::docid did = ranked[i].second;
      const Xapian::Document related = db_.get_document(did);
      absl::StatusOr<v1::Article> article = ArticleFromDocument(related);
      if (!article.ok()) return article.status();
      v1::RelatedPost* post = response.add_posts();
      FillPostSummary(*article, post->mutable_post());
      post->set_score(ranked[i].first);
      for (uint32_t tag : columns.tags(did)) {
        if (own_tag_set.contains(tag)) post->add_shared_tags(columns.tag_display(tag));
      }
      post->set_same_category(own_category != SiteColumns::kNone && columns.category(did) == own_category);
      // The strongest expand terms this post also has, in expand-set order.
      for (const std::string& term : expand_terms) {
        if (post->shared_terms_size() == static_cast<int>(kReasonTerms)) break;
        Xapian::TermIterator t = related.termlist_begin();
        t.skip_to(term);
        if (t != related.termlist_end() && *t == term) post->add_shared_terms(term);
      }
    }
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "finding related posts");
  }
  return response;
}

}  // namespace chaja::index
