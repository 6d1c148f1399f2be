#include "analyzer/hangul.h"

#include <cstddef>
#include <vector>

namespace chaja::analyzer {
namespace {

constexpr char32_t kSyllableBase = 0xAC00;
constexpr char32_t kSyllableLast = 0xD7A3;
constexpr char32_t kJamoFirst = 0x3131;      // ㄱ
constexpr char32_t kJamoLast = 0x318E;       // ㆎ
constexpr char32_t kConsonantLast = 0x314E;  // ㅎ
constexpr char32_t kVowelFirst = 0x314F;     // ㅏ
constexpr char32_t kVowelLast = 0x3163;      // ㅣ
constexpr int kVowelCount = 21;
constexpr int kFinalCount = 28;  // Including "no final".

// Choseong (L) and jongseong (T) indices of each compatibility consonant
// U+3131..U+314E, in block order; -1 where the consonant cannot take that role.
// Compound finals (ㄳ..) cannot start a syllable; ㄸ ㅃ ㅉ cannot end one.
struct ConsonantRole {
  int initial;
  int final;
};
constexpr ConsonantRole kConsonantRoles[] = {
    {0, 1},    // ㄱ
    {1, 2},    // ㄲ
    {-1, 3},   // ㄳ
    {2, 4},    // ㄴ
    {-1, 5},   // ㄵ
    {-1, 6},   // ㄶ
    {3, 7},    // ㄷ
    {4, -1},   // ㄸ
    {5, 8},    // ㄹ
    {-1, 9},   // ㄺ
    {-1, 10},  // ㄻ
    {-1, 11},  // ㄼ
    {-1, 12},  // ㄽ
    {-1, 13},  // ㄾ
    {-1, 14},  // ㄿ
    {-1, 15},  // ㅀ
    {6, 16},   // ㅁ
    {7, 17},   // ㅂ
    {8, -1},   // ㅃ
    {-1, 18},  // ㅄ
    {9, 19},   // ㅅ
    {10, 20},  // ㅆ
    {11, 21},  // ㅇ
    {12, 22},  // ㅈ
    {13, -1},  // ㅉ
    {14, 23},  // ㅊ
    {15, 24},  // ㅋ
    {16, 25},  // ㅌ
    {17, 26},  // ㅍ
    {18, 27},  // ㅎ
};
static_assert(sizeof(kConsonantRoles) / sizeof(kConsonantRoles[0]) ==
                  kConsonantLast - kJamoFirst + 1,
              "one entry per compatibility consonant");

// Two keystrokes that a 2-beolsik keyboard merges into one letter.
struct JamoPair {
  char32_t first;
  char32_t second;
  char32_t combined;
};

constexpr JamoPair kCompoundVowels[] = {
    {U'ㅗ', U'ㅏ', U'ㅘ'}, {U'ㅗ', U'ㅐ', U'ㅙ'}, {U'ㅗ', U'ㅣ', U'ㅚ'}, {U'ㅜ', U'ㅓ', U'ㅝ'},
    {U'ㅜ', U'ㅔ', U'ㅞ'}, {U'ㅜ', U'ㅣ', U'ㅟ'}, {U'ㅡ', U'ㅣ', U'ㅢ'},
};

constexpr JamoPair kCompoundFinals[] = {
    {U'ㄱ', U'ㅅ', U'ㄳ'}, {U'ㄴ', U'ㅈ', U'ㄵ'}, {U'ㄴ', U'ㅎ', U'ㄶ'}, {U'ㄹ', U'ㄱ', U'ㄺ'},
    {U'ㄹ', U'ㅁ', U'ㄻ'}, {U'ㄹ', U'ㅂ', U'ㄼ'}, {U'ㄹ', U'ㅅ', U'ㄽ'}, {U'ㄹ', U'ㅌ', U'ㄾ'},
    {U'ㄹ', U'ㅍ', U'ㄿ'}, {U'ㄹ', U'ㅎ', U'ㅀ'}, {U'ㅂ', U'ㅅ', U'ㅄ'},
};

// Returns the merged letter, or 0 if the pair does not merge.
template <size_t N>
char32_t Combine(const JamoPair (&table)[N], char32_t first, char32_t second) {
  for (const JamoPair& p : table) {
    if (p.first == first && p.second == second) return p.combined;
  }
  return 0;
}

bool IsConsonant(char32_t c) { return c >= kJamoFirst && c <= kConsonantLast; }
bool IsVowel(char32_t c) { return c >= kVowelFirst && c <= kVowelLast; }

int InitialIndex(char32_t c) {
  return IsConsonant(c) ? kConsonantRoles[c - kJamoFirst].initial : -1;
}
int FinalIndex(char32_t c) { return IsConsonant(c) ? kConsonantRoles[c - kJamoFirst].final : -1; }

// The syllable being typed. Every field is a compatibility jamo code point or 0.
// The final is kept as the two keystrokes it was typed with so that a
// following vowel can take the second one (or the only one) away from it.
class SyllableBuilder {
 public:
  explicit SyllableBuilder(std::vector<ComposedChar>* out) : out_(out) {}

