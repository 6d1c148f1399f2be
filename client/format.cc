#include "client/format.h"

#include <algorithm>
#include <map>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "client/table.h"

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

// "next page: --page_token TOKEN", when there is a next page.
void AppendNextPage(const std::string& token, const FormatOptions& options, std::string* out) {
  if (token.empty()) return;
  // The token is opaque server text: sanitized like article text.
  absl::StrAppend(out, "\n", Styled("next page: --page_token ", kDim, options.color), PlainText(token), "\n");
}

// "2025.01.22", as Tistory prints dates under a post.
std::string DottedDate(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  return absl::FormatTime("%Y.%m.%d", absl::FromUnixSeconds(t.seconds()), zone);
}

std::string TitleOrId(const std::string& title, const std::string& id) {
  return title.empty() ? absl::StrCat("(", PlainText(id), ")") : PlainText(title);
}

std::string HashTags(const google::protobuf::RepeatedPtrField<std::string>& tags) {
  std::vector<std::string> out;
  for (const std::string& tag : tags) out.push_back(absl::StrCat("#", PlainText(tag)));
  return absl::StrJoin(out, " ");
}

constexpr size_t kTitleWidth = 48;

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

std::string FormatDate(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(t.seconds()), zone);
}

namespace {

const char* SuggestionKindName(v1::SuggestionKind kind) {
  switch (kind) {
    case v1::SUGGESTION_KIND_TITLE: return "제목";
    case v1::SUGGESTION_KIND_TAG: return "태그";
    case v1::SUGGESTION_KIND_CATEGORY: return "카테고리";
    default: return "단어";
  }
}

}  // namespace

std::string FormatSuggestions(const v1::SuggestRequest& request, const v1::SuggestResponse& response,
                              const FormatOptions& options) {
  std::string out;
  if (!response.interpreted_prefix().empty()) {
    absl::StrAppend(&out, Styled(absl::StrCat("(", PlainText(response.interpreted_prefix()), "(으)로 읽었습니다)"), kDim,
                                 options.color),
                    "\n");
  }
  for (const v1::Suggestion& s : response.suggestions()) {
    absl::StrAppend(&out, PlainText(s.text()), "  ",
                    Styled(absl::StrCat(SuggestionKindName(s.kind()), " · ", FormatCount(s.count())), kDim, options.color),
                    "\n");
  }
  if (response.suggestions().empty()) absl::StrAppend(&out, "(no suggestions for ", PlainText(request.prefix()), ")\n");
  return out;
}

std::string FormatSearchResponse(const v1::SearchRequest& request, const v1::SearchResponse& response,
                                 const FormatOptions& options) {
  std::string out;
  if (!response.interpreted_query().empty()) {
    absl::StrAppend(&out, Styled(absl::StrCat("‘", PlainText(response.interpreted_query()), "’(으)로 검색한 결과"), kDim,
                                 options.color),
                    "\n\n");
  }
  // After a page token the position is the server's secret: number the page from 1.
  const bool paged_by_token = !request.page_token().empty();
  uint32_t rank = paged_by_token ? 0 : request.offset();
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
  if (response.hits_size() > 0 && paged_by_token) {
    absl::StrAppend(&out, " (", response.hits_size(), " on this page)");
  } else if (response.hits_size() > 0) {
    absl::StrAppend(&out, " (showing ", request.offset() + 1, "–", request.offset() + response.hits_size(), ")");
  }
  out.push_back('\n');
  if (!response.suggested_query().empty()) {
    absl::StrAppend(&out, "이것을 찾으셨나요? ", Styled(PlainText(response.suggested_query()), kBold, options.color), "\n");
  }
  for (const v1::FacetResult& facet : response.facets()) absl::StrAppend(&out, "\n", FormatFacet(facet, options));
  AppendNextPage(response.next_page_token(), options, &out);
  return out;
}

