#include "analyzer/query_parser.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace chaja::analyzer {
namespace {

// Quote marks accepted around phrases: ASCII and the curly pair phones type.
constexpr absl::string_view kOpenQuotes[] = {"\"", "\u201C", "\u201D"};
constexpr absl::string_view kCloseQuotes[] = {"\"", "\u201D", "\u201C"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Length of the quote mark at the start of `s`, or 0.
size_t QuoteAt(absl::string_view s, const absl::string_view* quotes, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (absl::StartsWith(s, quotes[i])) return quotes[i].size();
  }
  return 0;
}

size_t OpenQuoteAt(absl::string_view s) { return QuoteAt(s, kOpenQuotes, 3); }
size_t CloseQuoteAt(absl::string_view s) { return QuoteAt(s, kCloseQuotes, 3); }

// Character (not byte) column of byte offset `pos`, 1-based, for messages.
size_t Column(absl::string_view s, size_t pos) {
  size_t col = 1;
  for (size_t i = 0; i < pos && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++col;
  }
  return col;
}

struct Lexed {
  QueryClause clause;
  bool is_or = false;
};

class Lexer {
 public:
  Lexer(absl::string_view q, bool typing) : q_(q), typing_(typing) {}

  // Next clause or OR; nullopt-like false at the end.
  absl::StatusOr<bool> Next(Lexed* out) {
    while (pos_ < q_.size() && IsSpace(q_[pos_])) ++pos_;
    if (pos_ >= q_.size()) return false;
    *out = Lexed();
    const size_t start = pos_;
    item_start_ = pos_;
    absl::string_view rest = q_.substr(pos_);
    if ((absl::StartsWith(rest, "OR") && (rest.size() == 2 || IsSpace(rest[2])))) {
      pos_ += 2;
      out->is_or = true;
      return true;
    }
    QueryClause& c = out->clause;
    if ((rest[0] == '-' || rest[0] == '+') && rest.size() > 1 && !IsSpace(rest[1]) && rest[1] != '-' &&
        rest[1] != '+') {
      (rest[0] == '-' ? c.excluded : c.required) = true;
      ++pos_;
      rest.remove_prefix(1);
    }
    // field:value
    static constexpr struct {
      absl::string_view name;
      QueryField field;
    } kFields[] = {{"tag:", QueryField::kTag}, {"category:", QueryField::kCategory}, {"title:", QueryField::kTitle}};
    for (const auto& f : kFields) {
      if (absl::StartsWith(rest, f.name)) {
        c.field = f.field;
        pos_ += f.name.size();
        rest.remove_prefix(f.name.size());
        if (rest.empty() || IsSpace(rest[0])) {
          if (typing_) return true;  // the value is still to come: an empty clause, left out
          return absl::InvalidArgumentError(absl::StrFormat(
              "%s at character %d needs a value, for example %sOpenAI or %s\"AI 관련 소식\"", f.name,
              Column(q_, start), f.name, f.name));
        }
        break;
      }
    }
    if (size_t qlen = OpenQuoteAt(rest)) return ReadPhrase(qlen, &c);
    const size_t word_begin = pos_;
    while (pos_ < q_.size() && !IsSpace(q_[pos_]) && OpenQuoteAt(q_.substr(pos_)) == 0) ++pos_;
    c.text = std::string(q_.substr(word_begin, pos_ - word_begin));
    return true;
  }

  // Byte offset where the last item returned by Next() starts.
  size_t item_start() const { return item_start_; }

 private:
  // The phrase whose opening quote (`qlen` bytes) is at pos_, into `c`.
  absl::StatusOr<bool> ReadPhrase(size_t qlen, QueryClause* c) {
    const size_t open = pos_;
    pos_ += qlen;
    const size_t text_begin = pos_;
    while (pos_ < q_.size() && CloseQuoteAt(q_.substr(pos_)) == 0) ++pos_;
    if (pos_ >= q_.size() && !typing_) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "the phrase that starts at character %d has no closing quote (\"); add one or remove the quote",
          Column(q_, open)));
    }
    // Still being typed, an unclosed phrase runs to the end.
    c->text = std::string(q_.substr(text_begin, pos_ - text_begin));
    c->phrase = true;
    if (pos_ < q_.size()) pos_ += CloseQuoteAt(q_.substr(pos_));
    return true;
  }

  absl::string_view q_;
  const bool typing_;
  size_t pos_ = 0;
  size_t item_start_ = 0;
};

