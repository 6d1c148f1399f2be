#include "search/phrase_filter.h"

#include "analyzer/utf8.h"
#include "index/document_builder.h"

namespace chaja::search {

bool PhraseFilter::operator()(const Xapian::Document& doc) const {
  absl::StatusOr<v1::Article> article = index::ArticleHeadFromDocument(doc);
  if (!article.ok()) return true;
  for (const PhraseCheck& check : checks_) {
    bool found = Contains(*article, check.terms, check.title_only);
    for (size_t i = 0; !found && i < check.alternatives.size(); ++i) {
      found = Contains(*article, check.alternatives[i], check.title_only);
    }
    if (found == check.excluded) return false;
  }
  return true;
}

bool PhraseFilter::Contains(const v1::Article& article, const std::vector<std::string>& terms,
                            bool title_only) const {
  // Title and body are separate texts: a phrase never spans the two.
  return analyzer_.ContainsPhrase(article.title(), terms) ||
         (!title_only && analyzer_.ContainsPhrase(analyzer::TruncateUtf8(article.body(), kPhraseWindowBytes), terms));
}

}  // namespace chaja::search
