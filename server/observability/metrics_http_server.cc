#include "server/observability/metrics_http_server.h"

#include <httplib.h>

#include <chrono>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace certguard::observability {

MetricsHttpServer::MetricsHttpServer() : http_(std::make_unique<httplib::Server>()) {}

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    const std::string& address, std::function<std::string()> render) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("expected host:port, got '", address, "'"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";

  std::unique_ptr<MetricsHttpServer> server(new MetricsHttpServer());
  server->http_->Get("/metrics", [render = std::move(render)](const httplib::Request&, httplib::Response& res) {
    res.set_content(render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server->http_->set_keep_alive_max_count(10);
  int bound_port = port;
  if (port == 0) {
    bound_port = server->http_->bind_to_any_port(host);
    if (bound_port < 0) return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  } else if (!server->http_->bind_to_port(host, port)) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  server->bound_ = absl::StrCat(address.substr(0, colon), ":", bound_port);
  httplib::Server* http = server->http_.get();
  server->thread_ = std::thread([http] { http->listen_after_bind(); });
  // stop() before the loop has started would be lost; wait for it (it starts at once).
  for (int i = 0; i < 500 && !http->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  return server;
}

MetricsHttpServer::~MetricsHttpServer() {
  http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace certguard::observability
