#include "server/headers/xfcc_parser.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/headers/http_text.h"

namespace certguard::headers {
namespace {

// Control bytes other than HTAB.
bool IsForbiddenControl(char ch) {
  const auto byte = static_cast<unsigned char>(ch);
  return (byte < 0x20 && byte != '\t') || byte == 0x7f;
}

class XfccParser {
 public:
  explicit XfccParser(absl::string_view input) : input_(input) {}

  absl::StatusOr<std::vector<XfccPairs>> Parse() {
    std::vector<XfccPairs> elements(1);
    SkipOws();
    if (AtEnd()) return Error("empty XFCC value");
    while (true) {
      SkipOws();
      XfccPair pair;
      absl::Status status = ParseKey(&pair.key);
      if (!status.ok()) return status;
      status = ParseValue(&pair.value);
      if (!status.ok()) return status;
      elements.back().push_back(std::move(pair));
      SkipOws();
      if (AtEnd()) return elements;
      const char separator = input_[pos_];
      if (separator == ';') {
        ++pos_;
      } else if (separator == ',') {
        ++pos_;
        elements.emplace_back();
      } else if (IsForbiddenControl(separator)) {
        return Error("control byte in XFCC value");
      } else {
        return Error("expected ';' or ',' after XFCC value");
      }
    }
  }

 private:
  bool AtEnd() const { return pos_ >= input_.size(); }

  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(what, " at offset ", pos_));
  }

  // SP, HTAB and obs-fold ([CR] LF followed by SP or HTAB).
  void SkipOws() {
    while (!AtEnd()) {
      const char ch = input_[pos_];
      if (ch == ' ' || ch == '\t') {
        ++pos_;
        continue;
      }
      size_t fold = pos_;
      if (ch == '\r') ++fold;
      if (fold < input_.size() && input_[fold] == '\n' && fold + 1 < input_.size() &&
          (input_[fold + 1] == ' ' || input_[fold + 1] == '\t')) {
        pos_ = fold + 2;
        continue;
      }
      return;
    }
  }

  absl::Status ParseKey(std::string* key) {
    const size_t start = pos_;
    while (!AtEnd() && IsTchar(input_[pos_])) ++pos_;
    if (pos_ == start) {
      return Error(AtEnd() ? "missing XFCC pair after separator" : "expected an XFCC key");
    }
    if (AtEnd() || input_[pos_] != '=') return Error("XFCC key without '='");
    *key = absl::AsciiStrToLower(input_.substr(start, pos_ - start));
    ++pos_;  // '='
    return absl::OkStatus();
  }

  absl::Status ParseValue(std::string* value) {
    if (!AtEnd() && input_[pos_] == '"') return ParseQuoted(value);
    const size_t start = pos_;
    while (!AtEnd()) {
      const char ch = input_[pos_];
      if (ch == ',' || ch == ';' || ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') break;
      if (ch == '"') return Error("'\"' inside an unquoted XFCC value");
      if (IsForbiddenControl(ch)) return Error("control byte in XFCC value");
      ++pos_;
    }
    value->assign(input_.data() + start, pos_ - start);
    return absl::OkStatus();
  }

  absl::Status ParseQuoted(std::string* value) {
    ++pos_;  // opening '"'
    while (!AtEnd()) {
      const char ch = input_[pos_];
      if (ch == '"') {
        ++pos_;
        return absl::OkStatus();
      }
      if (IsForbiddenControl(ch)) return Error("control byte in quoted XFCC value");
      if (ch == '\\') {
        if (pos_ + 1 >= input_.size()) break;
        const char next = input_[pos_ + 1];
        if (next == '"' || next == '\\') {
          value->push_back(next);
          pos_ += 2;
          continue;
        }
      }
      value->push_back(ch);
      ++pos_;
    }
    return Error("unterminated quoted XFCC value");
  }

  absl::string_view input_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<XfccPairs>> ParseXfcc(absl::string_view value) { return XfccParser(value).Parse(); }

}  // namespace certguard::headers
