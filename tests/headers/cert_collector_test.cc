#include "server/headers/cert_collector.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "server/headers/decode_status.h"
#include "tests/headers/header_test_util.h"

namespace certguard::headers {
namespace {

using testutil::Base64;
using testutil::ErrorOf;
using testutil::FakeDer;
using testutil::Pki;

DecodeLimits Limits(size_t certificates, size_t bytes) {
  DecodeLimits limits;
  limits.max_certificates = certificates;
  limits.max_certificate_bytes = bytes;
  return limits;
}

TEST(CertCollectorTest, AddsRealCertificatesInOrder) {
  CertCollector collector(DecodeLimits{});
  ASSERT_TRUE(collector.Add(Pki().leaf.der()).ok());
  ASSERT_TRUE(collector.AddBase64(Base64(Pki().intermediate.der()), Base64Options{}).ok());
  EXPECT_EQ(collector.size(), 2u);
  std::vector<std::string> out = collector.Release();
  EXPECT_EQ(out, (std::vector<std::string>{Pki().leaf.der(), Pki().intermediate.der()}));
  EXPECT_EQ(collector.size(), 0u);
}

TEST(CertCollectorTest, CountLimitIsExact) {
  CertCollector collector(Limits(2, 1000));
  EXPECT_TRUE(collector.CheckRoom().ok());
  ASSERT_TRUE(collector.Add(FakeDer(10)).ok());
  ASSERT_TRUE(collector.Add(FakeDer(10)).ok());
  EXPECT_EQ(ErrorOf(collector.CheckRoom()), DecodeError::kTooManyCertificates);
  EXPECT_EQ(ErrorOf(collector.Add(FakeDer(10))), DecodeError::kTooManyCertificates);
  EXPECT_EQ(collector.size(), 2u);
}

TEST(CertCollectorTest, FullCollectorRefusesBeforeDecoding) {
  CertCollector collector(Limits(1, 1000));
  ASSERT_TRUE(collector.Add(FakeDer(10)).ok());
  // Junk that would be kMalformed if it were decoded.
  EXPECT_EQ(ErrorOf(collector.AddBase64("!!!not base64!!!", Base64Options{})), DecodeError::kTooManyCertificates);
}

TEST(CertCollectorTest, ZeroCertificatesAllowedRefusesTheFirst) {
  CertCollector collector(Limits(0, 1000));
  EXPECT_EQ(ErrorOf(collector.Add(Pki().leaf.der())), DecodeError::kTooManyCertificates);
}

TEST(CertCollectorTest, SizeLimitIsExact) {
  CertCollector collector(Limits(10, 300));
  EXPECT_TRUE(collector.Add(FakeDer(300)).ok());
  EXPECT_EQ(ErrorOf(collector.Add(FakeDer(301))), DecodeError::kCertificateTooLarge);
  EXPECT_TRUE(collector.AddBase64(Base64(FakeDer(300)), Base64Options{}).ok());
  EXPECT_EQ(ErrorOf(collector.AddBase64(Base64(FakeDer(301)), Base64Options{})), DecodeError::kCertificateTooLarge);
  EXPECT_EQ(collector.size(), 2u);
}

TEST(CertCollectorTest, SizeLimitAppliesToRealCertificates) {
  const std::string& der = Pki().leaf.der();
  CertCollector exact(Limits(10, der.size()));
  EXPECT_TRUE(exact.AddBase64(Base64(der), Base64Options{}).ok());
  CertCollector smaller(Limits(10, der.size() - 1));
  EXPECT_EQ(ErrorOf(smaller.AddBase64(Base64(der), Base64Options{})), DecodeError::kCertificateTooLarge);
}

TEST(CertCollectorTest, NonDerIsMalformed) {
  CertCollector collector(DecodeLimits{});
  EXPECT_EQ(ErrorOf(collector.Add("hello")), DecodeError::kMalformed);
  EXPECT_EQ(ErrorOf(collector.Add("")), DecodeError::kMalformed);
  EXPECT_EQ(ErrorOf(collector.AddBase64("aGVsbG8=", Base64Options{})), DecodeError::kMalformed);
  EXPECT_EQ(ErrorOf(collector.AddBase64("", Base64Options{})), DecodeError::kMalformed);
  EXPECT_EQ(ErrorOf(collector.AddBase64("MII!", Base64Options{})), DecodeError::kMalformed);
  EXPECT_EQ(collector.size(), 0u);
}

TEST(CertCollectorTest, AddBase64HonoursOptions) {
  const std::string wrapped = testutil::PemOf(Pki().leaf.der()).substr(28);  // after BEGIN line
  const std::string body = wrapped.substr(0, wrapped.find('-'));
  CertCollector collector(DecodeLimits{});
  EXPECT_EQ(ErrorOf(collector.AddBase64(body, Base64Options{})), DecodeError::kMalformed);
  Base64Options lenient;
  lenient.allow_whitespace = true;
  ASSERT_TRUE(collector.AddBase64(body, lenient).ok());
  EXPECT_EQ(collector.certificates().front(), Pki().leaf.der());
}

}  // namespace
}  // namespace certguard::headers
