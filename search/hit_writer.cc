#include "search/hit_writer.h"

#include <algorithm>
#include <set>
#include <string>

#include "analyzer/utf8.h"
#include "index/document_builder.h"

namespace chaja::search {

absl::Status HitWriter::Add(const Xapian::Document& doc, double weight, v1::SearchResponse* response) const {
  absl::StatusOr<v1::Article> article = index::ArticleHeadFromDocument(doc);
  if (!article.ok()) return article.status();
  v1::SearchHit* hit = response->add_hits();
  hit->set_id(article->id());
  hit->set_score(has_text_ ? weight : 0.0);
  hit->set_title(article->title());
  hit->set_title_highlighted(highlighter_.Highlight(article->title()));
  hit->set_url(article->url());
  hit->set_snippet(highlighter_.Snippet(analyzer::TruncateUtf8(article->body(), kSnippetWindowBytes), kSnippetChars));
  hit->set_category(article->category());
  *hit->mutable_tags() = article->tags();
  if (article->has_published()) *hit->mutable_published() = article->published();
  hit->set_comment_count(article->comment_count());
  hit->set_author(article->author());
  AddEquivalents(doc, hit);
  return absl::OkStatus();
}

void HitWriter::AddEquivalents(const Xapian::Document& doc, v1::SearchHit* hit) const {
  if (equivalent_uses_.empty()) return;
  std::set<std::string> wanted;
  for (const EquivalentUse& use : equivalent_uses_) {
    wanted.insert(use.written_terms.begin(), use.written_terms.end());
    wanted.insert(use.matched_terms.begin(), use.matched_terms.end());
  }
  // One walk of the post's term list, in term order.
  std::set<std::string> has;
  Xapian::TermIterator t = doc.termlist_begin();
  for (const std::string& term : wanted) {
    t.skip_to(term);
    if (t == doc.termlist_end()) break;
    if (*t == term) has.insert(term);
  }
  auto has_all = [&](const std::vector<std::string>& terms) {
    return std::all_of(terms.begin(), terms.end(), [&](const std::string& term) { return has.count(term) > 0; });
  };
  for (const EquivalentUse& use : equivalent_uses_) {
    if (has_all(use.written_terms) || !has_all(use.matched_terms)) continue;
    v1::EquivalentMatch* match = hit->add_equivalents();
    match->set_written(use.written);
    match->set_matched(use.matched);
    match->set_source(use.source);
  }
}

}  // namespace chaja::search
