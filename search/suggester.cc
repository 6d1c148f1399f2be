#include "search/suggester.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "analyzer/hangul.h"
#include "analyzer/jamo.h"
#include "analyzer/query_parser.h"
#include "analyzer/utf8.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/status.h"
#include "search/lexicon.h"
#include "search/page_token.h"
#include "search/query_reading.h"

namespace chaja::search {
namespace {

using v1::SuggestionKind;

constexpr char kAfterAll = '\xff';
// Titles read per suggestion list: each costs a document lookup.
constexpr size_t kMaxTitlesRead = 64;


struct Candidate {
  std::string text;
  SuggestionKind kind;
  uint64_t count = 0;
  int rank_class = 0;  // 0 literal, 1 초성, 2 the other keyboard mode
};

class Collector {
 public:
  Collector(const Xapian::Database& db, const index::SiteColumns* columns, const TagGroups* tag_groups,
            const Lexicon& lexicon)
      : db_(db), columns_(columns), tag_groups_(tag_groups), lexicon_(lexicon) {}

  // Titles whose key terms (title key or title 초성) lie in `ranges`.
  void Titles(const std::vector<std::pair<std::string, std::string>>& ranges, int rank_class) {
    size_t read = 0;
    lexicon_.ForEachInRanges(ranges, [&](const std::string& term, uint64_t) {
      for (Xapian::PostingIterator p = db_.postlist_begin(term); p != db_.postlist_end(term) && read < kMaxTitlesRead;
           ++p, ++read) {
        absl::StatusOr<v1::Article> article = index::ArticleHeadFromDocument(db_.get_document(*p));
        if (article.ok()) Add({article->title(), v1::SUGGESTION_KIND_TITLE, 1, rank_class});
      }
      return read < kMaxTitlesRead;
    });
  }

  // Tags and categories whose key (or, for 초성, whose initials) matches.
  void Names(const std::function<bool(const std::string& key, const std::string& display)>& matches, int rank_class) {
    if (columns_ == nullptr) return;
    for (uint32_t id = 0; id < columns_->tag_count(); ++id) {
      if (!matches(columns_->tag_key(id), columns_->tag_display(id))) continue;
      Add({columns_->tag_display(id), v1::SUGGESTION_KIND_TAG, TagPosts(id), rank_class});
    }
    for (uint32_t id = 0; id < columns_->category_count(); ++id) {
      if (!matches(columns_->category_key(id), columns_->category_display(id))) continue;
      Add({columns_->category_display(id), v1::SUGGESTION_KIND_CATEGORY,
           lexicon_.Frequency(index::CategoryTerm(columns_->category_key(id))), rank_class});
    }
  }

  // The posts of a tag: of its merged tag when tags are merged.
  uint64_t TagPosts(uint32_t id) const {
    if (tag_groups_ != nullptr) return tag_groups_->posts(tag_groups_->group_of(id));
    return lexicon_.Frequency(index::TagTermOfKey(columns_->tag_key(id)));
  }

  // One suggestion per text (case and width aside): the best class wins, and
  // a title, tag or category over a bare word.
  void Add(Candidate c) {
    if (c.text.empty()) return;
    auto [it, added] = seen_.try_emplace(index::NormalizeKey(c.text), candidates_.size());
    if (added) {
      candidates_.push_back(std::move(c));
      return;
    }
    Candidate& old = candidates_[it->second];
    const bool named = c.kind != v1::SUGGESTION_KIND_TERM;
    if (c.rank_class < old.rank_class || (c.rank_class == old.rank_class && named && old.kind == v1::SUGGESTION_KIND_TERM)) {
      c.count = std::max(c.count, old.count);
      old = std::move(c);
    }
  }

  // Best first: by class; after two words or more the reader is typing a
  // title, so titles lead; then by count.
  v1::SuggestResponse Best(size_t limit, bool titles_first) {
    std::stable_sort(candidates_.begin(), candidates_.end(), [&](const Candidate& a, const Candidate& b) {
      if (a.rank_class != b.rank_class) return a.rank_class < b.rank_class;
      const bool a_title = a.kind == v1::SUGGESTION_KIND_TITLE, b_title = b.kind == v1::SUGGESTION_KIND_TITLE;
      if (titles_first && a_title != b_title) return a_title;
      return a.count > b.count;
    });
    v1::SuggestResponse response;
    for (size_t i = 0; i < candidates_.size() && i < limit; ++i) {
      v1::Suggestion* s = response.add_suggestions();
      s->set_text(candidates_[i].text);
      s->set_kind(candidates_[i].kind);
      s->set_count(candidates_[i].count);
    }
    return response;
  }

  const Lexicon& lexicon() const { return lexicon_; }

