// Placement of sites on node groups, and the HAProxy configuration made from
// it (docs/cluster.md). Pure functions: the CLI (`chaja cluster ...`) reads and
// writes the files.
//
// The placement file, one statement per line ('#' starts a comment):
//   proxy http ADDR            HTTP/JSON listener of the proxy (0.0.0.0:8080)
//   proxy grpc ADDR            gRPC listener (h2 without TLS) (0.0.0.0:7700)
//   proxy admin PATH           HAProxy's admin socket (runtime server state)
//   proxy check grpc|http      health check of the gRPC backends: the gRPC
//                              health service, or /healthz on the HTTP port
//   proxy check_path PATH      the HTTP health check's path (/healthz)
//   proxy check_interval_ms N  time between checks (2000)
//   group NAME
//   node GROUP NAME primary|replica HOST GRPC_PORT HTTP_PORT
//   site NAME GROUP [BYTES]
// Line based on purpose: thousands of `site` lines stay diffable, and shell
// scripts (scripts/move-site) read it with awk.
#ifndef CHAJA_CLIENT_CLUSTER_H_
#define CHAJA_CLIENT_CLUSTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chaja::client::cluster {

struct Node {
  std::string group;
  std::string name;
  bool primary = false;
  std::string host;
  int grpc_port = 0;
  int http_port = 0;
};

struct SiteSize {
  std::string site;
  uint64_t bytes = 0;
};

struct SitePlacement {
  std::string site;
  std::string group;
  uint64_t bytes = 0;  // 0: unknown
};

struct ProxySettings {
  std::string http_bind = "0.0.0.0:8080";
  std::string grpc_bind = "0.0.0.0:7700";
  std::string admin_socket = "/run/haproxy/chaja-admin.sock";
  // true: gRPC health service over h2; false: check_path on the HTTP port.
  bool grpc_check = true;
  std::string check_path = "/healthz";
  int check_interval_ms = 2000;
};

struct Placement {
  ProxySettings proxy;
  std::vector<std::string> groups;  // in file order
  std::vector<Node> nodes;
  std::vector<SitePlacement> sites;
};

// Parses and validates a placement file: names are 1-64 of [A-Za-z0-9_-];
// every node's group is declared; every group with nodes has exactly one
// primary; node names are unique; every site is placed once, on a declared
// group. INVALID_ARGUMENT naming the line otherwise.
absl::StatusOr<Placement> ParsePlacement(absl::string_view text);

// The file text of `placement`; ParsePlacement(FormatPlacement(p)) == p.
std::string FormatPlacement(const Placement& placement);

// "NAME BYTES" lines ('#' comments) → sizes. INVALID_ARGUMENT naming the line.
absl::StatusOr<std::vector<SiteSize>> ParseSiteSizes(absl::string_view text);

// The bytes under each DATA/<site>/ folder that holds a xapian database.
absl::StatusOr<std::vector<SiteSize>> SiteSizesFromData(const std::string& data_dir);

// Spreads `sites` over `group_count` groups, largest first onto the group
// with the fewest bytes so far (ties: the first group). `base` keeps its
// proxy settings and nodes; its groups are reused by position and new ones
// are named g1, g2, ...; its sites are replaced. INVALID_ARGUMENT when
// group_count < 1 or is below the number of groups that have nodes.
absl::StatusOr<Placement> PlanPlacement(std::vector<SiteSize> sites, int group_count, Placement base);

// The placement file `text` with `site` put on `group` (both must exist);
// every other line, comments included, is kept as it is.
absl::StatusOr<std::string> MoveSite(absl::string_view text, const std::string& site, const std::string& group);

struct ProxyConfig {
  std::string haproxy_cfg;
  std::string sites_map;  // "site group" lines, read by the cfg as kSitesMapFile
};
inline constexpr char kSitesMapFile[] = "chaja-sites.map";

// The complete haproxy.cfg (HAProxy 2.6) and its site map for a validated
// placement. FAILED_PRECONDITION when a group has sites but no primary.
absl::StatusOr<ProxyConfig> MakeProxyConfig(const Placement& placement);

// The bytes of an HTTP/2 connection preface plus one gRPC
// grpc.health.v1.Health/Check call for `service`, as hex for HAProxy's
// `tcp-check send-binary` (HAProxy 2.6's http-check cannot send a body
// holding NUL bytes, which every gRPC message frame starts with).
std::string GrpcHealthCheckHex(absl::string_view service);

}  // namespace chaja::client::cluster

#endif  // CHAJA_CLIENT_CLUSTER_H_
