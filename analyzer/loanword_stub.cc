// TEMPORARY: the sample blog's pairs until analyzer/loanword.cc lands.
#include "analyzer/loanword.h"

namespace chaja::analyzer {

const std::vector<LoanwordPair>& BuiltinLoanwords() {
  static const std::vector<LoanwordPair>* const pairs = new std::vector<LoanwordPair>{
      {"우분투", "Ubuntu"}, {"파이썬", "Python"},     {"오픈AI", "OpenAI"},   {"트랜스포머", "Transformer"},
      {"도커", "Docker"},   {"리눅스", "Linux"},      {"윈도우", "Windows"},  {"윈도", "Windows"},
      {"깃허브", "GitHub"}, {"자바스크립트", "JavaScript"}};
  return *pairs;
}

}  // namespace chaja::analyzer
