#include "analyzer/analyzer.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "analyzer/hangul.h"
#include "analyzer/normalizer.h"
#include "analyzer/utf8.h"

namespace chaja::analyzer {
namespace {

enum class CharClass : uint8_t { kHangul, kCjk, kLetter, kDigit, kConnector, kMark, kOther };

CharClass Classify(char32_t c) {
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return CharClass::kLetter;
    if (c >= '0' && c <= '9') return CharClass::kDigit;
    if (c == '-' || c == '.' || c == '_' || c == '\'') return CharClass::kConnector;
    return CharClass::kOther;
  }
  if (IsHangulSyllable(c)) return CharClass::kHangul;
  // Lone jamo (ㅋㅋ, ㅠㅠ, half-typed letters) carry no searchable meaning here.
  if ((c >= 0x1100 && c <= 0x11FF) || IsCompatibilityJamo(c) || (c >= 0xA960 && c <= 0xA97F) ||
      (c >= 0xD7B0 && c <= 0xD7FF)) {
    return CharClass::kOther;
  }
  if (c == 0x2019) return CharClass::kConnector;  // ’ in "don’t"
  const UChar32 uc = static_cast<UChar32>(c);
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(uc, &status);
  if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA) {
    return u_isUAlphabetic(uc) ? CharClass::kCjk : CharClass::kOther;
  }
  if (u_isdigit(uc)) return CharClass::kDigit;
  const int8_t type = u_charType(uc);
  if (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK) return CharClass::kMark;
  if (u_isUAlphabetic(uc)) return CharClass::kLetter;
  return CharClass::kOther;
}

bool IsAlnum(CharClass c) { return c == CharClass::kLetter || c == CharClass::kDigit; }

class TokenSink {
 public:
  TokenSink(uint32_t first_position, const std::function<void(const Token&)>* out)
      : position_(first_position), out_(out) {}

  void Add(std::string term, uint32_t begin, uint32_t end, TokenKind kind) {
    Token t;
    t.term = std::move(term);
    if (kind == TokenKind::kWord) t.stem = LightStem(t.term);
    t.position = position_++;
    t.begin = begin;
    t.end = end;
    t.kind = kind;
    (*out_)(t);
  }

  void AddAlias(std::string term, uint32_t position, uint32_t begin, uint32_t end) {
    Token t;
    t.term = std::move(term);
    t.stem = t.term;
    t.position = position;
    t.begin = begin;
    t.end = end;
    t.kind = TokenKind::kWord;
    t.is_alias = true;
    (*out_)(t);
  }

  uint32_t next_position() const { return position_; }

 private:
  uint32_t position_;
  const std::function<void(const Token&)>* out_;
};

// Bigrams over cps[b, e), which are all of one CJK class.
void EmitGrams(const std::vector<CodePoint>& cps, size_t b, size_t e, TokenSink* sink) {
  if (e - b == 1) {
    std::string term;
    AppendUtf8(cps[b].value, &term);
    sink->Add(std::move(term), cps[b].begin, cps[b].end, TokenKind::kCjkGram);
    return;
  }
  for (size_t i = b; i + 1 < e; ++i) {
    std::string term;
    AppendUtf8(cps[i].value, &term);
    AppendUtf8(cps[i + 1].value, &term);
    sink->Add(std::move(term), cps[i].begin, cps[i + 1].end, TokenKind::kCjkGram);
  }
}

// A compound: alphanumeric parts in cps[b, e), possibly joined by single
// connectors. Emits each part (split at letter/digit changes) plus the joined form.
void EmitCompound(const std::vector<CodePoint>& cps, const std::vector<CharClass>& classes, size_t b, size_t e,
                  TokenSink* sink) {
  const uint32_t first_position = sink->next_position();
  std::string joined;
  int parts = 0;
  size_t i = b;
  while (i < e) {
    const CharClass cls = classes[i];
    if (!IsAlnum(cls)) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < e && (classes[j] == cls || classes[j] == CharClass::kMark)) ++j;
    std::string part;
    for (size_t k = i; k < j; ++k) AppendUtf8(cps[k].value, &part);
    if (part.size() <= kMaxWordBytes) {
      joined += part;
      sink->Add(std::move(part), cps[i].begin, cps[j - 1].end, TokenKind::kWord);
      ++parts;
    }
    i = j;
  }
  if (parts >= 2 && joined.size() <= kMaxWordBytes) {
    sink->AddAlias(std::move(joined), first_position, cps[b].begin, cps[e - 1].end);
  }
}

}  // namespace

