#include "analyzer/utf8.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace chaja::analyzer {
namespace {

// "U+XXXX[begin,end)" for every decoded code point, space separated.
std::string Decoded(absl::string_view text) {
  std::vector<std::string> parts;
  for (const CodePoint& cp : DecodeUtf8(text)) {
    parts.push_back(absl::StrFormat("U+%04X[%d,%d)", static_cast<uint32_t>(cp.value), cp.begin, cp.end));
  }
  return absl::StrJoin(parts, " ");
}

std::string Encoded(char32_t c) {
  std::string out;
  AppendUtf8(c, &out);
  return out;
}

// Every byte of `text` is covered exactly once, in order.
void ExpectRangesTile(const std::vector<CodePoint>& cps, size_t size) {
  uint32_t next = 0;
  for (const CodePoint& cp : cps) {
    ASSERT_EQ(cp.begin, next);
    ASSERT_LT(cp.begin, cp.end);
    next = cp.end;
  }
  ASSERT_EQ(next, size);
}

bool IsValidUtf8(absl::string_view text) {
  for (const CodePoint& cp : DecodeUtf8(text)) {
    if (cp.value == kReplacementChar && cp.end - cp.begin != 3) return false;
  }
  return true;
}

struct DecodeCase {
  const char* name;
  std::string input;
  const char* expected;
};

TEST(DecodeUtf8Test, DecodesValidSequencesOfEveryLength) {
  const DecodeCase cases[] = {
      {"empty", "", ""},
      {"ascii", "aZ~", "U+0061[0,1) U+005A[1,2) U+007E[2,3)"},
      {"nul", std::string("\0", 1), "U+0000[0,1)"},
      {"del", "\x7F", "U+007F[0,1)"},
      {"two-byte min", "\xC2\x80", "U+0080[0,2)"},
      {"two-byte e-acute", "\xC3\xA9", "U+00E9[0,2)"},
      {"two-byte max", "\xDF\xBF", "U+07FF[0,2)"},
      {"three-byte min", "\xE0\xA0\x80", "U+0800[0,3)"},
      {"hangul", "한국", "U+D55C[0,3) U+AD6D[3,6)"},
      {"last before surrogates", "\xED\x9F\xBF", "U+D7FF[0,3)"},
      {"first after surrogates", "\xEE\x80\x80", "U+E000[0,3)"},
      {"replacement char itself", "\xEF\xBF\xBD", "U+FFFD[0,3)"},
      {"three-byte max", "\xEF\xBF\xBF", "U+FFFF[0,3)"},
      {"four-byte min", "\xF0\x90\x80\x80", "U+10000[0,4)"},
      {"emoji", "👍", "U+1F44D[0,4)"},
      {"four-byte max", "\xF4\x8F\xBF\xBF", "U+10FFFF[0,4)"},
      {"mixed", "A한👍é", "U+0041[0,1) U+D55C[1,4) U+1F44D[4,8) U+00E9[8,10)"},
  };
  for (const DecodeCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Decoded(c.input), c.expected);
  }
}