std::string FormatCount(uint64_t n) {
  std::string digits = absl::StrCat(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string FormatBytes(uint64_t bytes) {
  if (bytes < 1024) return absl::StrCat(bytes, " B");
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return absl::StrFormat("%.1f %s", value, kUnits[unit]);
}

namespace {

// Categories as a Tistory sidebar lists them: "개발 (9)", its sub-categories
// indented under it, each with the posts of its whole branch.
std::string FormatCategoryTree(const v1::FacetResult& facet) {
  std::string out;
  for (const v1::CategoryNode& node : facet.category_tree()) {
    absl::StrAppend(&out, std::string(2 * node.depth(), ' '), PlainText(node.name()), " (",
                    FormatCount(node.total_count()), ")\n");
  }
  if (facet.other_tree_nodes() > 0) {
    absl::StrAppend(&out, "… and ", FormatCount(facet.other_tree_nodes()), " more ",
                    facet.other_tree_nodes() == 1 ? "category" : "categories", "\n");
  }
  return out;
}

}  // namespace

std::string FormatFacet(const v1::FacetResult& facet, const FormatOptions& options) {
  const bool is_category = facet.field() == v1::FACET_FIELD_CATEGORY;
  // A searchd older than the tree sends the flat counts only: they are shown as a table.
  if (is_category && facet.category_tree_size() > 0) return FormatCategoryTree(facet);
  Table table({{is_category ? "CATEGORY" : "TAG", Align::kLeft, kTitleWidth}, {"POSTS", Align::kRight}});
  for (const v1::FacetCount& count : facet.counts()) {
    table.AddRow({PlainText(count.value()), FormatCount(count.count())});
  }
  std::string out = table.Render(options.color);
  if (facet.counts().empty()) out = absl::StrCat(is_category ? "no categories" : "no tags", "\n");
  if (facet.other_values() > 0) {
    absl::StrAppend(&out, "… and ", FormatCount(facet.other_values()), " more ",
                    is_category ? (facet.other_values() == 1 ? "category" : "categories")
                                : (facet.other_values() == 1 ? "tag" : "tags"),
                    "\n");
  }
  return out;
}

std::string FormatCategoryPosts(const v1::ListCategoryPostsRequest& request,
                                const v1::ListCategoryPostsResponse& response, const FormatOptions& options) {
  std::string out = Styled(absl::StrCat("'", PlainText(response.category()), "' 카테고리의 다른 글"), kBold,
                           options.color);
  out += "\n\n";
  Table table({{"", Align::kLeft, kTitleWidth}, {""}, {"", Align::kRight}, {""}});
  for (const v1::PostSummary& post : response.posts()) {
    table.AddRow({TitleOrId(post.title(), post.id()),
                  post.has_published() ? DottedDate(post.published(), options.zone) : "",
                  absl::StrCat("(", post.comment_count(), ")"), PlainText(post.id())});
  }
  if (table.rows() == 0) {
    out += "  (no other posts)\n";
  } else {
    out += table.Render(false, "  ");
  }
  const uint64_t shown = response.posts_size();
  std::string totals = absl::StrCat(FormatCount(response.total()), response.total() == 1 ? " post" : " posts");
  if (shown > 0 && shown < response.total()) {
    if (request.page_token().empty()) {
      const uint64_t first = request.offset() + 1;
      absl::StrAppend(&totals, " (showing ", first, "–", first + shown - 1, ")");
    } else {
      absl::StrAppend(&totals, " (", shown, " on this page)");
    }
  }
  absl::StrAppend(&out, "\n", Styled(totals, kDim, options.color), "\n");
  auto neighbour = [&](absl::string_view label, const v1::PostSummary& post) {
    std::string line = absl::StrCat(label, "  ", TitleOrId(post.title(), post.id()));
    if (post.has_published()) absl::StrAppend(&line, " · ", DottedDate(post.published(), options.zone));
    absl::StrAppend(&line, Styled(absl::StrCat("  ", PlainText(post.id())), kDim, options.color), "\n");
    return line;
  };
  if (response.has_previous() || response.has_next()) out += "\n";
  if (response.has_previous()) out += neighbour("← 이전 글", response.previous());
  if (response.has_next()) out += neighbour("다음 글 →", response.next());
  AppendNextPage(response.next_page_token(), options, &out);
  return out;
}

namespace {

// "2025년 1월 · 글 17개 · Asia/Seoul"
std::string ArchiveTitle(const v1::GetArchiveResponse& response, absl::string_view when,
                         const FormatOptions& options) {
  std::string out = Styled(absl::StrCat(when, " · 글 ", FormatCount(response.total()), "개"), kBold, options.color);
  if (!response.time_zone().empty()) {
    absl::StrAppend(&out, Styled(absl::StrCat(" · ", PlainText(response.time_zone())), kDim, options.color));
  }
  return out + "\n";
}

std::string FormatArchiveMonth(const v1::GetArchiveResponse& response, const FormatOptions& options) {
  const absl::CivilDay first(response.year(), response.month(), 1);
  const int days = static_cast<int>(absl::CivilDay(absl::CivilMonth(first) + 1) - first);
  std::map<int, uint32_t> counts;
  for (const v1::ArchiveCount& c : response.counts()) counts[c.key()] += c.count();

  // A cell is the day right-aligned in two columns and its count: "22(3)".
  std::vector<std::string> cells(days + 1);
  size_t cell_width = 5;
  for (int day = 1; day <= days; ++day) {
    cells[day] = absl::StrFormat("%2d", day);
    if (auto it = counts.find(day); it != counts.end() && it->second > 0) {
      absl::StrAppend(&cells[day], "(", it->second, ")");
    }
    cell_width = std::max(cell_width, cells[day].size());
  }
  auto cell = [&](absl::string_view text, bool has_posts, bool last) {
    std::string padded = last ? std::string(text) : PadToWidth(text, cell_width);
    if (!has_posts || !options.color) return padded;
    return absl::StrCat(kBold, text, kReset, std::string(padded.size() - text.size(), ' '));
  };
  auto finish = [](std::string line) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + "\n";
  };

  std::string out = ArchiveTitle(response, absl::StrCat(response.year(), "년 ", response.month(), "월"), options);
  static constexpr absl::string_view kDayNames[] = {"일", "월", "화", "수", "목", "금", "토"};
  std::string header;
  for (int i = 0; i < 7; ++i) {
    if (i > 0) header += " ";
    header += PadToWidth(kDayNames[i], cell_width);
  }
  out += finish(header);
  // absl::Weekday counts from Monday; the widget starts on Sunday.
  const int lead = (static_cast<int>(absl::GetWeekday(first)) + 1) % 7;
  std::string line;
  int column = 0;
  for (int i = 0; i < lead; ++i, ++column) {
    if (column > 0) line += " ";
    line += std::string(cell_width, ' ');
  }
  for (int day = 1; day <= days; ++day) {
    if (column > 0) line += " ";
    line += cell(cells[day], cells[day].size() > 2, column == 6 || day == days);
    if (++column == 7) {
      out += finish(std::move(line));
      line.clear();
      column = 0;
    }
  }
  if (column > 0) out += finish(std::move(line));
  return out;
}

std::string FormatArchiveYear(const v1::GetArchiveResponse& response, const FormatOptions& options) {
  uint32_t counts[13] = {};
  for (const v1::ArchiveCount& c : response.counts()) {
    if (c.key() >= 1 && c.key() <= 12) counts[c.key()] += c.count();
  }
  const uint32_t most = *std::max_element(counts + 1, counts + 13);
  constexpr uint32_t kBarWidth = 30;
  std::string out = ArchiveTitle(response, absl::StrCat(response.year(), "년"), options);
  Table table({{"MONTH", Align::kRight}, {"POSTS", Align::kRight}, {""}});
  for (int month = 1; month <= 12; ++month) {
    std::string bar;
    if (counts[month] > 0) {
      const uint32_t len = std::max<uint32_t>(1, static_cast<uint32_t>(uint64_t{counts[month]} * kBarWidth / most));
      for (uint32_t i = 0; i < len; ++i) bar += "█";
    }
    table.AddRow({absl::StrCat(month, "월"), FormatCount(counts[month]), bar});
  }
  out += table.Render(options.color);
  return out;
}

}  // namespace

std::string FormatArchive(const v1::GetArchiveResponse& response, const FormatOptions& options) {
  if (response.month() >= 1 && response.month() <= 12) return FormatArchiveMonth(response, options);
  return FormatArchiveYear(response, options);
}

std::string FormatRelated(const v1::GetRelatedRequest& request, const v1::GetRelatedResponse& response,
                          const FormatOptions& options) {
  std::string out = Styled(absl::StrCat("related to ", PlainText(request.article_id())), kBold, options.color);
  out += "\n";
  if (response.posts().empty()) return out + "  (no related posts)\n";
  Table table({{"#", Align::kRight},
               {"TITLE", Align::kLeft, kTitleWidth},
               {"DATE"},
               {"ID"},
               {"SCORE", Align::kRight},
               {"WHY"}});
  int rank = 0;
  for (const v1::RelatedPost& related : response.posts()) {
    const v1::PostSummary& post = related.post();
    std::vector<std::string> why;
    if (!related.shared_tags().empty()) why.push_back(absl::StrCat("태그 ", HashTags(related.shared_tags())));
    if (!related.shared_terms().empty()) {
      std::vector<std::string> terms;
      for (const std::string& term : related.shared_terms()) terms.push_back(PlainText(term));
      why.push_back(absl::StrCat("단어 ", absl::StrJoin(terms, ", ")));
    }
    if (related.same_category()) why.push_back("같은 카테고리");
    table.AddRow({absl::StrCat(++rank), TitleOrId(post.title(), post.id()),
                  post.has_published() ? FormatDate(post.published(), options.zone) : "", PlainText(post.id()),
                  absl::StrFormat("%.2f", related.score()), absl::StrJoin(why, " · ")});
  }
  return out + table.Render(options.color);
}

std::string FormatArticle(const v1::Article& article, const FormatOptions& options) {
  std::string out = Styled(TitleOrId(article.title(), article.id()), kBold, options.color);
  out += "\n";
  std::vector<std::string> meta;
  if (article.has_published()) meta.push_back(FormatDate(article.published(), options.zone));
  if (!article.category().empty()) meta.push_back(PlainText(article.category()));
  if (!article.tags().empty()) meta.push_back(HashTags(article.tags()));
  meta.push_back(absl::StrCat("댓글 ", article.comment_count()));
  if (!article.author().empty()) meta.push_back(PlainText(article.author()));
  absl::StrAppend(&out, Styled(absl::StrJoin(meta, " · "), kDim, options.color), "\n");
  if (!article.url().empty()) absl::StrAppend(&out, Styled(PlainText(article.url()), kDim, options.color), "\n");
  absl::StrAppend(&out, Styled(absl::StrCat("id ", PlainText(article.id())), kDim, options.color), "\n");
  if (!article.body().empty()) {
    out += "\n";
    // Line breaks are the body's structure; every other control character goes.
    for (absl::string_view line : absl::StrSplit(article.body(), '\n')) {
      absl::ConsumeSuffix(&line, "\r");
      std::string text = PlainText(line);
      while (!text.empty() && text.back() == ' ') text.pop_back();
      absl::StrAppend(&out, text, "\n");
    }
  }
  return out;
}

namespace {

// The polled feeds of the sites, if any: a second table under the sites.
std::string FormatFeeds(const std::vector<v1::SiteStats>& sites, const FormatOptions& options) {
  Table table({{"SITE"}, {"FEED", Align::kLeft, 40}, {"LAST SYNC"}, {"RESULT", Align::kLeft, 40}, {"NEXT RUN"}});
  bool any = false;
  auto when = [&](bool has, const google::protobuf::Timestamp& t) -> std::string {
    return has ? absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixSeconds(t.seconds()), options.zone) : "-";
  };
  for (const v1::SiteStats& site : sites) {
    for (const v1::FeedStatus& feed : site.feeds()) {
      any = true;
      table.AddRow({PlainText(site.name()), PlainText(feed.url()), when(feed.has_last_sync(), feed.last_sync()),
                    PlainText(feed.ok() ? feed.result() : absl::StrCat("failed: ", feed.result())),
                    when(feed.has_next_run(), feed.next_run())});
    }
  }
  return any ? "\n" + table.Render(options.color) : "";
}

// On a replica (role "replica"): each site's revision against its
// primary's, a third table under the sites.
std::string FormatReplication(const std::vector<v1::SiteStats>& sites, const FormatOptions& options) {
  Table table({{"SITE"}, {"REVISION", Align::kRight}, {"PRIMARY", Align::kRight}, {"BEHIND", Align::kRight},
               {"STATE", Align::kLeft, 48}});
  bool any = false;
  for (const v1::SiteStats& site : sites) {
    if (site.role() != "replica") continue;
    any = true;
    std::string state = site.replication_error();
    if (state.empty()) {
      state = site.revisions_behind() == 0 ? "caught up"
                                           : absl::StrFormat("%.1f s behind", site.seconds_behind());
    }
    table.AddRow({PlainText(site.name()), absl::StrCat(site.revision()), absl::StrCat(site.primary_revision()),
                  absl::StrCat(site.revisions_behind()), PlainText(state)});
  }
  if (!any) return "";
  return absl::StrCat("\nreplica of ", PlainText(sites.front().primary()), "\n", table.Render(options.color));
}

}  // namespace

