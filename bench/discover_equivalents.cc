// chaja-discover-equivalents: the synonym candidates of one site (issue 13),
// as TSV on stdout, for judging by hand (bench/synonyms/run.sh).
//
//   chaja-discover-equivalents --data DATA --site S [--limit 50] [--max_posts 30000]
//
// Columns: hangul, latin, similarity, hangul_posts, latin_posts, both_posts,
// shared_tags, score, example post ids. The built-in loanword list is known:
// its pairs are not suggested. Time and posts read go to stderr.
#include <chrono>
#include <iostream>
#include <string>

#include <xapian.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "analyzer/loanword.h"
#include "index/site.h"
#include "search/equivalent_discovery.h"

ABSL_FLAG(std::string, data, "", "Data folder holding DATA/<site>/xapian.");
ABSL_FLAG(std::string, site, "", "Site to read.");
ABSL_FLAG(int, limit, 50, "Candidates to print.");
ABSL_FLAG(int, max_posts, 30000, "Posts read at most, spread evenly over the site.");

namespace {

chaja::search::SoundComparison LoanwordSound() {
  namespace analyzer = chaja::analyzer;
  chaja::search::SoundComparison sound;
  sound.similarity = [](const std::string& latin, const std::string& hangul) {
    return analyzer::SoundSimilarity(latin, hangul);
  };
  sound.latin_keys = [](const std::string& latin) { return analyzer::SoundKeysOfLatin(latin); };
  sound.hangul_keys = [](const std::string& hangul) { return analyzer::SoundKeysOfHangul(hangul); };
  return sound;
}

bool IsBuiltin(const std::string& hangul, const std::string& latin) {
  for (const chaja::analyzer::LoanwordPair& pair : chaja::analyzer::BuiltinLoanwords()) {
    if (pair.hangul == hangul && absl::AsciiStrToLower(pair.latin) == latin) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<std::string> path =
      chaja::index::SiteDatabasePath(absl::GetFlag(FLAGS_data), absl::GetFlag(FLAGS_site));
  if (!path.ok()) {
    std::cerr << "discover-equivalents: " << path.status() << "\n";
    return 2;
  }
  chaja::search::DiscoveryOptions options;
  options.limit = absl::GetFlag(FLAGS_limit);
  options.max_posts = absl::GetFlag(FLAGS_max_posts);
  options.sound = LoanwordSound();
  options.known = IsBuiltin;
  try {
    const Xapian::Database db(*path);
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<chaja::search::EquivalentCandidate>> found =
        chaja::search::DiscoverEquivalents(db, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!found.ok()) {
      std::cerr << "discover-equivalents: " << found.status() << "\n";
      return 1;
    }
    std::cout << "hangul\tlatin\tsimilarity\thangul_posts\tlatin_posts\tboth_posts\tshared_tags\tscore\texamples\n";
    for (const chaja::search::EquivalentCandidate& c : *found) {
      std::vector<std::string> ids;
      for (const chaja::search::ExamplePost& post : c.examples) ids.push_back(post.id);
      std::cout << absl::StrFormat("%s\t%s\t%.3f\t%d\t%d\t%d\t%d\t%.3f\t%s\n", c.hangul, c.latin, c.similarity,
                                   c.hangul_posts, c.latin_posts, c.both_posts, c.shared_tags, c.score,
                                   absl::StrJoin(ids, ","));
    }
    std::cerr << absl::StrFormat("discover-equivalents: %s: %d candidates, site of %d posts (%d read at most), %.2f s\n",
                                 absl::GetFlag(FLAGS_site), found->size(), db.get_doccount(), options.max_posts, seconds);
  } catch (const Xapian::Error& e) {
    std::cerr << "discover-equivalents: " << e.get_description() << "\n";
    return 1;
  }
  return 0;
}
