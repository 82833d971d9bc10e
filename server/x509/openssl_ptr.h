// RAII owners for OpenSSL objects: std::unique_ptr aliases whose deleters call the matching
// OpenSSL free function. Header-only; usable from tests.
#ifndef CERTGUARD_SERVER_X509_OPENSSL_PTR_H_
#define CERTGUARD_SERVER_X509_OPENSSL_PTR_H_

#include <memory>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

namespace certguard::x509 {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const {
    if (p != nullptr) Free(p);
  }
};

template <typename T, void (*Free)(T*)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

inline void FreeBio(BIO* b) { BIO_free_all(b); }
inline void FreeX509Stack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
// A stack whose elements are borrowed (not owned): frees only the stack itself.
inline void FreeX509StackShallow(STACK_OF(X509) * s) { sk_X509_free(s); }
inline void FreeCrlStack(STACK_OF(X509_CRL) * s) { sk_X509_CRL_pop_free(s, X509_CRL_free); }
inline void FreeCrlStackShallow(STACK_OF(X509_CRL) * s) { sk_X509_CRL_free(s); }
inline void FreeAsn1ObjectStack(STACK_OF(ASN1_OBJECT) * s) { sk_ASN1_OBJECT_pop_free(s, ASN1_OBJECT_free); }
inline void FreeGeneralNames(GENERAL_NAMES* g) { GENERAL_NAMES_free(g); }
inline void FreeEku(EXTENDED_KEY_USAGE* e) { EXTENDED_KEY_USAGE_free(e); }
inline void FreeOpenSslString(char* s) { OPENSSL_free(s); }
inline void FreeOpenSslBytes(unsigned char* p) { OPENSSL_free(p); }

using X509Ptr = OpenSslPtr<X509, X509_free>;
using X509CrlPtr = OpenSslPtr<X509_CRL, X509_CRL_free>;
using X509StorePtr = OpenSslPtr<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509NamePtr = OpenSslPtr<X509_NAME, X509_NAME_free>;
using X509ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509RevokedPtr = OpenSslPtr<X509_REVOKED, X509_REVOKED_free>;
using X509StackPtr = OpenSslPtr<STACK_OF(X509), FreeX509Stack>;
using X509StackShallowPtr = OpenSslPtr<STACK_OF(X509), FreeX509StackShallow>;
using X509CrlStackPtr = OpenSslPtr<STACK_OF(X509_CRL), FreeCrlStack>;
using X509CrlStackShallowPtr = OpenSslPtr<STACK_OF(X509_CRL), FreeCrlStackShallow>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using EvpMdCtxPtr = OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using BioPtr = OpenSslPtr<BIO, FreeBio>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;
using Asn1IntegerPtr = OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1TimePtr = OpenSslPtr<ASN1_TIME, ASN1_TIME_free>;
using Asn1BitStringPtr = OpenSslPtr<ASN1_BIT_STRING, ASN1_BIT_STRING_free>;
using Asn1OctetStringPtr = OpenSslPtr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Asn1ObjectPtr = OpenSslPtr<ASN1_OBJECT, ASN1_OBJECT_free>;
using Asn1ObjectStackPtr = OpenSslPtr<STACK_OF(ASN1_OBJECT), FreeAsn1ObjectStack>;
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, FreeGeneralNames>;
using BasicConstraintsPtr = OpenSslPtr<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>;
using AuthorityKeyIdPtr = OpenSslPtr<AUTHORITY_KEYID, AUTHORITY_KEYID_free>;
using EkuPtr = OpenSslPtr<EXTENDED_KEY_USAGE, FreeEku>;
using OpenSslStringPtr = OpenSslPtr<char, FreeOpenSslString>;
using OpenSslBytesPtr = OpenSslPtr<unsigned char, FreeOpenSslBytes>;

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_OPENSSL_PTR_H_
