// chaja-indexer: index JSON Lines article files into a site.
//
//   chaja-indexer --data DIR --site NAME FILE...
//   chaja-indexer --data DIR --site NAME --delete ID [--delete ID ...]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "index/site_writer.h"
#include "indexer/importer.h"

ABSL_FLAG(std::string, data, "", "Data folder holding one database per site (created if missing).");
ABSL_FLAG(std::string, site, "", "Site to index into: letters, digits, '-' and '_'.");
ABSL_FLAG(std::vector<std::string>, delete, {}, "Ids of articles to delete (comma-separated).");
ABSL_FLAG(size_t, batch_size, 5000, "Articles per commit; a crash loses at most one batch.");
ABSL_FLAG(bool, ignore_unknown_fields, false, "Ignore JSON fields that are not Article fields.");

namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "chaja-indexer: %s\n", std::string(status.message()).c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Indexes JSON Lines articles (chaja.v1.Article JSON mapping) into a site.\n"
      "  chaja-indexer --data DIR --site NAME FILE...   ('-' reads standard input)\n"
      "  chaja-indexer --data DIR --site NAME --delete ID[,ID...]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::vector<std::string> files(args.begin() + 1, args.end());
  const std::string data = absl::GetFlag(FLAGS_data);
  const std::string site = absl::GetFlag(FLAGS_site);
  const std::vector<std::string> deletes = absl::GetFlag(FLAGS_delete);
  if (data.empty()) return Fail(absl::InvalidArgumentError("--data DIR is required"));
  if (files.empty() && deletes.empty()) {
    return Fail(absl::InvalidArgumentError("give FILE... to index or --delete ID; see --help"));
  }

  absl::StatusOr<std::unique_ptr<chaja::index::SiteWriter>> writer = chaja::index::SiteWriter::Open(data, site);
  if (!writer.ok()) return Fail(writer.status());

  const bool tty = isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  chaja::indexer::ImportReporter reporter;
  reporter.on_rejected = [&](const std::string& message) {
    if (tty) std::fputs("\r\033[K", stderr);
    std::fprintf(stderr, "%s\n", message.c_str());
  };
  if (tty) {
    reporter.on_progress = [&](const chaja::indexer::ImportStats& s) {
      const double secs = elapsed();
      std::fprintf(stderr, "\r\033[K%zu docs  %.0f docs/s  %.1f MB", s.indexed, secs > 0 ? s.indexed / secs : 0.0,
                   s.bytes / 1e6);
    };
  }
  chaja::indexer::ImportOptions options;
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.reject_unknown_fields = !absl::GetFlag(FLAGS_ignore_unknown_fields);
  chaja::indexer::Importer importer(writer->get(), options, reporter);

  absl::Status status;
  for (const std::string& id : deletes) {
    if (status = importer.Delete(id); !status.ok()) break;
  }
  for (const std::string& file : files) {
    if (!status.ok()) break;
    status = importer.ImportJsonlFile(file);
  }
  // Commit what was read even after a fatal error: those articles were good.
  const absl::Status finished = importer.Finish();
  if (tty) std::fputs("\r\033[K", stderr);
  const chaja::indexer::ImportStats& s = importer.stats();
  const double secs = elapsed();
  std::fprintf(stderr,
               "chaja-indexer: site %s: %zu indexed, %zu deleted, %zu rejected in %.2f s (%.0f docs/s, %.1f MB/s); "
               "%u articles in the site\n",
               site.c_str(), s.indexed, s.deleted, s.rejected, secs, secs > 0 ? s.indexed / secs : 0.0,
               secs > 0 ? s.bytes / 1e6 / secs : 0.0, (*writer)->doc_count());
  if (!status.ok()) return Fail(status);
  if (!finished.ok()) return Fail(finished);
  return s.rejected > 0 ? 1 : 0;
}
