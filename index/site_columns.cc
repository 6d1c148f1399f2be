#include "index/site_columns.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "index/schema.h"
#include "index/status.h"

namespace chaja::index {

uint32_t SiteColumns::Intern(const std::string& key, const std::string& display, std::vector<std::string>* keys,
                             std::vector<std::string>* displays,
                             absl::flat_hash_map<std::string, uint32_t>* ids) {
  auto [it, inserted] = ids->emplace(key, static_cast<uint32_t>(keys->size()));
  if (inserted) {
    keys->push_back(key);
    displays->push_back(display);
  }
  return it->second;
}

absl::StatusOr<std::shared_ptr<const SiteColumns>> SiteColumns::Load(const Xapian::Database& db) {
  std::shared_ptr<SiteColumns> c(new SiteColumns());
  try {
    c->version_ = IndexVersion::Of(db);
    const Xapian::docid last = db.get_lastdocid();
    c->by_published_.reserve(db.get_doccount());  // grown by doubling, it peaked at twice its size
    c->category_.assign(last + 1, kNone);
    c->published_.assign(last + 1, std::numeric_limits<double>::quiet_NaN());

    for (Xapian::ValueIterator it = db.valuestream_begin(kSlotPublished); it != db.valuestream_end(kSlotPublished);
         ++it) {
      const double t = Xapian::sortable_unserialise(*it);
      c->published_[it.get_docid()] = t;
      c->by_published_.emplace_back(t, it.get_docid());
    }
    std::sort(c->by_published_.begin(), c->by_published_.end());

    for (Xapian::ValueIterator it = db.valuestream_begin(kSlotCategory); it != db.valuestream_end(kSlotCategory);
         ++it) {
      const std::vector<KeyedValue> values = DecodeKeyed(*it);
      if (values.empty()) continue;
      c->category_[it.get_docid()] = c->Intern(values[0].key, values[0].display, &c->category_keys_,
                                               &c->category_displays_, &c->category_ids_by_key_);
    }

    // Value streams are in docid order, so offsets fill in as we go.
    c->tag_offsets_.assign(last + 2, 0);
    Xapian::docid filled = 0;
    for (Xapian::ValueIterator it = db.valuestream_begin(kSlotTags); it != db.valuestream_end(kSlotTags); ++it) {
      const Xapian::docid did = it.get_docid();
      while (filled < did) c->tag_offsets_[++filled] = static_cast<uint32_t>(c->tag_ids_.size());
      const size_t first = c->tag_ids_.size();
      for (const KeyedValue& tag : DecodeKeyed(*it)) {
        const uint32_t id = c->Intern(tag.key, tag.display, &c->tag_keys_, &c->tag_displays_, &c->tag_ids_by_key_);
        // One tag in two widths or cases (DOCKER, ＤＯＣＫＥＲ) is one tag of
        // the post: counted once (posts indexed before the builder deduplicated).
        if (std::find(c->tag_ids_.begin() + first, c->tag_ids_.end(), id) == c->tag_ids_.end()) {
          c->tag_ids_.push_back(id);
        }
      }
      c->tag_offsets_[did + 1] = static_cast<uint32_t>(c->tag_ids_.size());
      filled = did + 1;
    }
    while (filled < last + 1) c->tag_offsets_[++filled] = static_cast<uint32_t>(c->tag_ids_.size());
    c->tag_ids_.shrink_to_fit();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "reading value slots");
  }
  c->memory_bytes_ = c->CountBytes();
  live_bytes_.fetch_add(c->memory_bytes_);
  return std::shared_ptr<const SiteColumns>(std::move(c));
}

int64_t SiteColumns::CountBytes() const {
  auto array_bytes = [](const auto& v) { return static_cast<int64_t>(v.capacity() * sizeof(v[0])); };
  auto strings_bytes = [&](const std::vector<std::string>& v) {
    int64_t bytes = array_bytes(v);
    for (const std::string& s : v) bytes += s.capacity() > 15 ? static_cast<int64_t>(s.capacity()) : 0;
    return bytes;
  };
  // A map's slot holds its key and id; its control bytes are about one per slot.
  auto map_bytes = [](const absl::flat_hash_map<std::string, uint32_t>& m) {
    return static_cast<int64_t>(m.capacity() * (sizeof(std::pair<std::string, uint32_t>) + 1));
  };
  return array_bytes(tag_offsets_) + array_bytes(tag_ids_) + array_bytes(category_) + array_bytes(published_) +
         array_bytes(by_published_) + strings_bytes(tag_keys_) + strings_bytes(tag_displays_) +
         strings_bytes(category_keys_) + strings_bytes(category_displays_) + map_bytes(tag_ids_by_key_) +
         map_bytes(category_ids_by_key_);
}

absl::Span<const uint32_t> SiteColumns::tags(Xapian::docid did) const {
  if (did + 1 >= tag_offsets_.size()) return {};
  return absl::MakeConstSpan(tag_ids_.data() + tag_offsets_[did], tag_offsets_[did + 1] - tag_offsets_[did]);
}

double SiteColumns::published(Xapian::docid did) const {
  return did < published_.size() ? published_[did] : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace chaja::index
