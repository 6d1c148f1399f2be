// English spelling → Hangul by the rules of 외래어 표기법, and the jamo-level
// comparison built on it.
//
// An English word becomes a lattice (a small acyclic graph) of jamo: each
// ambiguous sound (a vowel letter, "th", a final "s") is a choice among a few
// spellings with a small cost each. Comparing with a Hangul word is an edit
// distance between the lattice and the word's jamo, so every combination of
// choices is tried at once without listing the combinations.
#include "analyzer/loanword.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "analyzer/hangul.h"
#include "analyzer/jamo_tables.h"
#include "analyzer/utf8.h"

namespace chaja::analyzer {
namespace {

namespace jt = jamo_tables;

// ---------------------------------------------------------------------------
// Tokens and lattices

// Where a jamo sits in its syllable; kLetter is a Latin letter or digit kept
// as it is (lower-case).
enum class Place : uint8_t { kInitial, kVowel, kFinal, kLetter };

struct Token {
  char32_t symbol;
  Place place;
  bool bare = false;  // A vowel after the silent ㅇ: its ㅡ is a real 으, not an added one.
};

using Tokens = std::vector<Token>;

struct Edge {
  int from;
  int to;
  bool empty;  // An epsilon edge: no token.
  Token token;
  float cost;
};

// Node 0 is the start, node `nodes - 1` the end; every edge goes from a lower
// to a higher node, so nodes in order are a topological order.
struct Lattice {
  int nodes = 1;
  std::vector<Edge> edges;
  float primary_length = 0;  // Weight of the tokens on the most likely path.

