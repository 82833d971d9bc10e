#include "server/headers/xfcc.h"

#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <openssl/sha.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decode_status.h"
#include "server/headers/pem_blocks.h"
#include "server/headers/percent.h"
#include "server/headers/xfcc_parser.h"

namespace certguard::headers {
namespace {

constexpr size_t kSha256HexLength = 2 * SHA256_DIGEST_LENGTH;

// The fields of the chosen element before the certificates are decoded.
struct ElementFields {
  XfccMetadata metadata;
  const std::string* cert = nullptr;
  const std::string* chain = nullptr;
};

// Stores `value` into `*slot` unless the key was already seen.
absl::Status SetOnce(absl::string_view key, const std::string& value, const std::string** slot) {
  if (*slot != nullptr) return MalformedError(absl::StrCat("duplicate XFCC key ", key));
  *slot = &value;
  return absl::OkStatus();
}

absl::StatusOr<ElementFields> ReadFields(const XfccPairs& pairs) {
  ElementFields fields;
  const std::string* by = nullptr;
  const std::string* hash = nullptr;
  const std::string* subject = nullptr;
  for (const XfccPair& pair : pairs) {
    absl::Status status;
    if (pair.key == "by") {
      status = SetOnce("By", pair.value, &by);
    } else if (pair.key == "hash") {
      status = SetOnce("Hash", pair.value, &hash);
    } else if (pair.key == "cert") {
      status = SetOnce("Cert", pair.value, &fields.cert);
    } else if (pair.key == "chain") {
      status = SetOnce("Chain", pair.value, &fields.chain);
    } else if (pair.key == "subject") {
      status = SetOnce("Subject", pair.value, &subject);
    } else if (pair.key == "uri") {
      if (!pair.value.empty()) fields.metadata.uri.push_back(pair.value);
    } else if (pair.key == "dns") {
      if (!pair.value.empty()) fields.metadata.dns.push_back(pair.value);
    }
    if (!status.ok()) return status;
  }
  if (by != nullptr) fields.metadata.by = *by;
  if (subject != nullptr) fields.metadata.subject = *subject;
  if (hash != nullptr) {
    if (hash->size() != kSha256HexLength) {
      return MalformedError("XFCC Hash is not 64 hex digits");
    }
    for (char ch : *hash) {
      if (!absl::ascii_isxdigit(static_cast<unsigned char>(ch))) {
        return MalformedError("XFCC Hash is not 64 hex digits");
      }
    }
    fields.metadata.hash_hex = absl::AsciiStrToLower(*hash);
  }
  if (fields.cert != nullptr && fields.cert->empty()) return MalformedError("empty XFCC Cert");
  if (fields.chain != nullptr && fields.chain->empty()) return MalformedError("empty XFCC Chain");
  if (fields.cert == nullptr && fields.chain == nullptr) {
    return MalformedError("XFCC element has neither Cert nor Chain");
  }
  return fields;
}

// Decodes a URL-encoded PEM field value into `into`.
absl::Status DecodeField(absl::string_view key, const std::string& value, CertCollector* into) {
  absl::StatusOr<std::string> pem = PercentDecode(value);
  if (!pem.ok()) return MalformedError(absl::StrCat("XFCC ", key, ": ", pem.status().message()));
  absl::Status status = DecodePemBlocks(*pem, into);
  if (!status.ok() && DecodeErrorOf(status) == DecodeError::kMalformed) {
    return MalformedError(absl::StrCat("XFCC ", key, ": ", status.message()));
  }
  return status;
}

std::string Sha256Hex(absl::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest;
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace

absl::StatusOr<XfccMetadata> DecodeXfcc(absl::string_view value, XfccElement which, CertCollector* out) {
  absl::StatusOr<std::vector<XfccPairs>> elements = ParseXfcc(value);
  if (!elements.ok()) return MalformedError(elements.status().message());
  const XfccPairs& chosen = which == XfccElement::kFirst ? elements->front() : elements->back();
  absl::StatusOr<ElementFields> fields = ReadFields(chosen);
  if (!fields.ok()) return fields.status();

  // Decode into scratch collectors with the same limits; `out` re-checks the merged total.
  CertCollector leaf(out->limits());
  CertCollector chain(out->limits());
  if (fields->cert != nullptr) {
    absl::Status status = DecodeField("Cert", *fields->cert, &leaf);
    if (!status.ok()) return status;
    if (leaf.size() != 1) {
      return MalformedError(absl::StrCat("XFCC Cert holds ", leaf.size(), " certificates, expected 1"));
    }
  }
  if (fields->chain != nullptr) {
    absl::Status status = DecodeField("Chain", *fields->chain, &chain);
    if (!status.ok()) return status;
  }

  std::vector<std::string> chain_der = chain.Release();
  std::string leaf_der;
  size_t chain_start = 0;
  if (fields->cert != nullptr) {
    leaf_der = std::move(leaf.Release().front());
  } else {
    leaf_der = chain_der.front();  // DecodePemBlocks succeeded, so there is at least one
    chain_start = 1;
  }

  if (!fields->metadata.hash_hex.empty() && Sha256Hex(leaf_der) != fields->metadata.hash_hex) {
    return DecodeFailure(DecodeError::kHashMismatch, "XFCC Hash is not the SHA-256 of the forwarded certificate");
  }

  absl::Status status = out->Add(leaf_der);
  if (!status.ok()) return status;
  for (size_t i = chain_start; i < chain_der.size(); ++i) {
    if (chain_der[i] == leaf_der) continue;
    status = out->Add(std::move(chain_der[i]));
    if (!status.ok()) return status;
  }
  return std::move(fields->metadata);
}

}  // namespace certguard::headers
