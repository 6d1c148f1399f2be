#include "indexer/dates.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace chaja::indexer {
namespace {

// A cursor over the text with the few lexing steps dates need.
class Scanner {
 public:
  explicit Scanner(absl::string_view text) : rest_(text) {}

  bool done() const { return rest_.empty(); }
  absl::string_view rest() const { return rest_; }

  void SkipSpaces() {
    while (!rest_.empty() && absl::ascii_isspace(static_cast<unsigned char>(rest_.front()))) rest_.remove_prefix(1);
  }
  bool Consume(absl::string_view s) { return absl::ConsumePrefix(&rest_, s); }
  bool ConsumeIgnoringCase(absl::string_view s) {
    if (rest_.size() < s.size() || !absl::EqualsIgnoreCase(rest_.substr(0, s.size()), s)) return false;
    rest_.remove_prefix(s.size());
    return true;
  }
  // Between min and max digits; -1 when there are fewer than min.
  int Number(int min_digits, int max_digits, int* digits_read = nullptr) {
    int value = 0, n = 0;
    while (n < max_digits && n < static_cast<int>(rest_.size()) && absl::ascii_isdigit(static_cast<unsigned char>(rest_[n]))) {
      value = value * 10 + (rest_[n] - '0');
      ++n;
    }
    if (n < min_digits) return -1;
    rest_.remove_prefix(n);
    if (digits_read != nullptr) *digits_read = n;
    return value;
  }
  bool PeekDigit() const { return !rest_.empty() && absl::ascii_isdigit(static_cast<unsigned char>(rest_.front())); }
  absl::string_view Word() {
    size_t n = 0;
    while (n < rest_.size() && absl::ascii_isalpha(static_cast<unsigned char>(rest_[n]))) ++n;
    absl::string_view w = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return w;
  }

 private:
  absl::string_view rest_;
};

struct Fields {
  int year = -1, month = -1, day = -1;
  int hour = 0, minute = 0, second = 0;
  double fraction = 0;
  bool has_zone = false;
  int offset_seconds = 0;
};

int MonthFromName(absl::string_view name) {
  static constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() < 3) return -1;
  for (int i = 0; i < 12; ++i) {
    if (absl::StartsWithIgnoreCase(name, kMonths[i])) return i + 1;
  }
  return -1;
}

