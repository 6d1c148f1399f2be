// BlogPages::Related: posts related to an article by text, tags, category
// and a little recency.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/status.h"
#include "search/blog_pages.h"
#include "search/page_token.h"

namespace chaja::search {
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

class BodyTermsOnly : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override { return index::IsBodyTerm(term); }
};

using Candidates = absl::flat_hash_map<Xapian::docid, double>;  // docid → text similarity

// The article's most distinctive body terms, and the posts that share them
// most (text similarity, 1 for the best).
std::vector<std::string> AddTextCandidates(const Xapian::Database& db, const RankingParams& ranking,
                                           Xapian::docid self, Candidates* candidates) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight(ranking.k1, ranking.k2, ranking.k3, ranking.b, ranking.min_normlen));
  Xapian::RSet rset;
  rset.add_document(self);
  const BodyTermsOnly decider;
  const Xapian::ESet eset = enquire.get_eset(kExpandTerms, rset, &decider);
  std::vector<std::string> expand_terms;
  for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it) expand_terms.push_back(*it);
  if (expand_terms.empty()) return expand_terms;
  enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, expand_terms.begin(), expand_terms.end()));
  const Xapian::MSet mset = enquire.get_mset(0, kTextCandidates + 1);
  const double top = mset.empty() ? 1.0 : std::max(mset.get_max_attained(), 1e-9);
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    if (*it != self) (*candidates)[*it] = it.get_weight() / top;
  }
  return expand_terms;
}

// Posts sharing a tag with the article, in any of its spellings (a bounded
// number per spelling).
void AddTagCandidates(const Xapian::Database& db, const index::SiteColumns& columns, const TagGroups& groups,
                      const std::vector<uint32_t>& own_groups, Xapian::docid self, Candidates* candidates) {
  for (uint32_t group : own_groups) {
    for (uint32_t tag : groups.tags(group)) {
      const std::string term = index::TagTermOfKey(columns.tag_key(tag));
      size_t seen = 0;
      for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term) && seen < kPostsPerTag;
           ++p, ++seen) {
        if (*p != self) candidates->try_emplace(*p, 0.0);
      }
    }
  }
}

// The tags of post `did` in `group`.
std::vector<uint32_t> TagsIn(const index::SiteColumns& columns, const TagGroups& groups, Xapian::docid did,
                             uint32_t group) {
  std::vector<uint32_t> tags;
  for (uint32_t tag : columns.tags(did)) {
    if (groups.group_of(tag) == group) tags.push_back(tag);
  }
  return tags;
}

// The shared tags of `did`, by their merged name, and those the two posts
// spell differently (the article's 우분투, this post's ubuntu).
void AddSharedTags(const index::SiteColumns& columns, const TagGroups& groups, Xapian::docid self,
                   const std::vector<uint32_t>& own_groups, Xapian::docid did, v1::RelatedPost* post) {
  std::vector<uint32_t> their_groups;
  groups.GroupsOf(columns, did, &their_groups);
  for (uint32_t group : their_groups) {
    if (std::find(own_groups.begin(), own_groups.end(), group) == own_groups.end()) continue;
    post->add_shared_tags(groups.name(group));
    const std::vector<uint32_t> mine = TagsIn(columns, groups, self, group);
    const std::vector<uint32_t> theirs = TagsIn(columns, groups, did, group);
    const bool same_spelling = std::any_of(theirs.begin(), theirs.end(), [&](uint32_t tag) {
      return std::find(mine.begin(), mine.end(), tag) != mine.end();
    });
    if (same_spelling) continue;
    v1::EquivalentMatch* match = post->add_equivalent_tags();
    match->set_written(columns.tag_display(mine.front()));
    match->set_matched(columns.tag_display(theirs.front()));
    match->set_source(groups.source(group));
  }
}

// The strongest expand terms `doc` also has, in expand-set order.
void AddSharedTerms(const Xapian::Document& doc, const std::vector<std::string>& expand_terms, v1::RelatedPost* post) {
  for (const std::string& term : expand_terms) {
    if (post->shared_terms_size() == static_cast<int>(kReasonTerms)) break;
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to(term);
    if (t != doc.termlist_end() && *t == term) post->add_shared_terms(term);
  }
}

}  // namespace

absl::StatusOr<v1::GetRelatedResponse> BlogPages::Related(const v1::GetRelatedRequest& request) const {
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.limit(), kMaxRelated, "limit"));
  const uint32_t limit = request.limit() == 0 ? kDefaultRelated : request.limit();
  absl::StatusOr<Xapian::Document> doc = FindArticle(*db_, request.article_id());
  if (!doc.ok()) return doc.status();
  const Xapian::docid self = doc->get_docid();
  std::shared_ptr<const TagGroups> made;
  if (tag_groups_ == nullptr) made = std::make_shared<const TagGroups>(*columns_, *settings_);
  const TagGroups& groups = tag_groups_ != nullptr ? *tag_groups_ : *made;
  std::vector<uint32_t> own_groups, their_groups;
  groups.GroupsOf(*columns_, self, &own_groups);
  const uint32_t own_category = columns_->category(self);
  auto same_category = [&](Xapian::docid did) {
    return own_category != index::SiteColumns::kNone && columns_->category(did) == own_category;
  };
  v1::GetRelatedResponse response;
  try {
    Candidates candidates;
    const std::vector<std::string> expand_terms = AddTextCandidates(*db_, *ranking_, self, &candidates);
    AddTagCandidates(*db_, *columns_, groups, own_groups, self, &candidates);
    const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::vector<std::pair<double, Xapian::docid>> ranked;
    ranked.reserve(candidates.size());
    for (const auto& [did, text] : candidates) {
      groups.GroupsOf(*columns_, did, &their_groups);
      size_t shared = 0;
      for (uint32_t group : their_groups) {
        shared += std::find(own_groups.begin(), own_groups.end(), group) != own_groups.end();
      }
      const double tags = own_groups.empty() ? 0.0 : static_cast<double>(shared) / own_groups.size();
      const double age_days = std::max(0.0, (now - columns_->published(did)) / 86400.0);
      const double recency = std::isnan(age_days) ? 0.0 : std::exp2(-age_days / kRecencyHalfLifeDays);
      ranked.emplace_back(kTextWeight * text + kTagWeight * tags + kCategoryWeight * same_category(did) +
                              kRecencyWeight * recency,
                          did);
    }
    const size_t keep = std::min<size_t>(limit, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (size_t i = 0; i < keep; ++i) {
      const Xapian::docid did = ranked[i].second;
      const Xapian::Document related = db_->get_document(did);
      v1::RelatedPost* post = response.add_posts();
      absl::StatusOr<v1::Article> article = index::ArticleHeadFromDocument(related);
      if (!article.ok()) return article.status();
      index::FillPostSummary(*article, post->mutable_post());
      post->mutable_post()->clear_tags();
      for (std::string& name : groups.NamesOf(*columns_, did)) post->mutable_post()->add_tags(std::move(name));
      post->set_score(ranked[i].first);
      AddSharedTags(*columns_, groups, self, own_groups, did, post);
      post->set_same_category(same_category(did));
      AddSharedTerms(related, expand_terms, post);
    }
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "finding related posts");
  }
  return response;
}

}  // namespace chaja::search
