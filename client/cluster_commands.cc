// `chaja cluster plan | proxy-config | move`: the placement file and the
// proxy configuration made from it (docs/cluster.md). No server is called.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "client/cluster.h"
#include "client/commands.h"

namespace chaja::client {
namespace {

CommandResult Usage(absl::string_view message) { return {2, "", absl::StrCat("chaja: ", message, "\n")}; }

CommandResult Failed(const absl::Status& status) {
  return {1, "", absl::StrCat("chaja: ", absl::StatusCodeToString(status.code()), ": ", status.message(), "\n")};
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Written beside `path` and renamed over it, so a reader (HAProxy reloading,
// an operator's editor) never sees half a file.
absl::Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", temp));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) return absl::InternalError(absl::StrCat("cannot rename ", temp));
  return absl::OkStatus();
}

absl::StatusOr<cluster::Placement> ReadPlacement(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<cluster::Placement> placement = cluster::ParsePlacement(*text);
  if (!placement.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", placement.status().message()));
  return placement;
}

CommandResult RunPlan(const CliOptions& options) {
  if (options.groups < 1 || options.data_dir.empty() == options.sizes_file.empty()) {
    return Usage("chaja cluster plan --groups N (--data DIR | --sizes FILE) [--placement BASE]");
  }
  absl::StatusOr<std::vector<cluster::SiteSize>> sizes;
  if (options.data_dir.empty()) {
    absl::StatusOr<std::string> text = ReadFile(options.sizes_file);
    sizes = text.ok() ? cluster::ParseSiteSizes(*text) : text.status();
  } else {
    sizes = cluster::SiteSizesFromData(options.data_dir);
  }
  if (!sizes.ok()) return Failed(sizes.status());
  absl::StatusOr<cluster::Placement> base = cluster::Placement();
  if (!options.placement.empty()) base = ReadPlacement(options.placement);
  if (!base.ok()) return Failed(base.status());
  absl::StatusOr<cluster::Placement> plan = cluster::PlanPlacement(*std::move(sizes), options.groups, *std::move(base));
  if (!plan.ok()) return Failed(plan.status());
  return {0, cluster::FormatPlacement(*plan), ""};
}

CommandResult RunProxyConfig(const CliOptions& options) {
  if (options.placement.empty() || options.out_dir.empty()) {
    return Usage("chaja cluster proxy-config --placement FILE --out DIR");
  }
  absl::StatusOr<cluster::Placement> placement = ReadPlacement(options.placement);
  if (!placement.ok()) return Failed(placement.status());
  absl::StatusOr<cluster::ProxyConfig> config = cluster::MakeProxyConfig(*placement);
  if (!config.ok()) return Failed(config.status());
  // The map first: the old haproxy.cfg reads the same map file name.
  const std::string map_path = absl::StrCat(options.out_dir, "/", cluster::kSitesMapFile);
  const std::string cfg_path = absl::StrCat(options.out_dir, "/haproxy.cfg");
  for (const auto& [path, text] : {std::pair(map_path, config->sites_map), std::pair(cfg_path, config->haproxy_cfg)}) {
    if (absl::Status s = WriteFileAtomically(path, text); !s.ok()) return Failed(s);
  }
  return {0,
          absl::StrCat("wrote ", cfg_path, " and ", map_path, " (", placement->sites.size(), " sites, ",
                       placement->groups.size(), " groups); check with haproxy -c -f ", cfg_path, "\n"),
          ""};
}

CommandResult RunMove(const CliOptions& options) {
  if (options.placement.empty() || options.site.empty() || options.group.empty()) {
    return Usage("chaja cluster move --placement FILE --site NAME --group GROUP");
  }
  absl::StatusOr<std::string> text = ReadFile(options.placement);
  if (!text.ok()) return Failed(text.status());
  absl::StatusOr<std::string> moved = cluster::MoveSite(*text, options.site, options.group);
  if (!moved.ok()) return Failed(moved.status());
  if (absl::Status s = WriteFileAtomically(options.placement, *moved); !s.ok()) return Failed(s);
  return {0, absl::StrCat("site ", options.site, " is now on group ", options.group, " in ", options.placement, "\n"),
          ""};
}

}  // namespace

CommandResult RunCluster(const std::vector<std::string>& operands, const CliOptions& options) {
  const std::string action = operands.size() == 1 ? operands[0] : "";
  if (action == "plan") return RunPlan(options);
  if (action == "proxy-config") return RunProxyConfig(options);
  if (action == "move") return RunMove(options);
  return Usage("chaja cluster plan | proxy-config | move (docs/cluster.md)");
}

}  // namespace chaja::client
