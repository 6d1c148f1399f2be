#include "search/equivalent_discovery.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "analyzer/hangul.h"
#include "analyzer/utf8.h"
#include "chaja/v1/article.pb.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/status.h"

namespace chaja::search {

namespace {

// Particles and endings a loanword is written with (스토리가, 업데이트했다),
// longest first so that 에서 is taken before 서 could be.
constexpr absl::string_view kEndings[] = {
    "입니다", "이라는", "이라고", "에서는", "으로는", "했는데", "하려면", "합니다", "했다", "해서", "하는", "하고",
    "하면", "했던", "되는", "된다", "에서", "으로", "까지", "부터", "처럼", "보다", "이나", "이랑", "한테", "에게",
    "에는", "라는", "라고", "이다", "이고", "만의", "들이", "들을", "들의", "들은", "을", "를", "이", "가", "은",
    "는", "의", "에", "로", "와", "과", "도", "만", "께", "요", "랑", "들", "한", "할", "된", "적",
};

constexpr size_t kMinSyllables = 2;
// Latin words of one letter are initials, not words.
constexpr size_t kMinLatinLetters = 2;
// Short words sound alike by chance (말이 and MRI, 시기 and SK): a Hangul word
// of up to two syllables or a Latin word of up to three letters must sound
// this alike.
constexpr double kMinShortSimilarity = 0.9;
constexpr size_t kShortSyllables = 2;
constexpr size_t kShortLetters = 3;
// Capped significance: past this the evidence is certain enough, and the
// number of posts should rank.
constexpr double kMaxSignificance = 6;
// -log10 of the chance probability a pair needs (p ≤ 0.01).
constexpr double kMinSignificance = 2;
// How many times more posts must hold both words than chance gives: on a
// site of long posts (a movie's reviews in one post) frequent words share
// posts significantly often and still mean nothing to each other.
constexpr double kMinLift = 4;
// Text read per post: two words far apart in a very long post say little of
// each other, and the cap bounds the time a few huge posts take.
constexpr size_t kMaxTextBytes = 32 << 10;


// `word` without one ending, if two syllables remain.
std::optional<std::string> WithoutEnding(const std::u32string& word) {
  for (absl::string_view ending : kEndings) {
    const std::u32string suffix = analyzer::ToCodePoints(ending);
    if (word.size() >= suffix.size() + kMinSyllables &&
        word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return analyzer::ToUtf8(std::u32string_view(word).substr(0, word.size() - suffix.size()));
    }
  }
  return std::nullopt;
}

void AddHangulRun(std::u32string run, std::vector<std::string>* words) {
  if (run.size() < kMinSyllables) return;
  words->push_back(analyzer::ToUtf8(run));
  // Twice: a plural then a particle (스토리들이).
  for (int i = 0; i < 2; ++i) {
    std::optional<std::string> shorter = WithoutEnding(run);
    if (!shorter) break;
    words->push_back(*shorter);
    run = analyzer::ToCodePoints(*shorter);
  }
}

// Whether a space-separated piece of text is an address, whose parts (https,
// www, kr) are no words of the writer's.
bool IsAddress(absl::string_view piece) {
  return absl::StrContains(piece, "://") || absl::StrContains(piece, "www.") || absl::StrContains(piece, "@");
}

// Runs of ASCII letters, as written (Kubernetes, GPT), outside addresses.
std::vector<std::string> LatinWordsOf(absl::string_view text) {
  std::vector<std::string> words;
  for (absl::string_view piece : absl::StrSplit(text, absl::ByAnyChar(" \n\t"), absl::SkipEmpty())) {
    if (IsAddress(piece)) continue;
    size_t start = 0;
    for (size_t i = 0; i <= piece.size(); ++i) {
      if (i < piece.size() && absl::ascii_isalpha(piece[i])) continue;
      if (i - start >= kMinLatinLetters) words.emplace_back(piece.substr(start, i - start));
      start = i + 1;
    }
  }
  return words;
}

// Words of one script and the sampled posts holding each (ascending).
class WordIndex {
 public:
  uint32_t Add(const std::string& word) {
    auto [it, added] = ids_.try_emplace(word, words_.size());
    if (added) {
      words_.push_back(word);
      posts_.emplace_back();
    }
    return it->second;
  }
  // `ids` of one post, each once.
  void AddPost(uint32_t post, std::vector<uint32_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (uint32_t id : ids) posts_[id].push_back(post);
  }
  size_t size() const { return words_.size(); }
  const std::string& word(uint32_t id) const { return words_[id]; }
  const std::vector<uint32_t>& posts(uint32_t id) const { return posts_[id]; }
  std::optional<uint32_t> Find(const std::string& word) const {
    auto it = ids_.find(word);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }

