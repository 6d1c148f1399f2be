#include "indexer/feed_fetch.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace chaja::indexer {
namespace {

constexpr char kUserAgent[] = "chaja-indexer (feed sync)";

struct Transfer {
  const FetchOptions* options;
  FetchResult* result;
  bool too_big = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->result->body.size() + n > t->options->max_bytes) {
    t->too_big = true;
    return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
  }
  t->result->body.append(data, n);
  return n;
}

// Keeps the validators of the last answer (a redirect's answer comes first).
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const absl::string_view line(data, size * count);
  if (absl::StartsWith(line, "HTTP/")) {
    t->result->etag.clear();
    t->result->last_modified.clear();
    return line.size();
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return line.size();
  const std::string name = absl::AsciiStrToLower(line.substr(0, colon));
  const std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  if (name == "etag") t->result->etag = value;
  if (name == "last-modified") t->result->last_modified = value;
  return line.size();
}

absl::Status CurlError(const std::string& url, CURLcode code, const char* detail, const Transfer& t) {
  const std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return absl::UnavailableError(absl::StrCat(url, ": cannot resolve the host name (", why, ")"));
    case CURLE_COULDNT_CONNECT:
      return absl::UnavailableError(absl::StrCat(url, ": cannot connect (", why, ")"));
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(
          absl::StrCat(url, ": timed out after ", absl::FormatDuration(t.options->timeout), " (", why, ")"));
    case CURLE_TOO_MANY_REDIRECTS:
      return absl::FailedPreconditionError(
          absl::StrCat(url, ": more than ", t.options->max_redirects, " redirects (a redirect loop?)"));
    case CURLE_UNSUPPORTED_PROTOCOL:
      return absl::InvalidArgumentError(absl::StrCat(url, ": redirected to a URL that is not http(s) (", why, ")"));
    case CURLE_FILESIZE_EXCEEDED:
      return absl::ResourceExhaustedError(
          absl::StrCat(url, ": the feed is larger than ", t.options->max_bytes, " bytes (the size cap)"));
    case CURLE_WRITE_ERROR:
      if (t.too_big) {
        return absl::ResourceExhaustedError(
            absl::StrCat(url, ": the feed is larger than ", t.options->max_bytes, " bytes (the size cap)"));
      }
      break;
    default:
      break;
  }
  return absl::UnavailableError(absl::StrCat(url, ": ", why));
}

absl::Status HttpError(const std::string& url, long status) {
  const std::string message = absl::StrCat(url, ": the server answered HTTP ", status);
  if (status == 404 || status == 410) return absl::NotFoundError(message);
  if (status == 429 || status >= 500) return absl::UnavailableError(message);
  return absl::FailedPreconditionError(message);
}

struct CurlCleanup {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistCleanup {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

bool IsHttpUrl(absl::string_view path) {
  const std::string head = absl::AsciiStrToLower(path.substr(0, 8));
  return absl::StartsWith(head, "http://") || absl::StartsWith(head, "https://");
}

absl::StatusOr<FetchResult> FetchUrl(const std::string& url, const FetchOptions& options) {
  if (!IsHttpUrl(url)) return absl::InvalidArgumentError(absl::StrCat(url, ": not an http:// or https:// URL"));
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlCleanup> curl(curl_easy_init());
  if (curl == nullptr) return absl::InternalError("cannot start libcurl");
  FetchResult result;
  Transfer transfer{&options, &result};
  char error[CURL_ERROR_SIZE] = {0};
  std::unique_ptr<curl_slist, SlistCleanup> headers;
  auto add_header = [&](const std::string& header) {
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  };
  if (!options.etag.empty()) add_header(absl::StrCat("If-None-Match: ", options.etag));
  if (!options.last_modified.empty()) add_header(absl::StrCat("If-Modified-Since: ", options.last_modified));
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, static_cast<long>(options.max_redirects));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(options.timeout)));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(options.connect_timeout)));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  curl_easy_setopt(c, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) return CurlError(url, code, error, transfer);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.http_status);
  char* final_url = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &final_url) == CURLE_OK && final_url != nullptr) {
    result.final_url = final_url;
  }
  if (result.http_status == 304) {
    result.not_modified = true;
    result.body.clear();
    return result;
  }
  if (result.http_status < 200 || result.http_status >= 300) return HttpError(url, result.http_status);
  return result;
}

}  // namespace chaja::indexer
