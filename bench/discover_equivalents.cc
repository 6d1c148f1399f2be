// chaja-discover-equivalents: the synonym candidates of one site (issue 13),
// as TSV on stdout, for judging by hand (bench/synonyms/run.sh).
//
//   chaja-discover-equivalents --data DATA --site S [--limit 50] [--max_posts 30000]
//
// Columns: hangul, latin, similarity, hangul_posts, latin_posts, both_posts,
// shared_tags, score, example post ids. The built-in loanword list is known:
// its pairs are not suggested. Time and posts read go to stderr.
#include <algorithm>
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
#include "analyzer/utf8.h"
#include "index/site.h"
#include "search/equivalent_discovery.h"

ABSL_FLAG(std::string, data, "", "Data folder holding DATA/<site>/xapian.");
ABSL_FLAG(std::string, site, "", "Site to read.");
ABSL_FLAG(int, limit, 50, "Candidates to print.");
ABSL_FLAG(int, max_posts, 30000, "Posts read at most, spread evenly over the site.");
ABSL_FLAG(std::string, sound, "rough", "rough (a stand-in consonant skeleton) or loanword (analyzer/loanword.h).");

namespace {

// A rough stand-in for analyzer/loanword.h until it is implemented: both
// words as consonant skeletons (ㅂ/ㅍ/b/p/f/v one class, a silent r before a
// consonant dropped, vowels and h dropped), compared by edit distance. Only
// for trying the evidence scoring; --sound=loanword is the real comparison.
namespace rough {

char ClassOfLatin(char c) {
  switch (c) {
    case 'b': case 'p': case 'f': case 'v': return 'P';
    case 'd': case 't': return 'T';
    case 'g': case 'k': case 'c': case 'q': return 'K';
    case 's': case 'z': case 'x': return 'S';
    case 'j': return 'J';
    case 'l': case 'r': return 'L';
    case 'm': return 'M';
    case 'n': return 'N';
    default: return 0;
  }
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

std::string LatinSkeleton(const std::string& latin) {
  std::string skeleton;
  for (size_t i = 0; i < latin.size(); ++i) {
    const char c = absl::ascii_tolower(latin[i]);
    // Korean spelling drops an r that closes a syllable (kubernetes → 쿠버네티스).
    if (c == 'r' && (i + 1 == latin.size() || !IsVowel(absl::ascii_tolower(latin[i + 1])))) continue;
    const char cls = ClassOfLatin(c);
    if (cls != 0 && (skeleton.empty() || skeleton.back() != cls)) skeleton.push_back(cls);
  }
  return skeleton;
}

std::string HangulSkeleton(const std::string& hangul) {
  // Initials ㄱ..ㅎ and finals, in Unicode index order, as consonant classes.
  static constexpr char kInitial[] = "KKNTTLMPPSS\0JJJKTPH";
  static constexpr char kFinal[] = "\0KKKNNNTLLLLLLLLMPPSSNJJKTPH";
  std::string skeleton;
  auto add = [&](char cls) {
    if (cls != 0 && cls != 'H' && (skeleton.empty() || skeleton.back() != cls)) skeleton.push_back(cls);
  };
  for (char32_t c : chaja::analyzer::ToCodePoints(hangul)) {
    if (c < 0xAC00 || c > 0xD7A3) continue;
    const int n = static_cast<int>(c - 0xAC00);
    add(kInitial[n / (21 * 28)]);
    add(kFinal[n % 28]);
  }
  return skeleton;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

chaja::search::SoundComparison Sound() {
  chaja::search::SoundComparison sound;
  sound.similarity = [](const std::string& latin, const std::string& hangul) {
    const std::string a = LatinSkeleton(latin), b = HangulSkeleton(hangul);
    if (a.size() < 2 || b.size() < 2) return 0.0;
    return 1.0 - static_cast<double>(EditDistance(a, b)) / static_cast<double>(std::max(a.size(), b.size()));
  };
  sound.latin_keys = [](const std::string& latin) { return std::vector<std::string>{LatinSkeleton(latin).substr(0, 1)}; };
  sound.hangul_keys = [](const std::string& hangul) {
    return std::vector<std::string>{HangulSkeleton(hangul).substr(0, 1)};
  };
  return sound;
}

}  // namespace rough

#ifdef CHAJA_HAVE_LOANWORD
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
#else
chaja::search::SoundComparison LoanwordSound() { return rough::Sound(); }
bool IsBuiltin(const std::string&, const std::string&) { return false; }
#endif

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
  options.sound = absl::GetFlag(FLAGS_sound) == "loanword" ? LoanwordSound() : rough::Sound();
  if (absl::GetFlag(FLAGS_sound) == "loanword") options.known = IsBuiltin;
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
