#include "search/phrase_filter.h"

#include "index/document_builder.h"

namespace chaja::search {

bool PhraseFilter::operator()(const Xapian::Document& doc) const {
  absl::StatusOr<v1::Article> article = index::ArticleFromDocument(doc);
  if (!article.ok()) return true;
  for (const PhraseCheck& check : checks_) {
    // Title and body are separate texts: a phrase never spans the two.
    const bool found = analyzer_.ContainsPhrase(article->title(), check.terms) ||
                       (!check.title_only && analyzer_.ContainsPhrase(article->body(), check.terms));
    if (found == check.excluded) return false;
  }
  return true;
}

}  // namespace chaja::search
