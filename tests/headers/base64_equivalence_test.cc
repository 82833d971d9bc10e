// Base64Decode against the straightforward byte-at-a-time decoder it replaced: same output, same
// status code and the same message (offsets included) for every input and every option.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "server/headers/base64.h"

namespace certguard::headers {
namespace {

// The previous implementation, kept verbatim as the specification of every error and its order.
int ReferenceSextetOf(char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9') return ch - '0' + 52;
  if (ch == '+') return 62;
  if (ch == '/') return 63;
  return -1;
}

bool ReferenceIsWhitespace(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

absl::StatusOr<std::string> ReferenceDecode(absl::string_view in, const Base64Options& options) {
  std::string out;
  uint32_t group = 0;
  int in_group = 0;
  int padding = 0;

  auto emit = [&](uint8_t byte) -> absl::Status {
    if (out.size() >= options.max_decoded_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("base64 data decodes to more than ", options.max_decoded_bytes, " bytes"));
    }
    out.push_back(static_cast<char>(byte));
    return absl::OkStatus();
  };

  for (size_t i = 0; i < in.size(); ++i) {
    const char ch = in[i];
    if (ReferenceIsWhitespace(ch)) {
      if (!options.allow_whitespace) {
        return absl::InvalidArgumentError(absl::StrCat("whitespace in base64 at offset ", i));
      }
      continue;
    }
    if (ch == '=') {
      if (padding == 0 && in_group < 2) {
        return absl::InvalidArgumentError(absl::StrCat("misplaced base64 padding at offset ", i));
      }
      if (in_group + padding + 1 > 4) {
        return absl::InvalidArgumentError(absl::StrCat("too much base64 padding at offset ", i));
      }
      ++padding;
      continue;
    }
    if (padding > 0) {
      return absl::InvalidArgumentError(absl::StrCat("base64 data after padding at offset ", i));
    }
    const int sextet = ReferenceSextetOf(ch);
    if (sextet < 0) {
      return absl::InvalidArgumentError(absl::StrCat("invalid base64 character at offset ", i));
    }
    group = (group << 6) | static_cast<uint32_t>(sextet);
    if (++in_group == 4) {
      for (int shift : {16, 8, 0}) {
        absl::Status status = emit(static_cast<uint8_t>(group >> shift));
        if (!status.ok()) return status;
      }
      group = 0;
      in_group = 0;
    }
  }

  if (padding > 0 && in_group + padding != 4) {
    return absl::InvalidArgumentError("incomplete base64 padding");
  }
  if (in_group == 0) return out;
  if (in_group == 1) return absl::InvalidArgumentError("truncated base64 data");
  if (padding == 0 && options.require_padding) {
    return absl::InvalidArgumentError("missing base64 padding");
  }
  const int unused_bits = in_group == 2 ? 4 : 2;
  const uint32_t unused = group & ((1u << unused_bits) - 1);
  if (unused != 0 && !options.allow_nonzero_pad_bits) {
    return absl::InvalidArgumentError("non-zero base64 pad bits");
  }
  group >>= unused_bits;
  if (in_group == 2) {
    absl::Status status = emit(static_cast<uint8_t>(group));
    if (!status.ok()) return status;
  } else {
    for (int shift : {8, 0}) {
      absl::Status status = emit(static_cast<uint8_t>(group >> shift));
      if (!status.ok()) return status;
    }
  }
  return out;
}

std::string Printable(absl::string_view in) { return absl::CEscape(in); }

// Empty when both agree, else a description of the difference.
std::string Compare(absl::string_view in, const Base64Options& options) {
  const absl::StatusOr<std::string> want = ReferenceDecode(in, options);
  const absl::StatusOr<std::string> got = Base64Decode(in, options);
  const std::string where = absl::StrCat(
      "input \"", Printable(in), "\" whitespace=", options.allow_whitespace, " padding=", options.require_padding,
      " pad_bits=", options.allow_nonzero_pad_bits, " max=", options.max_decoded_bytes, ": ");
  if (want.ok() != got.ok() || (!want.ok() && want.status() != got.status())) {
    return absl::StrCat(where, "want ", want.status().ToString(), ", got ", got.status().ToString());
  }
  if (want.ok() && *want != *got) {
    return absl::StrCat(where, "want \"", Printable(*want), "\", got \"", Printable(*got), "\"");
  }
  return "";
}

std::vector<Base64Options> AllOptions(size_t input_size) {
  std::vector<size_t> limits = {std::numeric_limits<size_t>::max(), 0, 1, 2, 3, 4, 5, 6, 7};
  limits.push_back(input_size / 4 * 3);
  limits.push_back(input_size / 4 * 3 - (input_size >= 4 ? 1 : 0));
  std::vector<Base64Options> all;
  for (int bits = 0; bits < 8; ++bits) {
    for (size_t limit : limits) {
      Base64Options options;
      options.allow_whitespace = (bits & 1) != 0;
      options.require_padding = (bits & 2) != 0;
      options.allow_nonzero_pad_bits = (bits & 4) != 0;
      options.max_decoded_bytes = limit;
      all.push_back(options);
    }
  }
  return all;
}

// Every string of up to six bytes over a small alphabet that reaches every state: zero and
// non-zero pad bits ('A', 'B', 'w'), '=', whitespace and a URL-safe byte.
TEST(Base64EquivalenceTest, ExhaustiveShortInputs) {
  constexpr absl::string_view kBytes = "ABw= -";
  std::string input;
  size_t failures = 0;
  for (size_t length = 0; length <= 6; ++length) {
    std::vector<size_t> digits(length, 0);
    while (true) {
      input.clear();
      for (size_t d : digits) input.push_back(kBytes[d]);
      for (const Base64Options& options : AllOptions(input.size())) {
        const std::string diff = Compare(input, options);
        if (!diff.empty() && ++failures <= 20) ADD_FAILURE() << diff;
      }
      size_t pos = 0;
      while (pos < length && ++digits[pos] == kBytes.size()) digits[pos++] = 0;
      if (pos == length) break;
    }
  }
  EXPECT_EQ(failures, 0u);
}

// Long valid encodings (the table path) with one byte replaced, inserted or deleted anywhere.
TEST(Base64EquivalenceTest, MutatedEncodings) {
  std::mt19937 rng(20240611);
  const std::string specials = std::string("=  \t\r\n-_!%,\v\x80\xff") + '\0';
  size_t failures = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string data(rng() % 200, '\0');
    for (char& ch : data) ch = static_cast<char>(rng() & 0xff);
    std::string input = absl::Base64Escape(data);
    const int mutations = static_cast<int>(rng() % 3);
    for (int m = 0; m < mutations; ++m) {
      const size_t pos = input.empty() ? 0 : rng() % (input.size() + 1);
      const char ch = (rng() % 4 == 0) ? static_cast<char>(rng() & 0xff) : specials[rng() % specials.size()];
      switch (rng() % 3) {
        case 0:
          input.insert(input.begin() + static_cast<std::ptrdiff_t>(pos), ch);
          break;
        case 1:
          if (pos < input.size()) input[pos] = ch;
          break;
        default:
          if (pos < input.size()) input.erase(pos, 1);
          break;
      }
    }
    for (const Base64Options& options : AllOptions(input.size())) {
      const std::string diff = Compare(input, options);
      if (!diff.empty() && ++failures <= 20) ADD_FAILURE() << diff;
    }
    Base64Options random_limit;
    random_limit.allow_whitespace = (rng() & 1) != 0;
    random_limit.max_decoded_bytes = rng() % (input.size() + 1);
    const std::string diff = Compare(input, random_limit);
    if (!diff.empty() && ++failures <= 20) ADD_FAILURE() << diff;
  }
  EXPECT_EQ(failures, 0u);
}

// PEM-style bodies: 64-character lines, CRLF or LF, trailing whitespace.
TEST(Base64EquivalenceTest, LineBrokenBodies) {
  std::mt19937 rng(7);
  for (size_t length = 0; length < 300; length += 7) {
    std::string data(length, '\0');
    for (char& ch : data) ch = static_cast<char>(rng() & 0xff);
    const std::string encoded = absl::Base64Escape(data);
    for (size_t width : {4u, 63u, 64u, 76u}) {
      for (absl::string_view eol : {"\n", "\r\n", " \t"}) {
        std::string body;
        for (size_t i = 0; i < encoded.size(); i += width) {
          absl::StrAppend(&body, encoded.substr(i, width), eol);
        }
        for (const Base64Options& options : AllOptions(body.size())) {
          EXPECT_EQ(Compare(body, options), "");
        }
      }
    }
  }
}

}  // namespace
}  // namespace certguard::headers
