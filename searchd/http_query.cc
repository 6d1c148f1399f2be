#include "searchd/http_query.h"

#include <cstdint>

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace chaja::searchd {
namespace {

bool IsHex(char c) { return absl::ascii_isxdigit(static_cast<unsigned char>(c)); }
int HexValue(char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)) ? c - '0' : absl::ascii_tolower(c) - 'a' + 10; }

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// "SortOrder" → "SORT_ORDER_": the prefix protobuf style puts on enum values.
std::string EnumValuePrefix(const EnumDescriptor& type) {
  std::string prefix;
  const std::string& name = type.name();
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (i > 0 && absl::ascii_isupper(c) && !absl::ascii_isupper(name[i - 1])) prefix.push_back('_');
    prefix.push_back(absl::ascii_toupper(c));
  }
  prefix.push_back('_');
  return prefix;
}

// "SORT_ORDER_MOST_COMMENTED" → "most_commented".
std::string ShortName(const EnumValueDescriptor& value, const std::string& prefix) {
  absl::string_view name = value.name();
  if (name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
  return absl::AsciiStrToLower(name);
}

// The field `name` names: proto name or JSON name.
const FieldDescriptor* FindField(const Descriptor& type, const std::string& name) {
  if (const FieldDescriptor* field = type.FindFieldByName(name)) return field;
  for (int i = 0; i < type.field_count(); ++i) {
    if (type.field(i)->json_name() == name) return type.field(i);
  }
  return nullptr;
}

absl::Status BadValue(const std::string& param, const std::string& value, absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("query parameter \"", param, "\": invalid value \"", value, "\" (", expected, ")"));
}

// Sets (or, for a repeated field, adds) one value.
absl::Status SetValue(const std::string& param, const std::string& value, const FieldDescriptor& field,
                      const QueryFillOptions& options, Message* message) {
  const Reflection& r = *message->GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? r.AddString(message, &field, value) : r.SetString(message, &field, value);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(value, &v)) return BadValue(param, value, "a 32-bit integer");
      repeated ? r.AddInt32(message, &field, v) : r.SetInt32(message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(value, &v)) return BadValue(param, value, "a 64-bit integer");
      repeated ? r.AddInt64(message, &field, v) : r.SetInt64(message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!absl::SimpleAtoi(value, &v)) return BadValue(param, value, "a whole number from 0 to 4294967295");
      repeated ? r.AddUInt32(message, &field, v) : r.SetUInt32(message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(value, &v)) return BadValue(param, value, "a whole number, 0 or more");
      repeated ? r.AddUInt64(message, &field, v) : r.SetUInt64(message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(value, &v)) return BadValue(param, value, "a number");
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        repeated ? r.AddDouble(message, &field, v) : r.SetDouble(message, &field, v);
      } else {
        repeated ? r.AddFloat(message, &field, static_cast<float>(v)) : r.SetFloat(message, &field, static_cast<float>(v));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (value == "true" || value == "1") {
        v = true;
      } else if (value == "false" || value == "0") {
        v = false;
      } else {
        return BadValue(param, value, "true or false");
      }
      repeated ? r.AddBool(message, &field, v) : r.SetBool(message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      absl::StatusOr<const EnumValueDescriptor*> v = ParseEnumValue(*field.enum_type(), value, options.enum_aliases);
      if (!v.ok()) return absl::InvalidArgumentError(absl::StrCat("query parameter \"", param, "\": ", v.status().message()));
      repeated ? r.AddEnum(message, &field, *v) : r.SetEnum(message, &field, *v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const std::string& type = field.message_type()->full_name();
      Message* target = repeated ? r.AddMessage(message, &field) : r.MutableMessage(message, &field);
      if (type == google::protobuf::Timestamp::descriptor()->full_name()) {
        google::protobuf::Timestamp t;
        if (!google::protobuf::util::TimeUtil::FromString(value, &t)) {
          return BadValue(param, value, "an RFC 3339 time such as 2025-01-31T00:00:00+09:00");
        }
        target->CopyFrom(t);
        return absl::OkStatus();
      }
      if (type == google::protobuf::Duration::descriptor()->full_name()) {
        google::protobuf::Duration d;
        if (!google::protobuf::util::TimeUtil::FromString(value, &d)) return BadValue(param, value, "a duration such as 1.5s");
        target->CopyFrom(d);
        return absl::OkStatus();
      }
      return absl::InvalidArgumentError(absl::StrCat("query parameter \"", param,
                                                     "\" cannot be given in a URL; POST a JSON body instead"));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("query parameter \"", param, "\": unsupported field type"));
}

}  // namespace

absl::StatusOr<const EnumValueDescriptor*> ParseEnumValue(const EnumDescriptor& type, const std::string& text,
                                                          const std::map<std::string, std::string>& aliases) {
  if (const EnumValueDescriptor* v = type.FindValueByName(text)) return v;
  int number;
  if (absl::SimpleAtoi(text, &number)) {
    if (const EnumValueDescriptor* v = type.FindValueByNumber(number)) return v;
  }
  const std::string prefix = EnumValuePrefix(type);
  const std::string lower = absl::AsciiStrToLower(text);
  std::vector<std::string> accepted;
  for (int i = 0; i < type.value_count(); ++i) {
    const std::string short_name = ShortName(*type.value(i), prefix);
    if (short_name == lower) return type.value(i);
    accepted.push_back(short_name);
  }
  if (auto alias = aliases.find(lower); alias != aliases.end()) {
    if (const EnumValueDescriptor* v = type.FindValueByName(alias->second)) return v;
  }
  return absl::InvalidArgumentError(absl::StrCat("invalid value \"", text, "\"; use one of ",
                                                 absl::StrJoin(accepted, ", "), ", or a full name such as ",
                                                 type.value(type.value_count() - 1)->name()));
}

absl::Status FillFromQuery(const QueryParams& params, const QueryFillOptions& options, Message* message) {
  const Descriptor& type = *message->GetDescriptor();
  std::set<const FieldDescriptor*> seen;
  for (const auto& [name, value] : params) {
    auto alias = options.name_aliases.find(name);
    const FieldDescriptor* field = FindField(type, alias != options.name_aliases.end() ? alias->second : name);
    if (field == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown query parameter \"", name, "\""));
    if (options.path_fields.count(field->name()) > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter \"", name, "\": ", field->name(), " is taken from the URL path"));
    }
    if (!field->is_repeated() && !seen.insert(field).second) {
      return absl::InvalidArgumentError(absl::StrCat("query parameter \"", name, "\" is given twice"));
    }
    if (absl::Status s = SetValue(name, value, *field, options, message); !s.ok()) return s;
  }
  return absl::OkStatus();
}

bool PercentDecode(absl::string_view raw, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out->push_back(plus_is_space && raw[i] == '+' ? ' ' : raw[i]);
      continue;
    }
    if (i + 2 >= raw.size() || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2])) return false;
    out->push_back(static_cast<char>(HexValue(raw[i + 1]) * 16 + HexValue(raw[i + 2])));
    i += 2;
  }
  return true;
}

bool ParseQueryString(absl::string_view query, QueryParams* params) {
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    const size_t eq = pair.find('=');
    std::string name, value;
    if (!PercentDecode(pair.substr(0, eq), /*plus_is_space=*/true, &name)) return false;
    if (eq != absl::string_view::npos && !PercentDecode(pair.substr(eq + 1), /*plus_is_space=*/true, &value)) return false;
    params->emplace_back(std::move(name), std::move(value));
  }
  return true;
}

bool IsStrictUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace chaja::searchd