  int end() const { return nodes - 1; }
};

// One spelling of a choice and what it costs against the most likely one.
struct Option {
  Tokens tokens;
  float cost;
};

// A Latin letter kept in a Hangul word stands for a whole letter name (A 에이):
// it weighs as much as a syllable.
constexpr float kLetterWeight = 3.0f;

float Weight(const Tokens& tokens) {
  float w = 0;
  for (const Token& t : tokens) w += t.place == Place::kLetter ? kLetterWeight : 1;
  return w;
}

Lattice Linear(const Tokens& tokens) {
  Lattice l;
  for (const Token& t : tokens) {
    l.edges.push_back({l.nodes - 1, l.nodes, false, t, 0});
    ++l.nodes;
  }
  l.primary_length = Weight(tokens);
  return l;
}

// Appends to `into` a choice among `branches` (lattice, extra cost); the
// first branch is the most likely. Branches are joined by epsilon edges.
void AppendChoice(Lattice* into, const std::vector<std::pair<Lattice, float>>& branches) {
  if (branches.empty()) return;
  const int start = into->end();
  std::vector<int> branch_ends;
  for (const auto& [branch, cost] : branches) {
    const int base = into->nodes;  // Branch node k > 0 becomes base + k - 1.
    auto map = [&](int node) { return node == 0 ? start : base + node - 1; };
    for (const Edge& e : branch.edges) {
      into->edges.push_back({map(e.from), map(e.to), e.empty, e.token, e.cost});
    }
    into->nodes += branch.nodes - 1;
    branch_ends.push_back(map(branch.end()));
  }
  const int join = into->nodes++;
  for (size_t i = 0; i < branches.size(); ++i) {
    into->edges.push_back({branch_ends[i], join, true, {0, Place::kLetter}, branches[i].second});
  }
  into->primary_length += branches.front().first.primary_length;
}

void AppendOptions(Lattice* into, const std::vector<Option>& options) {
  std::vector<std::pair<Lattice, float>> branches;
  for (const Option& o : options) branches.emplace_back(Linear(o.tokens), o.cost);
  AppendChoice(into, branches);
}

void SortEdges(Lattice* l) {
  std::stable_sort(l->edges.begin(), l->edges.end(),
                   [](const Edge& a, const Edge& b) { return a.from < b.from; });
}

// ---------------------------------------------------------------------------
// Hangul side

bool IsAsciiAlnum(char32_t c) { return c < 128 && absl::ascii_isalnum(static_cast<char>(c)); }

char32_t LowerAscii(char32_t c) {
  return c < 128 ? static_cast<char32_t>(absl::ascii_tolower(static_cast<char>(c))) : c;
}

// The jamo of a Hangul word (a silent initial ㅇ left out, clusters split),
// with Latin letters and digits as letters.
Tokens TokensOfHangul(absl::string_view text) {
  Tokens out;
  for (char32_t c : ToCodePoints(text)) {
    if (IsHangulSyllable(c)) {
      const jt::SyllableParts p = jt::Decompose(c);
      if (jt::kInitials[p.initial] != U'ㅇ') out.push_back({jt::kInitials[p.initial], Place::kInitial});
      out.push_back({jt::VowelJamo(p.vowel), Place::kVowel, jt::kInitials[p.initial] == U'ㅇ'});
      if (p.final != 0) {
        const char32_t final = jt::kFinals[p.final];
        if (const jt::JamoPair* pair = jt::Split(final)) {
          out.push_back({pair->first, Place::kFinal});
          out.push_back({pair->second, Place::kFinal});
        } else {
          out.push_back({final, Place::kFinal});
        }
      }
    } else if (IsCompatibilityJamo(c)) {
      out.push_back({c, jt::VowelIndex(c) >= 0 ? Place::kVowel : Place::kInitial});
    } else if (IsAsciiAlnum(c)) {
      out.push_back({LowerAscii(c), Place::kLetter});
    }
  }
  return out;
}

// The runs of Latin letters inside a Hangul word, lower-case (오픈AI → "ai").
std::vector<std::string> LatinRuns(absl::string_view hangul) {
  std::vector<std::string> runs;
  std::string run;
  for (char32_t c : ToCodePoints(hangul)) {
    if (c < 128 && absl::ascii_isalpha(static_cast<char>(c))) {
      run += absl::ascii_tolower(static_cast<char>(c));
    } else if (!run.empty()) {
      runs.push_back(std::move(run));
      run.clear();
    }
  }
  if (!run.empty()) runs.push_back(std::move(run));
  return runs;
}

// Composes tokens into text: initial + vowel (+ final) into a syllable, a
// vowel without an initial gets ㅇ.
std::string Compose(const Tokens& tokens) {
  std::u32string out;
  size_t i = 0;
  while (i < tokens.size()) {
    const Token& t = tokens[i];
    int initial = -1;
    if (t.place == Place::kInitial && i + 1 < tokens.size() && tokens[i + 1].place == Place::kVowel) {
      initial = jt::IndexIn(jt::kInitials, t.symbol);
      ++i;
    } else if (t.place == Place::kVowel) {
      initial = jt::IndexIn(jt::kInitials, U'ㅇ');
    }
    const int vowel = initial >= 0 ? jt::VowelIndex(tokens[i].symbol) : -1;
    if (initial < 0 || vowel < 0) {
      out += t.symbol;
      ++i;
      continue;
    }
    ++i;
    int final = 0;
    if (i < tokens.size() && tokens[i].place == Place::kFinal) {
      final = std::max(0, jt::IndexIn(jt::kFinals, tokens[i].symbol));
      ++i;
    }
    out += jt::Compose({initial, vowel, final});
  }
  return ToUtf8(out);
}

// ---------------------------------------------------------------------------
// English spelling → sounds

enum class Sound : uint8_t {
  kNone,  // Silent: an optional sound's "not there" choice.
  kP, kB, kT, kD, kK, kG, kF, kV, kS, kZ, kTh, kSh, kCh, kJ,
  kM, kN, kNg, kL, kR, kH, kW, kY,
  kTs,  // ts, tz: 츠
};

struct SoundChoice {
  Sound sound;
  float cost;
};

struct VowelChoice {
  std::u32string vowels;  // One vowel jamo per syllable: 에이 is U"ㅔㅣ".
  float cost;
};

// One sound of the word: a consonant (several possible sounds) or a vowel
// (several possible Hangul vowels).
struct Phone {
  bool is_vowel = false;
  std::vector<SoundChoice> sounds;
  std::vector<VowelChoice> vowels;
  char letter = 0;       // A single vowel letter whose Hangul depends on context.
  bool magic = false;    // Lengthened by a silent e (tape, note).
  bool short_vowel = false;  // p/t/k after it may become a final (laptop 랩톱).
  int letters = 0;       // How many letters the phone was spelt with.
};

Phone Consonant(std::vector<SoundChoice> sounds, int letters) {
  Phone p;
  p.sounds = std::move(sounds);
  p.letters = letters;
  return p;
}

Phone Vowel(std::vector<VowelChoice> vowels, int letters) {
  Phone p;
  p.is_vowel = true;
  p.vowels = std::move(vowels);
  p.letters = letters;
  return p;
}

bool IsVowelLetter(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// Reads an English word (lower-case letters) sound by sound.
class SpellingReader {
 public:
  explicit SpellingReader(const std::string& word) : w_(word) {}

  std::vector<Phone> Read() {
    while (i_ < w_.size()) {
      if (!ReadCluster() && !ReadVowelGroup() && !ReadSilentE()) ReadSingle();
    }
    return std::move(phones_);
  }

 private:
  bool At(absl::string_view s) const { return w_.compare(i_, s.size(), s.data(), s.size()) == 0; }
  char Peek(size_t ahead) const { return i_ + ahead < w_.size() ? w_[i_ + ahead] : 0; }
  bool AtEnd(size_t ahead) const { return i_ + ahead >= w_.size(); }
  bool FrontVowelAt(size_t ahead) const {
    const char c = Peek(ahead);
    return c == 'e' || c == 'i' || c == 'y';
  }
  bool VowelAt(size_t ahead) const { return IsVowelLetter(Peek(ahead)) || Peek(ahead) == 'y'; }
  bool HasVowelBefore() const {
    for (const Phone& p : phones_) {
      if (p.is_vowel) return true;
    }
    return false;
  }

  void Add(Phone p) { phones_.push_back(std::move(p)); }
  void AddConsonant(Sound s, int letters) { Add(Consonant({{s, 0}}, letters)); }

  // Spellings of several letters for one or more sounds, in this order.
  bool ReadCluster() { return ReadEnding() || ReadDigraph() || ReadConsonantCluster(); }

  // Endings of one syllable: -tion 션, -sion 전, -ture 처.
  bool ReadEnding() {
    if (At("ssion") || At("shion")) return Syllable({{Sound::kSh, 0}}, 5);  // mission 미션, fashion 패션
    if (At("tion")) return Syllable({{Sound::kSh, 0}}, 4);  // 션
    if (At("sion")) return Syllable({{Sound::kJ, 0}, {Sound::kSh, 0.1f}}, 4);  // 전, 션
    if (At("ture")) {  // 처: picture 픽처
      AddConsonant(Sound::kCh, 2);
      Add(Vowel({{U"ㅓ", 0}}, 2));
      i_ += 4;
      return true;
    }
    return false;
  }

  // Two or three letters for one consonant sound: tch, ph, th, sh, ch, ck, gh.
  bool ReadDigraph() {
    if (At("tch")) return Take(Sound::kCh, 3);
    if (At("sch")) {
      AddConsonant(Sound::kS, 1);
      ++i_;
      return Take(Sound::kK, 2);
    }
    if (At("ph")) return Take(Sound::kF, 2);
    if (At("th")) return TakeChoice({{Sound::kTh, 0}, {Sound::kD, 0.15f}}, 2);
    if (At("sh")) return Take(Sound::kSh, 2);
    if (At("ch")) {
      if (Peek(2) == 'r' || Peek(2) == 'l') return Take(Sound::kK, 2);  // chrome 크롬
      return TakeChoice({{Sound::kCh, 0}, {Sound::kK, 0.1f}, {Sound::kSh, 0.15f}}, 2);  // chef 셰프
    }
    if (At("ck")) return Take(Sound::kK, 2);
    if (At("gh")) {
      if (i_ == 0) return Take(Sound::kG, 2);
      i_ += 2;  // Silent: light, high.
      return true;
    }
    return false;
  }

  // Consonant letters read together: ng, nk, qu, silent letters (kn, ps, gn,
  // mb), dg, tu before a vowel, ts, cc.
  bool ReadConsonantCluster() {
    if (At("ng") && FrontVowelAt(2)) {  // engine 엔진, orange 오렌지
      AddConsonant(Sound::kN, 1);
      ++i_;
      return TakeChoice({{Sound::kJ, 0}, {Sound::kG, 0.1f}}, 1);
    }
    if (At("ng")) {
      AddConsonant(Sound::kNg, 2);
      i_ += 2;
      // The g is heard before l, r, w and u (English 잉글리시, language 랭귀지).
      const char next = Peek(0);
      if (next == 'l' || next == 'r' || next == 'w' || IsVowelLetter(next)) {
        Add(Consonant({{Sound::kG, 0}, {Sound::kNone, 0.1f}}, 0));
      }
      return true;
    }
    if (At("nk")) {  // bank 뱅크; before a vowel n may stay n (Jenkins 젠킨스)
      Add(VowelAt(2) ? Consonant({{Sound::kNg, 0}, {Sound::kN, 0.1f}}, 1) : Consonant({{Sound::kNg, 0}}, 1));
      ++i_;
      return Take(Sound::kK, 1);
    }
    if (At("qu")) {
      AddConsonant(Sound::kK, 1);
      ++i_;
      return Take(Sound::kW, 1);
    }
    if (At("wh")) return Take(Sound::kW, 2);
    if (At("wr")) return Take(Sound::kR, 2);
    if (i_ == 0 && At("kn")) return Take(Sound::kN, 2);
    if (i_ == 0 && At("ps")) return Take(Sound::kS, 2);
    if (At("gn") && AtEnd(2)) return Take(Sound::kN, 2);  // design 디자인
    if (At("mb") && AtEnd(2)) return Take(Sound::kM, 2);
    if (At("sc") && FrontVowelAt(2)) return Take(Sound::kS, 2);
    if (At("dg")) {  // edge 엣지, badge 배지
      Add(Consonant({{Sound::kT, 0}, {Sound::kNone, 0.05f}}, 1));
      ++i_;
      return Take(Sound::kJ, 1);
    }
    if (At("dj")) return Take(Sound::kJ, 2);
    if (i_ == 0 && At("rh")) return Take(Sound::kR, 2);
    if (At("geon") || At("gion")) return Syllable({{Sound::kJ, 0}}, 4);  // dungeon 던전
    if (At("tu") && IsVowelLetter(Peek(2))) {  // virtual 버추얼
      AddConsonant(Sound::kCh, 1);
      ++i_;
      return TakeVowel({{U"ㅜ", 0}, {U"ㅠ", 0.1f}}, 1);
    }
    if ((At("ts") || At("tz")) && !VowelAt(2)) {  // boots 부츠, WhatsApp 왓츠앱
      if (i_ > 0 && IsVowelLetter(w_[i_ - 1])) Add(Consonant({{Sound::kNone, 0}, {Sound::kT, 0.05f}}, 0));
      return Take(Sound::kTs, 2);
    }
    if (At("cc") && FrontVowelAt(2)) {
      AddConsonant(Sound::kK, 1);
      ++i_;
      return TakeChoice({{Sound::kS, 0}, {Sound::kNone, 0.1f}}, 1);  // accent 액센트, soccer 사커
    }
    return false;
  }

  // A consonant sound with its vowel ㅓ and n: -tion, -sion.
  bool Syllable(std::vector<SoundChoice> sounds, size_t letters) {
    Add(Consonant(std::move(sounds), 2));
    Add(Vowel({{U"ㅓ", 0}}, 1));
    AddConsonant(Sound::kN, 1);
    i_ += letters;
    return true;
  }

  bool Take(Sound s, size_t letters) {
    AddConsonant(s, static_cast<int>(letters));
    i_ += letters;
    return true;
  }

  bool TakeChoice(std::vector<SoundChoice> sounds, size_t letters) {
    Add(Consonant(std::move(sounds), static_cast<int>(letters)));
    i_ += letters;
    return true;
  }

  bool TakeVowel(std::vector<VowelChoice> vowels, size_t letters) {
    Add(Vowel(std::move(vowels), static_cast<int>(letters)));
    i_ += letters;
    return true;
  }

  // Vowel digraphs, whose sound does not depend much on what follows.
  bool ReadVowelGroup() {
    if (At("eau")) return TakeVowel({{U"ㅗ", 0}, {U"ㅠ", 0.1f}}, 3);  // beauty 뷰티
    if (At("eigh")) return TakeVowel({{U"ㅔㅣ", 0}}, 4);
    if (At("ign") && (AtEnd(3) || At("igne"))) {  // designer 디자이너
      Add(Vowel({{U"ㅏㅣ", 0}, {U"ㅣ", 0.1f}}, 2));
      i_ += 2;
      return Take(Sound::kN, 1);
    }
    if (At("igh")) return TakeVowel({{U"ㅏㅣ", 0}}, 3);
    if (!VowelAt(3) && (At("air") || (At("are") && AtEnd(3)))) return TakeVowel({{U"ㅔㅓ", 0}}, 3);  // hair 헤어
    if (!VowelAt(3) && (At("ear") || At("eer"))) return TakeVowel({{U"ㅣㅓ", 0}, {U"ㅓ", 0.1f}}, 3);
    if (!VowelAt(3) && At("our")) {
      return TakeVowel({{U"ㅜㅓ", 0}, {U"ㅏㅜㅓ", 0.1f}, {U"ㅓ", 0.1f}, {U"ㅗ", 0.15f}}, 3);  // tour 투어
    }
    if (At("ee")) return TakeVowel({{U"ㅣ", 0}}, 2);
    if (At("ea")) {
      return TakeVowel({{U"ㅣ", 0}, {U"ㅔ", 0.1f}, {U"ㅣㅐ", 0.15f}, {U"ㅣㅔㅣ", 0.15f}, {U"ㅣㅓ", 0.15f}}, 2);
    }
    if (At("ai") || At("ay")) return TakeVowel({{U"ㅔㅣ", 0}, {U"ㅔ", 0.1f}, {U"ㅏㅣ", 0.1f}}, 2);
    if (At("ei")) return TakeVowel({{U"ㅔㅣ", 0}, {U"ㅏㅣ", 0.1f}, {U"ㅣ", 0.1f}}, 2);
    if (At("ey")) {
      if (AtEnd(2)) return TakeVowel({{U"ㅣ", 0}, {U"ㅔㅣ", 0.1f}}, 2);  // money 머니
      return TakeVowel({{U"ㅔㅣ", 0}, {U"ㅣ", 0.1f}}, 2);
    }
    if (At("iew")) return TakeVowel({{U"ㅠ", 0}, {U"ㅜ", 0.1f}}, 3);  // review 리뷰
    if (At("ie") && i_ > 0) {
      return TakeVowel({{U"ㅣ", 0}, {U"ㅏㅣ", 0.1f}, {U"ㅏㅣㅓ", 0.15f}}, 2);
    }
    if (At("oo")) {
      Phone p = Vowel({{U"ㅜ", 0}, {U"ㅓ", 0.2f}}, 2);
      p.short_vowel = Peek(2) == 'k';  // book 북, facebook 페이스북
      Add(std::move(p));
      i_ += 2;
      return true;
    }
    if (At("oa")) return TakeVowel({{U"ㅗ", 0}}, 2);
    if (At("oi") || (At("oy") && !VowelAt(2))) return TakeVowel({{U"ㅗㅣ", 0}}, 2);  // Toyota: o + ya
    if (At("ou")) return TakeVowel({{U"ㅏㅜ", 0}, {U"ㅜ", 0.1f}, {U"ㅓ", 0.15f}, {U"ㅗ", 0.15f}}, 2);
    if (At("ow")) {
      if (VowelAt(2)) return TakeVowel({{U"ㅏ", 0}, {U"ㅗ", 0.1f}}, 1);  // power 파워: w glides on
      return TakeVowel({{U"ㅗ", 0}, {U"ㅏㅜ", 0.1f}, {U"ㅗㅜ", 0.1f}}, 2);
    }
    if (At("aw") || At("au")) return TakeVowel({{U"ㅗ", 0}, {U"ㅏ", 0.1f}, {U"ㅏㅜ", 0.15f}}, 2);
    if ((At("ew") && !VowelAt(2)) || At("eu")) {
      return TakeVowel({{U"ㅠ", 0}, {U"ㅜ", 0.1f}, {U"ㅣㅓ", 0.15f}, {U"ㅣㅜ", 0.15f}}, 2);
    }
    if (At("ue") && i_ > 0) return TakeVowel({{U"ㅠ", 0}, {U"ㅜ", 0.1f}, {U"ㅠㅓ", 0.15f}}, 2);
    if (At("ui") && i_ > 0) {
      return TakeVowel({{U"ㅜ", 0}, {U"ㅟ", 0.1f}, {U"ㅣ", 0.1f}, {U"ㅏㅣ", 0.15f}}, 2);
    }
    return false;
  }

  // A final e is silent (and makes the vowel before it long: tape, note);
  // "-re" after a vowel is 어 (store 스토어); "-es" after a hissing sound is 이즈.
  bool ReadSilentE() {
    if (Peek(0) != 'e' || !HasVowelBefore()) return false;
    const bool final_e = AtEnd(1);
    const bool before_s_or_d = (Peek(1) == 's' || Peek(1) == 'd') && AtEnd(2);
    if (!final_e && !before_s_or_d) return false;
    const size_t n = phones_.size();
    const bool after_single_consonant = n >= 2 && !phones_[n - 1].is_vowel && phones_[n - 1].letters == 1 &&
                                        phones_[n - 2].is_vowel && phones_[n - 2].letter != 0;
    if (final_e && after_single_consonant && phones_[n - 1].sounds[0].sound == Sound::kR) {
      phones_[n - 2].magic = true;
      phones_.pop_back();
      return TakeVowel({{U"ㅓ", 0}}, 1);
    }
    if (after_single_consonant) {
      phones_[n - 2].magic = true;
      ++i_;
      return true;
    }
    if (final_e) {
      ++i_;
      return true;
    }
    if (Peek(1) == 's') return TakeVowel({{U"ㅣ", 0}, {U"ㅡ", 0.1f}}, 1);  // boxes
    return TakeVowel({{U"ㅡ", 0}, {U"ㅔ", 0.1f}}, 1);  // linked 링크드
  }

  void ReadSingle() {
    const char c = w_[i_];
    const bool doubled = Peek(1) == c && !IsVowelLetter(c);
    const size_t letters = doubled ? 2 : 1;
    if (IsVowelLetter(c) || (c == 'y' && IsYVowel())) {
      Phone p = Vowel({}, 1);
      p.letter = c;
      Add(std::move(p));
      ++i_;
      return;
    }
    switch (c) {
      case 'b': Take(Sound::kB, letters); return;
      case 'c':
        Take(FrontVowelAt(letters) ? Sound::kS : Sound::kK, letters);
        return;
      case 'd': Take(Sound::kD, letters); return;
      case 'f': Take(Sound::kF, letters); return;
      case 'g':
        if (FrontVowelAt(letters) && !doubled) {
          if (Peek(1) == 'e' && AtEnd(2)) return (void)Take(Sound::kJ, 1);  // page 페이지
          TakeChoice({{Sound::kJ, 0}, {Sound::kG, 0.1f}}, 1);
          return;
        }
        Take(Sound::kG, letters);
        return;
      case 'h': Take(Sound::kH, letters); return;
      case 'j': Take(Sound::kJ, letters); return;
      case 'k': Take(Sound::kK, letters); return;
      case 'l': Take(Sound::kL, letters); return;
      case 'm': Take(Sound::kM, letters); return;
      case 'n': Take(Sound::kN, letters); return;
      case 'p': Take(Sound::kP, letters); return;
      case 'q': Take(Sound::kK, letters); return;
      case 'r': Take(Sound::kR, letters); return;
      case 's': ReadS(doubled); return;
      case 't': Take(Sound::kT, letters); return;
      case 'v': Take(Sound::kV, letters); return;
      case 'w': Take(Sound::kW, letters); return;
      case 'x':
        if (i_ == 0) return (void)Take(Sound::kZ, 1);
        AddConsonant(Sound::kK, 0);
        Take(Sound::kS, 1);
        return;
      case 'y': Take(Sound::kY, letters); return;
      case 'z': Take(Sound::kZ, letters); return;
      default: ++i_; return;
    }
  }

  // y is a consonant before a vowel at the start or after a vowel (yes, layer).
  bool IsYVowel() const {
    if (!VowelAt(1) || AtEnd(1)) return true;
    return !(i_ == 0 || IsVowelLetter(w_[i_ - 1]));
  }

  // s between vowels may be z; a final s (often a plural) may be z or
  // left out (윈도 for Windows).
  void ReadS(bool doubled) {
    if (doubled) return (void)Take(Sound::kS, 2);
    if (AtEnd(1) && i_ > 0) {
      return (void)TakeChoice({{Sound::kS, 0}, {Sound::kZ, 0.1f}, {Sound::kNone, 0.3f}}, 1);
    }
    if (i_ > 0 && VowelAt(1) && IsVowelLetter(w_[i_ - 1])) {
      return (void)TakeChoice({{Sound::kS, 0}, {Sound::kZ, 0.1f}}, 1);
    }
    Take(Sound::kS, 1);
  }

  const std::string& w_;
  size_t i_ = 0;
  std::vector<Phone> phones_;
};

// The Hangul vowels of a single vowel letter in its context.
std::vector<VowelChoice> VowelsOfLetter(char letter, bool r_coloured, bool is_long, bool at_end,
                                        bool open) {
  switch (letter) {
    case 'a':
      if (r_coloured) return {{U"ㅏ", 0}, {U"ㅓ", 0.15f}, {U"ㅔㅓ", 0.15f}};
      if (at_end) return {{U"ㅏ", 0}, {U"ㅓ", 0.1f}};
      if (is_long) return {{U"ㅔㅣ", 0}, {U"ㅐ", 0.1f}, {U"ㅏ", 0.1f}};
      if (open) return {{U"ㅐ", 0}, {U"ㅏ", 0.05f}, {U"ㅔㅣ", 0.1f}, {U"ㅓ", 0.15f}};
      return {{U"ㅐ", 0}, {U"ㅏ", 0.1f}, {U"ㅓ", 0.15f}, {U"ㅔ", 0.15f}};
    case 'e':
      if (r_coloured) return {{U"ㅓ", 0}, {U"ㅔ", 0.2f}};
      if (at_end) return {{U"ㅣ", 0}, {U"ㅔ", 0.1f}};
      if (is_long) return {{U"ㅣ", 0}, {U"ㅔ", 0.1f}};
      if (open) return {{U"ㅔ", 0}, {U"ㅣ", 0.1f}, {U"ㅐ", 0.1f}};
      return {{U"ㅔ", 0}, {U"ㅐ", 0.1f}, {U"ㅣ", 0.15f}};
    case 'i':
      if (r_coloured) return {{U"ㅓ", 0}, {U"ㅏㅣㅓ", 0.2f}};
      if (at_end) return {{U"ㅣ", 0}, {U"ㅏㅣ", 0.1f}};
      if (is_long) return {{U"ㅏㅣ", 0}, {U"ㅣ", 0.1f}};
      if (open) return {{U"ㅣ", 0}, {U"ㅏㅣ", 0.1f}};
      return {{U"ㅣ", 0}, {U"ㅏㅣ", 0.15f}};
    case 'o':
      if (r_coloured) return {{U"ㅗ", 0}, {U"ㅓ", 0.1f}};
      if (at_end || is_long) return {{U"ㅗ", 0}, {U"ㅗㅜ", 0.1f}, {U"ㅓ", 0.2f}};
      if (open) return {{U"ㅗ", 0}, {U"ㅓ", 0.1f}, {U"ㅏ", 0.15f}};
      return {{U"ㅗ", 0}, {U"ㅏ", 0.1f}, {U"ㅓ", 0.15f}};
    case 'u':
      if (r_coloured) return {{U"ㅓ", 0}};
      if (at_end) return {{U"ㅜ", 0}, {U"ㅠ", 0.1f}};
      if (is_long) return {{U"ㅠ", 0}, {U"ㅜ", 0.1f}};
      if (open) return {{U"ㅠ", 0}, {U"ㅜ", 0.05f}, {U"ㅓ", 0.15f}};
      return {{U"ㅓ", 0}, {U"ㅜ", 0.1f}, {U"ㅠ", 0.2f}};
    default:  // y
      if (at_end) return {{U"ㅣ", 0}, {U"ㅏㅣ", 0.1f}};
      if (is_long || open) return {{U"ㅏㅣ", 0}, {U"ㅣ", 0.1f}};
      return {{U"ㅣ", 0}, {U"ㅏㅣ", 0.1f}};
  }
}

bool IsSound(const Phone& p, Sound s) { return !p.is_vowel && p.sounds[0].sound == s; }

// A single consonant and a final "le" make one syllable (table 테이블), so the
// vowel before them is open; a doubled one does not (apple 애플).
bool BeginsFinalLe(const std::vector<Phone>& ps, size_t k) {
  return k + 2 == ps.size() && ps[k].letters == 1 && IsSound(ps[k + 1], Sound::kL) &&
         !IsSound(ps[k], Sound::kL) && !IsSound(ps[k], Sound::kR);
}

// Vowels English blurs: an unstressed e is often 어 (conference 콘퍼런스), e
// before r and a vowel 이어 (hero 히어로), a after w 어 or 오 (Qualcomm 퀄컴).
// Stress is guessed to be on the first vowel.
void AddWeakVowels(std::vector<Phone>& ps, size_t k, bool r_coloured, bool at_end, bool unstressed) {
  Phone& p = ps[k];
  const bool before_r_vowel = k + 2 < ps.size() && IsSound(ps[k + 1], Sound::kR) && ps[k + 2].is_vowel;
  if (p.letter == 'e' && !r_coloured && !at_end && !p.magic && (unstressed || before_r_vowel)) {
    p.vowels.push_back({U"ㅓ", 0.15f});
  }
  if (p.letter == 'e' && before_r_vowel) p.vowels.push_back({U"ㅣㅓ", 0.15f});
  if (p.letter == 'a' && k > 0 && IsSound(ps[k - 1], Sound::kW)) {
    p.vowels.push_back({U"ㅓ", 0.1f});
    p.vowels.push_back({U"ㅗ", 0.1f});
  }
}

// Gives every single vowel letter its Hangul vowels from what follows it:
// before a silent r (server 서버), at the end, in an open or closed syllable.
void ResolveVowelLetters(std::vector<Phone>* phones) {
  std::vector<Phone>& ps = *phones;
  const size_t n = ps.size();
  bool seen_vowel = false;
  for (size_t k = 0; k < n; ++k) {
    Phone& p = ps[k];
    if (p.is_vowel && p.letter == 0) seen_vowel = true;
    if (!p.is_vowel || p.letter == 0) continue;
    const bool r_coloured = p.letter != 'y' && !p.magic && k + 1 < n && IsSound(ps[k + 1], Sound::kR) &&
                            (k + 2 == n || !ps[k + 2].is_vowel);
    const bool at_end = k + 1 == n || ps[k + 1].is_vowel;
    const bool open = !at_end && k + 2 < n && !ps[k + 1].is_vowel &&
                      (ps[k + 2].is_vowel || BeginsFinalLe(ps, k + 1));
    p.vowels = VowelsOfLetter(p.letter, r_coloured, p.magic, at_end, open);
    AddWeakVowels(ps, k, r_coloured, at_end, seen_vowel);
    seen_vowel = true;
    p.short_vowel = !p.magic && !at_end && !open && !r_coloured;
  }
}

// m or n at the end after another consonant gets the epenthetic ㅡ before
// it, so that it closes that syllable (film 필름, rhythm 리듬).
void AddVowelBeforeFinalNasal(std::vector<Phone>* phones) {
  const size_t n = phones->size();
  if (n < 2) return;
  const Phone& last = (*phones)[n - 1];
  const Phone& before = (*phones)[n - 2];
  if ((IsSound(last, Sound::kM) || IsSound(last, Sound::kN)) && !before.is_vowel &&
      !IsSound(before, Sound::kR) && !IsSound(before, Sound::kNg)) {
    phones->insert(phones->end() - 1, Vowel({{U"ㅡ", 0}}, 0));
  }
}

// ---------------------------------------------------------------------------
// Sounds → Hangul syllables

char32_t InitialOf(Sound s) {
  switch (s) {
    case Sound::kP: case Sound::kF: return U'ㅍ';
    case Sound::kB: case Sound::kV: return U'ㅂ';
    case Sound::kT: return U'ㅌ';
    case Sound::kD: return U'ㄷ';
    case Sound::kK: return U'ㅋ';
    case Sound::kG: return U'ㄱ';
    case Sound::kS: case Sound::kTh: case Sound::kSh: return U'ㅅ';
    case Sound::kZ: case Sound::kJ: return U'ㅈ';
    case Sound::kCh: case Sound::kTs: return U'ㅊ';
    case Sound::kM: return U'ㅁ';
    case Sound::kN: return U'ㄴ';
    case Sound::kL: case Sound::kR: return U'ㄹ';
    case Sound::kH: return U'ㅎ';
    default: return 0;
  }
}

// ㅂ ㅅ ㄱ for p t k after a short vowel (랩톱); ㅁ ㄴ ㅇ ㄹ for the others
// that may end a syllable; 0 for the rest.
char32_t FinalOf(Sound s) {
  switch (s) {
    case Sound::kP: return U'ㅂ';
    case Sound::kT: return U'ㅅ';
    case Sound::kK: return U'ㄱ';
    case Sound::kM: return U'ㅁ';
    case Sound::kN: return U'ㄴ';
    case Sound::kNg: return U'ㅇ';
    case Sound::kL: return U'ㄹ';
    default: return 0;
  }
}

// A glide (w, y) or sh before a vowel merges into it: wa 와, ya 야, sha 샤.
char32_t Glided(char32_t vowel, Sound glide) {
  struct Merge {
    char32_t plain;
    char32_t w;
    char32_t y;
  };
  static constexpr Merge kMerges[] = {
      {U'ㅏ', U'ㅘ', U'ㅑ'}, {U'ㅐ', U'ㅙ', U'ㅒ'}, {U'ㅓ', U'ㅝ', U'ㅕ'}, {U'ㅔ', U'ㅞ', U'ㅖ'},
      {U'ㅗ', U'ㅝ', U'ㅛ'}, {U'ㅜ', U'ㅜ', U'ㅠ'}, {U'ㅡ', U'ㅜ', U'ㅠ'}, {U'ㅣ', U'ㅟ', U'ㅣ'},
      {U'ㅠ', U'ㅜ', U'ㅠ'}, {U'ㅕ', U'ㅝ', U'ㅕ'},
  };
  for (const Merge& m : kMerges) {
    if (m.plain == vowel) return glide == Sound::kW ? m.w : m.y;
  }
  return vowel;
}

class Syllabifier {
 public:
  explicit Syllabifier(const std::vector<Phone>& phones) : ps_(phones) {}

  Lattice Build() {
    for (k_ = 0; k_ < ps_.size(); ++k_) {
      if (ps_[k_].is_vowel) {
        EmitVowel(ps_[k_]);
      } else {
        EmitConsonant(ps_[k_]);
      }
    }
    return std::move(out_);
  }

 private:
  bool NextIsVowel(size_t ahead) const {
    return k_ + ahead < ps_.size() && ps_[k_ + ahead].is_vowel;
  }

  void EmitVowel(const Phone& p) {
    std::vector<Option> options;
    for (const VowelChoice& v : p.vowels) {
      Tokens tokens;
      for (char32_t jamo : v.vowels) tokens.push_back({jamo, Place::kVowel});
      if (!tokens.empty() && glide_ != Sound::kNone) {
        tokens[0].symbol = Glided(tokens[0].symbol, glide_);
      }
      options.push_back({std::move(tokens), v.cost});
    }
    glide_ = Sound::kNone;
    AppendOptions(&out_, options);
    open_ = true;
  }

  void EmitConsonant(const Phone& p) {
    const Sound first = p.sounds[0].sound;
    if (first == Sound::kW || first == Sound::kY) {
      if (NextIsVowel(1)) glide_ = first;
      return;
    }
    // k, g, h keep a following w in their syllable (quiz 퀴즈, 과); other
    // consonants get ㅡ before it (swift 스위프트).
    const bool through_w = (first == Sound::kK || first == Sound::kG || first == Sound::kH) &&
                           k_ + 1 < ps_.size() && IsSound(ps_[k_ + 1], Sound::kW) && NextIsVowel(2);
    if (NextIsVowel(1) || through_w) return EmitInitial(p);
    EmitCoda(p);
  }

  void EmitInitial(const Phone& p) {
    const Sound first = p.sounds[0].sound;
    if (first == Sound::kNg) {  // singer 싱어
      AppendOptions(&out_, {{{{U'ㅇ', Place::kFinal}}, 0}});
      open_ = false;
      return;
    }
    if (first == Sound::kL && open_) {  // silicon 실리콘: l between vowels is ㄹㄹ
      AppendOptions(&out_, {{{{U'ㄹ', Place::kFinal}}, 0}});
    }
    std::vector<Option> options;
    for (const SoundChoice& s : p.sounds) {
      if (s.sound == Sound::kNone) {
        options.push_back({{}, s.cost});
        continue;
      }
      options.push_back({{{InitialOf(s.sound), Place::kInitial}}, s.cost});
      if (s.sound == Sound::kTh) options.push_back({{{U'ㅆ', Place::kInitial}}, s.cost + 0.05f});
    }
    AppendOptions(&out_, options);
    if (first == Sound::kSh) glide_ = Sound::kY;  // 샤 셔 쇼 슈
    open_ = false;
  }

  // A consonant with no vowel after it: a final, silent, or its own syllable
  // with an added vowel (desk 데스크).
  void EmitCoda(const Phone& p) {
    const Sound first = p.sounds[0].sound;
    if (first == Sound::kR || first == Sound::kH) return;  // server 서버
    if (first == Sound::kL || first == Sound::kNg || (open_ && (first == Sound::kM || first == Sound::kN)) ||
        (open_ && IsStopFinal(p))) {
      std::vector<Option> finals = {{{{FinalOf(first), Place::kFinal}}, 0}};
      for (const SoundChoice& c : p.sounds) {
        if (c.sound == Sound::kNone) finals.push_back({{}, c.cost});  // 위젯 as well as 윗젯
      }
      AppendOptions(&out_, finals);
      open_ = false;
      return;
    }
    std::vector<Option> options;
    for (const SoundChoice& s : p.sounds) {
      if (s.sound == Sound::kNone) {
        options.push_back({{}, s.cost});
        continue;
      }
      options.push_back({{{InitialOf(s.sound), Place::kInitial}, {AddedVowel(s.sound), Place::kVowel}}, s.cost});
    }
    AppendOptions(&out_, options);
    open_ = true;
  }

  // p, t, k after a short vowel end its syllable unless l, r, m or n follow.
  bool IsStopFinal(const Phone& p) const {
    const Sound s = p.sounds[0].sound;
    if (s != Sound::kP && s != Sound::kT && s != Sound::kK) return false;
    if (k_ == 0 || !ps_[k_ - 1].is_vowel || !ps_[k_ - 1].short_vowel) return false;
    if (k_ + 1 == ps_.size()) return true;
    const Phone& next = ps_[k_ + 1];
    return !(IsSound(next, Sound::kL) || IsSound(next, Sound::kR) || IsSound(next, Sound::kM) ||
             IsSound(next, Sound::kN));
  }

  char32_t AddedVowel(Sound s) const {
    if (s == Sound::kCh || s == Sound::kJ) return U'ㅣ';  // 벤치, 페이지
    if (s == Sound::kSh) return k_ + 1 == ps_.size() ? U'ㅣ' : U'ㅜ';  // flash 플래시
    return U'ㅡ';
  }

  const std::vector<Phone>& ps_;
  size_t k_ = 0;
  Lattice out_;
  Sound glide_ = Sound::kNone;
  bool open_ = false;  // The last syllable has a vowel and no final yet.
};

// An English word (lower-case letters) as a lattice of Hangul spellings.
Lattice TranscribeWord(const std::string& word) {
  std::vector<Phone> phones = SpellingReader(word).Read();
  ResolveVowelLetters(&phones);
  AddVowelBeforeFinalNasal(&phones);
  return Syllabifier(phones).Build();
}

// ---------------------------------------------------------------------------
// Latin words: parts, acronyms, letters

const char* LetterName(char upper) {
  static constexpr const char* kNames[26] = {
      "에이", "비", "씨", "디", "이", "에프", "지", "에이치", "아이", "제이", "케이", "엘", "엠",
      "엔",   "오", "피", "큐", "알", "에스", "티", "유",     "브이", "더블유", "엑스", "와이", "지"};
  return kNames[upper - 'A'];
}

Lattice LetterNames(const std::string& part) {
  Tokens tokens;
  for (char c : part) {
    const char upper = absl::ascii_toupper(c);
    const Tokens name = TokensOfHangul(LetterName(upper));
    tokens.insert(tokens.end(), name.begin(), name.end());
  }
  return Linear(tokens);
}

Lattice Literal(const std::string& part) {
  Tokens tokens;
  for (char c : part) tokens.push_back({LowerAscii(static_cast<unsigned char>(c)), Place::kLetter});
  return Linear(tokens);
}

bool IsAllUpper(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isupper(c); });
}

bool HasVowelLetter(const std::string& lower) {
  return std::any_of(lower.begin(), lower.end(), [](char c) { return IsVowelLetter(c) || c == 'y'; });
}

// A capital consonant followed by a lower-case consonant it cannot begin an
// English syllable with is a letter on its own: Gmail (G mail), Xbox (X box).
bool StandsAlone(const std::string& word) {
  static constexpr const char* kOnsets[] = {"bl", "br", "ch", "cl", "cr", "dj", "dr", "dw", "fl", "fr", "gh",
                                            "gl", "gn", "gr", "kl", "kn", "kr", "ph", "pl", "pr", "ps",
                                            "qu", "rh", "sc", "sh", "sk", "sl", "sm", "sn", "sp", "sq",
                                            "st", "sw", "th", "tr", "tw", "vl", "wh", "wr"};
  const char a = word[0];
  const char b = word[1];
  if (!absl::ascii_isupper(a) || !absl::ascii_islower(b) || absl::ascii_tolower(a) == b) return false;
  if (IsVowelLetter(absl::ascii_tolower(a)) || IsVowelLetter(b) || b == 'y') return false;
  const std::string pair = {absl::ascii_tolower(a), b};
  return std::none_of(std::begin(kOnsets), std::end(kOnsets), [&](const char* o) { return pair == o; });
}

// Splits where the case or the kind changes (ChatGPT → Chat GPT, YouTube →
// You Tube, GPT4 → GPT 4) and around `runs` that occur in the word.
std::vector<std::string> SplitParts(const std::string& word, const std::vector<std::string>& runs) {
  std::vector<bool> cut(word.size() + 1, false);
  for (size_t i = 1; i < word.size(); ++i) {
    const char a = word[i - 1];
    const char b = word[i];
    const bool lower_upper = absl::ascii_islower(a) && absl::ascii_isupper(b);
    const bool acronym_end = absl::ascii_isupper(a) && absl::ascii_isupper(b) && i + 1 < word.size() &&
                             absl::ascii_islower(word[i + 1]);
    const bool kind_change = absl::ascii_isdigit(a) != absl::ascii_isdigit(b);
    cut[i] = lower_upper || acronym_end || kind_change;
  }
  if (word.size() > 2 && StandsAlone(word)) cut[1] = true;
  const std::string lower = absl::AsciiStrToLower(word);
  for (const std::string& run : runs) {
    const size_t at = lower.find(run);
    if (at == std::string::npos) continue;
    cut[at] = cut[at + run.size()] = true;
  }
  std::vector<std::string> parts;
  size_t begin = 0;
  for (size_t i = 1; i <= word.size(); ++i) {
    if (i == word.size() || cut[i]) {
      parts.push_back(word.substr(begin, i - begin));
      begin = i;
    }
  }
  return parts;
}

// One part: its transcription, its letter names (acronyms, single letters),
// and the letters themselves (for 오픈AI).
void AppendPart(Lattice* into, const std::string& part) {
  std::vector<std::pair<Lattice, float>> branches;
  if (absl::ascii_isdigit(part[0])) {
    branches.emplace_back(Literal(part), 0);
    AppendChoice(into, branches);
    return;
  }
  const std::string lower = absl::AsciiStrToLower(part);
  const bool acronym = (IsAllUpper(part) && part.size() <= 5) || (part.size() <= 5 && !HasVowelLetter(lower));
  if (acronym || part.size() == 1) branches.emplace_back(LetterNames(part), 0);
  if (part.size() > 1) branches.emplace_back(TranscribeWord(lower), acronym ? 0.05f : 0);
  branches.emplace_back(Literal(part), 0.05f);
  AppendChoice(into, branches);
}

bool IsLatinWord(absl::string_view latin) {
  return !latin.empty() && std::all_of(latin.begin(), latin.end(), [](char c) {
    return absl::ascii_isalnum(c);
  });
}

Lattice LatinLattice(absl::string_view latin, const std::vector<std::string>& runs) {
  Lattice l;
  if (!IsLatinWord(latin)) return l;
  for (const std::string& part : SplitParts(std::string(latin), runs)) AppendPart(&l, part);
  SortEdges(&l);
  return l;
}

// ---------------------------------------------------------------------------
// Comparison

// Consonants that transcriptions confuse: plain/aspirated/tense of one place.
int ConsonantClass(char32_t c) {
  switch (c) {
    case U'ㅂ': case U'ㅍ': case U'ㅃ': return 1;
    case U'ㄷ': case U'ㅌ': case U'ㄸ': return 2;
    case U'ㄱ': case U'ㅋ': case U'ㄲ': return 3;
    case U'ㅅ': case U'ㅆ': return 4;
    case U'ㅈ': case U'ㅊ': case U'ㅉ': return 5;
    default: return 0;
  }
}

float ConsonantCost(char32_t a, char32_t b) {
  if (a == b) return 0;
  const int ca = ConsonantClass(a);
  const int cb = ConsonantClass(b);
  if (ca != 0 && ca == cb) return 0.3f;
  if ((ca == 4 && cb == 5) || (ca == 5 && cb == 4)) return 0.5f;  // s/z/j
  if ((ca == 2 && cb == 4) || (ca == 4 && cb == 2)) return 0.6f;  // th: ㅅ/ㄷ, final ㅅ/ㄷ
  return 1;
}

constexpr float kNearVowel = 0.4f;
constexpr float kFarVowel = 1.0f;
constexpr float kVowelIndel = 1.0f;
float VowelCost(const Token& x, const Token& y) {
  const char32_t a = x.symbol;
  const char32_t b = y.symbol;
  if (a == b) return 0;
  // An added ㅡ is heard in many ways; a real 으 syllable is a vowel like any other.
  if ((a == U'ㅡ' && !x.bare) || (b == U'ㅡ' && !y.bare)) return 0.5f;
  struct Near {
    char32_t x;
    char32_t y;
    float cost;
  };
  static constexpr Near kNear[] = {
      {U'ㅔ', U'ㅐ', 0.1f}, {U'ㅓ', U'ㅗ', kNearVowel}, {U'ㅓ', U'ㅏ', kNearVowel}, {U'ㅏ', U'ㅗ', 0.6f},
      {U'ㅣ', U'ㅟ', 0.3f}, {U'ㅜ', U'ㅠ', 0.3f}, {U'ㅓ', U'ㅕ', 0.3f}, {U'ㅗ', U'ㅛ', 0.3f},
      {U'ㅏ', U'ㅑ', 0.3f}, {U'ㅔ', U'ㅖ', 0.3f}, {U'ㅐ', U'ㅒ', 0.3f}, {U'ㅏ', U'ㅘ', 0.3f},
      {U'ㅓ', U'ㅝ', 0.3f}, {U'ㅔ', U'ㅞ', 0.3f}, {U'ㅐ', U'ㅙ', 0.3f}, {U'ㅚ', U'ㅞ', 0.2f},
      {U'ㅜ', U'ㅗ', 0.6f}, {U'ㅓ', U'ㅜ', 0.6f}, {U'ㅣ', U'ㅔ', 0.6f}, {U'ㅐ', U'ㅏ', 0.6f},
      {U'ㅕ', U'ㅔ', 0.6f}, {U'ㅘ', U'ㅝ', 0.3f}, {U'ㅞ', U'ㅝ', kNearVowel},
  };
  for (const Near& n : kNear) {
    if ((n.x == a && n.y == b) || (n.x == b && n.y == a)) return n.cost;
  }
  return kFarVowel;
}

// A final ㅅ is heard as t (아웃 / out, 트 in another spelling).
char32_t Heard(const Token& consonant) {
  return consonant.place == Place::kFinal && consonant.symbol == U'ㅅ' ? U'ㄷ' : consonant.symbol;
}

float SubstituteCost(const Token& a, const Token& b) {
  const bool la = a.place == Place::kLetter;
  const bool lb = b.place == Place::kLetter;
  if (la || lb) return la && lb && a.symbol == b.symbol ? 0 : kLetterWeight;
  const bool va = a.place == Place::kVowel;
  const bool vb = b.place == Place::kVowel;
  if (va != vb) return 1;
  return va ? VowelCost(a, b) : ConsonantCost(Heard(a), Heard(b));
}

// Adding or dropping: cheap for the added ㅡ (데스크 / desk), dearer for other
// vowels, full for consonants.
float IndelCost(const Token& t) {
  if (t.place == Place::kLetter) return kLetterWeight;
  if (t.place == Place::kVowel) return t.symbol == U'ㅡ' && !t.bare ? 0.25f : kVowelIndel;
  if (t.symbol == U'ㅎ') return 0.6f;
  return 1;
}

// The least cost of turning some path of `l` into `target`.
float Distance(const Lattice& l, const Tokens& target) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  const size_t m = target.size();
  const size_t width = m + 1;
  std::vector<float> dp(static_cast<size_t>(l.nodes) * width, kInf);
  dp[0] = 0;
  size_t e = 0;
  for (int u = 0; u < l.nodes; ++u) {
    float* row = &dp[static_cast<size_t>(u) * width];
    for (size_t j = 0; j < m; ++j) row[j + 1] = std::min(row[j + 1], row[j] + IndelCost(target[j]));
    for (; e < l.edges.size() && l.edges[e].from == u; ++e) {
      const Edge& edge = l.edges[e];
      float* next = &dp[static_cast<size_t>(edge.to) * width];
      if (edge.empty) {
        for (size_t j = 0; j <= m; ++j) next[j] = std::min(next[j], row[j] + edge.cost);
        continue;
      }
      const float drop = IndelCost(edge.token);
      for (size_t j = 0; j <= m; ++j) {
        if (row[j] == kInf) continue;
        next[j] = std::min(next[j], row[j] + edge.cost + drop);
        if (j < m) next[j + 1] = std::min(next[j + 1], row[j] + edge.cost + SubstituteCost(edge.token, target[j]));
      }
    }
  }
  return dp[static_cast<size_t>(l.end()) * width + m];
}

