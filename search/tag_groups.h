// TagGroups: a site's tags as readers see them. Tags that are one word in
// two scripts or spellings (우분투 and ubuntu, per the site's equivalents,
// index/equivalents.h) are one tag: one row in the tag cloud and facets,
// each post counted once, named by the site's tag_names or else by the
// spelling most posts use.
//
// Made from a column snapshot and the site's settings, so a SIGHUP that
// changes the equivalents changes the groups without re-indexing. Immutable;
// shared by every request of one (revision, settings) pair.
#ifndef CHAJA_SEARCH_TAG_GROUPS_H_
#define CHAJA_SEARCH_TAG_GROUPS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "index/site_columns.h"
#include "index/site_config.h"

namespace chaja::search {

class TagGroups {
 public:
  TagGroups(const index::SiteColumns& columns, const index::SiteSettings& settings);

  size_t size() const { return names_.size(); }
  // The group of a tag id of the column snapshot.
  uint32_t group_of(uint32_t tag) const { return group_of_[tag]; }
  // The group's name (its merged spelling) and its tag ids.
  const std::string& name(uint32_t group) const { return names_[group]; }
  const std::vector<uint32_t>& tags(uint32_t group) const { return tags_[group]; }
  // Where the equivalence that merged the group comes from (UNSPECIFIED for
  // a tag of one spelling).
  v1::EquivalentSource source(uint32_t group) const { return sources_[group]; }
  // Posts with any tag of the group, each counted once.
  uint64_t posts(uint32_t group) const { return posts_[group]; }

  // The groups of post `did`, each once, into *out (cleared first).
  void GroupsOf(const index::SiteColumns& columns, Xapian::docid did, std::vector<uint32_t>* out) const;
  // The post's tags by their merged names, each once, in the post's order
  // (우분투 for a post tagged ubuntu on a site that mostly writes 우분투).
  std::vector<std::string> NamesOf(const index::SiteColumns& columns, Xapian::docid did) const;

 private:
  void AssignGroups(const index::SiteColumns& columns, const index::Equivalents& equivalents);
  void NameGroups(const index::SiteColumns& columns, const std::vector<uint64_t>& tag_posts,
                  const std::vector<std::string>& tag_names);

  std::vector<uint32_t> group_of_;
  std::vector<std::string> names_;
  std::vector<std::vector<uint32_t>> tags_;
  std::vector<v1::EquivalentSource> sources_;
  std::vector<uint64_t> posts_;
};

// The groups of `columns` under `settings`; nullptr when columns is.
std::shared_ptr<const TagGroups> MakeTagGroups(const std::shared_ptr<const index::SiteColumns>& columns,
                                               const index::SiteSettings& settings);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_TAG_GROUPS_H_