  void Feed(char32_t c, size_t index) {
    if (IsConsonant(c)) {
      FeedConsonant(c, index);
    } else if (IsVowel(c)) {
      FeedVowel(c, index);
    } else {
      // Non-jamo, Hangul filler and archaic jamo: nothing can join them.
      Flush();
      Emit(c, index, index + 1);
    }
  }

  // Emits whatever is in progress: a syllable, or a lone initial unchanged.
  void Flush() {
    if (initial_ == 0) return;
    if (vowel_ == 0) {
      Emit(initial_, start_, start_ + 1);
    } else {
      const int t = final1_ == 0 ? 0 : FinalIndex(Final());
      const int v = static_cast<int>(vowel_ - kVowelFirst);
      const char32_t syllable =
          kSyllableBase +
          static_cast<char32_t>((InitialIndex(initial_) * kVowelCount + v) * kFinalCount + t);
      Emit(syllable, start_, end_);
    }
    initial_ = vowel_ = final1_ = final2_ = 0;
  }

 private:
  void FeedConsonant(char32_t c, size_t index) {
    if (vowel_ != 0) {
      if (final1_ == 0 && FinalIndex(c) >= 0) {
        final1_ = c;
        final_index_ = index;
        end_ = index + 1;
        return;
      }
      if (final1_ != 0 && final2_ == 0 && Combine(kCompoundFinals, final1_, c) != 0) {
        final2_ = c;
        final_index_ = index;
        end_ = index + 1;
        return;
      }
    }
    Flush();
    Start(c, index);
  }

  void FeedVowel(char32_t c, size_t index) {
    if (initial_ != 0 && vowel_ == 0) {
      vowel_ = c;
      end_ = index + 1;
      return;
    }
    if (vowel_ != 0 && final1_ == 0) {
      const char32_t combined = Combine(kCompoundVowels, vowel_, c);
      if (combined != 0) {
        vowel_ = combined;
        end_ = index + 1;
        return;
      }
    }
    if (final1_ != 0) {
      // The last final keystroke becomes the next syllable's initial:
      // 갑 + ㅅ + ㅣ → 갑시, 각 + ㅏ → 가가. A compound final typed as one
      // code point (ㄺ) cannot be split without splitting its input index,
      // and cannot start a syllable, so it stays where it is.
      const char32_t moving = final2_ != 0 ? final2_ : final1_;
      if (InitialIndex(moving) >= 0) {
        const size_t moving_index = final_index_;
        if (final2_ != 0) {
          final2_ = 0;
        } else {
          final1_ = 0;
        }
        end_ = moving_index;
        Flush();
        Start(moving, moving_index);
        vowel_ = c;
        end_ = index + 1;
        return;
      }
    }
    // Nothing to attach to: the vowel stands alone, unchanged.
    Flush();
    Emit(c, index, index + 1);
  }

  void Start(char32_t consonant, size_t index) {
    if (InitialIndex(consonant) < 0) {
      // ㄳ and friends cannot begin a syllable.
      Emit(consonant, index, index + 1);
      return;
    }
    initial_ = consonant;
    start_ = index;
    end_ = index + 1;
  }

  char32_t Final() const {
    return final2_ == 0 ? final1_ : Combine(kCompoundFinals, final1_, final2_);
  }

  void Emit(char32_t c, size_t first, size_t last) { out_->push_back({c, first, last}); }

  std::vector<ComposedChar>* out_;
  char32_t initial_ = 0;
  char32_t vowel_ = 0;
  char32_t final1_ = 0;
  char32_t final2_ = 0;
  size_t start_ = 0;
  size_t end_ = 0;
  size_t final_index_ = 0;  // Input index of the last final keystroke.
};

}  // namespace

bool IsHangulSyllable(char32_t c) { return c >= kSyllableBase && c <= kSyllableLast; }

bool IsCompatibilityJamo(char32_t c) { return c >= kJamoFirst && c <= kJamoLast; }

std::vector<ComposedChar> ComposeCompatibilityJamo(const std::vector<char32_t>& run) {
  std::vector<ComposedChar> out;
  out.reserve(run.size());
  SyllableBuilder builder(&out);
  for (size_t i = 0; i < run.size(); ++i) builder.Feed(run[i], i);
  builder.Flush();
  return out;
}

}  // namespace chaja::analyzer