double Similarity(const Lattice& l, const Tokens& target) {
  if (l.edges.empty() || target.empty()) return 0;
  const double length = std::max<double>(Weight(target), l.primary_length);
  return std::max(0.0, 1.0 - Distance(l, target) / length);
}

// ---------------------------------------------------------------------------
// Paths (for transcriptions and keys)

struct Path {
  float cost;
  Tokens tokens;
};

// Up to `limit` cheapest paths through `l`, cheapest first.
std::vector<Path> CheapestPaths(const Lattice& l, size_t limit) {
  std::vector<std::vector<Path>> at(static_cast<size_t>(l.nodes));
  at[0].push_back({0, {}});
  size_t e = 0;
  for (int u = 0; u < l.nodes; ++u) {
    std::vector<Path>& here = at[static_cast<size_t>(u)];
    std::stable_sort(here.begin(), here.end(), [](const Path& a, const Path& b) { return a.cost < b.cost; });
    if (here.size() > limit) here.resize(limit);
    for (; e < l.edges.size() && l.edges[e].from == u; ++e) {
      const Edge& edge = l.edges[e];
      for (const Path& p : here) {
        Path next{p.cost + edge.cost, p.tokens};
        if (!edge.empty) next.tokens.push_back(edge.token);
        at[static_cast<size_t>(edge.to)].push_back(std::move(next));
      }
    }
  }
  return at[static_cast<size_t>(l.end())];
}