std::vector<Token> Analyzer::Analyze(absl::string_view text, uint32_t first_position) const {
  std::vector<Token> out;
  ForEachToken(text, first_position, [&out](const Token& t) { out.push_back(t); });
  return out;
}

void Analyzer::ForEachToken(absl::string_view text, uint32_t first_position,
                            const std::function<void(const Token&)>& emit) const {
  const std::vector<CodePoint> cps = Normalizer::Default().Normalize(text);
  std::vector<CharClass> classes(cps.size());
  for (size_t i = 0; i < cps.size(); ++i) classes[i] = Classify(cps[i].value);

  TokenSink sink(first_position, &emit);
  const size_t n = cps.size();
  size_t i = 0;
  while (i < n) {
    const CharClass cls = classes[i];
    if (cls == CharClass::kHangul || cls == CharClass::kCjk) {
      size_t j = i + 1;
      while (j < n && classes[j] == cls) ++j;
      EmitGrams(cps, i, j, &sink);
      i = j;
    } else if (IsAlnum(cls)) {
      // Extend over alnum runs and single connectors between alnum characters.
      size_t j = i + 1;
      while (j < n) {
        if (IsAlnum(classes[j]) || classes[j] == CharClass::kMark) {
          ++j;
        } else if (classes[j] == CharClass::kConnector && j + 1 < n && IsAlnum(classes[j + 1])) {
          j += 2;
        } else {
          break;
        }
      }
      EmitCompound(cps, classes, i, j, &sink);
      i = j;
    } else {
      ++i;
    }
  }
}

bool Analyzer::ContainsPhrase(absl::string_view text, const std::vector<std::string>& phrase) const {
  if (phrase.empty()) return true;
  // Each partial match in progress: how many phrase terms it has matched and
  // the position its next term must have. A phrase is short, so few are live.
  struct Partial {
    size_t matched;
    uint32_t next_position;
  };
  std::vector<Partial> partials, advanced;
  bool found = false;
  ForEachToken(text, 0, [&](const Token& t) {
    if (found || t.is_alias) return;
    advanced.clear();
    for (const Partial& p : partials) {
      if (t.position == p.next_position && t.term == phrase[p.matched]) {
        advanced.push_back({p.matched + 1, t.position + 1});
      } else if (t.position < p.next_position) {
        advanced.push_back(p);  // another token at an earlier position; keep waiting
      }
    }
    if (t.term == phrase[0]) advanced.push_back({1, t.position + 1});
    for (const Partial& p : advanced) {
      if (p.matched == phrase.size()) found = true;
    }
    partials.swap(advanced);
  });
  return found;
}

std::string LightStem(absl::string_view word) {
  const size_t n = word.size();
  auto ends_with = [&](absl::string_view suffix) {
    return n >= suffix.size() && word.substr(n - suffix.size()) == suffix;
  };
  // Only plain lower-case ASCII words of some length: names like "ios" or "gas" stay.
  if (n < 4) return std::string(word);
  for (char c : word) {
    if (c < 'a' || c > 'z') return std::string(word);
  }
  if (ends_with("ies") && !ends_with("eies") && !ends_with("aies")) {
    return std::string(word.substr(0, n - 3)) + "y";
  }
  if (ends_with("sses") || ends_with("xes") || ends_with("ches") || ends_with("shes")) {
    return std::string(word.substr(0, n - 2));
  }
  if (ends_with("s") && !ends_with("ss") && !ends_with("us") && !ends_with("is")) {
    return std::string(word.substr(0, n - 1));
  }
  return std::string(word);
}

}  // namespace chaja::analyzer
