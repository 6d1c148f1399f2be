// Server: searchd's gRPC server — SearchService, the standard health service
// and server reflection — bound to one address.
//
// Thread-safe: Shutdown() may be called from any thread (a signal watcher).
#ifndef CHAJA_SEARCHD_SERVER_H_
#define CHAJA_SEARCHD_SERVER_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "searchd/index_service.h"
#include "searchd/search_backend.h"
#include "searchd/write_backend.h"
#include "searchd/service.h"

namespace chaja::searchd {

struct ServerOptions {
  std::string data_dir;
  // host:port; port 0 picks a free port (see Server::port()).
  std::string listen = "127.0.0.1:7700";
  index::RankingParams ranking;
  // Bearer token for IndexService. Empty: live updates are off, searchd only
  // reads, and chaja-indexer may write the sites directly.
  std::string index_token;
  // PEM files for TLS; both empty: plaintext (for loopback use).
  std::string tls_cert_file;
  std::string tls_key_file;
};

// Reads a token file: its first line, trimmed. INVALID_ARGUMENT if empty,
// NOT_FOUND if unreadable.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

class Server {
 public:
  // Starts serving. NOT_FOUND if data_dir does not exist; UNAVAILABLE if the
  // address cannot be bound or (with an index token) another process is
  // writing one of the sites; INVALID_ARGUMENT for unreadable TLS files.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();

  // The bound port.
  int port() const { return port_; }
  // Blocks until Shutdown().
  void Wait();
  // Stops accepting calls and lets in-flight calls finish (up to 5 s).
  void Shutdown();
  // Re-reads every site's site.json (SIGHUP); see SearchBackend::ReloadSettings.
  absl::Status ReloadSettings() { return backend_->ReloadSettings(); }

 private:
  Server() = default;
  std::unique_ptr<SearchBackend> backend_;
  std::unique_ptr<SearchServiceImpl> search_service_;
  std::unique_ptr<WriteBackend> write_backend_;
  std::unique_ptr<IndexServiceImpl> index_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_SERVER_H_