// A coarse class of a consonant sound, shared by Hangul jamo and Latin letters.
char KeyClass(const Token& t) {
  if (t.place == Place::kLetter) {
    switch (t.symbol) {
      case 'b': case 'p': case 'f': case 'v': return 'P';
      case 'd': case 't': return 'T';
      case 'c': case 'k': case 'g': case 'q': case 'x': return 'K';
      case 's': case 'z': case 'j': return 'S';
      case 'm': return 'M';
      case 'n': return 'N';
      case 'l': case 'r': return 'L';
      case 'h': return 'H';
      default: return 0;  // Vowels, w, y, digits.
    }
  }
  if (t.place == Place::kVowel) return 0;
  if (t.place == Place::kFinal && t.symbol == U'ㅅ') return 'T';  // 셋업: a final ㅅ is a t
  switch (t.symbol) {
    case U'ㅂ': case U'ㅍ': case U'ㅃ': return 'P';
    case U'ㄷ': case U'ㅌ': case U'ㄸ': return 'T';
    case U'ㄱ': case U'ㅋ': case U'ㄲ': return 'K';
    case U'ㅅ': case U'ㅆ': case U'ㅈ': case U'ㅊ': case U'ㅉ': return 'S';
    case U'ㅁ': return 'M';
    case U'ㄴ': return 'N';
    case U'ㄹ': return 'L';
    case U'ㅎ': return 'H';
    case U'ㅇ': return 'G';
    default: return 0;
  }
}

