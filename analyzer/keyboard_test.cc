#include "analyzer/keyboard.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace chaja::analyzer {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct KeysCase {
  const char* keys;
  const char* hangul;
};

// Every single-key jamo of make_typing.py KEY, by hand from a 2-beolsik
// keyboard layout; compound letters follow SPLIT.
const std::vector<KeysCase>& SingleKeyJamo() {
  static const auto* cases = new std::vector<KeysCase>{
      {"q", "ㅂ"}, {"w", "ㅈ"}, {"e", "ㄷ"}, {"r", "ㄱ"}, {"t", "ㅅ"}, {"y", "ㅛ"}, {"u", "ㅕ"},
      {"i", "ㅑ"}, {"o", "ㅐ"}, {"p", "ㅔ"}, {"a", "ㅁ"}, {"s", "ㄴ"}, {"d", "ㅇ"}, {"f", "ㄹ"},
      {"g", "ㅎ"}, {"h", "ㅗ"}, {"j", "ㅓ"}, {"k", "ㅏ"}, {"l", "ㅣ"}, {"z", "ㅋ"}, {"x", "ㅌ"},
      {"c", "ㅊ"}, {"v", "ㅍ"}, {"b", "ㅠ"}, {"n", "ㅜ"}, {"m", "ㅡ"}, {"Q", "ㅃ"}, {"W", "ㅉ"},
      {"E", "ㄸ"}, {"R", "ㄲ"}, {"T", "ㅆ"}, {"O", "ㅒ"}, {"P", "ㅖ"},
  };
  return *cases;
}

TEST(KeyboardTest, EachKeyTypesItsJamo) {
  for (const KeysCase& c : SingleKeyJamo()) {
    SCOPED_TRACE(c.keys);
    EXPECT_EQ(HangulFromKeys(c.keys), c.hangul);
    EXPECT_EQ(KeysFromHangul(c.hangul), c.keys);
  }
}

TEST(KeyboardTest, CapitalsWithoutShiftJamoTypeTheLowerCaseJamo) {
  EXPECT_EQ(HangulFromKeys("A"), "ㅁ");
  EXPECT_EQ(HangulFromKeys("DK"), "아");
  EXPECT_EQ(HangulFromKeys("Vornjs"), "패권");
  EXPECT_EQ(HangulFromKeys("VoRNJS"), "패꿘");  // R is Shift+r: ㄲ, not ㄱ.
  EXPECT_EQ(HangulFromKeys("VORNJS"), "퍠꿘");  // O is Shift+o: ㅒ, not ㅐ.
}

TEST(KeyboardTest, HangulFromKeysComposesLikeTheIme) {
  const std::vector<KeysCase> cases = {
      {"vornjs", "패권"},
      {"dnqnsxn", "우분투"},
      {"ghkdlxld", "화이팅"},
      {"Rkcl", "까치"},
      {"ekfr", "닭"},
      {"rkqt", "값"},
      {"rkqtdl", "값이"},
      {"rkqtl", "갑시"},  // The cluster's last key moves on to the vowel.
      {"qkfrdms", "밝은"},
      {"rhoscksgdk", "괜찮아"},
      {"ehzj", "도커"},
      {"dlfrdj", "읽어"},
      {"dlfrj", "일거"},
      {"dlTdma", "있음"},
      {"dO", "얘"},
      {"rPthr", "계속"},
      {"Whrorl", "쪼개기"},
      {"py", "ㅔㅛ"},
      {"python", "ㅔㅛ쇄ㅜ"},
      {"zzz", "ㅋㅋㅋ"},
      {"bb", "ㅠㅠ"},
      // Two keys of a compound letter with no syllable to join stay apart,
      // as ComposeCompatibilityJamo leaves them.
      {"hk", "ㅗㅏ"},
      {"fr", "ㄹㄱ"},
      {"", ""},
  };
  for (const KeysCase& c : cases) {
    SCOPED_TRACE(c.keys);
    EXPECT_EQ(HangulFromKeys(c.keys), c.hangul);
  }
}

