#include "server/runtime/tls_credentials.h"

#include <gtest/gtest.h>

#include "tests/testing/cert_factory.h"

namespace certguard::runtime {
namespace {

TEST(TlsCredentialsTest, ModesAndHalfConfigurations) {
  const std::string dir = testing::MakeTempDir("tls");
  const testing::TestCert cert = testing::CertFactory::SelfSigned({.cn = "localhost", .san_dns = {"localhost"}});
  testing::WriteFile(dir + "/cert.pem", cert.pem());
  testing::WriteFile(dir + "/key.pem", cert.key_pem());
  testing::WriteFile(dir + "/empty.pem", "not pem");

  EXPECT_STREQ(TlsModeName({}), "plaintext");
  EXPECT_TRUE(TcpServerCredentials({}).ok());
  TlsOptions tls{dir + "/cert.pem", dir + "/key.pem", ""};
  EXPECT_STREQ(TlsModeName(tls), "tls");
  EXPECT_TRUE(TcpServerCredentials(tls).ok());
  tls.client_ca_file = dir + "/cert.pem";
  EXPECT_STREQ(TlsModeName(tls), "mtls");
  EXPECT_TRUE(TcpServerCredentials(tls).ok());

  EXPECT_FALSE(TcpServerCredentials({dir + "/cert.pem", "", ""}).ok());
  EXPECT_FALSE(TcpServerCredentials({"", dir + "/key.pem", ""}).ok());
  EXPECT_FALSE(TcpServerCredentials({"", "", dir + "/cert.pem"}).ok());
  EXPECT_FALSE(TcpServerCredentials({dir + "/missing.pem", dir + "/key.pem", ""}).ok());
  EXPECT_FALSE(TcpServerCredentials({dir + "/empty.pem", dir + "/key.pem", ""}).ok());
}

}  // namespace
}  // namespace certguard::runtime
