// bench/: a small in-process PKI for the benchmarks (no test framework dependency).
//
// Generates keys and certificates with OpenSSL: roots, intermediates and client leaves that
// pass certguard's default policy (v3, clientAuth EKU, digitalSignature KU, SKI/AKI, a DNS SAN).
// Objects are immutable after creation and safe to share between threads.
#ifndef CERTGUARD_BENCH_COMMON_BENCH_PKI_H_
#define CERTGUARD_BENCH_COMMON_BENCH_PKI_H_

#include <cstdint>
#include <ctime>
#include <memory>
#include <string>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace certguard::bench {

enum class KeyType { kRsa2048, kEcP256 };

// "rsa" / "ec" (also "rsa2048", "p256", "ecdsa") -> KeyType; false when unknown.
bool ParseKeyType(const std::string& name, KeyType* type);
const char* KeyTypeName(KeyType type);  // "rsa2048" / "p256"

using KeyPtr = std::shared_ptr<EVP_PKEY>;

// Aborts the process (with OpenSSL's error) on any failure: benchmark setup cannot continue.
KeyPtr GenerateKey(KeyType type);

class BenchCert {
 public:
  X509* raw() const { return x509_.get(); }
  const KeyPtr& key() const { return key_; }
  std::string Der() const;
  std::string Pem() const;        // one PEM block, 64-column lines
  std::string Base64Der() const;  // single line (X-ARR-ClientCert)

  // Self-signed CA.
  static BenchCert Root(const std::string& cn, KeyPtr key);
  // CA issued by `issuer`.
  static BenchCert Intermediate(const std::string& cn, KeyPtr key, const BenchCert& issuer);
  // Client leaf issued by `issuer`; `serial` makes leaves with the same CN distinct.
  static BenchCert Leaf(const std::string& cn, KeyPtr key, const BenchCert& issuer, uint64_t serial);

 private:
  std::shared_ptr<X509> x509_;
  KeyPtr key_;
};

// Validity window of every generated certificate: [now - 1 day, now + 10 years].
std::time_t NotBefore();
std::time_t NotAfter();

// Percent-encodes everything outside [A-Za-z0-9-._~] (what Envoy does to a PEM certificate).
std::string UrlEncode(const std::string& in);

// Writes `contents` to `path`, creating parent directories; aborts on failure.
void WriteFileOrDie(const std::string& path, const std::string& contents);

}  // namespace certguard::bench

#endif  // CERTGUARD_BENCH_COMMON_BENCH_PKI_H_