constexpr size_t kKeyConsonants = 2;

// The first consonant classes of a path, with doubled ㄹ (ㄹㄹ) counted once
// since one spelling may double it and another not.
std::string KeyOfTokens(const Tokens& tokens) {
  std::string key;
  for (const Token& t : tokens) {
    const char c = KeyClass(t);
    if (c == 0 || (c == 'L' && !key.empty() && key.back() == 'L')) continue;
    key += c;
    if (key.size() == kKeyConsonants) break;
  }
  return key.empty() ? "-" : key;
}

// The keys over every path of `l`: the set of key prefixes reachable at each
// node, carried forward (a small set: at most a few dozen).
std::vector<std::string> KeysOfLattice(const Lattice& l) {
  std::vector<std::vector<std::string>> at(static_cast<size_t>(l.nodes));
  at[0].push_back("");
  size_t e = 0;
  for (int u = 0; u < l.nodes; ++u) {
    std::vector<std::string>& here = at[static_cast<size_t>(u)];
    std::sort(here.begin(), here.end());
    here.erase(std::unique(here.begin(), here.end()), here.end());
    for (; e < l.edges.size() && l.edges[e].from == u; ++e) {
      const Edge& edge = l.edges[e];
      for (const std::string& key : here) {
        std::string next = key;
        const char c = edge.empty ? 0 : KeyClass(edge.token);
        if (c != 0 && next.size() < kKeyConsonants && !(c == 'L' && !next.empty() && next.back() == 'L')) {
          next += c;
        }
        at[static_cast<size_t>(edge.to)].push_back(std::move(next));
      }
    }
  }
  std::vector<std::string> keys = at[static_cast<size_t>(l.end())];
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (std::string& k : keys) {
    if (k.empty()) k = "-";
  }
  return keys;
}

