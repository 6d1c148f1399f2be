#include "indexer/encoding.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace chaja::indexer {
namespace {

// "한글" in CP949; 똠 (C6 C6 in UHC-only code space … tested via 0x8C 0x63 region) below.
constexpr char kHangulCp949[] = "\xC7\xD1\xB1\xDB";
// 똠 is not in KS X 1001: only windows-949 (what "EUC-KR" means on the web) has it.
constexpr char kDdomCp949[] = "\x8C\x63";

TEST(DeclaredCharsetTest, ReadsXmlDeclarationsMetaTagsAndByteOrderMarks) {
  EXPECT_EQ(DeclaredCharset("<?xml version=\"1.0\" encoding=\"EUC-KR\"?><rss/>"), "euc-kr");
  EXPECT_EQ(DeclaredCharset("<?xml version='1.0' encoding='cp949' ?>"), "cp949");
  EXPECT_EQ(DeclaredCharset("<?xml version=\"1.0\"?><rss/>"), "");
  EXPECT_EQ(DeclaredCharset("<html><head><meta charset=\"euc-kr\"></head>"), "euc-kr");
  EXPECT_EQ(DeclaredCharset("<html><head><meta charset=utf-8>"), "utf-8");
  EXPECT_EQ(DeclaredCharset("<HTML><HEAD><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; "
                            "charset=ks_c_5601-1987\">"),
            "ks_c_5601-1987");
  EXPECT_EQ(DeclaredCharset("<html><head><meta name=\"viewport\" content=\"width=device-width\">"), "");
  EXPECT_EQ(DeclaredCharset("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"euc-kr\"?>"), "utf-8");
  EXPECT_EQ(DeclaredCharset("plain text"), "");
}

TEST(DecodeToUtf8Test, KoreanLabelsDecodeAsWindows949) {
  for (const char* label : {"euc-kr", "EUC-KR", "cp949", "ks_c_5601-1987", "windows-949", "x-windows-949"}) {
    absl::StatusOr<DecodedText> d = DecodeToUtf8(std::string(kHangulCp949) + kDdomCp949, label);
    ASSERT_TRUE(d.ok()) << label << ": " << d.status();
    EXPECT_EQ(d->utf8, "한글똠") << label;
    EXPECT_EQ(d->invalid_sequences, 0u) << label;
    EXPECT_EQ(DecodingWarning(*d), "") << label;
  }
}

TEST(DecodeToUtf8Test, InvalidSequencesAreReplacedAndCountedWithTheirLine) {
  // A lead byte followed by a byte that cannot trail it, on line 3.
  absl::StatusOr<DecodedText> d = DecodeToUtf8(std::string("첫\n둘\n") + "\xC7\x0A" + kHangulCp949, "euc-kr");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_GE(d->invalid_sequences, 1u);
  EXPECT_NE(d->utf8.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_NE(d->utf8.find("한글"), std::string::npos);
  EXPECT_NE(DecodingWarning(*d).find("line"), std::string::npos) << DecodingWarning(*d);
}

TEST(DecodeToUtf8Test, UndeclaredUtf8PassesThroughWithoutItsBom) {
  absl::StatusOr<DecodedText> d = DecodeToUtf8("\xEF\xBB\xBF한국어 text", "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->utf8, "한국어 text");
  EXPECT_FALSE(d->guessed);
  EXPECT_EQ(DecodingWarning(*d), "");
}

TEST(DecodeToUtf8Test, UndeclaredCp949IsGuessedWithAWarning) {
  absl::StatusOr<DecodedText> d = DecodeToUtf8(std::string("<p>") + kHangulCp949 + "</p>", "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->utf8, "<p>한글</p>");
  EXPECT_TRUE(d->guessed);
  EXPECT_NE(DecodingWarning(*d), "");
}

TEST(DecodeToUtf8Test, Cp949DeclaredAsUtf8IsDecodedAsCp949WithAWarning) {
  for (const std::string label : {"utf-8", "UTF8"}) {
    absl::StatusOr<DecodedText> d = DecodeToUtf8(std::string("<p>") + kHangulCp949 + "</p>", label);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->utf8, "<p>한글</p>") << label;
    EXPECT_TRUE(d->guessed);
    EXPECT_TRUE(absl::StartsWith(DecodingWarning(*d), "the declared charset is wrong")) << DecodingWarning(*d);
  }
}

TEST(DecodeToUtf8Test, UndeclaredGarbageIsReplacedNotFatal) {
  absl::StatusOr<DecodedText> d = DecodeToUtf8("ok \xFF\xFF\xFF end", "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->invalid_sequences, 3u);
  EXPECT_EQ(d->first_invalid_line, 1u);
  EXPECT_NE(d->utf8.find("end"), std::string::npos);
}

TEST(DecodeToUtf8Test, OtherCharsetsGoToIcuAndUnknownOnesAreAnError) {
  absl::StatusOr<DecodedText> latin = DecodeToUtf8("caf\xE9", "iso-8859-1");
  ASSERT_TRUE(latin.ok());
  EXPECT_EQ(latin->utf8, "café");
  absl::StatusOr<DecodedText> utf16 = DecodeToUtf8(std::string("\xFF\xFE\x5C\xD5", 4), "utf-16le");
  ASSERT_TRUE(utf16.ok());
  EXPECT_EQ(utf16->utf8, "한");
  EXPECT_EQ(DecodeToUtf8("x", "no-such-charset").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace chaja::indexer
