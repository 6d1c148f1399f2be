#include "search/searcher.h"

namespace chaja::search {

Searcher::Searcher(std::unique_ptr<SiteReader> reader)
    : reader_(std::move(reader)), settings_(std::make_shared<index::SiteSettings>()) {}

absl::StatusOr<std::unique_ptr<Searcher>> Searcher::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SiteReader>> reader = SiteReader::Open(path);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<Searcher>(new Searcher(*std::move(reader)));
}

absl::StatusOr<SiteView> Searcher::View() {
  absl::StatusOr<index::IndexVersion> version = reader_->Version();
  if (!version.ok()) return version.status();
  if (columns_ == nullptr || columns_->version() != *version) {
    absl::StatusOr<std::shared_ptr<const index::SiteColumns>> loaded = reader_->LoadColumns();
    if (!loaded.ok()) return loaded.status();
    columns_ = *std::move(loaded);
  }
  SiteView view;
  view.settings = settings_;
  view.columns = columns_;
  if (tag_groups_columns_ != columns_ || tag_groups_settings_ != settings_) {
    tag_groups_ = MakeTagGroups(columns_, *settings_);
    tag_groups_columns_ = columns_;
    tag_groups_settings_ = settings_;
  }
  view.tag_groups = tag_groups_;
  view.ranking = ranking_;
  if (postings_ != nullptr && postings_->version() == *version) {
    view.postings = postings_;
    view.scratch = &scratch_;
    view.counting = counting_;
  }
  return view;
}

template <typename T, typename Fn>
absl::StatusOr<T> Searcher::WithView(const Fn& fn) {
  absl::StatusOr<T> result = absl::UnknownError("not run");
  const absl::Status status = RetryWhenModified(
      [&] {
        absl::StatusOr<SiteView> view = View();
        if (!view.ok()) return view.status();
        result = fn(*view);
        return result.status();
      },
      [&] { return reader_->Refresh(); });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::SearchResponse> Searcher::Search(const v1::SearchRequest& request) {
  return WithView<v1::SearchResponse>([&](const SiteView& view) { return reader_->Search(request, view); });
}

absl::StatusOr<v1::Article> Searcher::GetArticle(const std::string& id) {
  // The database alone: no column snapshot to load.
  absl::StatusOr<v1::Article> article = absl::UnknownError("not run");
  const absl::Status status = RetryWhenModified(
      [&] {
        article = reader_->GetArticle(id);
        return article.status();
      },
      [&] { return reader_->Refresh(); });
  if (!status.ok()) return status;
  return article;
}

absl::StatusOr<v1::ListCategoryPostsResponse> Searcher::ListCategoryPosts(
    const v1::ListCategoryPostsRequest& request) {
  return WithView<v1::ListCategoryPostsResponse>(
      [&](const SiteView& view) { return reader_->ListCategoryPosts(request, view); });
}

absl::StatusOr<v1::SuggestResponse> Searcher::Suggest(const v1::SuggestRequest& request) {
  return WithView<v1::SuggestResponse>([&](const SiteView& view) { return reader_->Suggest(request, view); });
}

absl::StatusOr<v1::GetArchiveResponse> Searcher::GetArchive(const v1::GetArchiveRequest& request) {
  return WithView<v1::GetArchiveResponse>([&](const SiteView& view) { return reader_->GetArchive(request, view); });
}

absl::StatusOr<v1::GetRelatedResponse> Searcher::GetRelated(const v1::GetRelatedRequest& request) {
  return WithView<v1::GetRelatedResponse>([&](const SiteView& view) { return reader_->GetRelated(request, view); });
}

}  // namespace chaja::search
