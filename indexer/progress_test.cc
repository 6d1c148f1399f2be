#include "indexer/progress.h"

#include "gtest/gtest.h"

namespace chaja::indexer {
namespace {

TEST(ProgressTest, BarShowsCountRatePercentAndEtaWhenTheTotalIsKnown) {
  ImportStats s;
  s.records = 12345;
  s.indexed = 12000;
  s.bytes = 45'000'000;
  s.total_bytes = 100'000'000;
  EXPECT_EQ(FormatProgressBar(s, 10.0, 10), "[====>     ]  45%  12,345 docs  1,234 docs/s  4.5 MB/s  ETA 0:12");
  EXPECT_EQ(FormatProgressLine(s, 10.0),
            "progress: 12,345 records (12,000 indexed), 1,234 docs/s, 4.5 MB/s, 45% of 100.0 MB, ETA 0:12");
}

TEST(ProgressTest, WithoutATotalThereIsNoPercentNorEta) {
  ImportStats s;
  s.records = 500;
  s.bytes = 1'000'000;
  EXPECT_EQ(FormatProgressBar(s, 2.0), "500 docs  250 docs/s  0.5 MB/s");
  EXPECT_EQ(FormatProgressLine(s, 2.0), "progress: 500 records (0 indexed), 250 docs/s, 0.5 MB/s");
}

TEST(ProgressTest, ACommitReplacesTheEta) {
  ImportStats s;
  s.records = 10;
  s.bytes = s.total_bytes = 1000;
  s.committing = true;
  EXPECT_EQ(FormatProgressBar(s, 1.0, 4), "[====] 100%  10 docs  10 docs/s  0.0 MB/s  committing…");
}

TEST(ProgressTest, CompleteBarIsFull) {
  ImportStats s;
  s.records = 10;
  s.bytes = s.total_bytes = 1000;
  EXPECT_EQ(FormatProgressBar(s, 1.0, 4).substr(0, 12), "[====] 100% ");
}

}  // namespace
}  // namespace chaja::indexer
