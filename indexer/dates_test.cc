#include "indexer/dates.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace chaja::indexer {
namespace {

// The instant as RFC 3339 in UTC, or "ERROR".
std::string Parse(const std::string& text) {
  absl::TimeZone seoul;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Seoul", &seoul));
  absl::StatusOr<absl::Time> t = ParseDate(text, seoul);
  if (!t.ok()) return "ERROR";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", *t, absl::UTCTimeZone());
}

TEST(ParseDateTest, AcceptsTheFormsBlogsWrite) {
  const std::vector<std::pair<std::string, std::string>> rows = {
      // RFC 3339 / ISO 8601
      {"2025-01-22T10:00:00+09:00", "2025-01-22T01:00:00Z"},
      {"2025-01-22T01:00:00Z", "2025-01-22T01:00:00Z"},
      {"2025-01-22T01:00:00.25Z", "2025-01-22T01:00:00.25Z"},
      {"2025-01-22t01:00:00z", "2025-01-22T01:00:00Z"},
      {"2025-01-22 10:00:00 +0900", "2025-01-22T01:00:00Z"},  // Jekyll
      {"2025-01-22T10:00:00-05:00", "2025-01-22T15:00:00Z"},
      {"2025-01-22T10:00", "2025-01-22T01:00:00Z"},             // no zone: the site's (Seoul)
      {"2025-01-22T10:00:00", "2025-01-22T01:00:00Z"},
      {"2025-01-22", "2025-01-21T15:00:00Z"},
      {"  2025-01-22  ", "2025-01-21T15:00:00Z"},
      // RFC 822 / 1123 / 2822
      {"Wed, 22 Jan 2025 10:00:00 +0900", "2025-01-22T01:00:00Z"},
      {"Wed, 22 Jan 2025 10:00:00 GMT", "2025-01-22T10:00:00Z"},
      {"22 Jan 2025 10:00 KST", "2025-01-22T01:00:00Z"},
      {"Wed, 22 Jan 25 10:00:00 EST", "2025-01-22T15:00:00Z"},
      {"Wed, 22 January 2025 10:00:00 +0000", "2025-01-22T10:00:00Z"},
      {"Wed, 2 Jan 2025 10:00:00 UTC", "2025-01-02T10:00:00Z"},
      {"Wed, 22 Jan 2025 10:00:00", "2025-01-22T01:00:00Z"},  // no zone: the site's
      {"Wed, 22 Jan 2025 10:00:00 GMT+9", "2025-01-22T01:00:00Z"},
      // Korean blog styles
      {"2025.01.22", "2025-01-21T15:00:00Z"},
      {"2025.1.22", "2025-01-21T15:00:00Z"},
      {"2025. 1. 22.", "2025-01-21T15:00:00Z"},
      {"2025. 1. 22. 15:20", "2025-01-22T06:20:00Z"},
      {"2025/01/22 15:20:30", "2025-01-22T06:20:30Z"},
      {"2025년 1월 22일", "2025-01-21T15:00:00Z"},
      {"2025년 1월 22일 오후 3:20", "2025-01-22T06:20:00Z"},
      {"2025.01.22 오전 12:05", "2025-01-21T15:05:00Z"},
      {"2025-01-22 3:20 PM", "2025-01-22T06:20:00Z"},
  };
  for (const auto& [text, want] : rows) EXPECT_EQ(Parse(text), want) << text;
}

TEST(ParseDateTest, RejectsWhatIsNoDate) {
  for (const char* text : {"", "yesterday", "어제 저녁", "2025", "2025-13-01", "2025-02-30", "2025-01-22T25:00",
                           "2025-01-22T10:61", "Wed, 32 Jan 2025", "22 Foo 2025", "2025-01-22 10:00 +25:00",
                           "2025-01-22 10:00 Mars", "0000-00-00 00:00:00", "15.08.25", "2025-01-22T10:00:00+09:00 trailing",
                           "2025-01-22 오후 13:00"}) {
    EXPECT_EQ(Parse(text), "ERROR") << text;
  }
}

TEST(ParseDateTest, ErrorQuotesTheTextAndNamesTheForms) {
  absl::StatusOr<absl::Time> t = ParseDate("어제 저녁", absl::UTCTimeZone());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("\"어제 저녁\""), absl::string_view::npos) << t.status();
  EXPECT_NE(t.status().message().find("RFC 3339"), absl::string_view::npos) << t.status();
}

}  // namespace
}  // namespace chaja::indexer
