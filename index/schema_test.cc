#include "index/schema.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "analyzer/utf8.h"
#include "gtest/gtest.h"

namespace chaja::index {
namespace {

// Xapian rejects terms longer than this many bytes.
constexpr size_t kXapianMaxTermBytes = 245;

bool IsValidUtf8(absl::string_view s) {
  for (const analyzer::CodePoint& cp : analyzer::DecodeUtf8(s)) {
    if (cp.value == analyzer::kReplacementChar) return false;
  }
  return true;
}

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s.data(), s.size());
  return out;
}

struct KeyCase {
  const char* input;
  const char* expected;
};

TEST(NormalizeKeyTest, FoldsCaseWidthAndSpacing) {
  const KeyCase cases[] = {
      {"OpenAI", "openai"},
      {"OPENAI", "openai"},
      {"TRANSFORMER", "transformer"},
      {"ＯｐｅｎＡＩ", "openai"},               // full-width Latin
      {"Ｐｙｔｈｏｎ３．１２", "python3.12"},  // full-width letters, digits, dot
      {"Stable   Diffusion", "stable diffusion"},
      {"  Stable Diffusion  ", "stable diffusion"},
      {"Stable\tDiffusion\n", "stable diffusion"},
      {"개발\u3000환경", "개발 환경"},  // ideographic space
      {"개발 / 파이썬", "개발/파이썬"},
      {"개발/ 파이썬", "개발/파이썬"},
      {"개발 /파이썬", "개발/파이썬"},
      {"개발/파이썬", "개발/파이썬"},
      {"일상 / 리뷰 / 2024", "일상/리뷰/2024"},
      {"오픈AI", "오픈ai"},
      {"이미지생성", "이미지생성"},
      {"", ""},
      {"   ", ""},
  };
  for (const KeyCase& c : cases) {
    EXPECT_EQ(NormalizeKey(c.input), c.expected) << "input: \"" << c.input << "\"";
  }
}

TEST(NormalizeKeyTest, DecomposedHangulEqualsComposed) {
  // 파이썬 in NFD (as macOS file names write it).
  const std::string nfd = "\u1111\u1161\u110B\u1175\u110A\u1165\u11AB";
  EXPECT_EQ(NormalizeKey(nfd), NormalizeKey("파이썬"));
  EXPECT_EQ(NormalizeKey(nfd), "파이썬");
}

TEST(NormalizeKeyTest, IsIdempotent) {
  for (const char* input : {"OpenAI", "개발 / 파이썬", "ＯｐｅｎＡＩ", "  a   b  "}) {
    const std::string once = NormalizeKey(input);
    EXPECT_EQ(NormalizeKey(once), once) << "input: " << input;
  }
}

TEST(SchemaTermTest, PrefixesComeFromSchemaConstants) {
  EXPECT_EQ(TagTerm("OpenAI"), absl::StrCat(kPrefixTag, "openai"));
  EXPECT_EQ(TagTerm("ＯｐｅｎＡＩ"), absl::StrCat(kPrefixTag, "openai"));
  EXPECT_EQ(CategoryTerm("개발 / 파이썬"), absl::StrCat(kPrefixCategory, "개발/파이썬"));
  EXPECT_EQ(CategoryTerm("AI 관련 소식"), absl::StrCat(kPrefixCategory, "ai 관련 소식"));
  EXPECT_EQ(IdTerm("post-001"), absl::StrCat(kPrefixId, "post-001"));
  EXPECT_EQ(AuthorTerm("탐구자"), absl::StrCat(kPrefixAuthor, "탐구자"));
}

TEST(SchemaTermTest, PrefixesAreDistinct) {
  // Boolean prefixes must not collide with each other or with the text prefix.
  const std::set<std::string> prefixes = {std::string(kPrefixTitle), std::string(kPrefixStem),
                                          std::string(kPrefixId),    std::string(kPrefixTag),
                                          std::string(kPrefixCategory), std::string(kPrefixAuthor)};
  EXPECT_EQ(prefixes.size(), 6u);
  EXPECT_TRUE(kPrefixText.empty());
  EXPECT_NE(TagTerm("x"), CategoryTerm("x"));
  EXPECT_NE(TagTerm("x"), IdTerm("x"));
}

TEST(SchemaTermTest, ValuesUpToTheLimitAreKeptWhole) {
  const std::string value(kMaxBooleanTermBytes, 'a');
  EXPECT_EQ(TagTerm(value), absl::StrCat(kPrefixTag, value));
  EXPECT_EQ(IdTerm(value), absl::StrCat(kPrefixId, value));
}

TEST(SchemaTermTest, OverlongValuesGiveTermsXapianAccepts) {
  const std::string latin(1000, 'a');
  const std::string hangul = Repeat("가", 400);  // 1200 bytes
  for (const std::string& value : {latin, hangul}) {
    for (const std::string& term : {TagTerm(value), CategoryTerm(value), IdTerm(value), AuthorTerm(value)}) {
      EXPECT_LE(term.size(), kXapianMaxTermBytes);
      EXPECT_GT(term.size(), kMaxBooleanTermBytes / 2) << "the cut keeps most of the value";
    }
  }
  EXPECT_TRUE(absl::StartsWith(TagTerm(latin), kPrefixTag));
  EXPECT_TRUE(absl::StartsWith(CategoryTerm(latin), kPrefixCategory));
  EXPECT_TRUE(absl::StartsWith(IdTerm(latin), kPrefixId));
}

TEST(SchemaTermTest, DistinctLongValuesGiveDistinctTerms) {
  // Same first 1000 bytes, different ends: a plain cut would merge them.
  const std::string base(1000, 'x');
  const std::string a = base + "a";
  const std::string b = base + "b";
  EXPECT_NE(TagTerm(a), TagTerm(b));
  EXPECT_NE(IdTerm(a), IdTerm(b));
  EXPECT_NE(CategoryTerm(a), CategoryTerm(b));
  // And a long value never collides with its own prefix as a short value.
  EXPECT_NE(IdTerm(a), IdTerm(base.substr(0, kMaxBooleanTermBytes)));
  // Stable: the same value always gives the same term.
  EXPECT_EQ(TagTerm(a), TagTerm(a));
  // Differently-cased long tags still meet after normalization.
  EXPECT_EQ(TagTerm(base + "A"), TagTerm(base + "a"));
}

TEST(SchemaTermTest, OverlongValuesAreCutOnUtf8Boundaries) {
  // One ASCII byte shifts the 3-byte syllables so that byte 200 falls inside one.
  for (const std::string& value : {Repeat("가", 400), "a" + Repeat("가", 400), "ab" + Repeat("가", 400),
                                   Repeat("😀", 300)}) {
    for (const std::string& term : {TagTerm(value), CategoryTerm(value), IdTerm(value)}) {
      EXPECT_LE(term.size(), kXapianMaxTermBytes);
      EXPECT_TRUE(IsValidUtf8(term)) << "value of " << value.size() << " bytes gave a term cut inside a character";
    }
  }
}

}  // namespace
}  // namespace chaja::index
