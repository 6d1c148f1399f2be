// Issue 4, live updates: IndexService through an in-process searchd holding
// the sites' write lock, with bearer-token auth, while searches go on.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "chaja/v1/index.grpc.pb.h"
#include "chaja/v1/search.grpc.pb.h"
#include "gtest/gtest.h"
#include "index/site_writer.h"
#include "searchd/server.h"
#include "testing/searchd.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja {
namespace {

constexpr char kToken[] = "s3cret-token";

v1::Article MakeArticle(const std::string& id, const std::string& title, const std::string& body) {
  v1::Article a;
  a.set_id(id);
  a.set_title(title);
  a.set_body(body);
  a.set_category("AI 관련 소식");
  a.mutable_published()->set_seconds(1737417600);
  return a;
}

class LiveUpdateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // An existing site, made offline before searchd starts.
    const absl::Status written =
        testing::WriteSite(data_dir_, "blog", {MakeArticle("old-1", "예전 글", "오래된 우분투 설치 이야기")});
    ASSERT_TRUE(written.ok()) << written;
    searchd::ServerOptions options = testing::LoopbackOptions(data_dir_);
    options.index_token = kToken;
    absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::ServerUnderTest::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    index_ = v1::IndexService::NewStub(channel);
    search_ = v1::SearchService::NewStub(channel);
  }

  std::unique_ptr<grpc::ClientContext> Context(const std::string& token = kToken) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (!token.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
    return context;
  }

  uint64_t Hits(const std::string& query) {
    v1::SearchRequest request;
    request.set_site("blog");
    request.set_query(query);
    v1::SearchResponse response;
    grpc::ClientContext context;
    const grpc::Status s = search_->Search(&context, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.total_hits();
  }

  const testing::TempDir temp_dir_{"live_update_test"};
  const std::string data_dir_ = temp_dir_.path();
  std::unique_ptr<testing::ServerUnderTest> server_;  // stopped before temp_dir_ is removed
  std::unique_ptr<v1::IndexService::Stub> index_;
  std::unique_ptr<v1::SearchService::Stub> search_;
};

TEST_F(LiveUpdateTest, HealthSaysIndexServiceIsServing) {
  for (const std::string service : {"", "chaja.v1.SearchService", "chaja.v1.IndexService"}) {
    bool serving = false;
    EXPECT_EQ(testing::CheckHealth(server_->address(), service, &serving), grpc::StatusCode::OK) << service;
    EXPECT_TRUE(serving) << "\"" << service << "\"";
  }
}

TEST_F(LiveUpdateTest, StreamedArticlesAreSearchableAndBadRecordsReported) {
  v1::UpsertSummary summary;
  auto context = Context();
  auto writer = index_->Upsert(context.get(), &summary);
  v1::UpsertRequest request;
  request.set_site("blog");
  *request.mutable_article() = MakeArticle("new-1", "새 글", "스트리밍으로 들어온 트랜스포머 이야기");
  ASSERT_TRUE(writer->Write(request));
  request.clear_site();
  *request.mutable_article() = MakeArticle("", "id 없음", "본문");  // rejected: no id
  ASSERT_TRUE(writer->Write(request));
  *request.mutable_article() = MakeArticle("old-1", "예전 글", "오래된 우분투 설치 이야기");  // unchanged
  ASSERT_TRUE(writer->Write(request));
  ASSERT_TRUE(writer->WritesDone());
  const grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(summary.received(), 3u);
  EXPECT_EQ(summary.added(), 1u);
  EXPECT_EQ(summary.unchanged(), 1u);
  EXPECT_EQ(summary.rejected(), 1u);
  ASSERT_EQ(summary.errors_size(), 1);
  EXPECT_EQ(summary.errors(0).index(), 2u);
  EXPECT_TRUE(absl::StrContains(summary.errors(0).message(), "id")) << summary.errors(0).message();
  EXPECT_EQ(summary.document_count(), 2u);
  // The summary comes after the commit: searchable now.
  EXPECT_EQ(Hits("트랜스포머"), 1u);
}

TEST_F(LiveUpdateTest, AnOpenStreamBecomesVisibleWithoutEnding) {
  v1::UpsertSummary summary;
  auto context = Context();
  auto writer = index_->Upsert(context.get(), &summary);
  v1::UpsertRequest request;
  request.set_site("blog");
  *request.mutable_article() = MakeArticle("trickle-1", "한 편", "천천히 들어오는 스테이블 디퓨전 글");
  ASSERT_TRUE(writer->Write(request));
  // The flusher commits a waiting change on its own (bounded poll, not a timing test).
  uint64_t hits = 0;
  for (int i = 0; i < 100 && hits == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    hits = Hits("스테이블 디퓨전");
  }
  EXPECT_EQ(hits, 1u);
  ASSERT_TRUE(writer->WritesDone());
  EXPECT_TRUE(writer->Finish().ok());
}

