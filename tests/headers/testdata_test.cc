// Decodes every sample value in tests/testdata/headers/ as its manifest says.
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "server/headers/decoder.h"
#include "server/headers/header_format.h"

namespace certguard::headers {
namespace {

const std::string& DataDir() {
  static const std::string* const dir = new std::string(std::string(CERTGUARD_SOURCE_DIR) + "/tests/testdata/headers");
  return *dir;
}

std::optional<std::string> ReadFile(const std::string& name) {
  std::ifstream in(DataDir() + "/" + name, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// DER of <name>.pem, through OpenSSL's own PEM reader (independent of the code under test).
std::optional<std::string> CertDer(const std::string& name) {
  const std::optional<std::string> pem = ReadFile(name + ".pem");
  if (!pem.has_value()) return std::nullopt;
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (cert == nullptr) return std::nullopt;
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert, &der);
  X509_free(cert);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

struct Row {
  int line = 0;
  std::string text;
  std::string expected;  // "ok:..." or an error name
  std::string format;
  std::string options;
  std::vector<std::pair<std::string, std::string>> headers;  // name, file
};

void PrintTo(const Row& row, std::ostream* os) { *os << "manifest.txt:" << row.line; }

std::vector<Row> LoadManifest() {
  std::vector<Row> rows;
  const std::optional<std::string> manifest = ReadFile("manifest.txt");
  if (!manifest.has_value()) return rows;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*manifest, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
    Row row;
    row.line = line_number;
    row.text = std::string(line);
    if (fields.size() >= 4) {
      row.expected = fields[0];
      row.format = fields[1];
      row.options = fields[2];
      for (size_t i = 3; i < fields.size(); ++i) {
        std::vector<std::string> pair = absl::StrSplit(fields[i], absl::MaxSplits('=', 1));
        row.headers.emplace_back(pair[0], pair.size() > 1 ? pair[1] : "");
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<DecodeError> ParseError(const std::string& name) {
  static const auto* const kErrors = new std::map<std::string, DecodeError>{
      {"malformed", DecodeError::kMalformed},
      {"hash_mismatch", DecodeError::kHashMismatch},
      {"too_many_certificates", DecodeError::kTooManyCertificates},
      {"certificate_too_large", DecodeError::kCertificateTooLarge},
      {"header_too_large", DecodeError::kHeaderTooLarge},
  };
  auto it = kErrors->find(name);
  if (it == kErrors->end()) return std::nullopt;
  return it->second;
}

class TestdataTest : public ::testing::TestWithParam<Row> {};

TEST_P(TestdataTest, DecodesAsTheManifestSays) {
  const Row& row = GetParam();
  SCOPED_TRACE(row.text);
  ASSERT_FALSE(row.headers.empty()) << "bad manifest line";

  DecodeOptions options;
  if (row.options != "-") {
    for (absl::string_view option : absl::StrSplit(row.options, ',')) {
      std::vector<std::string> kv = absl::StrSplit(option, absl::MaxSplits('=', 1));
      ASSERT_EQ(kv.size(), 2u) << option;
      size_t number = 0;
      if (kv[0] == "xfcc" && kv[1] == "first") {
        options.xfcc_element = XfccElement::kFirst;
      } else if (kv[0] == "max_certificates" && absl::SimpleAtoi(kv[1], &number)) {
        options.limits.max_certificates = number;
      } else if (kv[0] == "max_certificate_bytes" && absl::SimpleAtoi(kv[1], &number)) {
        options.limits.max_certificate_bytes = number;
      } else {
        FAIL() << "unknown option " << option;
      }
    }
  }

  std::vector<std::string> values;
  values.reserve(row.headers.size());
  for (const auto& [name, file] : row.headers) {
    std::optional<std::string> value = ReadFile(file);
    ASSERT_TRUE(value.has_value()) << "missing sample " << file;
    values.push_back(*std::move(value));
  }
  std::vector<HeaderInput> inputs;
  for (size_t i = 0; i < row.headers.size(); ++i) {
    inputs.push_back({row.headers[i].first, values[i], Format::kUnspecified});
  }

  const DecodeResult result = DecodeHeaders(inputs, options);
  EXPECT_FALSE(result.absent);
  if (row.expected.rfind("ok:", 0) == 0) {
    ASSERT_EQ(result.error, DecodeError::kNone) << result.message;
    std::vector<std::string> expected;
    for (absl::string_view cert : absl::StrSplit(row.expected.substr(3), ',')) {
      std::optional<std::string> der = CertDer(std::string(cert));
      ASSERT_TRUE(der.has_value()) << "cannot read " << cert << ".pem";
      expected.push_back(*std::move(der));
    }
    EXPECT_EQ(result.chain.der, expected);
    EXPECT_EQ(FormatName(result.chain.format), row.format);
    // The leaf file's name starts with its format.
    const std::string& leaf_file = row.headers.front().second;
    const std::string prefix = absl::AsciiStrToUpper(leaf_file.substr(0, leaf_file.find("__")));
    EXPECT_EQ(prefix, row.format) << leaf_file;
  } else {
    std::optional<DecodeError> error = ParseError(row.expected);
    ASSERT_TRUE(error.has_value()) << "unknown expectation " << row.expected;
    EXPECT_EQ(result.error, *error) << result.message;
    EXPECT_EQ(row.format, "-");
  }
}

INSTANTIATE_TEST_SUITE_P(Manifest, TestdataTest, ::testing::ValuesIn(LoadManifest()),
                         [](const auto& info) { return "line" + std::to_string(info.param.line); });

TEST(TestdataManifestTest, CoversEverySampleFile) {
  const std::vector<Row> rows = LoadManifest();
  ASSERT_GE(rows.size(), 30u) << "manifest missing or short in " << DataDir();
  std::set<std::string> referenced;
  for (const Row& row : rows) {
    for (const auto& header : row.headers) referenced.insert(header.second);
  }
  std::set<std::string> samples;
  for (const auto& entry : std::filesystem::directory_iterator(DataDir())) {
    const std::string name = entry.path().filename().string();
    if (name.find("__") != std::string::npos && name.size() > 4 && name.substr(name.size() - 4) == ".txt") {
      samples.insert(name);
      const std::string prefix = absl::AsciiStrToUpper(name.substr(0, name.find("__")));
      EXPECT_TRUE(prefix == "UNKNOWN" || ParseFormatName(prefix).has_value()) << name;
    }
  }
  EXPECT_EQ(samples, referenced);
}

TEST(TestdataManifestTest, NoPrivateKeys) {
  for (const auto& entry : std::filesystem::directory_iterator(DataDir())) {
    std::optional<std::string> contents = ReadFile(entry.path().filename().string());
    ASSERT_TRUE(contents.has_value());
    EXPECT_EQ(contents->find("PRIVATE KEY"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace certguard::headers
