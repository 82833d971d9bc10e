#include "client/lib/request_builder.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace certguard::client {
namespace {

void DropTrailingNewlines(std::string* s) {
  while (!s->empty() && (s->back() == '\n' || s->back() == '\r')) s->pop_back();
}

}  // namespace

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return data;
}

absl::StatusOr<v1::ValidateCertificateRequest> BuildRequest(const InputSpec& spec) {
  v1::ValidateCertificateRequest request;
  request.set_policy_id(spec.policy_id);
  request.set_header_name(spec.header_name);
  request.set_path(spec.path);
  request.set_is_https(!spec.http);
  request.set_caller(spec.caller.empty() ? "certguard-cli" : spec.caller);
  int sources = !spec.header_value.empty() + !spec.header_file.empty() + !spec.cert_file.empty();
  if (sources > 1) {
    return absl::InvalidArgumentError("give at most one of --header_value, --header_file, --cert_file");
  }
  if (!spec.header_file.empty()) {
    auto data = ReadWholeFile(spec.header_file);
    if (!data.ok()) return data.status();
    DropTrailingNewlines(&*data);
    request.set_header_value(*data);
  } else if (!spec.cert_file.empty()) {
    auto data = ReadWholeFile(spec.cert_file);
    if (!data.ok()) return data.status();
    request.set_header_value(*data);
    request.set_format(v1::PEM);
  } else {
    request.set_header_value(spec.header_value);
  }
  if (!spec.format.empty()) {
    v1::HeaderFormat format;
    if (!v1::HeaderFormat_Parse(absl::AsciiStrToUpper(spec.format), &format)) {
      return absl::InvalidArgumentError(absl::StrCat("--format: unknown format ", spec.format));
    }
    request.set_format(format);
  }
  if (!spec.headers_file.empty()) {
    auto data = ReadWholeFile(spec.headers_file);
    if (!data.ok()) return data.status();
    for (absl::string_view line : absl::StrSplit(*data, '\n', absl::SkipWhitespace())) {
      line = absl::StripTrailingAsciiWhitespace(line);
      const size_t colon = line.find(':');
      if (colon == absl::string_view::npos) {
        return absl::InvalidArgumentError(absl::StrCat(spec.headers_file, ": expected \"Name: value\" lines"));
      }
      v1::ForwardedHeader* h = request.add_headers();
      h->set_name(std::string(absl::StripAsciiWhitespace(line.substr(0, colon))));
      h->set_value(std::string(absl::StripLeadingAsciiWhitespace(line.substr(colon + 1))));
    }
  }
  return request;
}

}  // namespace certguard::client
