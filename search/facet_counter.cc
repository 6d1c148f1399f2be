#include "search/facet_counter.h"

#include <algorithm>
#include <functional>
#include <string>

#include "index/status.h"
#include "search/category_tree.h"
#include "search/page_token.h"

namespace chaja::search {
namespace {

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

}  // namespace

class FacetCounter::Spy : public Xapian::MatchSpy {
 public:
  explicit Spy(FacetCounter* counter) : counter_(counter) {}
  void operator()(const Xapian::Document& doc, double) override { counter_->Count(doc.get_docid()); }

 private:
  FacetCounter* counter_;
};

FacetCounter::FacetCounter(const v1::SearchRequest& request, const index::SiteColumns* columns,
                           const TagGroups* tag_groups, const std::vector<std::string>* category_order)
    : columns_(columns), tag_groups_(tag_groups), category_order_(category_order) {
  for (const v1::FacetRequest& facet : request.facets()) {
    const uint32_t limit = facet.limit() == 0 ? kDefaultFacetLimit : facet.limit();
    if (facet.field() == v1::FACET_FIELD_TAG) want_tags_ = true, tag_limit_ = limit;
    if (facet.field() == v1::FACET_FIELD_CATEGORY) want_categories_ = true, category_limit_ = limit;
  }
  if (columns_ == nullptr) want_tags_ = want_categories_ = false;
  if (tag_groups_ == nullptr) want_tags_ = false;
  if (want_tags_) tag_counts_.assign(tag_groups_->size(), 0);
  if (want_categories_) category_counts_.assign(columns_->category_count(), 0);
}

FacetCounter::~FacetCounter() = default;

void FacetCounter::Count(Xapian::docid did) {
  if (want_tags_) {
    const absl::Span<const uint32_t> tags = columns_->tags(did);
    if (tags.size() == 1) {
      ++tag_counts_[tag_groups_->group_of(tags.front())];
    } else if (!tags.empty()) {
      tag_groups_->GroupsOf(*columns_, did, &post_groups_);
      for (uint32_t group : post_groups_) ++tag_counts_[group];
    }
  }
  if (want_categories_) {
    const uint32_t id = columns_->category(did);
    if (id != index::SiteColumns::kNone) ++category_counts_[id];
  }
}

uint64_t FacetCounter::CountBitmap(const std::vector<uint64_t>& bits) {
  uint64_t total = 0;
  for (size_t word = 0; word < bits.size(); ++word) {
    for (uint64_t w = bits[word]; w != 0; w &= w - 1) {
      Count(static_cast<Xapian::docid>(word * 64 + __builtin_ctzll(w)));
      ++total;
    }
  }
  return total;
}

void FacetCounter::Clear() {
  std::fill(tag_counts_.begin(), tag_counts_.end(), 0);
  std::fill(category_counts_.begin(), category_counts_.end(), 0);
}

Xapian::MatchSpy* FacetCounter::AsMatchSpy() {
  if (spy_ == nullptr) spy_ = std::make_unique<Spy>(this);
  return spy_.get();
}

void FacetCounter::Fill(v1::SearchResponse* response) const {
  if (want_tags_) {
    FillFacet(v1::FACET_FIELD_TAG, tag_limit_, tag_counts_,
              [&](uint32_t group) -> const std::string& { return tag_groups_->name(group); }, response->add_facets());
  }
  if (want_categories_) {
    v1::FacetResult* facet = response->add_facets();
    FillFacet(v1::FACET_FIELD_CATEGORY, category_limit_, category_counts_,
              [&](uint32_t id) -> const std::string& { return columns_->category_display(id); }, facet);
    std::vector<CategoryCount> counted;
    for (uint32_t id = 0; id < category_counts_.size(); ++id) {
      if (category_counts_[id] == 0) continue;
      counted.push_back({columns_->category_key(id), columns_->category_display(id), category_counts_[id]});
    }
    FillCategoryTree(counted, category_order_ != nullptr ? *category_order_ : std::vector<std::string>(),
                     category_limit_, facet);
  }
}

absl::Status ValidateFacets(const v1::SearchRequest& request) {
  for (const v1::FacetRequest& facet : request.facets()) {
    if (facet.field() != v1::FACET_FIELD_TAG && facet.field() != v1::FACET_FIELD_CATEGORY) {
      return absl::InvalidArgumentError("facets: field must be FACET_FIELD_TAG or FACET_FIELD_CATEGORY");
    }
    CHAJA_RETURN_IF_ERROR(CheckLimit(facet.limit(), kMaxFacetLimit, "facet limit"));
  }
  return absl::OkStatus();
}

}  // namespace chaja::search
