#include "server/headers/structured_field.h"

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/headers/base64.h"
#include "server/headers/http_text.h"

namespace certguard::headers {
namespace {

bool IsDigit(char ch) { return ch >= '0' && ch <= '9'; }
bool IsLcAlpha(char ch) { return ch >= 'a' && ch <= 'z'; }
bool IsAlpha(char ch) { return IsLcAlpha(ch) || (ch >= 'A' && ch <= 'Z'); }

// A cursor over the field; every method consumes what it parsed. Iterative, no recursion.
class SfParser {
 public:
  explicit SfParser(absl::string_view input) : input_(input) {}

  bool AtEnd() const { return pos_ >= input_.size(); }

  void SkipSp() {
    while (!AtEnd() && input_[pos_] == ' ') ++pos_;
  }
  void SkipOws() {
    while (!AtEnd() && (input_[pos_] == ' ' || input_[pos_] == '\t')) ++pos_;
  }

  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat("structured field: ", what, " at offset ", pos_));
  }

  // An item whose bare item must be a Byte Sequence (section 4.2.3), visited after parameters.
  absl::Status ParseBinaryItem(SfBinaryVisitor visit) {
    if (AtEnd()) return Error("missing item");
    if (input_[pos_] == '(') return Error("inner list where a byte sequence is required");
    if (input_[pos_] != ':') return Error("item is not a byte sequence");
    absl::string_view base64;
    absl::Status status = ParseByteSequence(&base64);
    if (!status.ok()) return status;
    status = ParseParameters();
    if (!status.ok()) return status;
    return visit(base64);
  }

  // Section 4.2.1, with members restricted to byte sequence items.
  absl::Status ParseList(SfBinaryVisitor visit) {
    while (!AtEnd()) {
      absl::Status status = ParseBinaryItem(visit);
      if (!status.ok()) return status;
      SkipOws();
      if (AtEnd()) return absl::OkStatus();
      if (input_[pos_] != ',') return Error("expected ',' after list member");
      ++pos_;
      SkipOws();
      if (AtEnd()) return Error("trailing comma in list");
    }
    return absl::OkStatus();
  }

 private:
  // Section 4.2.7. Stores the text between the colons.
  absl::Status ParseByteSequence(absl::string_view* base64) {
    ++pos_;  // ':'
    const size_t start = pos_;
    const size_t end = input_.find(':', start);
    if (end == absl::string_view::npos) return Error("byte sequence has no closing ':'");
    for (size_t i = start; i < end; ++i) {
      const char ch = input_[i];
      if (!IsBase64Char(ch) && ch != '=') {
        pos_ = i;
        return Error("invalid character in byte sequence");
      }
    }
    *base64 = input_.substr(start, end - start);
    pos_ = end + 1;
    return absl::OkStatus();
  }

  // Section 4.2.3.2: parsed and discarded.
  absl::Status ParseParameters() {
    while (!AtEnd() && input_[pos_] == ';') {
      ++pos_;
      SkipSp();
      absl::Status status = ParseKey();
      if (!status.ok()) return status;
      if (!AtEnd() && input_[pos_] == '=') {
        ++pos_;
        status = ParseBareItem();
        if (!status.ok()) return status;
      }
    }
    return absl::OkStatus();
  }

  // Section 4.2.3.3.
  absl::Status ParseKey() {
    if (AtEnd() || !(IsLcAlpha(input_[pos_]) || input_[pos_] == '*')) {
      return Error("invalid parameter key");
    }
    ++pos_;
    while (!AtEnd()) {
      const char ch = input_[pos_];
      if (!(IsLcAlpha(ch) || IsDigit(ch) || ch == '_' || ch == '-' || ch == '.' || ch == '*')) {
        break;
      }
      ++pos_;
    }
    return absl::OkStatus();
  }

  // Section 4.2.3.1: any bare item (parameter values).
  absl::Status ParseBareItem() {
    if (AtEnd()) return Error("missing parameter value");
    const char ch = input_[pos_];
    if (ch == '-' || IsDigit(ch)) return ParseNumber();
    if (ch == '"') return ParseString();
    if (ch == '*' || IsAlpha(ch)) return ParseToken();
    if (ch == ':') {
      absl::string_view ignored;
      return ParseByteSequence(&ignored);
    }
    if (ch == '?') return ParseBoolean();
    return Error("invalid parameter value");
  }

  // Section 4.2.4: Integer or Decimal.
  absl::Status ParseNumber() {
    if (input_[pos_] == '-') ++pos_;
    if (AtEnd() || !IsDigit(input_[pos_])) return Error("number without digits");
    size_t digits = 0;
    size_t dot_at = 0;  // digits before '.', 0 = integer so far
    bool decimal = false;
    while (!AtEnd()) {
      const char ch = input_[pos_];
      if (IsDigit(ch)) {
        ++digits;
      } else if (ch == '.' && !decimal) {
        if (digits > 12) return Error("decimal with more than 12 integer digits");
        decimal = true;
        dot_at = digits;
      } else {
        break;
      }
      ++pos_;
      if (!decimal && digits > 15) return Error("integer with more than 15 digits");
      if (decimal && digits > 15) return Error("decimal too long");
    }
    if (decimal) {
      if (digits == dot_at) return Error("decimal ends with '.'");
      if (digits - dot_at > 3) return Error("decimal with more than 3 fractional digits");
    }
    return absl::OkStatus();
  }

  // Section 4.2.5.
  absl::Status ParseString() {
    ++pos_;  // '"'
    while (!AtEnd()) {
      const auto ch = static_cast<unsigned char>(input_[pos_++]);
      if (ch == '"') return absl::OkStatus();
      if (ch == '\\') {
        if (AtEnd()) break;
        const char next = input_[pos_++];
        if (next != '"' && next != '\\') return Error("invalid escape in string");
        continue;
      }
      if (ch < 0x20 || ch > 0x7e) return Error("invalid character in string");
    }
    return Error("unterminated string");
  }

  // Section 4.2.6.
  absl::Status ParseToken() {
    ++pos_;
    while (!AtEnd() && (IsTchar(input_[pos_]) || input_[pos_] == ':' || input_[pos_] == '/')) {
      ++pos_;
    }
    return absl::OkStatus();
  }

  // Section 4.2.8.
  absl::Status ParseBoolean() {
    ++pos_;  // '?'
    if (AtEnd() || (input_[pos_] != '0' && input_[pos_] != '1')) return Error("invalid boolean");
    ++pos_;
    return absl::OkStatus();
  }

  absl::string_view input_;
  size_t pos_ = 0;
};

}  // namespace

absl::Status ParseSfBinaryItem(absl::string_view field, SfBinaryVisitor visit) {
  SfParser parser(field);
  parser.SkipSp();
  absl::Status status = parser.ParseBinaryItem(visit);
  if (!status.ok()) return status;
  parser.SkipSp();
  if (!parser.AtEnd()) return parser.Error("unexpected data after item");
  return absl::OkStatus();
}

absl::Status ParseSfBinaryList(absl::string_view field, SfBinaryVisitor visit) {
  SfParser parser(field);
  parser.SkipSp();
  absl::Status status = parser.ParseList(visit);
  if (!status.ok()) return status;
  parser.SkipSp();
  if (!parser.AtEnd()) return parser.Error("unexpected data after list");
  return absl::OkStatus();
}

}  // namespace certguard::headers
