#include "server/policy/yaml_to_proto.h"

#include <set>

#include <google/protobuf/descriptor.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace certguard::policy {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int kMaxDepth = 16;

absl::Status Error(const YAML::Node& node, const std::string& path, absl::string_view what) {
  const YAML::Mark mark = node.Mark();
  std::string where = mark.line >= 0 ? absl::StrCat(" (line ", mark.line + 1, ")") : "";
  return absl::InvalidArgumentError(absl::StrCat(path.empty() ? "<top>" : path, where, ": ", what));
}

std::string Join(const std::string& path, absl::string_view field) {
  return path.empty() ? std::string(field) : absl::StrCat(path, ".", field);
}

std::vector<std::string> EnumNames(const EnumDescriptor* e) {
  std::vector<std::string> names;
  for (int i = 1; i < e->value_count(); ++i) names.push_back(e->value(i)->name());  // skip *_UNSPECIFIED
  return names;
}

// Proto strings must be UTF-8 (protobuf refuses to serialise anything else).
bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t extra;
    uint32_t code;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
      code = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      code = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      code = c & 0x07;
    } else
      return false;
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      const unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF.
    if ((extra == 2 && code < 0x800) || (extra == 3 && (code < 0x10000 || code > 0x10ffff)) ||
        (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

absl::Status SetScalar(const YAML::Node& node, Message* msg, const FieldDescriptor* f, const std::string& path,
                       bool repeated);
absl::Status Convert(const YAML::Node& node, Message* msg, const std::string& path, int depth, size_t* budget);

absl::Status SetScalar(const YAML::Node& node, Message* msg, const FieldDescriptor* f, const std::string& path,
                       bool repeated) {
  const Reflection* r = msg->GetReflection();
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return absl::InternalError("SetScalar on a message field");
  }
  if (!node.IsScalar()) return Error(node, path, "expected a scalar value");
  const std::string text = node.Scalar();
  auto bad = [&](absl::string_view type) {
    return Error(node, path, absl::StrCat("\"", text, "\" is not a valid ", type));
  };
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (!IsValidUtf8(text)) return Error(node, path, "the value is not valid UTF-8");
      repeated ? r->AddString(msg, f, text) : r->SetString(msg, f, text);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_BOOL: {
      std::string lower = absl::AsciiStrToLower(text);
      bool v;
      if (lower == "true" || lower == "yes" || lower == "on")
        v = true;
      else if (lower == "false" || lower == "no" || lower == "off")
        v = false;
      else
        return bad("boolean (true/false)");
      repeated ? r->AddBool(msg, f, v) : r->SetBool(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!absl::SimpleAtoi(text, &v)) return bad("unsigned 32-bit integer");
      repeated ? r->AddUInt32(msg, f, v) : r->SetUInt32(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(text, &v)) return bad("32-bit integer");
      repeated ? r->AddInt32(msg, f, v) : r->SetInt32(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(text, &v)) return bad("unsigned 64-bit integer");
      repeated ? r->AddUInt64(msg, f, v) : r->SetUInt64(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(text, &v)) return bad("64-bit integer");
      repeated ? r->AddInt64(msg, f, v) : r->SetInt64(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double v;
      if (!absl::SimpleAtod(text, &v)) return bad("number");
      repeated ? r->AddDouble(msg, f, v) : r->SetDouble(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumDescriptor* e = f->enum_type();
      std::string upper = absl::AsciiStrToUpper(text);
      const auto* value = e->FindValueByName(upper);
      if (value == nullptr || value->index() == 0) {
        return Error(node, path, absl::StrCat("\"", text, "\" is not one of ", absl::StrJoin(EnumNames(e), ", ")));
      }
      repeated ? r->AddEnum(msg, f, value) : r->SetEnum(msg, f, value);
      return absl::OkStatus();
    }
    default:
      return Error(node, path, "unsupported field type");
  }
}

// One more value set; false once the budget is spent.
bool Spend(size_t* budget) {
  if (budget == nullptr) return true;
  if (*budget == 0) return false;
  --*budget;
  return true;
}

absl::Status Convert(const YAML::Node& node, Message* msg, const std::string& path, int depth, size_t* budget) {
  if (depth > kMaxDepth) return Error(node, path, "nesting too deep");
  if (!Spend(budget)) return Error(node, path, "too many values (YAML aliases expand this policy past the limit)");
  if (node.IsNull()) return absl::OkStatus();
  if (!node.IsMap()) return Error(node, path, "expected a mapping of field names to values");
  const Descriptor* d = msg->GetDescriptor();
  const Reflection* r = msg->GetReflection();
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) return Error(kv.first, path, "field names must be plain strings");
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) return Error(kv.first, Join(path, key), "duplicate field");
    const FieldDescriptor* f = d->FindFieldByName(key);
    if (f == nullptr) {
      std::vector<std::string> known;
      for (int i = 0; i < d->field_count(); ++i) known.push_back(d->field(i)->name());
      return Error(kv.first, Join(path, key),
                   absl::StrCat("unknown field; known fields: ", absl::StrJoin(known, ", ")));
    }
    const std::string field_path = Join(path, key);
    const YAML::Node& value = kv.second;
    if (f->is_repeated()) {
      if (value.IsNull()) continue;
      if (value.IsScalar() && f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        if (key == "exclusion_paths") {
          for (absl::string_view part : absl::StrSplit(value.Scalar(), absl::ByAnyChar(",;"))) {
            part = absl::StripAsciiWhitespace(part);
            if (!part.empty()) r->AddString(msg, f, std::string(part));
          }
        } else {
          r->AddString(msg, f, value.Scalar());
        }
        continue;
      }
      if (!value.IsSequence()) return Error(value, field_path, "expected a list");
      for (size_t i = 0; i < value.size(); ++i) {
        const std::string item_path = absl::StrCat(field_path, "[", i, "]");
        if (!Spend(budget))
          return Error(value, item_path, "too many values (YAML aliases expand this policy past the limit)");
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          absl::Status s = Convert(value[i], r->AddMessage(msg, f), item_path, depth + 1, budget);
          if (!s.ok()) return s;
        } else {
          absl::Status s = SetScalar(value[i], msg, f, item_path, /*repeated=*/true);
          if (!s.ok()) return s;
        }
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      absl::Status s = Convert(value, r->MutableMessage(msg, f), field_path, depth + 1, budget);
      if (!s.ok()) return s;
    } else {
      if (value.IsNull()) continue;
      absl::Status s = SetScalar(value, msg, f, field_path, /*repeated=*/false);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status YamlToMessage(const YAML::Node& node, google::protobuf::Message* message, const std::string& path,
                           size_t* budget) {
  return Convert(node, message, path, 0, budget);
}

}  // namespace certguard::policy
