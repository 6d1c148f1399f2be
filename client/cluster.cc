#include "client/cluster.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace chaja::client::cluster {
namespace {

// The rule of index/site.h for site names, used for group and node names too:
// they become HAProxy backend and server names.
bool IsName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

bool IsPort(absl::string_view text, int* port) { return absl::SimpleAtoi(text, port) && *port > 0 && *port < 65536; }

absl::Status LineError(int line, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("placement line ", line, ": ", message));
}

absl::Status ParseProxy(const std::vector<absl::string_view>& w, int line, ProxySettings* proxy) {
  if (w.size() != 3) return LineError(line, "want `proxy KEY VALUE`");
  const absl::string_view key = w[1], value = w[2];
  if (key == "http") {
    proxy->http_bind = std::string(value);
  } else if (key == "grpc") {
    proxy->grpc_bind = std::string(value);
  } else if (key == "admin") {
    proxy->admin_socket = std::string(value);
  } else if (key == "check" && (value == "grpc" || value == "http")) {
    proxy->grpc_check = value == "grpc";
  } else if (key == "check_path" && absl::StartsWith(value, "/")) {
    proxy->check_path = std::string(value);
  } else if (key == "check_interval_ms" && absl::SimpleAtoi(value, &proxy->check_interval_ms) &&
             proxy->check_interval_ms >= 100) {
  } else {
    return LineError(line, absl::StrCat("unknown or bad proxy setting `", key, " ", value, "`"));
  }
  return absl::OkStatus();
}

absl::Status ParseNode(const std::vector<absl::string_view>& w, int line, Placement* placement) {
  Node node;
  if (w.size() != 7 || (w[3] != "primary" && w[3] != "replica") || !IsPort(w[5], &node.grpc_port) ||
      !IsPort(w[6], &node.http_port) || w[4].empty()) {
    return LineError(line, "want `node GROUP NAME primary|replica HOST GRPC_PORT HTTP_PORT`");
  }
  if (!IsName(w[1]) || !IsName(w[2])) return LineError(line, "group and node names are 1-64 of A-Z a-z 0-9 - _");
  node.group = std::string(w[1]);
  node.name = std::string(w[2]);
  node.primary = w[3] == "primary";
  node.host = std::string(w[4]);
  placement->nodes.push_back(std::move(node));
  return absl::OkStatus();
}

absl::Status ParseSite(const std::vector<absl::string_view>& w, int line, Placement* placement) {
  SitePlacement site;
  if ((w.size() != 3 && w.size() != 4) || (w.size() == 4 && !absl::SimpleAtoi(w[3], &site.bytes))) {
    return LineError(line, "want `site NAME GROUP [BYTES]`");
  }
  if (!IsName(w[1])) return LineError(line, "a site name is 1-64 of A-Z a-z 0-9 - _");
  site.site = std::string(w[1]);
  site.group = std::string(w[2]);
  placement->sites.push_back(std::move(site));
  return absl::OkStatus();
}

