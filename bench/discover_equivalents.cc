// chaja-discover-equivalents: the synonym candidates of one site (issue 13),
// as TSV on stdout, for judging by hand (bench/synonyms/run.sh). It runs what
// the SuggestEquivalents rpc runs (search/site_equivalents.h), on a site's
// database directly.
//
//   chaja-discover-equivalents --data DATA --site S [--limit 50] [--max_posts 30000]
//                              [--builtin=false]
//
// Columns: hangul, latin, similarity, hangul_posts, latin_posts, both_posts,
// shared_tags, score, example post ids. With the built-in loanword list on
// (the default, as on a site without site.json) its pairs are known and not
// suggested; --builtin=false shows what discovery finds without it. Time and
// posts read go to stderr.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <xapian.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "index/equivalents.h"
#include "index/site.h"
#include "search/site_equivalents.h"

ABSL_FLAG(std::string, data, "", "Data folder holding DATA/<site>/xapian.");
ABSL_FLAG(std::string, site, "", "Site to read.");
ABSL_FLAG(int, limit, 50, "Candidates to print.");
ABSL_FLAG(int, max_posts, 30000, "Posts read at most, spread evenly over the site.");
ABSL_FLAG(bool, builtin, true, "Whether the built-in loanword list is on (its pairs are then not suggested).");

namespace {

void PrintTsv(const chaja::v1::SuggestEquivalentsResponse& response) {
  std::cout << "hangul\tlatin\tsimilarity\thangul_posts\tlatin_posts\tboth_posts\tshared_tags\tscore\texamples\n";
  for (const chaja::v1::EquivalentCandidate& c : response.candidates()) {
    std::vector<std::string> ids;
    for (const chaja::v1::PostSummary& post : c.examples()) ids.push_back(post.id());
    std::cout << absl::StrFormat("%s\t%s\t%.3f\t%d\t%d\t%d\t%d\t%.3f\t%s\n", c.hangul(), c.latin(),
                                 c.sound_similarity(), c.hangul_posts(), c.latin_posts(), c.both_posts(),
                                 c.shared_tags(), c.score(), absl::StrJoin(ids, ","));
  }
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
  const auto equivalents = chaja::index::Equivalents::Make({}, absl::GetFlag(FLAGS_builtin));
  chaja::v1::SuggestEquivalentsRequest request;
  request.set_limit(absl::GetFlag(FLAGS_limit));
  request.set_max_posts(absl::GetFlag(FLAGS_max_posts));
  try {
    const Xapian::Database db(*path);
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<chaja::v1::SuggestEquivalentsResponse> found =
        chaja::search::SuggestEquivalents(db, **equivalents, request);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!found.ok()) {
      std::cerr << "discover-equivalents: " << found.status() << "\n";
      return 1;
    }
    PrintTsv(*found);
    std::cerr << absl::StrFormat("discover-equivalents: %s: %d candidates, %d of %d posts read, %.2f s\n",
                                 absl::GetFlag(FLAGS_site), found->candidates_size(), found->posts_scanned(),
                                 found->site_posts(), seconds);
  } catch (const Xapian::Error& e) {
    std::cerr << "discover-equivalents: " << e.get_description() << "\n";
    return 1;
  }
  return 0;
}