TEST_F(LiveUpdateTest, SearchesKeepBeingAnsweredDuringALargeStream) {
  std::atomic<bool> done{false};
  std::atomic<int> answered{0}, failed{0};
  std::thread searcher([&] {
    while (!done) {
      v1::SearchRequest request;
      request.set_site("blog");
      request.set_query("우분투 설치");
      v1::SearchResponse response;
      grpc::ClientContext context;
      (search_->Search(&context, request, &response).ok() ? answered : failed)++;
    }
  });
  v1::UpsertSummary summary;
  auto context = Context();
  auto writer = index_->Upsert(context.get(), &summary);
  for (int i = 0; i < 12000; ++i) {
    v1::UpsertRequest request;
    if (i == 0) request.set_site("blog");
    *request.mutable_article() =
        MakeArticle(absl::StrCat("bulk-", i), absl::StrCat("대량 글 ", i), absl::StrCat("우분투 설치 기록 번호 ", i));
    ASSERT_TRUE(writer->Write(request));
  }
  ASSERT_TRUE(writer->WritesDone());
  ASSERT_TRUE(writer->Finish().ok());
  done = true;
  searcher.join();
  EXPECT_EQ(summary.added(), 12000u);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(Hits("대량"), 12000u);
}

TEST_F(LiveUpdateTest, TokenIsRequiredAndChecked) {
  v1::DeleteRequest request;
  request.set_site("blog");
  request.add_ids("old-1");
  v1::DeleteResponse response;
  EXPECT_EQ(index_->Delete(Context("").get(), request, &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(index_->Delete(Context("wrong").get(), request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::UpsertSummary summary;
  auto context = Context("wrong");
  auto writer = index_->Upsert(context.get(), &summary);
  writer->WritesDone();
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Searching stays open.
  EXPECT_EQ(Hits("우분투"), 1u);

  request.add_ids("never-there");
  const grpc::Status deleted = index_->Delete(Context().get(), request, &response);
  ASSERT_TRUE(deleted.ok()) << deleted.error_message();
  EXPECT_EQ(response.deleted(), 1u);
  ASSERT_EQ(response.not_found_size(), 1);
  EXPECT_EQ(Hits("우분투"), 0u);
}

// Issue 14: a 1-byte or world-readable token file was accepted silently.
TEST(TokenFileTest, ShortOrSharedTokensAreRefused) {
  const testing::TempDir dir("token_file_test");
  const std::string path = dir.path() + "/token";
  auto write = [&](const std::string& token, std::filesystem::perms perms) {
    std::ofstream(path, std::ios::trunc) << token << "\n";
    std::filesystem::permissions(path, perms);
  };
  const auto owner_only = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
  write("0123456789abcdef-long-enough", owner_only);
  absl::StatusOr<std::string> token = searchd::ReadTokenFile(path);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(*token, "0123456789abcdef-long-enough");
  write("x", owner_only);
  EXPECT_EQ(searchd::ReadTokenFile(path).status().code(), absl::StatusCode::kInvalidArgument);
  write("0123456789abcdef-long-enough", owner_only | std::filesystem::perms::others_read);
  const absl::Status shared = searchd::ReadTokenFile(path).status();
  EXPECT_EQ(shared.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(shared.message(), "chmod 600")) << shared;
  EXPECT_EQ(searchd::ReadTokenFile(dir.path() + "/missing").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(LiveUpdateTest, SearchdIsTheOnlyWriterAndSaysHowToWrite) {
  absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data_dir_, "blog");
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(writer.status().message(), "--server")) << writer.status();
}

TEST_F(LiveUpdateTest, BadSiteNameEndsTheStream) {
  v1::UpsertSummary summary;
  auto context = Context();
  auto writer = index_->Upsert(context.get(), &summary);
  v1::UpsertRequest request;
  request.set_site("../etc");
  *request.mutable_article() = MakeArticle("x", "t", "b");
  writer->Write(request);
  writer->WritesDone();
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(TlsTest, SearchAndIndexOverTls) {
  const testing::TempDir data_dir("tls_test");
  searchd::ServerOptions options = testing::LoopbackOptions(data_dir.path());
  options.index_token = kToken;
  options.tls_cert_file = CHAJA_TESTDATA_DIR "/tls/server.crt";
  options.tls_key_file = CHAJA_TESTDATA_DIR "/tls/server.key";
  absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::ServerUnderTest::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string address = (*server)->address();

  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(CHAJA_TESTDATA_DIR "/tls/server.crt");
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  auto channel = grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args);
  auto index = v1::IndexService::NewStub(channel);
  v1::UpsertSummary summary;
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
  auto writer = index->Upsert(&context, &summary);
  v1::UpsertRequest request;
  request.set_site("blog");
  *request.mutable_article() = MakeArticle("tls-1", "암호화", "TLS로 들어온 글");
  ASSERT_TRUE(writer->Write(request));
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(summary.added(), 1u);

  auto search = v1::SearchService::NewStub(channel);
  v1::SearchRequest query;
  query.set_site("blog");
  query.set_query("암호화");
  v1::SearchResponse response;
  grpc::ClientContext search_context;
  ASSERT_TRUE(search->Search(&search_context, query, &response).ok());
  EXPECT_EQ(response.total_hits(), 1u);

  // A plaintext client cannot talk to the TLS port.
  auto plain = v1::SearchService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext plain_context;
  plain_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  EXPECT_FALSE(plain->Search(&plain_context, query, &response).ok());
  (*server)->Shutdown();
}

}  // namespace
}  // namespace chaja
