#include "analyzer/highlighter.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "analyzer/analyzer.h"
#include "analyzer/utf8.h"

namespace chaja::analyzer {
namespace {

// Code points that continue the character before them: cutting before one
// would split a syllable or detach an accent.
bool ContinuesPrevious(char32_t c) {
  return (c >= 0x1160 && c <= 0x11FF) || (c >= 0xD7B0 && c <= 0xD7FF) || (c >= 0x0300 && c <= 0x036F) ||
         (c >= 0x3099 && c <= 0x309A) || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F);
}

bool IsAsciiSpace(char32_t c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v'; }

}  // namespace

void AppendHtmlEscaped(absl::string_view text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '&': out->append("&amp;"); break;
      case '<': out->append("&lt;"); break;
      case '>': out->append("&gt;"); break;
      case '"': out->append("&quot;"); break;
      case '\'': out->append("&#39;"); break;
      default: out->push_back(c);
    }
  }
}

Highlighter::Highlighter(std::vector<std::string> terms) : terms_(terms.begin(), terms.end()) {}

std::vector<Highlighter::Span> Highlighter::Matches(absl::string_view text) const {
  std::vector<Span> spans;
  if (terms_.empty()) return spans;
  absl::flat_hash_map<absl::string_view, size_t> ids;
  Analyzer().ForEachToken(text, 0, [&](const Token& t) {
    auto term = terms_.find(t.term);
    if (term == terms_.end() && !t.stem.empty()) term = terms_.find(t.stem);
    if (term == terms_.end()) return;
    auto it = ids.find(*term);
    if (it == ids.end()) it = ids.emplace(*term, ids.size()).first;
    spans.push_back({t.begin, t.end, it->second});
  });
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  return spans;
}

std::string Highlighter::Render(absl::string_view text, uint32_t begin, uint32_t end,
                                const std::vector<Span>& spans) const {
  // Merge overlapping spans (한국 + 국어 → one mark over 한국어).
  std::vector<std::pair<uint32_t, uint32_t>> marks;
  for (const Span& s : spans) {
    if (s.end <= begin || s.begin >= end) continue;
    const uint32_t b = std::max(s.begin, begin), e = std::min(s.end, end);
    if (!marks.empty() && b <= marks.back().second) {
      marks.back().second = std::max(marks.back().second, e);
    } else {
      marks.emplace_back(b, e);
    }
  }
  std::string out;
  out.reserve((end - begin) + marks.size() * 13 + 16);
  uint32_t pos = begin;
  bool last_space = false;
  auto append_text = [&](uint32_t from, uint32_t to) {
    // Collapse runs of whitespace so paragraphs read as one passage.
    size_t run_start = from;
    for (uint32_t i = from; i < to; ++i) {
      const char c = text[i];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        AppendHtmlEscaped(text.substr(run_start, i - run_start), &out);
        if (!last_space) out.push_back(' ');
        last_space = true;
        run_start = i + 1;
      } else {
        last_space = false;
      }
    }
    AppendHtmlEscaped(text.substr(run_start, to - run_start), &out);
  };
  for (const auto& [b, e] : marks) {
    append_text(pos, b);
    out.append(kMarkOpen.data(), kMarkOpen.size());
    append_text(b, e);
    out.append(kMarkClose.data(), kMarkClose.size());
    pos = e;
  }
  append_text(pos, end);
  return out;
}

std::string Highlighter::Highlight(absl::string_view text) const {
  return Render(text, 0, static_cast<uint32_t>(text.size()), Matches(text));
}

std::string Highlighter::Snippet(absl::string_view text, size_t max_chars) const {
  const std::vector<CodePoint> cps = DecodeUtf8(text);
  // Character boundaries where a cut is allowed, as byte offsets; index = char count.
  std::vector<uint32_t> cuts;
  cuts.reserve(cps.size() + 1);
  for (const CodePoint& cp : cps) {
    if (!ContinuesPrevious(cp.value)) cuts.push_back(cp.begin);
  }
  cuts.push_back(static_cast<uint32_t>(text.size()));
  const size_t total_chars = cuts.size() - 1;
  const std::vector<Span> spans = Matches(text);

  auto char_index = [&](uint32_t byte) {
    return static_cast<size_t>(std::upper_bound(cuts.begin(), cuts.end(), byte) - cuts.begin()) - 1;
  };

  size_t first_char = 0;
  if (!spans.empty() && total_chars > max_chars) {
    // Slide a window over the matches; keep the one with the most distinct terms.
    size_t best_distinct = 0, best_count = 0, best_start = 0;
    absl::flat_hash_map<size_t, int> in_window;
    size_t right = 0;
    for (size_t left = 0; left < spans.size(); ++left) {
      const size_t start_char = char_index(spans[left].begin);
      while (right < spans.size() && char_index(spans[right].end - 1) < start_char + max_chars) {
        ++in_window[spans[right].term_id];
        ++right;
      }
      if (in_window.size() > best_distinct || (in_window.size() == best_distinct && right - left > best_count)) {
        best_distinct = in_window.size();
        best_count = right - left;
        best_start = start_char;
      }
      if (--in_window[spans[left].term_id] == 0) in_window.erase(spans[left].term_id);
    }
    // Start a little before the first match, at a word start, for context.
    size_t lead = std::min<size_t>(best_start, max_chars / 5);
    first_char = best_start - lead;
    while (first_char < best_start && first_char > 0 &&
           !IsAsciiSpace(static_cast<unsigned char>(text[cuts[first_char - 1]]))) {
      ++first_char;
    }
  }
  // Skip leading whitespace so the passage starts with text.
  auto is_space_at = [&](size_t c) { return IsAsciiSpace(static_cast<unsigned char>(text[cuts[c]])); };
  while (first_char < total_chars && is_space_at(first_char)) ++first_char;
  const size_t last_char = std::min(total_chars, first_char + max_chars);
  // "…" only where text was really left out, not just whitespace.
  bool cut_before = false, cut_after = false;
  for (size_t c = 0; c < first_char && !cut_before; ++c) cut_before = !is_space_at(c);
  for (size_t c = last_char; c < total_chars && !cut_after; ++c) cut_after = !is_space_at(c);
  std::string out;
  if (cut_before) out.append("\u2026");
  out += Render(text, cuts[first_char], cuts[last_char], spans);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (cut_after) out.append("\u2026");
  return out;
}

}  // namespace chaja::analyzer