std::string FormatSites(const std::vector<v1::SiteStats>& sites, const FormatOptions& options) {
  if (sites.empty()) return "no sites\n";
  Table table({{"NAME"},
               {"DISPLAY NAME", Align::kLeft, 32},
               {"DOCS", Align::kRight},
               {"UPDATED"},
               {"SIZE", Align::kRight},
               {"TIME ZONE"}});
  for (const v1::SiteStats& site : sites) {
    table.AddRow({PlainText(site.name()), PlainText(site.display_name()), FormatCount(site.document_count()),
                  site.has_last_updated()
                      ? absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(site.last_updated().seconds()),
                                         options.zone)
                      : "-",
                  FormatBytes(site.index_size_bytes()), PlainText(site.time_zone())});
  }
  return table.Render(options.color) + FormatFeeds(sites, options) + FormatReplication(sites, options);
}

std::string FormatQueryStats(const v1::QueryStatsRequest& request, const v1::QueryStatsResponse& response,
                             const FormatOptions& options) {
  std::string out;
  if (response.queries().empty()) {
    out = request.zero_results_only() ? "no query found nothing" : "no queries";
    if (request.since_days() > 0) absl::StrAppend(&out, " in the last ", request.since_days(), " days");
    out += "\n";
  } else {
    Table table({{"QUERY", Align::kLeft, 48}, {"SEARCHES", Align::kRight}, {"NO RESULTS", Align::kRight}, {"LAST SEEN"}});
    for (const v1::QueryStat& q : response.queries()) {
      table.AddRow({PlainText(q.text()), FormatCount(q.count()), FormatCount(q.zero_result_count()),
                    PlainText(q.last_seen())});
    }
    out = table.Render(options.color);
  }
  absl::StrAppend(&out, "(", FormatCount(response.tracked_queries()), " distinct queries kept, at most ",
                  FormatCount(response.max_tracked_queries()), ")\n");
  return out;
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  print.preserve_proto_field_names = false;
  (void)google::protobuf::util::MessageToJsonString(message, &json, print);
  if (json.empty() || json.back() != '\n') json.push_back('\n');
  return json;
}

}  // namespace chaja::client