 private:
  absl::flat_hash_map<std::string, uint32_t> ids_;
  std::vector<std::string> words_;
  std::vector<std::vector<uint32_t>> posts_;
};

struct SampledPost {
  std::string id;
  std::string title;
  std::vector<uint32_t> tags;
};

// What the sample of posts holds.
struct Sample {
  std::vector<SampledPost> posts;
  WordIndex hangul;
  WordIndex latin;  // lower-case
  WordIndex tags;   // normalized keys
  // Lower-case Latin word → spelling → uses.
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, uint32_t>> spellings;
};

void ReadPost(const Xapian::Document& doc, const v1::Article& article, Sample* sample) {
  const uint32_t post = sample->posts.size();
  SampledPost& sampled = sample->posts.emplace_back();
  sampled.id = article.id();
  sampled.title = article.title();
  std::vector<std::string> texts = {article.title(),
                                    std::string(analyzer::TruncateUtf8(article.body(), kMaxTextBytes))};
  std::vector<uint32_t> tag_ids;
  for (const index::KeyedValue& tag : index::DecodeKeyed(doc.get_value(index::kSlotTags))) {
    tag_ids.push_back(sample->tags.Add(tag.key));
    // A tag is a word of the post too: tags 리액트 and React name the same thing.
    texts.push_back(tag.display);
  }
  std::vector<uint32_t> hangul_ids, latin_ids;
  for (const std::string& text : texts) {
    for (const std::string& word : HangulWordsOf(text)) hangul_ids.push_back(sample->hangul.Add(word));
    for (const std::string& word : LatinWordsOf(text)) {
      const std::string lower = absl::AsciiStrToLower(word);
      latin_ids.push_back(sample->latin.Add(lower));
      ++sample->spellings[lower][word];
    }
  }
  sample->hangul.AddPost(post, std::move(hangul_ids));
  sample->latin.AddPost(post, std::move(latin_ids));
  sample->tags.AddPost(post, tag_ids);
  sampled.tags = std::move(tag_ids);
}

// Reads up to max_posts documents spread evenly over the docid range.
absl::StatusOr<Sample> ReadSample(const Xapian::Database& db, size_t max_posts, const Deadline* deadline) {
  Sample sample;
  DeadlineTicker ticker(deadline, 64);
  try {
    const Xapian::docid last = db.get_lastdocid();
    const double step = std::max(1.0, static_cast<double>(last) / static_cast<double>(std::max<size_t>(max_posts, 1)));
    Xapian::PostingIterator it = db.postlist_begin("");
    const Xapian::PostingIterator end = db.postlist_end("");
    for (double next = 1; it != end && sample.posts.size() < max_posts; next += step) {
      it.skip_to(static_cast<Xapian::docid>(next));
      if (it == end) break;
      ticker.Tick();
      const Xapian::Document doc = db.get_document(*it);
      absl::StatusOr<v1::Article> head = index::ArticleHeadFromDocument(doc);
      if (!head.ok()) continue;  // not ours to judge here
      const v1::Article& article = *head;
      ReadPost(doc, article, &sample);
      // A gap in the docids must not make the same post read twice.
      next = std::max(next, static_cast<double>(*it));
    }
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "reading posts for synonym discovery");
  }
  return sample;
}

size_t IntersectionSize(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  size_t n = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++n, ++i, ++j;
    }
  }
  return n;
}

bool ShareAPost(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  const auto& [shorter, longer] = a.size() < b.size() ? std::tie(a, b) : std::tie(b, a);
  for (uint32_t post : shorter) {
    if (std::binary_search(longer.begin(), longer.end(), post)) return true;
  }
  return false;
}

