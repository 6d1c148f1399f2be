// make_many_sites DATA COUNT: writes COUNT small sites (s00000, s00001, …)
// into DATA, three posts each, for the many-sites test and bench (issue 16).
// Post "<site>-1" is the only one with "우분투" in it, so a search for it
// proves which site answered.
//
// One process, no fsync (DB_NO_SYNC): thousands of sites in seconds, where
// one chaja-indexer run per site would start thousands of processes.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <xapian.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "index/document_builder.h"
#include "index/site.h"

namespace {

constexpr const char* kBodies[] = {"우분투 설치 방법을 정리했다", "리눅스 커널 빌드 기록", "파이썬 공부 일지"};

chaja::v1::Article PostOf(const std::string& site, int n) {
  chaja::v1::Article article;
  article.set_id(absl::StrCat(site, "-", n + 1));
  article.set_url(absl::StrCat("https://", site, ".example.com/", n + 1));
  article.set_title(absl::StrCat(site, " 글 ", n + 1));
  article.set_body(kBodies[n]);
  article.mutable_published()->set_seconds(1700000000 + 86400 * n);
  return article;
}

bool WriteSite(const std::string& data_dir, const std::string& site, const chaja::index::DocumentBuilder& builder) {
  absl::StatusOr<std::string> path = chaja::index::SiteDatabasePath(data_dir, site);
  if (!path.ok()) return false;
  std::filesystem::create_directories(std::filesystem::path(*path).parent_path());
  Xapian::WritableDatabase db(*path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
  for (int n = 0; n < 3; ++n) db.add_document(builder.Build(PostOf(site, n)));
  db.commit();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_many_sites DATA COUNT\n");
    return 2;
  }
  const std::string data_dir = argv[1];
  const int count = std::atoi(argv[2]);
  const chaja::index::DocumentBuilder builder;
  try {
    for (int i = 0; i < count; ++i) {
      const std::string site = absl::StrFormat("s%05d", i);
      if (!WriteSite(data_dir, site, builder)) {
        std::fprintf(stderr, "make_many_sites: bad site name %s\n", site.c_str());
        return 1;
      }
    }
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "make_many_sites: %s\n", e.get_description().c_str());
    return 1;
  }
  return 0;
}
