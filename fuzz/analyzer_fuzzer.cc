// The analyzer on any bytes: terms are non-empty valid UTF-8 within
// kMaxWordBytes, byte ranges lie inside the text, positions never go back
// (but for joined aliases), ForEachToken agrees with Analyze, and the text
// contains its own leading terms as a phrase (searchd's phrase check).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/utf8.h"
#include "fuzz/fuzz_util.h"

namespace {

using chaja::analyzer::Token;

void CheckToken(const Token& t, size_t text_size, uint32_t* last_position) {
  CHAJA_FUZZ_CHECK(!t.term.empty());
  CHAJA_FUZZ_CHECK(chaja::analyzer::IsValidUtf8(t.term));
  // Only words carry a stem (grams leave it empty).
  if (t.kind == chaja::analyzer::TokenKind::kWord) CHAJA_FUZZ_CHECK(!t.stem.empty());
  CHAJA_FUZZ_CHECK(chaja::analyzer::IsValidUtf8(t.stem));
  CHAJA_FUZZ_CHECK(t.term.size() <= chaja::analyzer::kMaxWordBytes);
  CHAJA_FUZZ_CHECK(t.begin < t.end && t.end <= text_size);
  // A joined alias (gpt4o after gpt 4 o) goes back to its first part's position.
  if (t.is_alias) {
    CHAJA_FUZZ_CHECK(t.position <= *last_position);
    return;
  }
  CHAJA_FUZZ_CHECK(t.position >= *last_position);
  *last_position = t.position;
}

// The first few terms, aliases left out: a phrase the text must contain.
std::vector<std::string> LeadingPhrase(const std::vector<Token>& tokens) {
  std::vector<std::string> phrase;
  for (const Token& t : tokens) {
    if (t.is_alias) continue;
    if (phrase.size() == 4) break;
    phrase.push_back(t.term);
  }
  return phrase;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const chaja::analyzer::Analyzer analyzer;
  const std::vector<Token> tokens = analyzer.Analyze(text, 7);
  uint32_t last_position = 7;
  for (const Token& t : tokens) CheckToken(t, text.size(), &last_position);

  size_t i = 0;
  analyzer.ForEachToken(text, 7, [&](const Token& t) {
    CHAJA_FUZZ_CHECK(i < tokens.size() && t.term == tokens[i].term && t.position == tokens[i].position);
    ++i;
  });
  CHAJA_FUZZ_CHECK(i == tokens.size());

  const std::vector<std::string> phrase = LeadingPhrase(tokens);
  if (!phrase.empty()) CHAJA_FUZZ_CHECK(analyzer.ContainsPhrase(text, phrase));
  return 0;
}