absl::Status ParseLine(absl::string_view text, int line, Placement* placement) {
  const std::vector<absl::string_view> w = absl::StrSplit(text, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (w.empty()) return absl::OkStatus();
  if (w[0] == "proxy") return ParseProxy(w, line, &placement->proxy);
  if (w[0] == "node") return ParseNode(w, line, placement);
  if (w[0] == "site") return ParseSite(w, line, placement);
  if (w[0] == "group" && w.size() == 2 && IsName(w[1])) {
    placement->groups.emplace_back(w[1]);
    return absl::OkStatus();
  }
  return LineError(line, absl::StrCat("not a placement statement: ", text));
}

// The checks across lines (ParsePlacement's contract).
absl::Status Validate(const Placement& placement) {
  const std::set<std::string> groups(placement.groups.begin(), placement.groups.end());
  if (groups.size() != placement.groups.size()) return absl::InvalidArgumentError("a group is declared twice");
  std::set<std::string> node_names;
  std::map<std::string, int> primaries;
  for (const Node& node : placement.nodes) {
    if (!groups.count(node.group)) {
      return absl::InvalidArgumentError(absl::StrCat("node ", node.name, ": no `group ", node.group, "` line"));
    }
    if (!node_names.insert(node.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("node ", node.name, " is declared twice"));
    }
    if (node.primary) ++primaries[node.group];
  }
  for (const Node& node : placement.nodes) {
    if (primaries[node.group] != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("group ", node.group, " has ", primaries[node.group], " primaries; it needs exactly one"));
    }
  }
  std::set<std::string> sites;
  for (const SitePlacement& site : placement.sites) {
    if (!groups.count(site.group)) {
      return absl::InvalidArgumentError(absl::StrCat("site ", site.site, ": no group ", site.group));
    }
    if (!sites.insert(site.site).second) {
      return absl::InvalidArgumentError(absl::StrCat("site ", site.site, " is placed twice"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Placement> ParsePlacement(absl::string_view text) {
  Placement placement;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = line.substr(0, line.find('#'));
    if (absl::Status s = ParseLine(line, line_number, &placement); !s.ok()) return s;
  }
  if (absl::Status s = Validate(placement); !s.ok()) return s;
  return placement;
}

std::string FormatPlacement(const Placement& p) {
  const ProxySettings defaults;
  std::string out =
      "# Chaja cluster placement (docs/cluster.md). Edit it, then regenerate the proxy's\n"
      "# configuration: chaja cluster proxy-config --placement THIS_FILE --out DIR\n";
  absl::StrAppend(&out, "proxy http ", p.proxy.http_bind, "\nproxy grpc ", p.proxy.grpc_bind, "\nproxy admin ",
                  p.proxy.admin_socket, "\nproxy check ", p.proxy.grpc_check ? "grpc" : "http", "\n");
  if (p.proxy.check_path != defaults.check_path) absl::StrAppend(&out, "proxy check_path ", p.proxy.check_path, "\n");
  if (p.proxy.check_interval_ms != defaults.check_interval_ms) {
    absl::StrAppend(&out, "proxy check_interval_ms ", p.proxy.check_interval_ms, "\n");
  }
  for (const std::string& group : p.groups) {
    absl::StrAppend(&out, "\ngroup ", group, "\n");
    if (std::none_of(p.nodes.begin(), p.nodes.end(), [&](const Node& n) { return n.group == group; })) {
      absl::StrAppend(&out, "# node ", group,
                      " NAME primary|replica HOST GRPC_PORT HTTP_PORT  (add this group's nodes)\n");
    }
    for (const Node& n : p.nodes) {
      if (n.group != group) continue;
      absl::StrAppend(&out, "node ", n.group, " ", n.name, n.primary ? " primary " : " replica ", n.host, " ",
                      n.grpc_port, " ", n.http_port, "\n");
    }
  }
  if (!p.sites.empty()) out += "\n# site NAME GROUP [BYTES]\n";
  for (const SitePlacement& s : p.sites) {
    absl::StrAppend(&out, "site ", s.site, " ", s.group);
    if (s.bytes != 0) absl::StrAppend(&out, " ", s.bytes);
    out += "\n";
  }
  return out;
}

absl::StatusOr<std::vector<SiteSize>> ParseSiteSizes(absl::string_view text) {
  std::vector<SiteSize> sizes;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = line.substr(0, line.find('#'));
    const std::vector<absl::string_view> w = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (w.empty()) continue;
    SiteSize size;
    if (w.size() != 2 || !IsName(w[0]) || !absl::SimpleAtoi(w[1], &size.bytes)) {
      return absl::InvalidArgumentError(absl::StrCat("sizes line ", line_number, ": want `SITE BYTES`"));
    }
    size.site = std::string(w[0]);
    sizes.push_back(std::move(size));
  }
  return sizes;
}

absl::StatusOr<std::vector<SiteSize>> SiteSizesFromData(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::directory_iterator folders(data_dir, error);
  if (error) return absl::NotFoundError(absl::StrCat("cannot read data folder ", data_dir, ": ", error.message()));
  std::vector<SiteSize> sizes;
  for (const fs::directory_entry& folder : folders) {
    const std::string name = folder.path().filename().string();
    if (!IsName(name) || !fs::is_directory(folder.path() / "xapian", error)) continue;
    SiteSize size{name, 0};
    for (const fs::directory_entry& file : fs::recursive_directory_iterator(folder.path(), error)) {
      if (file.is_regular_file(error)) size.bytes += file.file_size(error);
    }
    sizes.push_back(std::move(size));
  }
  std::sort(sizes.begin(), sizes.end(), [](const SiteSize& a, const SiteSize& b) { return a.site < b.site; });
  return sizes;
}

absl::StatusOr<Placement> PlanPlacement(std::vector<SiteSize> sites, int group_count, Placement base) {
  if (group_count < 1 || group_count < static_cast<int>(base.groups.size())) {
    return absl::InvalidArgumentError(absl::StrCat("--groups must be at least 1 and at least the ",
                                                   base.groups.size(), " groups the placement has"));
  }
  for (int i = 1; static_cast<int>(base.groups.size()) < group_count; ++i) {
    const std::string name = absl::StrCat("g", i);
    if (std::find(base.groups.begin(), base.groups.end(), name) == base.groups.end()) base.groups.push_back(name);
  }
  // Largest first, each onto the lightest group: within 4/3 of the best
  // spread (Graham's bound), and stable for equal inputs.
  std::sort(sites.begin(), sites.end(), [](const SiteSize& a, const SiteSize& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.site < b.site;
  });
  std::vector<uint64_t> load(base.groups.size(), 0);
  base.sites.clear();
  for (const SiteSize& site : sites) {
    const size_t lightest = std::min_element(load.begin(), load.end()) - load.begin();
    load[lightest] += site.bytes;
    base.sites.push_back({site.site, base.groups[lightest], site.bytes});
  }
  if (absl::Status s = Validate(base); !s.ok()) return s;
  return base;
}

absl::StatusOr<std::string> MoveSite(absl::string_view text, const std::string& site, const std::string& group) {
  absl::StatusOr<Placement> placement = ParsePlacement(text);
  if (!placement.ok()) return placement.status();
  const std::vector<std::string>& groups = placement->groups;
  if (std::find(groups.begin(), groups.end(), group) == groups.end()) {
    return absl::NotFoundError(absl::StrCat("the placement has no group ", group));
  }
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  bool moved = false;
  for (std::string& line : lines) {
    const size_t hash = line.find('#');
    std::vector<std::string> w = absl::StrSplit(line.substr(0, hash), absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (w.size() < 3 || w[0] != "site" || w[1] != site) continue;
    w[2] = group;
    line = absl::StrCat(absl::StrJoin(w, " "), hash == std::string::npos ? "" : absl::StrCat("  ", line.substr(hash)));
    moved = true;
  }
  if (!moved) return absl::NotFoundError(absl::StrCat("the placement has no site ", site));
  std::string out = absl::StrJoin(lines, "\n");
  if (absl::StatusOr<Placement> check = ParsePlacement(out); !check.ok()) return check.status();
  return out;
}

}  // namespace chaja::client::cluster
