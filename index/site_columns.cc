#include "index/site_columns.h"

#include <algorithm>
#include <cmath>
#include <cstring>
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

void SiteColumns::Chunk::Clear() {
  published.fill(std::numeric_limits<double>::quiet_NaN());
  category.fill(kNone);
  tag_end.fill(0);
  tag_ids.clear();
}

bool SiteColumns::Chunk::SameAs(const Chunk& other) const {
  // Bytes, not ==: NaN (no post) must equal NaN.
  return std::memcmp(published.data(), other.published.data(), sizeof(published)) == 0 &&
         category == other.category && tag_end == other.tag_end && tag_ids == other.tag_ids;
}

void SiteColumns::Chunk::Freeze() {
  tag_ids.shrink_to_fit();
  bytes = static_cast<int64_t>(sizeof(Chunk)) + ArrayBytes(tag_ids);
  live_bytes_.fetch_add(bytes);
}

// Walks the three value streams together, one chunk of docids at a time
// (value streams are in docid order).
class SiteColumns::ChunkReader {
 public:
  ChunkReader(const Xapian::Database& db, NamesBuilder* tags, NamesBuilder* categories)
      : published_(db, kSlotPublished), categories_(db, kSlotCategory), tags_(db, kSlotTags),
        tag_names_(tags), category_names_(categories) {}

  // Fills `chunk` with the columns of docids [first, first + kChunkDocs).
  void Read(Xapian::docid first, Chunk* chunk) {
    chunk->Clear();
    const Xapian::docid end = first + kChunkDocs;
    published_.Below(end, [&](Xapian::docid did, const std::string& value) {
      chunk->published[did - first] = Xapian::sortable_unserialise(value);
    });
    categories_.Below(end, [&](Xapian::docid did, const std::string& value) {
      const std::vector<KeyedValue> values = DecodeKeyed(value);
      if (!values.empty()) chunk->category[did - first] = category_names_->Intern(values[0].key, values[0].display);
    });
    ReadTags(first, chunk);
  }

 private:
  struct Stream {
    Stream(const Xapian::Database& db, Xapian::valueno slot)
        : it(db.valuestream_begin(slot)), end(db.valuestream_end(slot)) {}
    // Calls f(docid, value) for the values of docids below `end_docid`.
    template <typename F>
    void Below(Xapian::docid end_docid, F f) {
      for (; it != end && it.get_docid() < end_docid; ++it) f(it.get_docid(), *it);
    }
    Xapian::ValueIterator it, end;
  };

  void ReadTags(Xapian::docid first, Chunk* chunk) {
    std::vector<uint32_t>& ids = chunk->tag_ids;
    size_t filled = 0;  // tag_end is set below `filled`
    tags_.Below(first + kChunkDocs, [&](Xapian::docid did, const std::string& value) {
      const size_t i = did - first;
      for (; filled < i; ++filled) chunk->tag_end[filled] = static_cast<uint32_t>(ids.size());
      const size_t begin = ids.size();
      for (const KeyedValue& tag : DecodeKeyed(value)) {
        const uint32_t id = tag_names_->Intern(tag.key, tag.display);
        // One tag in two widths or cases (DOCKER, ＤＯＣＫＥＲ) is one tag of
        // the post: counted once (posts indexed before the builder deduplicated).
        if (std::find(ids.begin() + begin, ids.end(), id) == ids.end()) ids.push_back(id);
      }
      chunk->tag_end[i] = static_cast<uint32_t>(ids.size());
      filled = i + 1;
    });
    for (; filled < kChunkDocs; ++filled) chunk->tag_end[filled] = static_cast<uint32_t>(ids.size());
  }

  Stream published_, categories_, tags_;
  NamesBuilder* tag_names_;
  NamesBuilder* category_names_;
};

absl::StatusOr<std::shared_ptr<const SiteColumns>> SiteColumns::Load(const Xapian::Database& db,
                                                                     const SiteColumns* previous) {
  std::shared_ptr<SiteColumns> c(new SiteColumns());
  try {
    c->version_ = IndexVersion::Of(db);
    // Names and chunks are shared within one database only: ids of another are unrelated.
    if (previous != nullptr && previous->version_.uuid != c->version_.uuid) previous = nullptr;
    NamesBuilder tags(previous != nullptr ? previous->tags_ : nullptr);
    NamesBuilder categories(previous != nullptr ? previous->categories_ : nullptr);
    c->ReadChunks(db, previous, &tags, &categories);
    c->tags_ = tags.Finish();
    c->categories_ = categories.Finish();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "reading value slots");
  }
  c->own_bytes_ = ArrayBytes(c->chunks_);
  live_bytes_.fetch_add(c->own_bytes_.load());
  return std::shared_ptr<const SiteColumns>(std::move(c));
}

void SiteColumns::ReadChunks(const Xapian::Database& db, const SiteColumns* previous, NamesBuilder* tags,
                             NamesBuilder* categories) {
  last_docid_ = db.get_lastdocid();
  ChunkReader reader(db, tags, categories);
  auto fresh = std::make_unique<Chunk>();
  for (uint64_t first = 0; first <= last_docid_; first += kChunkDocs) {
    reader.Read(static_cast<Xapian::docid>(first), fresh.get());
    const size_t i = chunks_.size();
    if (previous != nullptr && i < previous->chunks_.size() && fresh->SameAs(*previous->chunks_[i])) {
      chunks_.push_back(previous->chunks_[i]);
    } else {
      fresh->Freeze();
      chunks_.push_back(std::move(fresh));
      fresh = std::make_unique<Chunk>();
    }
    chunk_bytes_ += chunks_.back()->bytes;
  }
}

const std::vector<std::pair<double, Xapian::docid>>& SiteColumns::by_published() const {
  std::call_once(by_published_once_, [this] {
    size_t posts = 0;
    for (Xapian::docid did = 1; did <= last_docid(); ++did) posts += has_post(did);
    by_published_.reserve(posts);
    for (Xapian::docid did = 1; did <= last_docid(); ++did) {
      if (has_post(did)) by_published_.emplace_back(published(did), did);
    }
    std::sort(by_published_.begin(), by_published_.end());
    const int64_t bytes = ArrayBytes(by_published_);
    own_bytes_.fetch_add(bytes);
    live_bytes_.fetch_add(bytes);
  });
  return by_published_;
}

absl::Span<const uint32_t> SiteColumns::tags(Xapian::docid did) const {
  if (did > last_docid_) return {};
  const Chunk& chunk = ChunkOf(did);
  const size_t i = did % kChunkDocs;
  const uint32_t begin = i == 0 ? 0 : chunk.tag_end[i - 1];
  return absl::MakeConstSpan(chunk.tag_ids.data() + begin, chunk.tag_end[i] - begin);
}

double SiteColumns::published(Xapian::docid did) const {
  return did <= last_docid_ ? ChunkOf(did).published[did % kChunkDocs] : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace chaja::index
