#include "search/site_equivalents.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "analyzer/analyzer.h"
#include "analyzer/loanword.h"
#include "index/schema.h"
#include "index/status.h"
#include "search/equivalent_discovery.h"
#include "search/page_token.h"

namespace chaja::search {
namespace {

v1::EquivalentSet ToProto(const index::EquivalentSet& set) {
  v1::EquivalentSet out;
  for (const std::string& word : set.words) out.add_words(word);
  out.set_one_way(set.one_way);
  out.set_source(set.source);
  return out;
}

constexpr uint32_t kDefaultCandidates = 50;
constexpr uint32_t kMaxCandidates = 500;
constexpr uint32_t kDefaultPostsRead = 30000;
constexpr uint32_t kMaxPostsRead = 10000000;

}  // namespace

SoundComparison LoanwordSounds() {
  SoundComparison sound;
  sound.similarity = [](const std::string& latin, const std::string& hangul) {
    return analyzer::SoundSimilarity(latin, hangul);
  };
  sound.latin_keys = [](const std::string& latin) { return analyzer::SoundKeysOfLatin(latin); };
  sound.hangul_keys = [](const std::string& hangul) { return analyzer::SoundKeysOfHangul(hangul); };
  return sound;
}

namespace {

// Whether the site's equivalents already make `hangul` and `latin` one word.
bool Known(const index::Equivalents& equivalents, const std::string& hangul, const std::string& latin) {
  for (const index::Equivalents::Alternative& a : equivalents.AlternativesOf(hangul)) {
    if (index::NormalizeKey(a.text) == index::NormalizeKey(latin)) return true;
  }
  return false;
}

v1::EquivalentCandidate ToProto(const EquivalentCandidate& c) {
  v1::EquivalentCandidate out;
  out.set_hangul(c.hangul);
  out.set_latin(c.latin);
  out.set_sound_similarity(c.similarity);
  out.set_hangul_posts(c.hangul_posts);
  out.set_latin_posts(c.latin_posts);
  out.set_both_posts(c.both_posts);
  out.set_shared_tags(c.shared_tags);
  for (const ExamplePost& example : c.examples) {
    v1::PostSummary* post = out.add_examples();
    post->set_id(example.id);
    post->set_title(example.title);
  }
  out.set_score(c.score);
  out.set_rule(absl::StrCat(c.hangul, ", ", c.latin));
  return out;
}

}  // namespace

absl::StatusOr<v1::SuggestEquivalentsResponse> SuggestEquivalents(const Xapian::Database& db,
                                                                  const index::Equivalents& equivalents,
                                                                  const v1::SuggestEquivalentsRequest& request,
                                                                  const Deadline* deadline) {
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.limit(), kMaxCandidates, "limit"));
  CHAJA_RETURN_IF_ERROR(CheckLimit(request.max_posts(), kMaxPostsRead, "max_posts"));
  DiscoveryOptions options;
  options.limit = request.limit() == 0 ? kDefaultCandidates : request.limit();
  options.max_posts = request.max_posts() == 0 ? kDefaultPostsRead : request.max_posts();
  options.sound = LoanwordSounds();
  options.deadline = deadline;
  options.known = [&](const std::string& hangul, const std::string& latin) {
    return Known(equivalents, hangul, latin);
  };
  absl::StatusOr<std::vector<EquivalentCandidate>> candidates = DiscoverEquivalents(db, options);
  if (!candidates.ok()) return candidates.status();
  v1::SuggestEquivalentsResponse response;
  for (const EquivalentCandidate& c : *candidates) *response.add_candidates() = ToProto(c);
  try {
    response.set_site_posts(db.get_doccount());
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "counting posts");
  }
  response.set_posts_scanned(std::min<uint64_t>(response.site_posts(), options.max_posts));
  return response;
}

bool SiteHasWord(const Lexicon& lexicon, const std::string& word) {
  if (lexicon.Frequency(index::TagTerm(word)) > 0) return true;
  std::vector<std::string> terms;
  for (const analyzer::Token& t : analyzer::Analyzer().Analyze(word)) {
    if (!t.is_alias) terms.push_back(t.term);
  }
  for (const std::string& term : terms) {
    if (lexicon.Frequency(term) == 0) return false;
  }
  return !terms.empty() && (terms.size() == 1 || lexicon.CoOccur(terms));
}

void AddActiveEquivalents(const index::Equivalents& equivalents, const Lexicon& lexicon, v1::SiteStats* stats) {
  for (const index::EquivalentSet& set : equivalents.site_sets()) *stats->add_equivalents() = ToProto(set);
  const std::vector<index::EquivalentSet>& builtin = index::BuiltinEquivalentSets();
  stats->set_builtin_equivalents(equivalents.builtin());
  stats->set_builtin_equivalent_sets(static_cast<uint32_t>(builtin.size()));
  for (uint32_t id = 0; id < builtin.size(); ++id) {
    if (!equivalents.BuiltinSetActive(id)) continue;
    for (const std::string& word : builtin[id].words) {
      if (SiteHasWord(lexicon, word)) {
        *stats->add_equivalents() = ToProto(builtin[id]);
        break;
      }
    }
  }
}

}  // namespace chaja::search
