// Plain-socket HTTP for tests of certguard's /metrics endpoint: no client library between the
// test and the server, so a test controls every byte (and can send hostile ones).
#ifndef CERTGUARD_TESTS_TESTING_RAW_HTTP_H_
#define CERTGUARD_TESTS_TESTING_RAW_HTTP_H_

#include <string>

namespace certguard::testing {

// A connected TCP socket to "host:port" (IPv4), or -1.
int ConnectTcp(const std::string& address);
// Reads one HTTP request (headers and Content-Length body) from `fd`; false if the peer went
// away first. For the test servers that stand in for OCSP responders.
bool ReadHttpRequest(int fd);
// Everything the peer sends on `fd` until it closes the connection (or 10 s of silence).
std::string ReadUntilClosed(int fd);
// Sends `request` on a fresh connection and returns everything the server sent until it closed
// the connection (or 10 s passed), status line included; "" when it cannot connect.
std::string HttpExchange(const std::string& address, const std::string& request);
// GET http://address/path with a fresh connection; the whole response (status line included).
std::string HttpGet(const std::string& address, const std::string& path);

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_RAW_HTTP_H_
