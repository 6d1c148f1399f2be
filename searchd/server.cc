#include "searchd/server.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <thread>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "searchd/metrics_page.h"

namespace chaja::searchd {

namespace {

// How often a replica judges its lag: a small file read; well inside a
// proxy's check interval, so that a check sees the state of the moment.
constexpr absl::Duration kReplicaHealthEvery = absl::Milliseconds(250);

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path.empty() ? "(no file given)" : path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return absl::NotFoundError(text.status().message());
  struct stat info;
  if (stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "token file %s can be read by other users (mode %04o); chmod 600 %s", path, info.st_mode & 07777, path));
  }
  absl::string_view token = *text;
  token = token.substr(0, token.find('\n'));
  token = absl::StripAsciiWhitespace(token);
  if (token.empty()) return absl::InvalidArgumentError(absl::StrCat("token file ", path, " is empty"));
  if (token.size() < kMinTokenBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the token in ", path, " is ", token.size(), " bytes; use ", kMinTokenBytes,
                     " or more random ones (head -c 24 /dev/urandom | base64)"));
  }
  return std::string(token);
}

namespace {

// Plaintext, or TLS with the configured PEM files.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(const ServerOptions& options) {
  if (options.tls_cert_file.empty() && options.tls_key_file.empty()) return grpc::InsecureServerCredentials();
  absl::StatusOr<std::string> cert = ReadFile(options.tls_cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadFile(options.tls_key_file);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options.data_dir, ec)) {
    return absl::NotFoundError(absl::StrCat("data folder ", options.data_dir, " does not exist"));
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<Server> server(new Server());
  if (absl::Status s = server->MakeBackends(options); !s.ok()) return s;
  if (absl::Status s = server->StartGrpc(options); !s.ok()) return s;
  server->StartHealth(options);
  if (!options.http_listen.empty()) {
    if (absl::Status s = server->StartHttp(options); !s.ok()) return s;  // ~Server stops the gRPC server
  }
  return server;
}

absl::Status Server::MakeBackends(const ServerOptions& options) {
  backend_ = std::make_unique<SearchBackend>(options.data_dir, options.ranking, options.deadlines,
                                             OwnerOptions{options.index_token, options.query_stats}, &pins_,
                                             options.max_open_readers);
  search_service_ = std::make_unique<SearchServiceImpl>(backend_.get());
  if (!options.primary.empty()) {
    replica_ = std::make_unique<ReplicaStatus>(options.primary);
    replica_index_service_ = std::make_unique<ReplicaIndexService>(options.primary);
  }
  const bool takes_writes = options.primary.empty() && !options.index_token.empty();
  backend_->set_replication(replica_.get(), takes_writes);
  if (!takes_writes) return absl::OkStatus();
  write_backend_ = std::make_unique<WriteBackend>(options.data_dir, &pins_);
  if (absl::Status s = write_backend_->OpenExistingSites(); !s.ok()) return s;
  index_service_ =
      std::make_unique<IndexServiceImpl>(write_backend_.get(), backend_->write_token(), backend_->metrics());
  return absl::OkStatus();
}

absl::Status Server::StartGrpc(const ServerOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = ServerCredentials(options);
  if (!credentials.ok()) return credentials.status();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, *credentials, &port_);
  builder.RegisterService(search_service_.get());
  if (index_service_ != nullptr) builder.RegisterService(index_service_.get());
  if (replica_index_service_ != nullptr) builder.RegisterService(replica_index_service_.get());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen,
                                               " (address in use, or not host:port?)"));
  }
  return absl::OkStatus();
}

void Server::StartHealth(const ServerOptions& options) {
  // Per service as well as overall (""): a health probe asking for
  // chaja.v1.SearchService must not get NOT_FOUND.
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus(true);
  health->SetServingStatus(v1::SearchService::service_full_name(), true);
  if (index_service_ != nullptr) health->SetServingStatus(v1::IndexService::service_full_name(), true);
  if (replica_ != nullptr && options.max_lag > absl::ZeroDuration()) {
    // A lagging replica leaves the proxy's rotation for reads; "" (alive) stays SERVING.
    replica_->WatchHealth(options.data_dir, options.max_lag, kReplicaHealthEvery, [health](bool serving) {
      health->SetServingStatus(v1::SearchService::service_full_name(), serving);
    });
  }
}

absl::Status Server::StartHttp(const ServerOptions& options) {
  HttpServerOptions http_options;
  http_options.threads = options.http_threads;
  http_options.request_timeout = options.http_request_timeout;
  http_options.max_connections_per_address = options.http_max_connections_per_address;
  if (options.metrics) {
    // Reads the server's parts at scrape time; the HTTP server stops before they go.
    const double started = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
    http_options.metrics_page = [this, started] {
      return RenderMetricsPage({backend_.get(), write_backend_.get(), http_for_metrics_.load(), started});
    };
  }
  absl::StatusOr<std::unique_ptr<HttpServer>> http =
      HttpServer::Start(options.http_listen, http_options, backend_.get());
  if (!http.ok()) return http.status();
  http_server_ = *std::move(http);
  http_for_metrics_ = http_server_.get();
  return absl::OkStatus();
}

Server::~Server() { Shutdown(); }

void Server::Wait() { server_->Wait(); }

void Server::Shutdown() {
  if (server_ == nullptr) return;
  // HTTP stops beside gRPC: an idle keep-alive connection can hold it for up
  // to its 5 s idle timeout, which should not add to gRPC's 5 s.
  std::thread http_stop([this] {
    if (http_server_ != nullptr) http_server_->Shutdown();
  });
  // Every service, "" included, answers NOT_SERVING from now on.
  if (replica_ != nullptr) replica_->StopWatching();
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  http_stop.join();
  // In-flight streams have ended; make what they wrote durable.
  if (write_backend_ != nullptr) (void)write_backend_->CommitAll();
  if (QueryStatsStore* stats = backend_->query_stats(); stats != nullptr) {
    if (absl::Status s = stats->SaveAll(); !s.ok()) std::fprintf(stderr, "chaja-searchd: %s\n", std::string(s.message()).c_str());
  }
}

}  // namespace chaja::searchd
