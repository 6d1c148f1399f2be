#include "search/page_token.h"

#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/reflection.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "index/schema.h"
#include "index/status.h"

namespace chaja::search {
namespace {

std::string EncodeToken(uint64_t offset, const std::string& fingerprint) {
  return absl::WebSafeBase64Escape(absl::StrCat("p1:", offset, ":", index::StableHash(fingerprint)));
}

}  // namespace

absl::Status CheckLimit(uint64_t value, uint64_t max, absl::string_view what) {
  if (value > max) return absl::InvalidArgumentError(absl::StrCat(what, " ", value, " is over the maximum of ", max));
  return absl::OkStatus();
}

absl::StatusOr<Page> ResolvePage(uint32_t offset, uint32_t limit, const std::string& page_token,
                                 const std::string& fingerprint) {
  CHAJA_RETURN_IF_ERROR(CheckLimit(limit, kMaxLimit, "limit"));
  CHAJA_RETURN_IF_ERROR(CheckLimit(offset, kMaxOffset, "offset"));
  Page page;
  page.offset = offset;
  page.limit = limit == 0 ? kDefaultLimit : limit;
  if (page_token.empty()) return page;
  std::string decoded;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(page_token, &decoded)) parts = absl::StrSplit(decoded, ':');
  uint32_t token_offset = 0;
  if (parts.size() != 3 || parts[0] != "p1" || !absl::SimpleAtoi(parts[1], &token_offset) ||
      token_offset > kMaxOffset || parts[1] != absl::StrCat(token_offset)) {
    return absl::InvalidArgumentError("page_token is not one this server issued");
  }
  if (EncodeToken(token_offset, fingerprint) != page_token) {
    return absl::InvalidArgumentError("page_token belongs to a different query; start again without it");
  }
  page.offset = token_offset;
  return page;
}

std::string NextPageToken(const Page& page, uint64_t total, const std::string& fingerprint) {
  const uint64_t next = page.end();
  if (page.limit == 0 || next >= total || next > kMaxOffset) return "";
  return EncodeToken(next, fingerprint);
}

std::string PagingFreeFingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> paging_free(request.New());
  paging_free->CopyFrom(request);
  const google::protobuf::Descriptor* descriptor = paging_free->GetDescriptor();
  const google::protobuf::Reflection* reflection = paging_free->GetReflection();
  for (const char* name : {"offset", "limit", "page_token"}) {
    if (const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(name)) {
      reflection->ClearField(paging_free.get(), field);
    }
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);  // trims `bytes` when it goes
    coded.SetSerializationDeterministic(true);
    paging_free->SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace chaja::search
