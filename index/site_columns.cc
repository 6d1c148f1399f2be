#include "index/site_columns.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "index/schema.h"
#include "index/status.h"

namespace chaja::index {
namespace {

template <typename T>
int64_t ArrayBytes(const std::vector<T>& v) {
  return static_cast<int64_t>(v.capacity() * sizeof(T));
}

int64_t StringsBytes(const std::vector<std::string>& v) {
  int64_t bytes = ArrayBytes(v);
  for (const std::string& s : v) bytes += s.capacity() > 15 ? static_cast<int64_t>(s.capacity()) : 0;
  return bytes;
}

}  // namespace

uint32_t SiteColumns::Names::Intern(const std::string& key, const std::string& display) {
  auto [it, inserted] = ids.emplace(key, static_cast<uint32_t>(keys.size()));
  if (inserted) {
    keys.push_back(key);
    displays.push_back(display);
  }
  return it->second;
}

void SiteColumns::Names::Freeze() {
  keys.shrink_to_fit();
  displays.shrink_to_fit();
  // A map's slot holds its key and id; its control bytes are about one per slot.
  bytes = StringsBytes(keys) + StringsBytes(displays) +
          static_cast<int64_t>(ids.capacity() * (sizeof(std::pair<std::string, uint32_t>) + 1));
  live_bytes_.fetch_add(bytes);
}

// Gives the names a fresh load would, without copying the previous
// revision's while they agree: a fresh load numbers names in order of first
// use, so as long as each new name is the previous revision's next one (same
// display), the ids are the same. It copies them only when they part.
class SiteColumns::NamesBuilder {
 public:
  explicit NamesBuilder(std::shared_ptr<const Names> previous) : previous_(std::move(previous)) {}

  uint32_t Intern(const std::string& key, const std::string& display) {
    if (own_ == nullptr && previous_ != nullptr) {
      auto it = previous_->ids.find(key);
      if (it != previous_->ids.end()) {
        const uint32_t id = it->second;
        if (id < next_id_) return id;
        if (id == next_id_ && previous_->displays[id] == display) return next_id_++;
      }
      Part();
    }
    if (own_ == nullptr) own_ = std::make_unique<Names>();
    return own_->Intern(key, display);
  }

  std::shared_ptr<const Names> Finish() {
    if (own_ == nullptr && previous_ != nullptr && next_id_ == previous_->keys.size()) return previous_;
    if (own_ == nullptr) Part();  // names went: the fresh ones are a prefix of the previous
    own_->Freeze();
    return std::shared_ptr<const Names>(std::move(own_));
  }

 private:
  // From here on the names are this revision's own.
  void Part() {
    own_ = std::make_unique<Names>();
    for (uint32_t id = 0; id < next_id_; ++id) own_->Intern(previous_->keys[id], previous_->displays[id]);
    previous_ = nullptr;
  }

  std::shared_ptr<const Names> previous_;
  uint32_t next_id_ = 0;
  std::unique_ptr<Names> own_;
};

absl::StatusOr<std::shared_ptr<const SiteColumns>> SiteColumns::Load(const Xapian::Database& db,
                                                                     const SiteColumns* previous) {
  std::shared_ptr<SiteColumns> c(new SiteColumns());
  try {
    c->version_ = IndexVersion::Of(db);
    // Names are shared within one database only: ids of another are unrelated.
    const bool same_db = previous != nullptr && previous->version_.uuid == c->version_.uuid;
    NamesBuilder tags(same_db ? previous->tags_ : nullptr);
    NamesBuilder categories(same_db ? previous->categories_ : nullptr);
    c->ReadPublished(db);
    c->ReadCategories(db, &categories);
    c->ReadTags(db, &tags);
    c->tags_ = tags.Finish();
    c->categories_ = categories.Finish();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "reading value slots");
  }
  c->memory_bytes_ = c->CountBytes();
  live_bytes_.fetch_add(c->memory_bytes_.load());
  return std::shared_ptr<const SiteColumns>(std::move(c));
}

void SiteColumns::ReadPublished(const Xapian::Database& db) {
  const Xapian::docid last = db.get_lastdocid();
  published_.assign(last + 1, std::numeric_limits<double>::quiet_NaN());
  for (Xapian::ValueIterator it = db.valuestream_begin(kSlotPublished); it != db.valuestream_end(kSlotPublished);
       ++it) {
    published_[it.get_docid()] = Xapian::sortable_unserialise(*it);
  }
}

const std::vector<std::pair<double, Xapian::docid>>& SiteColumns::by_published() const {
  std::call_once(by_published_once_, [this] {
    size_t posts = 0;
    for (Xapian::docid did = 1; did <= last_docid(); ++did) posts += has_post(did);
    by_published_.reserve(posts);
    for (Xapian::docid did = 1; did <= last_docid(); ++did) {
      if (has_post(did)) by_published_.emplace_back(published_[did], did);
    }
    std::sort(by_published_.begin(), by_published_.end());
    const int64_t bytes = ArrayBytes(by_published_);
    memory_bytes_.fetch_add(bytes);
    live_bytes_.fetch_add(bytes);
  });
  return by_published_;
}

void SiteColumns::ReadCategories(const Xapian::Database& db, NamesBuilder* names) {
  category_.assign(db.get_lastdocid() + 1, kNone);
  for (Xapian::ValueIterator it = db.valuestream_begin(kSlotCategory); it != db.valuestream_end(kSlotCategory);
       ++it) {
    const std::vector<KeyedValue> values = DecodeKeyed(*it);
    if (!values.empty()) category_[it.get_docid()] = names->Intern(values[0].key, values[0].display);
  }
}

void SiteColumns::ReadTags(const Xapian::Database& db, NamesBuilder* names) {
  const Xapian::docid last = db.get_lastdocid();
  // Value streams are in docid order, so offsets fill in as we go.
  tag_offsets_.assign(last + 2, 0);
  Xapian::docid filled = 0;
  for (Xapian::ValueIterator it = db.valuestream_begin(kSlotTags); it != db.valuestream_end(kSlotTags); ++it) {
    const Xapian::docid did = it.get_docid();
    while (filled < did) tag_offsets_[++filled] = static_cast<uint32_t>(tag_ids_.size());
    const size_t first = tag_ids_.size();
    for (const KeyedValue& tag : DecodeKeyed(*it)) {
      const uint32_t id = names->Intern(tag.key, tag.display);
      // One tag in two widths or cases (DOCKER, ＤＯＣＫＥＲ) is one tag of
      // the post: counted once (posts indexed before the builder deduplicated).
      if (std::find(tag_ids_.begin() + first, tag_ids_.end(), id) == tag_ids_.end()) tag_ids_.push_back(id);
    }
    tag_offsets_[did + 1] = static_cast<uint32_t>(tag_ids_.size());
    filled = did + 1;
  }
  while (filled < last + 1) tag_offsets_[++filled] = static_cast<uint32_t>(tag_ids_.size());
  tag_ids_.shrink_to_fit();
}

int64_t SiteColumns::CountBytes() const {
  return ArrayBytes(tag_offsets_) + ArrayBytes(tag_ids_) + ArrayBytes(category_) + ArrayBytes(published_);
}

absl::Span<const uint32_t> SiteColumns::tags(Xapian::docid did) const {
  if (did + 1 >= tag_offsets_.size()) return {};
  return absl::MakeConstSpan(tag_ids_.data() + tag_offsets_[did], tag_offsets_[did + 1] - tag_offsets_[did]);
}

double SiteColumns::published(Xapian::docid did) const {
  return did < published_.size() ? published_[did] : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace chaja::index