// -log10 P(X ≥ k) for X ~ Poisson(expected): how unlikely `k` shared posts
// (or tags) are if the two words were written independently.
double Significance(size_t k, double expected) {
  if (k == 0) return 0;
  if (expected <= 0) return kMaxSignificance;
  // P(X ≥ k) = 1 - Σ_{i<k} P(X = i), summed in logs for small tails.
  double term = std::exp(-expected), below = 0;
  for (size_t i = 0; i < k; ++i) {
    below += term;
    term *= expected / static_cast<double>(i + 1);
  }
  const double tail = std::max(1.0 - below, 0.0);
  // When 1 - below underflows, the first tail term bounds it well enough.
  const double p = tail > 1e-12 ? tail : term;
  return std::min(kMaxSignificance, -std::log10(std::max(p, 1e-300)));
}

// The tags of `posts` that are not in `others` (both ascending): the tags a
// word appears beside in posts without the other word, so that tag evidence
// does not count the posts that hold both a second time.
std::vector<uint32_t> TagsBesideOnly(const Sample& sample, const std::vector<uint32_t>& posts,
                                     const std::vector<uint32_t>& others) {
  std::vector<uint32_t> tags;
  if (sample.tags.size() == 0) return tags;
  for (size_t i = 0, j = 0; i < posts.size(); ++i) {
    while (j < others.size() && others[j] < posts[i]) ++j;
    if (j < others.size() && others[j] == posts[i]) continue;
    const auto& post_tags = sample.posts[posts[i]].tags;
    tags.insert(tags.end(), post_tags.begin(), post_tags.end());
  }
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

struct Pair {
  uint32_t hangul;
  uint32_t latin;
  double similarity;
};

// Pairs sharing a sound key and sounding alike. Only Hangul words of posts
// that hold a Latin word or a tag can have evidence, so only they are keyed.
std::vector<Pair> SoundAlikePairs(const Sample& sample, const DiscoveryOptions& options) {
  absl::flat_hash_map<std::string, std::vector<uint32_t>> latin_by_key;
  for (uint32_t l = 0; l < sample.latin.size(); ++l) {
    for (const std::string& key : options.sound.latin_keys(sample.latin.word(l))) latin_by_key[key].push_back(l);
  }
  std::vector<bool> has_evidence_source(sample.posts.size(), false);
  for (uint32_t l = 0; l < sample.latin.size(); ++l) {
    for (uint32_t post : sample.latin.posts(l)) has_evidence_source[post] = true;
  }
  for (uint32_t post = 0; post < sample.posts.size(); ++post) {
    if (!sample.posts[post].tags.empty()) has_evidence_source[post] = true;
  }
  const bool no_tags = sample.tags.size() == 0;
  std::vector<Pair> pairs;
  for (uint32_t h = 0; h < sample.hangul.size(); ++h) {
    const auto& posts = sample.hangul.posts(h);
    if (std::none_of(posts.begin(), posts.end(), [&](uint32_t p) { return has_evidence_source[p]; })) continue;
    absl::flat_hash_set<uint32_t> compared;
    const size_t syllables = analyzer::ToCodePoints(sample.hangul.word(h)).size();
    for (const std::string& key : options.sound.hangul_keys(sample.hangul.word(h))) {
      auto it = latin_by_key.find(key);
      if (it == latin_by_key.end()) continue;
      for (uint32_t l : it->second) {
        if (!compared.insert(l).second) continue;
        // Without tags, evidence is posts holding both: a pair with none is
        // not worth the comparison, which is the costly part.
        if (no_tags && !ShareAPost(sample.hangul.posts(h), sample.latin.posts(l))) continue;
        const std::string& latin = sample.latin.word(l);
        const double similarity = options.sound.similarity(latin, sample.hangul.word(h));
        const bool short_pair = syllables <= kShortSyllables || latin.size() <= kShortLetters;
        if (similarity >= std::max(options.min_similarity, short_pair ? kMinShortSimilarity : 0.0)) {
          pairs.push_back({h, l, similarity});
        }
      }
    }
  }
  return pairs;
}

// Pairs whose Hangul word extends another word of the site that sounds at
// least as alike to the same Latin word are that word with a particle or in a
// compound (컨테이너에, 넷플릭스드라마 beside 컨테이너, 넷플릭스): the shorter
// word speaks for the pair, whatever its evidence.
std::vector<Pair> WithoutLongerForms(const Sample& sample, std::vector<Pair> pairs) {
  absl::flat_hash_map<std::pair<std::string, uint32_t>, double> similarity;
  for (const Pair& pair : pairs) similarity[{sample.hangul.word(pair.hangul), pair.latin}] = pair.similarity;
  auto has_closer_prefix = [&](const Pair& pair) {
    const std::u32string chars = analyzer::ToCodePoints(sample.hangul.word(pair.hangul));
    for (size_t n = kMinSyllables; n < chars.size(); ++n) {
      auto it = similarity.find({analyzer::ToUtf8(std::u32string_view(chars).substr(0, n)), pair.latin});
      if (it != similarity.end() && it->second >= pair.similarity) return true;
    }
    return false;
  };
  pairs.erase(std::remove_if(pairs.begin(), pairs.end(), has_closer_prefix), pairs.end());
  return pairs;
}

// Whether the pair, or a shorter form of the Hangul word with the same Latin
// word (도커 for 도커파일), is already listed.
bool IsKnown(const std::string& hangul, const std::string& latin, const DiscoveryOptions& options) {
  if (!options.known) return false;
  const std::u32string chars = analyzer::ToCodePoints(hangul);
  for (size_t n = kMinSyllables; n <= chars.size(); ++n) {
    if (options.known(analyzer::ToUtf8(std::u32string_view(chars).substr(0, n)), latin)) return true;
  }
  return false;
}

std::string MostUsedSpelling(const Sample& sample, const std::string& lower) {
  auto it = sample.spellings.find(lower);
  if (it == sample.spellings.end()) return lower;
  std::pair<uint32_t, std::string> best{0, lower};
  for (const auto& [spelling, uses] : it->second) {
    // Ties go to the spelling that sorts first, so runs agree.
    if (uses > best.first || (uses == best.first && spelling < best.second)) best = {uses, spelling};
  }
  return best.second;
}

std::vector<ExamplePost> Examples(const Sample& sample, const std::vector<uint32_t>& a,
                                  const std::vector<uint32_t>& b) {
  std::vector<ExamplePost> examples;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size() && examples.size() < 3;) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      examples.push_back({sample.posts[a[i]].id, sample.posts[a[i]].title});
      ++i, ++j;
    }
  }
  return examples;
}

