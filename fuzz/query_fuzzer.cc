// The search box's query text, parsed (analyzer/query_parser.h) and planned
// (search/query_plan.h) against a tiny in-memory site, so the readings of
// query_reading.h (mistypes, completions, 초성, corrections) run too.
// Invariants: while typing, neither parsing nor planning ever fails on a
// query within kMaxQueryBytes; a plan's terms and highlight terms are valid
// UTF-8; the counting tree and the Xapian query build from any plan.
#include <cstddef>
#include <cstdint>
#include <string>

#include <xapian.h>

#include "analyzer/query_parser.h"
#include "analyzer/utf8.h"
#include "fuzz/fuzz_util.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "search/lexicon.h"
#include "search/query_plan.h"
#include "search/query_tree.h"

namespace {

using chaja::search::QueryNode;

// Posts whose words the readings can meet: Korean, mixed scripts, tags.
Xapian::Database* TinySite() {
  static Xapian::WritableDatabase* db = [] {
    auto* site = new Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
    const char* posts[][4] = {
        {"a", "우분투 설치 방법", "우분투에 도커를 설치했다. Ubuntu 24.04", "우분투"},
        {"b", "AI 패권 경쟁", "AI 패권을 두고 경쟁이 치열하다. GPT-4o 모델", "LLM"},
        {"c", "Python models", "several language models compared in python", "Python"},
    };
    const chaja::index::DocumentBuilder builder;
    for (const auto& p : posts) {
      chaja::v1::Article article;
      article.set_id(p[0]);
      article.set_title(p[1]);
      article.set_body(p[2]);
      article.add_tags(p[3]);
      site->replace_document(chaja::index::IdTerm(p[0]), builder.Build(article));
    }
    site->commit();
    return site;
  }();
  return db;
}

void CheckTree(const QueryNode& node) {
  if (node.op == QueryNode::Op::kTerm) CHAJA_FUZZ_CHECK(!node.term.empty());
  for (const QueryNode& child : node.children) CheckTree(child);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the options; the rest is the query.
  const uint8_t flags = data[0];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  const bool typing = (flags & 1) != 0;
  const bool within_limit = text.size() <= chaja::analyzer::kMaxQueryBytes;

  chaja::analyzer::ParseOptions parse_options;
  parse_options.typing = typing;
  const auto parsed = chaja::analyzer::ParseQuery(text, parse_options);
  if (typing && within_limit) CHAJA_FUZZ_CHECK(parsed.ok());

  const chaja::search::XapianLexicon lexicon(TinySite());
  chaja::search::PlanOptions options;
  options.typing = typing;
  options.match_all = (flags & 2) != 0;
  options.title_boost = (flags & 4) != 0 ? 2.0 : 0.0;
  if ((flags & 8) != 0) options.lexicon = &lexicon;
  const auto plan = chaja::search::PlanQuery(text, options);
  if (typing && within_limit) CHAJA_FUZZ_CHECK(plan.ok());
  if (!plan.ok()) return 0;

  CheckTree(plan->tree);
  for (const std::string& term : plan->highlight_terms) CHAJA_FUZZ_CHECK(chaja::analyzer::IsValidUtf8(term));
  CheckTree(chaja::search::CountingTree(*plan));
  Xapian::Enquire enquire(*TinySite());
  enquire.set_query(chaja::search::ToXapian(plan->tree));
  enquire.get_mset(0, 10);
  return 0;
}
