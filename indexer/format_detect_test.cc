#include "indexer/format_detect.h"

#include "gtest/gtest.h"

namespace chaja::indexer {
namespace {

std::string Detect(const std::string& head, const std::string& path = "input") {
  absl::StatusOr<Format> f = DetectFormat(head, path);
  return f.ok() ? FormatName(*f) : "ERROR";
}

TEST(DetectFormatTest, TellsFormatsFromTheirFirstBytes) {
  EXPECT_EQ(Detect("{\"id\":\"a\"}\n"), "jsonl");
  EXPECT_EQ(Detect("\xEF\xBB\xBF  {\"id\":\"a\"}"), "jsonl");
  EXPECT_EQ(Detect("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"), "rss");
  EXPECT_EQ(Detect("<?xml version=\"1.0\"?><!-- generator --><?xml-stylesheet href=\"a\"?>\n<rss>"), "rss");
  EXPECT_EQ(Detect("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"), "rss");
  EXPECT_EQ(Detect("<?xml version=\"1.0\"?>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\">"), "wxr");
  EXPECT_EQ(Detect("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"), "atom");
  EXPECT_EQ(Detect("<!DOCTYPE html>\n<html lang=\"ko\">"), "html");
  EXPECT_EQ(Detect("<!doctype html><html>"), "html");
  EXPECT_EQ(Detect("<html><head>"), "html");
  EXPECT_EQ(Detect("---\ntitle: 글\n---\n본문"), "markdown");
  EXPECT_EQ(Detect("+++\ntitle = \"글\"\n+++\n"), "markdown");
  EXPECT_EQ(Detect("<!DOCTYPE rss [<!ENTITY a \"b\">]>\n<rss>"), "rss");
}

TEST(DetectFormatTest, FallsBackToTheExtension) {
  EXPECT_EQ(Detect("# 제목\n\n본문", "post.md"), "markdown");
  EXPECT_EQ(Detect("그냥 글", "page.HTML"), "html");
  EXPECT_EQ(Detect("", "empty.jsonl"), "jsonl");
  EXPECT_EQ(Detect("그냥 글", "notes.txt"), "ERROR");
  EXPECT_EQ(Detect("", "empty"), "ERROR");
  EXPECT_EQ(Detect("[{\"id\":\"a\"}]", "a.json"), "ERROR");  // an array is not JSON Lines
}

TEST(ParseFormatNameTest, KnowsEveryFlagValue) {
  for (const char* name : {"auto", "jsonl", "rss", "atom", "wxr", "markdown", "html"}) {
    absl::StatusOr<Format> f = ParseFormatName(name);
    ASSERT_TRUE(f.ok()) << name;
    EXPECT_EQ(FormatName(*f), name);
  }
  EXPECT_FALSE(ParseFormatName("docx").ok());
}

}  // namespace
}  // namespace chaja::indexer