namespace chaja::client {
namespace {

const char* SourceName(v1::EquivalentSource source) {
  return source == v1::EQUIVALENT_SOURCE_SITE ? "site.json" : "built-in";
}

// A shell word: single-quoted, a quote inside written as '\''.
std::string ShellQuoted(absl::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

std::string FormatEquivalents(const v1::SiteStats& stats, const FormatOptions& options) {
  std::string out;
  for (const v1::EquivalentSet& set : stats.equivalents()) {
    std::vector<std::string> words;
    for (const std::string& w : set.words()) words.push_back(PlainText(w));
    const std::string line = set.one_way() ? absl::StrCat(words.front(), " → ",
                                                          absl::StrJoin(words.begin() + 1, words.end(), ", "))
                                           : absl::StrJoin(words, " = ");
    absl::StrAppend(&out, line, "  ", Styled(SourceName(set.source()), kDim, options.color), "\n");
  }
  if (stats.equivalents().empty()) absl::StrAppend(&out, "(no equivalents in effect)\n");
  absl::StrAppend(&out, Styled(stats.builtin_equivalents()
                                   ? absl::StrCat("built-in list on: ", FormatCount(stats.builtin_equivalent_sets()),
                                                  " sets, shown where the site has a word of them")
                                   : std::string("built-in list off (site.json: \"builtinSynonyms\": false)"),
                               kDim, options.color),
                  "\n");
  return out;
}

std::string FormatEquivalentCandidates(const std::string& site, const v1::SuggestEquivalentsResponse& response,
                                       const FormatOptions& options) {
  std::string out;
  for (const v1::EquivalentCandidate& c : response.candidates()) {
    absl::StrAppend(&out, PlainText(c.hangul()), " = ", PlainText(c.latin()), "  ",
                    Styled(absl::StrFormat("sound %.2f · both in %s posts (%s / %s) · %s shared tags",
                                           c.sound_similarity(), FormatCount(c.both_posts()),
                                           FormatCount(c.hangul_posts()), FormatCount(c.latin_posts()),
                                           FormatCount(c.shared_tags())),
                           kDim, options.color),
                    "\n");
    for (const v1::PostSummary& post : c.examples()) {
      absl::StrAppend(&out, "    ", PlainText(post.title()), "  ", Styled(PlainText(post.id()), kDim, options.color),
                      "\n");
    }
  }
  if (response.candidates().empty()) {
    absl::StrAppend(&out, "(no new pairs: none found that a list does not have)\n");
    return out;
  }
  absl::StrAppend(&out, "\nTo accept pairs (on the searchd machine), then reload with SIGHUP:\n",
                  "  chaja synonyms accept --data DATA --site ", PlainText(site));
  for (int i = 0; i < std::min(3, response.candidates_size()); ++i) {
    absl::StrAppend(&out, " ", ShellQuoted(PlainText(response.candidates(i).rule())));
  }
  absl::StrAppend(&out, "\n  kill -HUP $(pidof chaja-searchd)\n");
  return out;
}

}  // namespace chaja::client
