#include "searchd/served_site.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "index/status.h"

namespace chaja::searchd {
namespace {

// Scratch buffers a site's in-memory ranker may use at once: requests beyond
// them are ranked by Xapian. Each costs 8 bytes per post, charged to the
// memory budget with the lists.
constexpr uint32_t kMaxScratch = 8;

}  // namespace

uint64_t MemoryBudget::Left() const {
  const uint64_t used = used_.load();
  return used >= max_bytes_ ? 0 : max_bytes_ - used;
}

// A scratch buffer taken for one request when its view offers the lists.
class ServedSite::ScratchLease {
 public:
  explicit ScratchLease(ServedSite* site) : site_(site) {}
  ~ScratchLease() {
    if (scratch_ != nullptr) site_->GiveScratch(std::move(scratch_));
  }
  search::MemoryRankerScratch* Take() {
    if (scratch_ == nullptr) scratch_ = site_->TakeScratch();
    return scratch_.get();
  }

 private:
  ServedSite* site_;
  std::unique_ptr<search::MemoryRankerScratch> scratch_;
};

ServedSite::ServedSite(std::string name, std::string path, std::unique_ptr<search::SiteReader> first,
                       std::shared_ptr<const index::SiteSettings> settings, const search::RankingParams& ranking,
                       MemoryBudget* budget, search::CountingPool* counting, RevisionPins* pins,
                       ReaderCount* readers)
    : name_(std::move(name)),
      path_(std::move(path)),
      ranking_(ranking),
      budget_(budget),
      counting_(counting),
      pins_(pins),
      node_readers_(readers),
      settings_(std::move(settings)) {
  idle_readers_.push_back(std::move(first));
  CountReaders(1);
}

ServedSite::~ServedSite() {
  stopping_ = true;  // the loader polls it and gives up early
  std::thread loader;
  {
    std::lock_guard<std::mutex> lock(postings_mu_);
    loader = std::move(loader_);
  }
  if (loader.joinable()) loader.join();  // unlocked: the loader takes postings_mu_ to finish
  budget_->Refund(charged_bytes_);
  CountReaders(-static_cast<int64_t>(idle_readers_.size()));
}

void ServedSite::CountReaders(int64_t n) {
  open_readers_.fetch_add(n, std::memory_order_relaxed);
  if (node_readers_ != nullptr) node_readers_->Add(n);
}

std::shared_ptr<const index::SiteSettings> ServedSite::settings() const {
  std::lock_guard<std::mutex> lock(settings_mu_);
  return settings_;
}

void ServedSite::set_settings(std::shared_ptr<const index::SiteSettings> settings) {
  std::lock_guard<std::mutex> lock(settings_mu_);
  settings_ = std::move(settings);
}

absl::Status ServedSite::Run(const ReadFn& fn, bool shared_parts, const search::Deadline& deadline) {
  // Pinned before the reader is refreshed: it then reads the pinned revision or a newer one.
  RevisionPins::Pin pin = pins_ != nullptr ? pins_->PinNewest(name_) : RevisionPins::Pin();
  absl::StatusOr<std::unique_ptr<search::SiteReader>> reader = Borrow();
  if (!reader.ok()) return reader.status();
  ScratchLease scratch(this);
  const absl::Status status = search::RetryWhenModified(
      [&] {
        absl::StatusOr<search::SiteView> view = ViewOf(**reader, shared_parts, &scratch);
        if (!view.ok()) return view.status();
        return fn(**reader, *view);
      },
      [&] {
        pin.Renew();
        return (*reader)->Refresh();
      },
      deadline);
  Return(*std::move(reader));
  return status;
}

absl::StatusOr<std::unique_ptr<search::SiteReader>> ServedSite::Borrow() {
  std::unique_ptr<search::SiteReader> reader;
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    if (!idle_readers_.empty()) {
      reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (reader == nullptr) {
    absl::StatusOr<std::unique_ptr<search::SiteReader>> opened = search::SiteReader::Open(path_);  // the newest revision
    if (opened.ok()) CountReaders(1);
    return opened;
  }
  if (absl::Status refreshed = reader->Refresh(); !refreshed.ok()) {
    CountReaders(-1);  // a broken reader is dropped, not pooled
    return refreshed;
  }
  return reader;
}

void ServedSite::Return(std::unique_ptr<search::SiteReader> reader) {
  std::lock_guard<std::mutex> lock(readers_mu_);
  idle_readers_.push_back(std::move(reader));
}

absl::StatusOr<search::SiteView> ServedSite::ViewOf(const search::SiteReader& reader, bool shared_parts,
                                                   ScratchLease* scratch) {
  search::SiteView view;
  view.settings = settings();
  view.ranking = ranking_;
  if (!shared_parts) return view;
  absl::StatusOr<index::IndexVersion> version = reader.Version();
  if (!version.ok()) return version.status();
  absl::StatusOr<std::shared_ptr<const index::SiteColumns>> columns = Columns(reader, *version);
  if (!columns.ok()) return columns.status();
  view.columns = *std::move(columns);
  view.tag_groups = TagGroupsOf(view.columns, view.settings);
  std::shared_ptr<const search::MemoryPostings> postings = Postings(*version, reader.doc_count());
  if (postings != nullptr) {
    view.scratch = scratch->Take();
    if (view.scratch != nullptr) view.postings = std::move(postings);
    view.counting = counting_;
  }
  return view;
}

std::shared_ptr<const search::TagGroups> ServedSite::TagGroupsOf(
    const std::shared_ptr<const index::SiteColumns>& columns,
    const std::shared_ptr<const index::SiteSettings>& settings) {
  std::lock_guard<std::mutex> lock(tag_groups_mu_);
  if (tag_groups_ == nullptr || tag_groups_columns_ != columns || tag_groups_settings_ != settings) {
    tag_groups_ = search::MakeTagGroups(columns, *settings);
    tag_groups_columns_ = columns;
    tag_groups_settings_ = settings;
  }
  return tag_groups_;
}

absl::StatusOr<std::shared_ptr<const index::SiteColumns>> ServedSite::Columns(const search::SiteReader& reader,
                                                                             const index::IndexVersion& version) {
  std::lock_guard<std::mutex> lock(columns_mu_);
  if (columns_ != nullptr && columns_->version() == version) return columns_;
  absl::StatusOr<std::shared_ptr<const index::SiteColumns>> loaded = reader.LoadColumns(columns_.get());
  if (!loaded.ok()) return loaded.status();
  // A reader that lags behind another gets its own revision's snapshot
  // without replacing the newer one.
  if (columns_ == nullptr || columns_->revision() < version.revision || columns_->version().uuid != version.uuid) {
    columns_ = *loaded;
  }
  return loaded;
}

std::shared_ptr<const search::MemoryPostings> ServedSite::Postings(const index::IndexVersion& version,
                                                                   uint64_t doc_count) {
  if (!ranking_.memory_postings || doc_count < ranking_.shortlist_min_docs) return nullptr;
  std::lock_guard<std::mutex> lock(postings_mu_);
  if (postings_ != nullptr && postings_->version() == version) return postings_;
  const auto now = std::chrono::steady_clock::now();
  if (version.revision > newest_revision_) {
    newest_revision_ = version.revision;
    newest_revision_since_ = now;
  }
  const bool revision_holds = now - newest_revision_since_ >= last_load_time_;
  if (!loading_ && !stopping_ && now >= next_load_ && revision_holds) {
    if (loader_.joinable()) loader_.join();  // finished: `loading_` is false
    loading_ = true;
    loader_ = std::thread([this] { LoadPostings(); });
  }
  return nullptr;
}

void ServedSite::LoadPostings() {
  const auto start = std::chrono::steady_clock::now();
  uint64_t own_bytes = 0;
  {
    std::lock_guard<std::mutex> lock(postings_mu_);
    own_bytes = charged_bytes_;  // the site's older lists go when the new ones arrive
  }
  absl::StatusOr<std::shared_ptr<const search::MemoryPostings>> loaded = search::MemoryPostings::LoadFrom(
      path_, [this] { return stopping_.load(); }, budget_->Left() + own_bytes,
      kMaxScratch * search::MemoryRankerScratch::kBytesPerPost);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  if (loaded.ok()) {
    std::fprintf(stderr,
                 "chaja-searchd: site %s: %zu posting lists (%zu postings, %.1f MiB) in memory at revision %llu, "
                 "loaded in %.2f s\n",
                 name_.c_str(), (*loaded)->term_count(), (*loaded)->posting_count(),
                 (*loaded)->memory_bytes() / 1048576.0, static_cast<unsigned long long>((*loaded)->revision()),
                 std::chrono::duration<double>(elapsed).count());
  } else if (!stopping_) {
    std::fprintf(stderr,
                 "chaja-searchd: site %s: in-memory posting lists not loaded (Xapian ranks its searches): %s%s\n",
                 name_.c_str(), std::string(loaded.status().message()).c_str(),
                 loaded.status().code() == absl::StatusCode::kResourceExhausted ? " (--memory_postings_max_mb)" : "");
  }
  std::lock_guard<std::mutex> lock(postings_mu_);
  loading_ = false;
  // A load that lost its revision ended early, so its time says little of
  // how long a revision must hold: wait twice as long each time (to a minute)
  // instead of reading (and allocating) much of the lists again and again.
  last_load_time_ = loaded.ok() ? elapsed
                                : std::min<std::chrono::steady_clock::duration>(
                                      std::max<std::chrono::steady_clock::duration>(2 * last_load_time_, elapsed),
                                      std::chrono::minutes(1));
  next_load_ = std::chrono::steady_clock::now() + 10 * elapsed;
  if (loaded.status().code() == absl::StatusCode::kResourceExhausted) {
    // Other sites may shrink or go; look again now and then, not per commit.
    next_load_ = std::max(next_load_, std::chrono::steady_clock::now() + std::chrono::minutes(5));
  }
  if (!loaded.ok()) return;
  // Loads take turns, so this one read the newest database.
  const uint64_t bytes =
      (*loaded)->memory_bytes() + kMaxScratch * search::MemoryRankerScratch::BytesFor((*loaded)->last_docid());
  budget_->Refund(charged_bytes_);
  budget_->Charge(bytes);
  charged_bytes_ = bytes;
  postings_ = *std::move(loaded);
}

std::unique_ptr<search::MemoryRankerScratch> ServedSite::TakeScratch() {
  std::lock_guard<std::mutex> lock(postings_mu_);
  if (!idle_scratch_.empty()) {
    std::unique_ptr<search::MemoryRankerScratch> scratch = std::move(idle_scratch_.back());
    idle_scratch_.pop_back();
    return scratch;
  }
  if (scratch_count_ == kMaxScratch) return nullptr;  // the budget charged for kMaxScratch
  ++scratch_count_;
  return std::make_unique<search::MemoryRankerScratch>();
}

void ServedSite::GiveScratch(std::unique_ptr<search::MemoryRankerScratch> scratch) {
  std::lock_guard<std::mutex> lock(postings_mu_);
  idle_scratch_.push_back(std::move(scratch));
}

bool ServedSite::HoldsMemoryLists() const {
  std::lock_guard<std::mutex> lock(postings_mu_);
  return postings_ != nullptr || loading_;
}

void ServedSite::AddOpenStats(v1::SiteStats* stats) const {
  stats->set_open_readers(static_cast<uint32_t>(std::max<int64_t>(0, open_readers())));
  const auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(opened_at_.time_since_epoch()).count();
  stats->mutable_open_since()->set_seconds(nanos / 1000000000);
  stats->mutable_open_since()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

void ServedSite::AddMemoryStats(v1::SiteStats* stats) const {
  std::lock_guard<std::mutex> lock(postings_mu_);
  if (postings_ == nullptr) return;
  stats->set_memory_postings_bytes(postings_->memory_bytes());
  stats->set_memory_postings_revision(postings_->revision());
}

}  // namespace chaja::searchd