TEST(KeyboardTest, HangulFromKeysKeepsNonLettersAndEndsTheSyllableThere) {
  const std::vector<KeysCase> cases = {
      {"vornjs 2", "패권 2"},
      {"rkr1", "각1"},
      {"rkr-dk", "각-아"},  // Without the '-' it would be 가가.
      {"dkf.dk", "알.아"},
      {"ekfr, rkqtdl?", "닭, 값이?"},
      {"22.04", "22.04"},
      {"rㅏ", "ㄱㅏ"},  // Hangul in the input is not a key: it joins nothing.
      {"vo권", "패권"},
      {"rk가k", "가가ㅏ"},
      {"r\xffk", "ㄱ\xffㅏ"},  // Invalid UTF-8 is kept byte for byte.
  };
  for (const KeysCase& c : cases) {
    SCOPED_TRACE(c.keys);
    EXPECT_EQ(HangulFromKeys(c.keys), c.hangul);
  }
}

TEST(KeyboardTest, KeysFromHangulSplitsCompoundLetters) {
  const std::vector<KeysCase> cases = {
      {"hk", "ㅘ"}, {"ho", "ㅙ"}, {"hl", "ㅚ"}, {"nj", "ㅝ"}, {"np", "ㅞ"}, {"nl", "ㅟ"},
      {"ml", "ㅢ"}, {"rt", "ㄳ"}, {"sw", "ㄵ"}, {"sg", "ㄶ"}, {"fr", "ㄺ"}, {"fa", "ㄻ"},
      {"fq", "ㄼ"}, {"ft", "ㄽ"}, {"fx", "ㄾ"}, {"fv", "ㄿ"}, {"fg", "ㅀ"}, {"qt", "ㅄ"},
  };
  for (const KeysCase& c : cases) {
    SCOPED_TRACE(c.hangul);
    EXPECT_EQ(KeysFromHangul(c.hangul), c.keys);
  }
}

TEST(KeyboardTest, KeysFromHangulTypesSyllables) {
  const std::vector<KeysCase> cases = {
      {"ekfr", "닭"},
      {"rkqtdl", "값이"},
      {"qkfrdms", "밝은"},
      {"rhoscksgdk", "괜찮아"},
      {"Rkcl", "까치"},
      {"vornjs", "패권"},
      {"dnqnsxn", "우분투"},
      {"ehzj", "도커"},
      {"ghkdlxld", "화이팅"},
      {"dOrl", "얘기"},
      {"rPthr", "계속"},
      {"Whrorl", "쪼개기"},
      {"dlTdma", "있음"},
      {"qkRdmfh", "밖으로"},  // ㄲ as a final is Shift+r too.
      {"Qkd", "빵"},
      {"Ekd", "땅"},
      {"python", "ㅔㅛㅅㅗㅐㅜ"},
      {"python", "ㅔㅛ쇄ㅜ"},
      {"", ""},
  };
  for (const KeysCase& c : cases) {
    SCOPED_TRACE(c.hangul);
    EXPECT_EQ(KeysFromHangul(c.hangul), c.keys);
  }
}

TEST(KeyboardTest, KeysFromHangulKeepsOtherCharacters) {
  EXPECT_EQ(KeysFromHangul("패권 2"), "vornjs 2");
  EXPECT_EQ(KeysFromHangul("GPT 우분투"), "GPT dnqnsxn");  // Latin keeps its case.
  EXPECT_EQ(KeysFromHangul("닭, 값이?"), "ekfr, rkqtdl?");
  EXPECT_EQ(KeysFromHangul("ㆍ"), "ㆍ");  // Archaic arae-a: no key types it.
  EXPECT_EQ(KeysFromHangul("日本"), "日本");
  EXPECT_EQ(KeysFromHangul("가\xff나"), "rk\xffsk");
}

// Real sentences: every syllable, space, digit and punctuation mark comes back.
TEST(KeyboardTest, KeysRoundTripThroughTheIme) {
  const std::vector<std::string> sentences = {
      "닭이 밝은 아침에 울었다.",
      "괜찮아, 값이 싸니까 사자!",
      "까치가 나뭇가지에 앉아 있었습니다.",
      "읽을 책이 없어서 여덟 권을 샀다.",
      "외국인 노동자의 권리와 의무",
      "우분투 22.04에서 도커를 설치하는 방법",
      "흙 묻은 손으로 얹은 떡을 핥았다",
      "뭐라고요? 왜 그랬어요?",
      "햇볕이 쨍쨍 내리쬐는 여름날",
      "넋 놓고 앉아 있지 말고 일해라",
      "삶은 계란을 먹고 싶어요",
      "의사 선생님께 여쭤보세요",
      "꿇어앉아 빌었다",
      "쓸데없는 걱정은 하지 마",
      "얘기 좀 해요; 예, 그래요.",
  };
  for (const std::string& s : sentences) {
    SCOPED_TRACE(s);
    EXPECT_EQ(HangulFromKeys(KeysFromHangul(s)), s);
  }
}

