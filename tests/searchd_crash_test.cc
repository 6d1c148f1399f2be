// Issue 4, nothing lost: chaja-searchd is killed with SIGKILL in the middle
// of a stream of Upserts. The site must then open, hold exactly a prefix of
// the stream (commits are atomic and in order), and re-sending the whole
// stream to a restarted searchd must end with every article exactly once.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "chaja/v1/index.grpc.pb.h"
#include "chaja/v1/search.grpc.pb.h"
#include "gtest/gtest.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/site.h"
#include "testing/free_port.h"
#include "testing/temp_dir.h"

#ifndef CHAJA_SEARCHD_BINARY
#error "CHAJA_SEARCHD_BINARY must name the chaja-searchd binary"
#endif

namespace chaja {
namespace {

constexpr int kArticles = 40000;
constexpr char kToken[] = "crash-test-token-0123456789";

v1::Article NthArticle(int i) {
  v1::Article a;
  a.set_id(absl::StrCat("a", i));
  a.set_title(absl::StrCat("글 번호 ", i));
  a.set_body(absl::StrCat("스트리밍 충돌 시험 본문 ", i, " 우분투 도커 트랜스포머"));
  a.mutable_published()->set_seconds(1700000000 + i);
  return a;
}

class SearchdProcess {
 public:
  SearchdProcess(const std::string& data_dir, const std::string& token_file) {
    const int port = testing::FreeLoopbackPort();
    address_ = absl::StrCat("127.0.0.1:", port);
    pid_ = fork();
    if (pid_ == 0) {
      const std::string data = absl::StrCat("--data=", data_dir);
      const std::string listen = absl::StrCat("--listen=", address_);
      const std::string token = absl::StrCat("--index_token_file=", token_file);
      execl(CHAJA_SEARCHD_BINARY, CHAJA_SEARCHD_BINARY, data.c_str(), listen.c_str(), token.c_str(), nullptr);
      _exit(127);
    }
  }
  ~SearchdProcess() { Kill(SIGKILL); }

  void Kill(int signal_number) {
    if (pid_ <= 0) return;
    kill(pid_, signal_number);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  std::shared_ptr<grpc::Channel> WaitForChannel() {
    auto channel = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return channel;
  }

 private:
  pid_t pid_ = -1;
  std::string address_;
};

// Streams articles [0, kArticles); returns the finish status.
grpc::Status Stream(v1::IndexService::Stub* stub, v1::UpsertSummary* summary) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
  auto writer = stub->Upsert(&context, summary);
  for (int i = 0; i < kArticles; ++i) {
    v1::UpsertRequest request;
    if (i == 0) request.set_site("blog");
    *request.mutable_article() = NthArticle(i);
    if (!writer->Write(request)) break;
  }
  writer->WritesDone();
  return writer->Finish();
}

TEST(SearchdCrashTest, KilledDuringUpsertsKeepsACommittedPrefixAndResumes) {
  const testing::TempDir temp_dir("searchd_crash");
  const std::string data_dir = temp_dir.path();
  const std::string token_file = data_dir + "/token";
  std::ofstream(token_file) << kToken << "\n";
  std::filesystem::permissions(token_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::create_directories(data_dir + "/data");

  {
    SearchdProcess searchd(data_dir + "/data", token_file);
    auto stub = v1::IndexService::NewStub(searchd.WaitForChannel());
    v1::UpsertSummary summary;
    std::thread streamer([&] { (void)Stream(stub.get(), &summary); });
    // Kill once something is committed on disk, mid-stream.
    const std::string db = data_dir + "/data/blog/xapian";
    for (int i = 0; i < 600; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      try {
        if (Xapian::Database(db).get_doccount() > 0) break;
      } catch (const Xapian::Error&) {
      }
    }
    searchd.Kill(SIGKILL);
    streamer.join();
  }

  // The database opens and holds exactly a prefix a0..a(k-1) of the stream.
  Xapian::doccount committed = 0;
  {
    Xapian::Database db(data_dir + "/data/blog/xapian");
    committed = db.get_doccount();
    EXPECT_GT(committed, 0u);
    EXPECT_LT(committed, static_cast<Xapian::doccount>(kArticles)) << "the stream finished before the kill";
    for (Xapian::doccount i = 0; i < committed; ++i) {
      ASSERT_TRUE(db.term_exists(index::IdTerm(absl::StrCat("a", i)))) << "a" << i << " missing";
    }
    EXPECT_FALSE(db.term_exists(index::IdTerm(absl::StrCat("a", committed))));
  }

  // A restarted searchd takes the whole stream again: nothing lost or doubled.
  {
    SearchdProcess searchd(data_dir + "/data", token_file);
    auto stub = v1::IndexService::NewStub(searchd.WaitForChannel());
    v1::UpsertSummary summary;
    const grpc::Status status = Stream(stub.get(), &summary);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(summary.unchanged(), committed);
    EXPECT_EQ(summary.added(), kArticles - committed);
    EXPECT_EQ(summary.document_count(), static_cast<uint64_t>(kArticles));
    searchd.Kill(SIGTERM);
  }
  Xapian::Database db(data_dir + "/data/blog/xapian");
  EXPECT_EQ(db.get_doccount(), static_cast<Xapian::doccount>(kArticles));
  for (int i = 0; i < kArticles; i += 997) {
    EXPECT_EQ(db.get_termfreq(index::IdTerm(absl::StrCat("a", i))), 1u);
  }
}

}  // namespace
}  // namespace chaja