// The first post of `posts` beside `tag`.
std::optional<ExamplePost> PostBesideTag(const Sample& sample, const std::vector<uint32_t>& posts, uint32_t tag) {
  for (uint32_t post : posts) {
    const auto& tags = sample.posts[post].tags;
    if (std::find(tags.begin(), tags.end(), tag) != tags.end()) {
      return ExamplePost{sample.posts[post].id, sample.posts[post].title};
    }
  }
  return std::nullopt;
}

// The evidence of one pair, or nothing if it is no more than chance.
std::optional<EquivalentCandidate> Judge(const Sample& sample, const Pair& pair) {
  const auto& hangul_posts = sample.hangul.posts(pair.hangul);
  const auto& latin_posts = sample.latin.posts(pair.latin);
  const double posts = static_cast<double>(sample.posts.size());
  const size_t both = IntersectionSize(hangul_posts, latin_posts);
  const double expected = static_cast<double>(hangul_posts.size()) * static_cast<double>(latin_posts.size()) / posts;
  const double lift = static_cast<double>(both) / expected;
  const double post_significance = lift >= kMinLift ? Significance(both, expected) : 0;

  // Tags as documents: a word is beside a tag if a post of the tag holds it.
  const std::vector<uint32_t> hangul_tags = TagsBesideOnly(sample, hangul_posts, latin_posts);
  const std::vector<uint32_t> latin_tags = TagsBesideOnly(sample, latin_posts, hangul_posts);
  const size_t shared_tags = IntersectionSize(hangul_tags, latin_tags);
  const double tag_count = static_cast<double>(std::max<size_t>(sample.tags.size(), 1));
  // One post's tags are one choice of its writer: beside-tag evidence needs
  // each word in two posts at least.
  const bool tags_count = hangul_posts.size() >= both + 2 && latin_posts.size() >= both + 2;
  const double tag_significance = !tags_count ? 0 : Significance(
      shared_tags, static_cast<double>(hangul_tags.size()) * static_cast<double>(latin_tags.size()) / tag_count);

  const double significance = std::min(kMaxSignificance, post_significance + tag_significance);
  if (significance < kMinSignificance) return std::nullopt;

  EquivalentCandidate candidate;
  candidate.hangul = sample.hangul.word(pair.hangul);
  candidate.latin = MostUsedSpelling(sample, sample.latin.word(pair.latin));
  candidate.similarity = pair.similarity;
  candidate.hangul_posts = hangul_posts.size();
  candidate.latin_posts = latin_posts.size();
  candidate.both_posts = both;
  candidate.shared_tags = shared_tags;
  candidate.examples = Examples(sample, hangul_posts, latin_posts);
  if (candidate.examples.empty()) {
    for (size_t i = 0, j = 0; i < hangul_tags.size() && j < latin_tags.size();) {
      if (hangul_tags[i] < latin_tags[j]) {
        ++i;
        continue;
      }
      if (latin_tags[j] < hangul_tags[i]) {
        ++j;
        continue;
      }
      for (const auto* word_posts : {&hangul_posts, &latin_posts}) {
        if (auto post = PostBesideTag(sample, *word_posts, hangul_tags[i])) candidate.examples.push_back(*post);
      }
      break;
    }
  }
  // Evidence grows with the posts (and, less, the tags) that hold both, is
  // trusted as far as it beats chance, and weighs steeply by how alike they
  // sound (a near miss is most often another word).
  const double evidence = std::log2(1.0 + static_cast<double>(both) + 0.5 * static_cast<double>(shared_tags));
  candidate.score = std::pow(pair.similarity, 4) * evidence * (significance / kMaxSignificance);
  return candidate;
}