// Zone names RFC 822 allows, plus the two East Asian ones Korean feeds use.
bool OffsetFromZoneName(absl::string_view name, int* offset_seconds) {
  static constexpr struct {
    const char* name;
    int hours;
  } kZones[] = {{"UT", 0},   {"UTC", 0},  {"GMT", 0},  {"Z", 0},    {"KST", 9},  {"JST", 9},  {"EST", -5},
                {"EDT", -4}, {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
  for (const auto& z : kZones) {
    if (absl::EqualsIgnoreCase(name, z.name)) {
      *offset_seconds = z.hours * 3600;
      return true;
    }
  }
  return false;
}

// [+-]hh[:]mm, [+-]hh, Z or a zone name; false if something else is there.
bool ParseZone(Scanner* s, Fields* f) {
  s->SkipSpaces();
  if (s->done()) return true;
  if (s->Consume("+") || s->rest().front() == '-') {
    const bool negative = s->Consume("-");
    int digits = 0;
    const int hh = s->Number(2, 2, &digits);
    if (hh < 0 || hh > 23) return false;
    s->Consume(":");
    int mm = 0;
    if (s->PeekDigit()) {
      mm = s->Number(2, 2);
      if (mm < 0 || mm > 59) return false;
    }
    f->has_zone = true;
    f->offset_seconds = (negative ? -1 : 1) * (hh * 3600 + mm * 60);
  } else {
    const absl::string_view name = s->Word();
    if (name.empty() || !OffsetFromZoneName(name, &f->offset_seconds)) return false;
    f->has_zone = true;
    s->SkipSpaces();
    // "GMT+9" and "UTC+09:00" add an offset to the named zone.
    if (!s->done() && (s->rest().front() == '+' || s->rest().front() == '-')) {
      const bool negative = s->Consume("-");
      if (!negative) s->Consume("+");
      const int hh = s->Number(1, 2);
      if (hh < 0 || hh > 23) return false;
      int mm = 0;
      if (s->Consume(":") || s->PeekDigit()) mm = s->Number(2, 2);
      if (mm < 0 || mm > 59) return false;
      f->offset_seconds += (negative ? -1 : 1) * (hh * 3600 + mm * 60);
    }
  }
  s->SkipSpaces();
  return s->done();
}

// Korean and English half-day markers: 오전/AM keep the hour, 오후/PM add 12.
bool ConsumeHalfDay(Scanner* s, int* pm) {
  if (s->Consume("오전") || s->ConsumeIgnoringCase("am") || s->ConsumeIgnoringCase("a.m.")) {
    *pm = 0;
    return true;
  }
  if (s->Consume("오후") || s->ConsumeIgnoringCase("pm") || s->ConsumeIgnoringCase("p.m.")) {
    *pm = 1;
    return true;
  }
  return false;
}

// HH:MM[:SS[.frac]] with optional 오전/오후/AM/PM before or after.
bool ParseTimeOfDay(Scanner* s, Fields* f) {
  int pm = -1;
  s->SkipSpaces();
  if (ConsumeHalfDay(s, &pm)) s->SkipSpaces();
  f->hour = s->Number(1, 2);
  if (f->hour < 0 || !s->Consume(":")) return false;
  f->minute = s->Number(2, 2);
  if (f->minute < 0) return false;
  if (s->Consume(":")) {
    f->second = s->Number(2, 2);
    if (f->second < 0) return false;
    if (s->Consume(".") || s->Consume(",")) {
      int digits = 0;
      const absl::string_view before = s->rest();
      if (s->Number(1, 9, &digits) < 0) return false;
      double frac = 0, scale = 0.1;
      for (int i = 0; i < digits; ++i, scale /= 10) frac += (before[i] - '0') * scale;
      f->fraction = frac;
      while (s->PeekDigit()) s->Number(1, 1);  // digits beyond nanoseconds
    }
  }
  s->SkipSpaces();
  if (pm < 0) ConsumeHalfDay(s, &pm);
  if (pm >= 0) {
    if (f->hour < 1 || f->hour > 12) return false;
    f->hour = f->hour % 12 + (pm == 1 ? 12 : 0);
  }
  return true;
}

// Y-M-D style: 2025-01-22[T| ]10:00[:00][zone], 2025.01.22, 2025. 1. 22. 15:20,
// 2025/01/22, 2025년 1월 22일 15:20.
bool ParseNumericDate(absl::string_view text, Fields* f) {
  Scanner s(text);
  f->year = s.Number(4, 4);
  if (f->year < 0) return false;
  auto separator = [&s](absl::string_view korean) {
    s.SkipSpaces();
    const bool ok = s.Consume("-") || s.Consume(".") || s.Consume("/") || s.Consume(korean);
    s.SkipSpaces();
    return ok;
  };
  if (!separator("년")) return false;
  f->month = s.Number(1, 2);
  if (f->month < 0 || !separator("월")) return false;
  f->day = s.Number(1, 2);
  if (f->day < 0) return false;
  s.SkipSpaces();
  if (!s.Consume(".")) s.Consume("일");
  if (s.done()) return true;
  const bool t = s.Consume("T") || s.Consume("t");
  s.SkipSpaces();
  if (s.done()) return !t;
  // The zone may follow the date directly only when there is a time.
  if (!ParseTimeOfDay(&s, f)) return false;
  return ParseZone(&s, f);
}

// [Wkday,] D Mon YYYY [HH:MM[:SS]] [zone]  (RFC 822 / 1123 / 2822; 2-digit years too).
bool ParseRfc822(absl::string_view text, Fields* f) {
  Scanner s(text);
  s.SkipSpaces();
  if (!s.PeekDigit()) {
    s.Word();  // weekday, not checked: feeds get it wrong more often than the date
    s.SkipSpaces();
    s.Consume(",");
    s.SkipSpaces();
  }
  f->day = s.Number(1, 2);
  if (f->day < 0) return false;
  s.SkipSpaces();
  s.Consume("-");
  f->month = MonthFromName(s.Word());
  if (f->month < 0) return false;
  s.SkipSpaces();
  s.Consume("-");
  int digits = 0;
  f->year = s.Number(2, 4, &digits);
  if (f->year < 0 || digits == 3) return false;
  if (digits == 2) f->year += f->year < 50 ? 2000 : 1900;  // RFC 2822 §4.3
  s.SkipSpaces();
  if (s.done()) return true;
  if (!ParseTimeOfDay(&s, f)) return false;
  return ParseZone(&s, f);
}

std::string Quote(absl::string_view text) {
  if (text.size() > 60) return absl::StrCat("\"", text.substr(0, 57), "...\"");
  return absl::StrCat("\"", text, "\"");
}

}  // namespace

absl::StatusOr<absl::Time> ParseDate(absl::string_view text, absl::TimeZone zone) {
  text = absl::StripAsciiWhitespace(text);
  Fields f;
  const bool ok = !text.empty() && (absl::ascii_isdigit(static_cast<unsigned char>(text.front())) &&
                                            text.size() >= 5 && absl::ascii_isdigit(static_cast<unsigned char>(text[2])) &&
                                            absl::ascii_isdigit(static_cast<unsigned char>(text[3]))
                                        ? ParseNumericDate(text, &f)
                                        : ParseRfc822(text, &f));
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unrecognized date ", Quote(text),
        " (use RFC 3339 like 2025-01-22T10:00:00+09:00, RFC 822 like Wed, 22 Jan 2025 10:00:00 +0900, or 2025.01.22)"));
  }
  const absl::CivilSecond civil(f.year, f.month, f.day, f.hour, f.minute, f.second);
  if (f.year < 1 || f.year > 9999 || civil.year() != f.year || civil.month() != f.month || civil.day() != f.day ||
      civil.hour() != f.hour || civil.minute() != f.minute || civil.second() != f.second) {
    return absl::InvalidArgumentError(absl::StrCat("impossible date ", Quote(text)));
  }
  const absl::TimeZone in = f.has_zone ? absl::FixedTimeZone(f.offset_seconds) : zone;
  return absl::FromCivil(civil, in) + absl::Nanoseconds(static_cast<int64_t>(f.fraction * 1e9 + 0.5));
}

}  // namespace chaja::indexer
