#include "client/site_file.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "chaja/v1/site_config.pb.h"

namespace chaja::client {
namespace {

// The names searchd serves: ASCII letters, digits, '-' and '_' (never a path).
bool IsSiteName(const std::string& site) {
  if (site.empty() || site.size() > 64) return false;
  return std::all_of(site.begin(), site.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

absl::StatusOr<v1::SiteConfig> ReadConfig(const std::filesystem::path& path) {
  v1::SiteConfig config;
  std::ifstream in(path);
  if (!in) return config;
  std::stringstream text;
  text << in.rdbuf();
  const auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &config);
  if (!parsed.ok()) return absl::InvalidArgumentError(absl::StrCat(path.string(), ": ", parsed.message().ToString()));
  return config;
}

absl::Status WriteConfig(const std::filesystem::path& path, const v1::SiteConfig& config) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(config, &json, options).ok()) {
    return absl::InternalError("cannot write the site config as JSON");
  }
  const std::filesystem::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << json;
    if (!out.flush()) return absl::UnavailableError(absl::StrCat("cannot write ", temp.string()));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot replace ", path.string()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> AddSynonymRules(const std::string& data_dir, const std::string& site,
                                    const std::vector<std::string>& rules) {
  if (!IsSiteName(site)) return absl::InvalidArgumentError(absl::StrCat("\"", site, "\" is not a site name"));
  const std::filesystem::path folder = std::filesystem::path(data_dir) / site;
  if (!std::filesystem::is_directory(folder)) {
    return absl::NotFoundError(absl::StrCat("no site folder ", folder.string()));
  }
  const std::filesystem::path path = folder / "site.json";
  absl::StatusOr<v1::SiteConfig> config = ReadConfig(path);
  if (!config.ok()) return config.status();
  int added = 0;
  for (const std::string& rule : rules) {
    const auto& existing = config->synonyms();
    if (std::find(existing.begin(), existing.end(), rule) != existing.end()) continue;
    config->add_synonyms(rule);
    ++added;
  }
  if (added > 0) {
    if (absl::Status s = WriteConfig(path, *config); !s.ok()) return s;
  }
  return added;
}

}  // namespace chaja::client
