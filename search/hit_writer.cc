#include "search/hit_writer.h"

#include "index/document_builder.h"

namespace chaja::search {

absl::Status HitWriter::Add(const Xapian::Document& doc, double weight, v1::SearchResponse* response) const {
  absl::StatusOr<v1::Article> article = index::ArticleFromDocument(doc);
  if (!article.ok()) return article.status();
  v1::SearchHit* hit = response->add_hits();
  hit->set_id(article->id());
  hit->set_score(has_text_ ? weight : 0.0);
  hit->set_title(article->title());
  hit->set_title_highlighted(highlighter_.Highlight(article->title()));
  hit->set_url(article->url());
  hit->set_snippet(highlighter_.Snippet(article->body(), kSnippetChars));
  hit->set_category(article->category());
  *hit->mutable_tags() = article->tags();
  if (article->has_published()) *hit->mutable_published() = article->published();
  hit->set_comment_count(article->comment_count());
  hit->set_author(article->author());
  return absl::OkStatus();
}

}  // namespace chaja::search