TEST(DecodeUtf8Test, InvalidBytesBecomeOneByteReplacementChars) {
  const DecodeCase cases[] = {
      {"overlong NUL (C0 80)", "\xC0\x80", "U+FFFD[0,1) U+FFFD[1,2)"},
      {"overlong slash (C1 BF)", "\xC1\xBF", "U+FFFD[0,1) U+FFFD[1,2)"},
      {"overlong three-byte", "\xE0\x80\xAF", "U+FFFD[0,1) U+FFFD[1,2) U+FFFD[2,3)"},
      {"overlong three-byte max", "\xE0\x9F\xBF", "U+FFFD[0,1) U+FFFD[1,2) U+FFFD[2,3)"},
      {"overlong four-byte", "\xF0\x8F\xBF\xBF", "U+FFFD[0,1) U+FFFD[1,2) U+FFFD[2,3) U+FFFD[3,4)"},
      {"high surrogate", "\xED\xA0\x80", "U+FFFD[0,1) U+FFFD[1,2) U+FFFD[2,3)"},
      {"low surrogate", "\xED\xBF\xBF", "U+FFFD[0,1) U+FFFD[1,2) U+FFFD[2,3)"},
      {"above U+10FFFF", "\xF4\x90\x80\x80", "U+FFFD[0,1) U+FFFD[1,2) U+FFFD[2,3) U+FFFD[3,4)"},
      {"F5 lead", "\xF5\x80\x80\x80", "U+FFFD[0,1) U+FFFD[1,2) U+FFFD[2,3) U+FFFD[3,4)"},
      {"FE and FF", "\xFE\xFF", "U+FFFD[0,1) U+FFFD[1,2)"},
      {"five-byte lead", "\xF8\x88\x80\x80\x80",
       "U+FFFD[0,1) U+FFFD[1,2) U+FFFD[2,3) U+FFFD[3,4) U+FFFD[4,5)"},
      {"lone continuation", "\x80", "U+FFFD[0,1)"},
      {"continuations between ascii", "a\x80\xBF" "b", "U+0061[0,1) U+FFFD[1,2) U+FFFD[2,3) U+0062[3,4)"},
      {"truncated two-byte at end", "a\xC3", "U+0061[0,1) U+FFFD[1,2)"},
      {"truncated three-byte at end", "\xE2\x82", "U+FFFD[0,1) U+FFFD[1,2)"},
      {"truncated four-byte at end", "\xF0\x9F\x91", "U+FFFD[0,1) U+FFFD[1,2) U+FFFD[2,3)"},
      {"truncated three-byte before ascii", "\xE2\x82" "a", "U+FFFD[0,1) U+FFFD[1,2) U+0061[2,3)"},
      {"truncated hangul before hangul", "\xED\x95" "한", "U+FFFD[0,1) U+FFFD[1,2) U+D55C[2,5)"},
      {"lead byte interrupted by lead byte", "\xC3\xC3\xA9", "U+FFFD[0,1) U+00E9[1,3)"},
      {"valid parts survive", "한\xFF국", "U+D55C[0,3) U+FFFD[3,4) U+AD6D[4,7)"},
  };
  for (const DecodeCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Decoded(c.input), c.expected);
  }
}

// Every two-byte string: the ranges tile the input, and whatever decodes to a
// real code point re-encodes to exactly the bytes it came from.
TEST(DecodeUtf8Test, CoversEveryByteOfEveryTwoByteString) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string text = {static_cast<char>(a), static_cast<char>(b)};
      const std::vector<CodePoint> cps = DecodeUtf8(text);
      ExpectRangesTile(cps, text.size());
      for (const CodePoint& cp : cps) {
        if (cp.value == kReplacementChar) {
          ASSERT_EQ(cp.end - cp.begin, 1u) << absl::StrFormat("%02X %02X", a, b);
        } else {
          ASSERT_EQ(Encoded(cp.value), text.substr(cp.begin, cp.end - cp.begin))
              << absl::StrFormat("%02X %02X", a, b);
        }
      }
      if (HasFatalFailure()) return;
    }
  }
}

TEST(AppendUtf8Test, EncodesBoundaryCodePoints) {
  const struct {
    char32_t c;
    std::string expected;
  } cases[] = {
      {0x0000, std::string("\0", 1)},
      {0x0041, "A"},
      {0x007F, "\x7F"},
      {0x0080, "\xC2\x80"},
      {0x07FF, "\xDF\xBF"},
      {0x0800, "\xE0\xA0\x80"},
      {U'한', "한"},
      {0xD7FF, "\xED\x9F\xBF"},
      {0xE000, "\xEE\x80\x80"},
      {0xFFFF, "\xEF\xBF\xBF"},
      {0x10000, "\xF0\x90\x80\x80"},
      {U'👍', "👍"},
      {0x10FFFF, "\xF4\x8F\xBF\xBF"},
      // Not scalar values: U+FFFD instead.
      {0xD800, "\xEF\xBF\xBD"},
      {0xDFFF, "\xEF\xBF\xBD"},
      {0x110000, "\xEF\xBF\xBD"},
      {0xFFFFFFFF, "\xEF\xBF\xBD"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StrFormat("U+%04X", static_cast<uint32_t>(c.c)));
    EXPECT_EQ(Encoded(c.c), c.expected);
  }
}

TEST(AppendUtf8Test, AppendsToExistingText) {
  std::string out = "ab";
  AppendUtf8(U'한', &out);
  AppendUtf8(U'c', &out);
  EXPECT_EQ(out, "ab한c");
}

// Every Unicode scalar value survives AppendUtf8 → DecodeUtf8 as one code point.
TEST(AppendUtf8Test, RoundTripsEveryScalarValue) {
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string bytes = Encoded(c);
    const size_t expected_len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    ASSERT_EQ(bytes.size(), expected_len) << absl::StrFormat("U+%04X", static_cast<uint32_t>(c));
    const std::vector<CodePoint> cps = DecodeUtf8(bytes);
    ASSERT_EQ(cps.size(), 1u) << absl::StrFormat("U+%04X", static_cast<uint32_t>(c));
    ASSERT_EQ(cps[0].value, c);
    ASSERT_EQ(cps[0].begin, 0u);
    ASSERT_EQ(cps[0].end, expected_len);
  }
}

