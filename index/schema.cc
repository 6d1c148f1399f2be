#include "index/schema.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "analyzer/normalizer.h"
#include "analyzer/utf8.h"

namespace chaja::index {
namespace {

std::string BooleanTerm(absl::string_view prefix, absl::string_view value) {
  if (value.size() <= kMaxBooleanTermBytes) return absl::StrCat(prefix, value);
  return absl::StrCat(prefix, analyzer::TruncateUtf8(value, kMaxBooleanTermBytes), "#", StableHash(value));
}

bool IsSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string EncodeKeyed(const std::vector<KeyedValue>& values) {
  std::string out;
  for (const KeyedValue& v : values) {
    if (!out.empty()) out.push_back('\x1e');
    absl::StrAppend(&out, v.key, "\x1f", v.display);
  }
  return out;
}

std::vector<KeyedValue> DecodeKeyed(absl::string_view encoded) {
  std::vector<KeyedValue> out;
  if (encoded.empty()) return out;
  for (absl::string_view entry : absl::StrSplit(encoded, '\x1e')) {
    const size_t sep = entry.find('\x1f');
    if (sep == absl::string_view::npos) {
      out.push_back({std::string(entry), std::string(entry)});
    } else {
      out.push_back({std::string(entry.substr(0, sep)), std::string(entry.substr(sep + 1))});
    }
  }
  return out;
}

std::string StableHash(absl::string_view bytes) {
  // FNV-1a 64: stable across runs, builds and platforms, unlike std::hash.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return absl::StrFormat("%016x", h);
}

std::string NormalizeKey(absl::string_view value) {
  const std::string normalized = analyzer::Normalizer::Default().NormalizeToString(value);
  std::string out;
  out.reserve(normalized.size());
  bool pending_space = false;
  for (char c : normalized) {
    if (IsSpaceByte(c)) {
      pending_space = !out.empty() && out.back() != '/';
      continue;
    }
    if (c == '/') {
      pending_space = false;
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out.push_back('/');
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string IdTerm(absl::string_view id) { return BooleanTerm(kPrefixId, id); }
std::string TagTerm(absl::string_view tag) { return BooleanTerm(kPrefixTag, NormalizeKey(tag)); }
std::string CategoryTerm(absl::string_view category) {
  return BooleanTerm(kPrefixCategory, NormalizeKey(category));
}
std::string AuthorTerm(absl::string_view author) { return BooleanTerm(kPrefixAuthor, NormalizeKey(author)); }
std::string TagTermOfKey(absl::string_view key) { return BooleanTerm(kPrefixTag, key); }
std::string ChoseongTerm(absl::string_view initials, absl::string_view word) {
  return BooleanTerm(kPrefixChoseong, absl::StrCat(initials, " ", word));
}
absl::string_view WordOfChoseongTerm(absl::string_view term) {
  const size_t space = term.find(' ');
  return space == absl::string_view::npos ? absl::string_view() : term.substr(space + 1);
}
std::string TitleKeyTerm(absl::string_view title) { return BooleanTerm(kPrefixTitleKey, NormalizeKey(title)); }
std::string TitleChoseongTerm(absl::string_view initials) { return BooleanTerm(kPrefixTitleChoseong, initials); }

bool IsBodyTerm(absl::string_view term) { return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z'); }

}  // namespace chaja::index
