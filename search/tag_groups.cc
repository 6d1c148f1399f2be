#include "search/tag_groups.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "index/schema.h"

namespace chaja::search {

TagGroups::TagGroups(const index::SiteColumns& columns, const index::SiteSettings& settings) {
  AssignGroups(columns, *settings.equivalents);
  // One pass over the posts counts both: a tag's posts choose its group's
  // name, a group's posts (each once) are what suggestions show.
  std::vector<uint64_t> tag_posts(columns.tag_count(), 0);
  posts_.assign(tags_.size(), 0);
  std::vector<uint32_t> groups;
  for (Xapian::docid did = 1; did <= columns.last_docid(); ++did) {
    if (!columns.has_post(did)) continue;
    for (uint32_t tag : columns.tags(did)) ++tag_posts[tag];
    GroupsOf(columns, did, &groups);
    for (uint32_t group : groups) ++posts_[group];
  }
  NameGroups(columns, tag_posts, settings.tag_names);
}

void TagGroups::AssignGroups(const index::SiteColumns& columns, const index::Equivalents& equivalents) {
  absl::flat_hash_map<uint32_t, uint32_t> group_of_set;
  group_of_.resize(columns.tag_count());
  for (uint32_t tag = 0; tag < columns.tag_count(); ++tag) {
    const uint32_t set = equivalents.SetOfKey(columns.tag_key(tag));
    uint32_t group = static_cast<uint32_t>(tags_.size());
    if (set != index::Equivalents::kNoSet) group = group_of_set.emplace(set, group).first->second;
    if (group == tags_.size()) {
      tags_.emplace_back();
      sources_.push_back(set == index::Equivalents::kNoSet ? v1::EQUIVALENT_SOURCE_UNSPECIFIED
                                                           : equivalents.set(set).source);
    }
    tags_[group].push_back(tag);
    group_of_[tag] = group;
  }
}

// A group is named by a spelling the site lists in tag_names, else by the
// spelling most posts use.
void TagGroups::NameGroups(const index::SiteColumns& columns, const std::vector<uint64_t>& tag_posts,
                           const std::vector<std::string>& tag_names) {
  absl::flat_hash_map<std::string, const std::string*> named;
  for (const std::string& name : tag_names) named.emplace(index::NormalizeKey(name), &name);
  names_.resize(tags_.size());
  for (uint32_t group = 0; group < tags_.size(); ++group) {
    const std::vector<uint32_t>& members = tags_[group];
    uint32_t best = members.front();
    for (uint32_t tag : members) {
      if (tag_posts[tag] > tag_posts[best]) best = tag;
    }
    names_[group] = columns.tag_display(best);
    for (uint32_t tag : members) {
      if (auto it = named.find(columns.tag_key(tag)); it != named.end()) names_[group] = *it->second;
    }
  }
}

void TagGroups::GroupsOf(const index::SiteColumns& columns, Xapian::docid did, std::vector<uint32_t>* out) const {
  out->clear();
  for (uint32_t tag : columns.tags(did)) {
    const uint32_t group = group_of_[tag];
    if (std::find(out->begin(), out->end(), group) == out->end()) out->push_back(group);
  }
}

std::vector<std::string> TagGroups::NamesOf(const index::SiteColumns& columns, Xapian::docid did) const {
  std::vector<uint32_t> groups;
  GroupsOf(columns, did, &groups);
  std::vector<std::string> names;
  for (uint32_t group : groups) names.push_back(names_[group]);
  return names;
}

std::shared_ptr<const TagGroups> MakeTagGroups(const std::shared_ptr<const index::SiteColumns>& columns,
                                               const index::SiteSettings& settings) {
  if (columns == nullptr) return nullptr;
  return std::make_shared<const TagGroups>(*columns, settings);
}

}  // namespace chaja::search