TEST(AppendUtf8Test, RoundTripsDecodedText) {
  const std::string text = "GPT-4o와 한국어 검색 👍🏽 café \u1112\u1161\u11AB";
  std::string out;
  for (const CodePoint& cp : DecodeUtf8(text)) AppendUtf8(cp.value, &out);
  EXPECT_EQ(out, text);
}

struct TruncateCase {
  std::string text;
  size_t max_bytes;
  std::string expected;
};

TEST(TruncateUtf8Test, CutsOnlyBetweenSequences) {
  const TruncateCase cases[] = {
      {"", 0, ""},
      {"", 5, ""},
      {"abc", 0, ""},
      {"abc", 2, "ab"},
      {"abc", 3, "abc"},
      {"abc", 100, "abc"},
      {"한국어", 0, ""},
      {"한국어", 1, ""},
      {"한국어", 2, ""},
      {"한국어", 3, "한"},
      {"한국어", 4, "한"},
      {"한국어", 5, "한"},
      {"한국어", 6, "한국"},
      {"한국어", 8, "한국"},
      {"한국어", 9, "한국어"},
      {"a👍", 1, "a"},
      {"a👍", 4, "a"},
      {"a👍", 5, "a👍"},
      {"éa", 1, ""},
      {"éa", 2, "é"},
  };
  for (const TruncateCase& c : cases) {
    SCOPED_TRACE(absl::StrCat("\"", c.text, "\" to ", c.max_bytes));
    EXPECT_EQ(TruncateUtf8(c.text, c.max_bytes), c.expected);
  }
}

// For every limit, the result is the longest valid prefix that fits.
TEST(TruncateUtf8Test, ReturnsLongestWholeCharacterPrefixForEveryLimit) {
  const std::string text = "AI 한국어👍é \u1112\u1161\u11AB!";
  std::vector<size_t> boundaries;
  for (const CodePoint& cp : DecodeUtf8(text)) boundaries.push_back(cp.begin);
  boundaries.push_back(text.size());
  for (size_t max = 0; max <= text.size() + 2; ++max) {
    SCOPED_TRACE(max);
    const absl::string_view got = TruncateUtf8(text, max);
    size_t expected = 0;
    for (size_t b : boundaries) {
      if (b <= max) expected = b;
    }
    EXPECT_EQ(got.size(), expected);
    EXPECT_EQ(got.data(), text.data());  // A prefix view, not a copy.
    EXPECT_TRUE(IsValidUtf8(got));
  }
}

TEST(TruncateUtf8Test, NeverCutsInsideASequenceOfInvalidText) {
  const std::string text = "a\xE2\x82" "b\xF0\x9F\x91\x8D\xFF한";
  for (size_t max = 0; max <= text.size(); ++max) {
    SCOPED_TRACE(max);
    const absl::string_view got = TruncateUtf8(text, max);
    ASSERT_LE(got.size(), max);
    ASSERT_EQ(got, absl::string_view(text).substr(0, got.size()));
    // The cut falls on a boundary of the decoded text.
    bool on_boundary = got.size() == text.size();
    for (const CodePoint& cp : DecodeUtf8(text)) on_boundary |= cp.begin == got.size();
    EXPECT_TRUE(on_boundary);
  }
}

TEST(TruncateUtf8Test, KeepsLoneContinuationBytesThatFit) {
  // BUG: TruncateUtf8 steps back over every continuation byte, even ones that
  // DecodeUtf8 treats as separate one-byte U+FFFD characters, so it returns ""
  // here instead of the longest prefix "a\x80\x80" that ends on a boundary.
  const std::string text = "a\x80\x80\x80\x80";
  EXPECT_EQ(TruncateUtf8(text, 3), "a\x80\x80");
}

TEST(Utf8Test, CodePointsRoundTrip) {
  EXPECT_EQ(ToCodePoints("패권 ㄱa"), (std::u32string{U'패', U'권', U' ', U'ㄱ', U'a'}));
  EXPECT_EQ(ToUtf8(U"패권 ㄱa"), "패권 ㄱa");
  EXPECT_EQ(ToCodePoints("\xff"), std::u32string(1, kReplacementChar));
  EXPECT_EQ(ToUtf8(ToCodePoints("")), "");
}



}  // namespace
}  // namespace chaja::analyzer