// Rows of make_typing.py's "mistype" variant for petitions queries pt00000,
// pt00003, pt00007 and pt00010 ("query" = keys of "clean"), each syllable
// checked by hand against the key map.
TEST(KeyboardTest, ReadsMakeTypingMistypeRowsBack) {
  const std::vector<KeysCase> rows = {
      {"gkrrysms dlsfurtpsxj cnldjqtpsxjrk dkslqslek wjdakf rksrhrgl qnxkremflqslek",
       "학교는 인력센터 취업센터가 아닙니다 정말 간곡히 부탁드립니다"},
      {"rlfrhdiddlfmf ehdhkwntpdy", "길고양이를 도와주세요"},
      {"wpqkf wha wjdml qkdncj tlrksdmf smffuwnrp gowntlqtldh",
       "제발 좀 저의 바우처 시간을 늘려주게 해주십시오"},
      {"rlrkswp rytk Whrorl rPdir cjfghl", "기간제 교사 쪼개기 계약 철회"},
  };
  for (const KeysCase& row : rows) {
    SCOPED_TRACE(row.hangul);
    EXPECT_EQ(HangulFromKeys(row.keys), row.hangul);
    EXPECT_EQ(KeysFromHangul(row.hangul), row.keys);
  }
}

TEST(KeyboardTest, IsSyllablesOnly) {
  EXPECT_TRUE(IsSyllablesOnly("패권"));
  EXPECT_TRUE(IsSyllablesOnly("가"));
  EXPECT_TRUE(IsSyllablesOnly("힣"));
  EXPECT_FALSE(IsSyllablesOnly(""));
  EXPECT_FALSE(IsSyllablesOnly("패권 "));
  EXPECT_FALSE(IsSyllablesOnly("ㅔㅛ쇄ㅜ"));
  EXPECT_FALSE(IsSyllablesOnly("ㄱ"));
  EXPECT_FALSE(IsSyllablesOnly("python"));
  EXPECT_FALSE(IsSyllablesOnly("가\xff"));
}

// make_typing.py neighbours(): left, right, then the same index one row up
// and one row down.
TEST(KeyboardTest, NeighbourKeysFollowMakeTyping) {
  EXPECT_THAT(NeighbourKeys('q'), ElementsAre('w', 'a'));
  EXPECT_THAT(NeighbourKeys('r'), ElementsAre('e', 't', 'f'));
  EXPECT_THAT(NeighbourKeys('p'), ElementsAre('o'));  // Row 2 has no tenth key.
  EXPECT_THAT(NeighbourKeys('s'), ElementsAre('a', 'd', 'w', 'x'));
  EXPECT_THAT(NeighbourKeys('g'), ElementsAre('f', 'h', 't', 'b'));
  EXPECT_THAT(NeighbourKeys('l'), ElementsAre('k', 'o'));
  EXPECT_THAT(NeighbourKeys('n'), ElementsAre('b', 'm', 'h'));
  EXPECT_THAT(NeighbourKeys('m'), ElementsAre('n', 'j'));
  EXPECT_THAT(NeighbourKeys('z'), ElementsAre('x', 'a'));
}

TEST(KeyboardTest, NeighbourKeysOfNonLettersAndShiftKeysAreEmpty) {
  EXPECT_THAT(NeighbourKeys('1'), IsEmpty());
  EXPECT_THAT(NeighbourKeys(' '), IsEmpty());
  EXPECT_THAT(NeighbourKeys('\0'), IsEmpty());
  EXPECT_THAT(NeighbourKeys('\xea'), IsEmpty());
  EXPECT_THAT(NeighbourKeys('R'), IsEmpty());  // As in make_typing.py: capitals are in no row.
}

TEST(KeyboardTest, NeighbourKeysAreSymmetric) {
  for (char key = 'a'; key <= 'z'; ++key) {
    for (const char n : NeighbourKeys(key)) {
      SCOPED_TRACE(std::string(1, key) + n);
      EXPECT_NE(n, key);
      EXPECT_THAT(NeighbourKeys(n), ::testing::Contains(key));
    }
  }
}

}  // namespace
}  // namespace chaja::analyzer