// Why an OR at `or_pos` cannot join `parsed`'s last group to the next clause, or OK.
absl::Status MisplacedOr(const ParsedQuery& parsed, bool pending_or, absl::string_view query, size_t or_pos) {
  if (parsed.groups.empty() || pending_or) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "OR at character %d needs a word on each side, as in 우분투 OR ubuntu", Column(query, or_pos)));
  }
  if (parsed.groups.back().alternatives.back().excluded) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "OR at character %d follows an excluded word; write exclusions on their own", Column(query, or_pos)));
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

// Where the (max_words + 1)th word starts, or the phrase holding it; npos
// when the query has no more words.
size_t WordLimitOffset(absl::string_view query, size_t max_words) {
  size_t words = 0;
  bool in_word = false;
  bool in_phrase = false;
  size_t phrase_word_start = 0;
  size_t word_start = 0;
  for (size_t i = 0; i < query.size();) {
    if (IsSpace(query[i])) {
      in_word = false;
      ++i;
      continue;
    }
    if (!in_word) {
      in_word = true;
      word_start = i;
      if (++words > max_words) return in_phrase ? phrase_word_start : word_start;
    }
    const size_t quote = in_phrase ? CloseQuoteAt(query.substr(i)) : OpenQuoteAt(query.substr(i));
    if (quote > 0) {
      if (!in_phrase) phrase_word_start = word_start;
      in_phrase = !in_phrase;
    }
    i += std::max<size_t>(quote, 1);
  }
  return absl::string_view::npos;
}

// `text` without trailing spaces and a dangling OR.
absl::string_view TrimDanglingOr(absl::string_view text) {
  for (;;) {
    text = absl::StripTrailingAsciiWhitespace(text);
    if (text != "OR" && !absl::EndsWith(text, " OR")) return text;
    text.remove_suffix(2);
  }
}

}  // namespace

absl::StatusOr<QueryCut> CutQueryAtWords(absl::string_view query, size_t max_words) {
  const size_t cut = WordLimitOffset(query, max_words);
  if (cut == absl::string_view::npos) return QueryCut{std::string(query), ""};
  const absl::string_view searched = TrimDanglingOr(query.substr(0, cut));
  if (searched.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the phrase is longer than ", max_words, " words; search for a shorter part of it"));
  }
  return QueryCut{std::string(searched), std::string(query.substr(cut))};
}

absl::StatusOr<ParsedQuery> ParseQuery(absl::string_view query, const ParseOptions& options) {
  if (query.size() > kMaxQueryBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the query is ", query.size(), " bytes long; the limit is ", kMaxQueryBytes));
  }
  ParsedQuery parsed;
  Lexer lexer(query, options.typing);
  bool pending_or = false;
  size_t or_pos = 0;
  for (;;) {
    Lexed item;
    absl::StatusOr<bool> more = lexer.Next(&item);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (item.is_or) {
      or_pos = lexer.item_start();
      const absl::Status misplaced = MisplacedOr(parsed, pending_or, query, or_pos);
      if (!misplaced.ok() && !options.typing) return misplaced;
      pending_or = misplaced.ok();  // typing: a misplaced OR is ignored
      continue;
    }
    if (item.clause.text.empty()) {
      if (!options.typing && (item.clause.field == QueryField::kTag || item.clause.field == QueryField::kCategory)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s at character %d needs a value, for example tag:OpenAI or category:\"AI 관련 소식\"",
            item.clause.field == QueryField::kTag ? "tag:" : "category:", Column(query, lexer.item_start())));
      }
      continue;  // "" — nothing to search for
    }
    if (pending_or && item.clause.excluded) {
      if (!options.typing) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "OR at character %d is followed by an excluded word; write exclusions on their own",
            Column(query, or_pos)));
      }
      pending_or = false;  // typing: the OR is ignored, the exclusion stands alone
    }
    if (pending_or) {
      parsed.groups.back().alternatives.push_back(std::move(item.clause));
      pending_or = false;
    } else {
      parsed.groups.push_back(QueryGroup{{std::move(item.clause)}});
    }
  }
  if (pending_or && !options.typing) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "OR at character %d needs a word on each side, as in 우분투 OR ubuntu", Column(query, or_pos)));
  }
  return parsed;
}

}  // namespace chaja::analyzer