 private:
  const Xapian::Database& db_;
  const index::SiteColumns* columns_;
  const TagGroups* tag_groups_;
  const Lexicon& lexicon_;
  std::vector<Candidate> candidates_;
  absl::flat_hash_map<std::string, size_t> seen_;
};

// The words of titles, tags and categories (the 초성 terms carry them) whose
// initials start with `initials` and that `keep` accepts.
void ChoseongNamedWords(absl::string_view initials, const std::function<bool(const std::string&)>& keep,
                        const std::string& before, int rank_class, Collector* out) {
  const std::string from = index::ChoseongTerm(initials, "");
  const std::string start = from.substr(0, from.size() - 1);
  size_t walked = 0;
  out->lexicon().ForEachInRange(start, start + kAfterAll, [&](const std::string& term, uint64_t count) {
    const std::string word(index::WordOfChoseongTerm(term));
    if (keep(word)) out->Add({before + word, v1::SUGGESTION_KIND_TERM, count, rank_class});
    return ++walked < kMaxTitlesRead * 16;
  });
}

// Words the last word of `text` may become; the suggestion is `text` with it.
// Hangul words come from the site's titles, tags and categories; Latin ones
// from every post.
void Words(absl::string_view text, int rank_class, Collector* out) {
  const size_t space = text.find_last_of(' ');
  const size_t b = space == absl::string_view::npos ? 0 : space + 1;
  const std::string before(text.substr(0, b));
  const absl::string_view word = text.substr(b);
  if (word.empty()) return;
  const std::u32string chars = analyzer::ToCodePoints(word);
  if (analyzer::IsHangulSyllable(chars.front())) {
    std::string initials = analyzer::Choseong(word);
    if (!analyzer::IsHangulSyllable(chars.back())) analyzer::AppendUtf8(chars.back(), &initials);
    const TypedText typed = TypedOf(word);
    ChoseongNamedWords(initials, [&](const std::string& w) { return StartsWithTyped(w, typed); }, before, rank_class,
                       out);
    return;
  }
  const std::string latin = absl::AsciiStrToLower(word);
  for (const TermCount& t : CompleteLatin(latin, out->lexicon(), "", kMaxSuggestions)) {
    out->Add({before + t.term, v1::SUGGESTION_KIND_TERM, t.count, rank_class});
  }
}

// Everything that starts with `text` as typed.
void Literal(absl::string_view text, int rank_class, Collector* out) {
  const TypedText typed = TypedOf(text);
  if (typed.stem.empty() && typed.last == 0) return;
  out->Titles(TypedRanges(index::kPrefixTitleKey, typed), rank_class);
  out->Names([&](const std::string& key, const std::string&) { return StartsWithTyped(key, typed); }, rank_class);
  Words(text, rank_class, out);
}

// Everything whose 초성 starts with `initials`.
void Choseong(const std::string& initials, Collector* out) {
  const std::string title_from = index::TitleChoseongTerm(initials);
  out->Titles({{title_from, title_from + kAfterAll}}, 1);
  out->Names(
      [&](const std::string&, const std::string& display) {
        std::string name_initials = analyzer::Choseong(display);
        return absl::StartsWith(name_initials, initials);
      },
      1);
  ChoseongNamedWords(initials, [](const std::string&) { return true; }, "", 1, out);
  // The site's frequent words of those initials, found by chaining grams, come
  // after every name: they may be pieces of words (음부터 for ㅇㅂㅌ).
  for (const TermCount& t : ChoseongWords(initials, out->lexicon(), kMaxSuggestions)) {
    out->Add({t.term, v1::SUGGESTION_KIND_TERM, t.count, 3});
  }
}

std::string WithoutSpaces(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (!absl::ascii_isspace(c)) out.push_back(c);
  }
  return out;
}

}  // namespace

absl::StatusOr<v1::SuggestResponse> Suggest(const v1::SuggestRequest& request, const Xapian::Database& db,
                                            const index::SiteColumns* columns, const TagGroups* tag_groups) {
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.limit(), kMaxSuggestions, "limit"));
  if (request.prefix().size() > analyzer::kMaxQueryBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the prefix is longer than ", analyzer::kMaxQueryBytes, " bytes"));
  }
  if (!analyzer::IsValidUtf8(request.prefix())) return absl::InvalidArgumentError("the prefix is not UTF-8");
  const size_t limit = request.limit() == 0 ? kDefaultSuggestions : request.limit();
  const XapianLexicon lexicon(&db);
  Collector out(db, columns, tag_groups, lexicon);
  std::string interpreted;
  try {
    const std::string initials = WithoutSpaces(request.prefix());
    if (analyzer::IsChoseongOnly(initials)) {
      if (analyzer::DecodeUtf8(initials).size() >= 2) Choseong(initials, &out);
    } else if (!initials.empty()) {
      Literal(request.prefix(), 0, &out);
      const std::string read = ReadKeyboardMistypes(request.prefix(), lexicon, /*typing=*/true);
      if (read != request.prefix()) {
        interpreted = read;
        Literal(read, 2, &out);
      }
    }
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "suggesting");
  }
  CHAJA_RETURN_IF_ERROR(lexicon.status());
  const bool several_words = absl::StrContains(absl::StripAsciiWhitespace(request.prefix()), ' ');
  v1::SuggestResponse response = out.Best(limit, several_words);
  response.set_interpreted_prefix(interpreted);
  return response;
}

}  // namespace chaja::search
