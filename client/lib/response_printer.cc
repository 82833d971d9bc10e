#include "client/lib/response_printer.h"

#include <sstream>

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

namespace certguard::client {
namespace {

using google::protobuf::util::TimeUtil;

void Line(std::ostringstream& out, const char* label, const std::string& value) {
  if (!value.empty()) out << "  " << label << ": " << value << "\n";
}

void List(std::ostringstream& out, const char* label, const google::protobuf::RepeatedPtrField<std::string>& values) {
  for (const std::string& v : values) out << "  " << label << ": " << v << "\n";
}

}  // namespace

std::string ResponseToText(const v1::ValidateCertificateResponse& r) {
  std::ostringstream out;
  out << "decision: " << v1::Decision_Name(r.decision()) << "\n";
  out << "reason:   " << v1::Reason_Name(r.reason()) << "\n";
  out << "message:  " << r.message() << "\n";
  out << "policy:   " << r.policy_id() << " (registry revision " << r.revision() << ")\n";
  if (r.format() != v1::HEADER_FORMAT_UNSPECIFIED) out << "format:   " << v1::HeaderFormat_Name(r.format()) << "\n";
  if (r.from_cache()) out << "cached:   true\n";
  if (r.has_revocation_time()) out << "revoked:  " << TimeUtil::ToString(r.revocation_time()) << "\n";
  out << "checks:\n";
  for (const v1::Check& c : r.checks()) {
    out << "  [" << (c.passed() ? "pass" : "FAIL") << "] " << c.name();
    if (!c.passed()) out << " " << v1::Reason_Name(c.reason());
    if (!c.detail().empty()) out << ": " << c.detail();
    out << "\n";
  }
  if (r.has_identity()) {
    const v1::Identity& id = r.identity();
    out << "identity:\n";
    Line(out, "subject", id.subject());
    Line(out, "issuer", id.issuer());
    Line(out, "subject CN", id.subject_cn());
    Line(out, "serial", id.serial_hex());
    Line(out, "SHA-1", id.sha1_thumbprint());
    Line(out, "SHA-256", id.sha256_thumbprint());
    Line(out, "SPKI SHA-256", id.spki_sha256());
    if (id.has_not_before()) Line(out, "not before", TimeUtil::ToString(id.not_before()));
    if (id.has_not_after()) Line(out, "not after", TimeUtil::ToString(id.not_after()));
    Line(out, "key",
         id.key_algorithm() + " " + std::to_string(id.key_bits()) +
             (id.key_curve().empty() ? "" : " " + id.key_curve()));
    Line(out, "signature", id.signature_algorithm());
    List(out, "DNS", id.sans().dns());
    List(out, "URI", id.sans().uri());
    List(out, "email", id.sans().email());
    List(out, "IP", id.sans().ip());
    Line(out, "SPIFFE ID", id.spiffe_id());
  }
  return out.str();
}

std::string ResponseToJson(const v1::ValidateCertificateResponse& r) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = false;
  options.preserve_proto_field_names = true;
  const auto status = google::protobuf::util::MessageToJsonString(r, &json, options);
  if (status.ok()) return json;
  // Never empty or partial output: a JSON object naming the failure (the server makes every
  // string valid UTF-8 and every timestamp printable, so this is a last resort).
  std::string message(status.message());
  for (char& c : message) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') c = '?';
  }
  return "{\n \"error\": \"response not printable as JSON: " + message + "\"\n}\n";
}

}  // namespace certguard::client