// One candidate per Hangul word: its best Latin word (스토리 is story, not
// also storys).
std::vector<EquivalentCandidate> OnePerHangulWord(std::vector<EquivalentCandidate> candidates) {
  absl::flat_hash_map<std::string, size_t> best;
  for (size_t i = 0; i < candidates.size(); ++i) {
    auto [it, added] = best.try_emplace(candidates[i].hangul, i);
    if (!added && candidates[i].score > candidates[it->second].score) it->second = i;
  }
  std::vector<EquivalentCandidate> kept;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (best[candidates[i].hangul] == i) kept.push_back(std::move(candidates[i]));
  }
  return kept;
}

}  // namespace

std::vector<std::string> HangulWordsOf(const std::string& text) {
  std::vector<std::string> words;
  std::u32string run;
  for (char32_t c : analyzer::ToCodePoints(text)) {
    if (analyzer::IsHangulSyllable(c)) {
      run.push_back(c);
      continue;
    }
    AddHangulRun(std::move(run), &words);
    run.clear();
  }
  AddHangulRun(std::move(run), &words);
  return words;
}

absl::StatusOr<std::vector<EquivalentCandidate>> DiscoverEquivalents(const Xapian::Database& db,
                                                                     const DiscoveryOptions& options) {
  if (!options.sound.similarity || !options.sound.latin_keys || !options.sound.hangul_keys) {
    return absl::InvalidArgumentError("synonym discovery needs a sound comparison");
  }
  absl::StatusOr<Sample> sample = ReadSample(db, options.max_posts, options.deadline);
  if (!sample.ok()) return sample.status();
  if (sample->posts.empty()) return std::vector<EquivalentCandidate>();
  DeadlineTicker ticker(options.deadline, 1);
  ticker.Throw();

  std::vector<EquivalentCandidate> candidates;
  for (const Pair& pair : WithoutLongerForms(*sample, SoundAlikePairs(*sample, options))) {
    ticker.Tick();
    if (IsKnown(sample->hangul.word(pair.hangul), sample->latin.word(pair.latin), options)) continue;
    if (std::optional<EquivalentCandidate> candidate = Judge(*sample, pair)) {
      candidates.push_back(std::move(*candidate));
    }
  }
  candidates = OnePerHangulWord(std::move(candidates));
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    return std::tie(b.score, a.hangul, a.latin) < std::tie(a.score, b.hangul, b.latin);
  });
  if (candidates.size() > options.limit) candidates.resize(options.limit);
  return candidates;
}

}  // namespace chaja::search
