#include "indexer/format_detect.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace chaja::indexer {
namespace {

// Skips the XML declaration, comments, processing instructions and the
// DOCTYPE; returns what follows (lower-cased input expected).
absl::string_view SkipProlog(absl::string_view s) {
  for (;;) {
    s = absl::StripLeadingAsciiWhitespace(s);
    size_t end = absl::string_view::npos;
    if (absl::StartsWith(s, "<?")) {
      end = s.find("?>");
      if (end != absl::string_view::npos) end += 2;
    } else if (absl::StartsWith(s, "<!--")) {
      end = s.find("-->");
      if (end != absl::string_view::npos) end += 3;
    } else if (absl::StartsWith(s, "<!doctype") && !absl::StartsWith(s, "<!doctype html")) {
      // An internal subset ([ … ]) holds '>' of its own.
      const size_t bracket = s.find('[');
      end = s.find('>');
      if (bracket != absl::string_view::npos && bracket < end) {
        end = s.find("]>", bracket);
        if (end != absl::string_view::npos) end += 1;
      }
      if (end != absl::string_view::npos) end += 1;
    } else {
      return s;
    }
    if (end == absl::string_view::npos) return "";
    s.remove_prefix(end);
  }
}

bool HasExtension(absl::string_view path, std::initializer_list<absl::string_view> extensions) {
  for (absl::string_view e : extensions) {
    if (absl::EndsWithIgnoreCase(path, e)) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<Format> DetectFormat(absl::string_view head, absl::string_view path) {
  std::string lower = absl::AsciiStrToLower(head.substr(0, 16384));
  absl::string_view s = lower;
  absl::ConsumePrefix(&s, "\xef\xbb\xbf");
  s = absl::StripLeadingAsciiWhitespace(s);
  if (absl::StartsWith(s, "{")) return Format::kJsonl;
  if (absl::StartsWith(s, "[")) {
    return absl::InvalidArgumentError("a JSON array; write one article object per line (JSON Lines)");
  }
  if (absl::StartsWith(s, "---") || absl::StartsWith(s, "+++")) return Format::kMarkdown;
  if (absl::StartsWith(s, "<")) {
    const absl::string_view root = SkipProlog(s);
    if (absl::StartsWith(root, "<rss")) {
      return absl::StrContains(s, "wordpress.org/export/") ? Format::kWxr : Format::kRss;
    }
    if (absl::StartsWith(root, "<rdf:rdf")) return Format::kRss;
    if (absl::StartsWith(root, "<feed")) return Format::kAtom;
    for (absl::string_view tag : {"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<div", "<article",
                                  "<p>", "<p ", "<h1", "<link", "<script", "<style", "<section", "<main"}) {
      if (absl::StartsWith(root, tag)) return Format::kHtml;
    }
  }
  if (HasExtension(path, {".jsonl", ".ndjson", ".json"})) return Format::kJsonl;
  if (HasExtension(path, {".md", ".markdown", ".mdown", ".mkd"})) return Format::kMarkdown;
  if (HasExtension(path, {".html", ".htm", ".xhtml"})) return Format::kHtml;
  if (s.empty()) return absl::InvalidArgumentError("the file is empty");
  return absl::InvalidArgumentError(
      "cannot tell the format from the content (not JSON Lines, RSS, Atom, WXR, Markdown or HTML); use --format");
}

absl::StatusOr<Format> ParseFormatName(absl::string_view name) {
  const std::string n = absl::AsciiStrToLower(name);
  if (n == "auto" || n.empty()) return Format::kAuto;
  if (n == "jsonl" || n == "ndjson") return Format::kJsonl;
  if (n == "rss") return Format::kRss;
  if (n == "atom") return Format::kAtom;
  if (n == "wxr" || n == "wordpress") return Format::kWxr;
  if (n == "markdown" || n == "md") return Format::kMarkdown;
  if (n == "html") return Format::kHtml;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format \"", name, "\"; use auto, jsonl, rss, atom, wxr, markdown or html"));
}

std::string FormatName(Format format) {
  switch (format) {
    case Format::kAuto: return "auto";
    case Format::kJsonl: return "jsonl";
    case Format::kRss: return "rss";
    case Format::kAtom: return "atom";
    case Format::kWxr: return "wxr";
    case Format::kMarkdown: return "markdown";
    case Format::kHtml: return "html";
  }
  return "auto";
}

}  // namespace chaja::indexer
