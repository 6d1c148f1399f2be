#include "client/format.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace chaja::client {
namespace {

constexpr absl::string_view kBold = "\033[1m";
constexpr absl::string_view kDim = "\033[2m";
constexpr absl::string_view kHighlight = "\033[1;33m";
constexpr absl::string_view kReset = "\033[0m";

std::string Styled(absl::string_view text, absl::string_view style, bool color) {
  if (!color) return std::string(text);
  return absl::StrCat(style, text, kReset);
}

// Article text that is not markup (ids, urls): control characters removed.
std::string PlainText(absl::string_view text);

}  // namespace

std::string MarkupToTerminal(absl::string_view markup, bool color) {
  static constexpr struct {
    absl::string_view from;
    absl::string_view to;
  } kEntities[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
  std::string out;
  out.reserve(markup.size());
  size_t i = 0;
  while (i < markup.size()) {
    const absl::string_view rest = markup.substr(i);
    if (absl::StartsWith(rest, "<mark>")) {
      if (color) out.append(kHighlight.data(), kHighlight.size());
      i += 6;
      continue;
    }
    if (absl::StartsWith(rest, "</mark>")) {
      if (color) out.append(kReset.data(), kReset.size());
      i += 7;
      continue;
    }
    bool replaced = false;
    for (const auto& e : kEntities) {
      if (absl::StartsWith(rest, e.from)) {
        out.append(e.to.data(), e.to.size());
        i += e.from.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    const unsigned char c = static_cast<unsigned char>(markup[i]);
    // Control characters from article text never reach the terminal: C0 and
    // DEL, and C1 (U+0080..U+009F, encoded C2 80..C2 9F; U+009B starts CSI).
    if (c < 0x20 || c == 0x7F) {
      out.push_back(' ');
      ++i;
    } else if (c == 0xC2 && i + 1 < markup.size() && static_cast<unsigned char>(markup[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(markup[i + 1]) <= 0x9F) {
      out.push_back(' ');
      i += 2;
    } else {
      out.push_back(static_cast<char>(c));
      ++i;
    }
  }
  return out;
}

namespace {
std::string PlainText(absl::string_view text) {
  // Escape what MarkupToTerminal would read as markup, then sanitize.
  std::string escaped;
  for (char c : text) {
    if (c == '&') escaped += "&amp;";
    else if (c == '<') escaped += "&lt;";
    else escaped.push_back(c);
  }
  return MarkupToTerminal(escaped, false);
}
}  // namespace

std::string FormatDate(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(t.seconds()), zone);
}

absl::TimeZone LoadZoneOrSeoul(const std::string& name) {
  absl::TimeZone zone;
  if (absl::LoadTimeZone(name, &zone)) return zone;
  return absl::FixedTimeZone(9 * 3600);
}

std::string FormatSearchResponse(const v1::SearchRequest& request, const v1::SearchResponse& response,
                                 const FormatOptions& options) {
  std::string out;
  uint32_t rank = request.offset();
  for (const v1::SearchHit& hit : response.hits()) {
    ++rank;
    std::string title = MarkupToTerminal(hit.title_highlighted().empty() ? hit.title() : hit.title_highlighted(),
                                         options.color);
    if (hit.title().empty()) title = absl::StrCat("(", PlainText(hit.id()), ")");
    absl::StrAppend(&out, Styled(absl::StrFormat("%3d.", rank), kDim, options.color), " ",
                    Styled(title, kBold, options.color), "\n");
    std::vector<std::string> meta;
    if (hit.has_published()) meta.push_back(FormatDate(hit.published(), options.zone));
    if (!hit.category().empty()) meta.push_back(MarkupToTerminal(hit.category(), false));
    if (!hit.tags().empty()) {
      std::vector<std::string> tags;
      for (const std::string& tag : hit.tags()) tags.push_back(absl::StrCat("#", MarkupToTerminal(tag, false)));
      meta.push_back(absl::StrJoin(tags, " "));
    }
    meta.push_back(absl::StrCat("댓글 ", hit.comment_count()));
    if (hit.score() > 0) meta.push_back(absl::StrFormat("score %.2f", hit.score()));
    absl::StrAppend(&out, "     ", Styled(absl::StrJoin(meta, " · "), kDim, options.color), "\n");
    if (!hit.snippet().empty()) absl::StrAppend(&out, "     ", MarkupToTerminal(hit.snippet(), options.color), "\n");
    if (!hit.url().empty()) absl::StrAppend(&out, "     ", Styled(PlainText(hit.url()), kDim, options.color), "\n");
    out.push_back('\n');
  }
  const double ms = response.took().seconds() * 1e3 + response.took().nanos() / 1e6;
  absl::StrAppend(&out, response.total_hits_exact() ? "" : "about ", response.total_hits(),
                  response.total_hits() == 1 ? " hit" : " hits", " in ", absl::StrFormat("%.1f ms", ms));
  if (response.hits_size() > 0) {
    absl::StrAppend(&out, " (showing ", request.offset() + 1, "–", request.offset() + response.hits_size(), ")");
  }
  out.push_back('\n');
  return out;
}

}  // namespace chaja::client