// LatinTranscription's letters per jamo.
const char* InitialLatin(int index) {
  static constexpr const char* kLatin[19] = {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
                                             "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
  return kLatin[index];
}

const char* VowelLatin(int index) {
  static constexpr const char* kLatin[21] = {"a",  "ae", "ya", "yae", "eo", "e",  "yeo",
                                             "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                             "wo", "we", "wi", "yu",  "eu", "ui", "i"};
  return kLatin[index];
}

const char* FinalLatin(char32_t final) {
  switch (final) {
    case U'ㄱ': case U'ㄲ': case U'ㅋ': case U'ㄳ': case U'ㄺ': return "k";
    case U'ㄴ': case U'ㄵ': case U'ㄶ': return "n";
    case U'ㄹ': case U'ㄼ': case U'ㄽ': case U'ㄾ': case U'ㅀ': return "l";
    case U'ㅁ': case U'ㄻ': return "m";
    case U'ㅂ': case U'ㅍ': case U'ㅄ': case U'ㄿ': return "p";
    case U'ㅇ': return "ng";
    default: return "t";  // ㄷ ㅅ ㅆ ㅈ ㅊ ㅌ ㅎ: 인터넷 → internet
  }
}

}  // namespace

std::vector<std::string> HangulTranscriptions(absl::string_view latin) {
  constexpr size_t kMaxTranscriptions = 8;
  std::vector<std::string> out;
  const Lattice l = LatinLattice(latin, {});
  if (l.edges.empty()) return out;
  for (const Path& p : CheapestPaths(l, 4 * kMaxTranscriptions)) {
    const bool has_letter = std::any_of(p.tokens.begin(), p.tokens.end(), [](const Token& t) {
      return t.place == Place::kLetter && !absl::ascii_isdigit(static_cast<char>(t.symbol));
    });
    if (has_letter) continue;
    std::string text = Compose(p.tokens);
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
    if (out.size() == kMaxTranscriptions) break;
  }
  return out;
}

std::string LatinTranscription(absl::string_view hangul) {
  const std::u32string chars = ToCodePoints(hangul);
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    const char32_t c = chars[i];
    if (IsAsciiAlnum(c)) {
      out += static_cast<char>(LowerAscii(c));
      continue;
    }
    if (!IsHangulSyllable(c)) continue;
    const jt::SyllableParts p = jt::Decompose(c);
    const bool after_final_l = i > 0 && IsHangulSyllable(chars[i - 1]) &&
                               jt::kFinals[jt::Decompose(chars[i - 1]).final] == U'ㄹ';
    if (!(after_final_l && jt::kInitials[p.initial] == U'ㄹ')) out += InitialLatin(p.initial);
    const char32_t vowel = jt::VowelJamo(p.vowel);
    const bool next_is_consonant = i + 1 == chars.size() || !IsHangulSyllable(chars[i + 1]) ||
                                   jt::kInitials[jt::Decompose(chars[i + 1]).initial] != U'ㅇ';
    if (vowel == U'ㅡ' && jt::kInitials[p.initial] != U'ㅇ') {
      // An added ㅡ (데스크 → desk) is not written; in a closed syllable it is e (오픈 → open).
      if (p.final != 0) out += 'e';
      else if (!next_is_consonant) out += "eu";
    } else {
      out += VowelLatin(p.vowel);
    }
    if (p.final != 0) out += FinalLatin(jt::kFinals[p.final]);
  }
  return out;
}

double SoundSimilarity(absl::string_view latin, absl::string_view hangul) {
  const Tokens target = TokensOfHangul(hangul);
  if (target.empty()) return 0;
  return Similarity(LatinLattice(latin, LatinRuns(hangul)), target);
}

bool SoundsAlike(absl::string_view latin, absl::string_view hangul) {
  return SoundSimilarity(latin, hangul) >= kSoundsAlikeThreshold;
}

std::vector<std::string> SoundKeysOfLatin(absl::string_view latin) {
  const Lattice l = LatinLattice(latin, {});
  if (l.edges.empty()) return {};
  return KeysOfLattice(l);
}

std::vector<std::string> SoundKeysOfHangul(absl::string_view hangul) {
  const Tokens tokens = TokensOfHangul(hangul);
  if (tokens.empty()) return {};
  return {KeyOfTokens(tokens)};
}

}  // namespace chaja::analyzer
