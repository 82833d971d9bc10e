#include "server/runtime/listeners.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/common/tcp_listen.h"

namespace certguard::runtime {
namespace {

constexpr int kBacklog = 1024;
// Connections accepted per listener per wake-up, so one busy listener cannot starve the others.
constexpr int kAcceptBurst = 64;

absl::Status BindUnix(const ListenAddress& address, uint32_t mode, std::vector<int>* fds) {
  if (absl::Status s = RemoveStaleSocket(address.unix_path); !s.ok()) return s;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (address.unix_path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat(address.address, ": the socket path is too long"));
  }
  std::memcpy(addr.sun_path, address.unix_path.data(), address.unix_path.size());
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return SocketError("create a socket for", address.address);
  // bind() creates the file; the umask keeps it from ever being wider than 0660 before chmod.
  const mode_t old_umask = umask(0117);
  const int bound = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  umask(old_umask);
  if (bound != 0 || chmod(address.unix_path.c_str(), static_cast<mode_t>(mode)) != 0 || listen(fd, kBacklog) != 0) {
    absl::Status status = SocketError("listen on", address.address);
    close(fd);
    return status;
  }
  fds->push_back(fd);
  return absl::OkStatus();
}

// The peer's address without its port: the key of the per-peer cap.
std::string PeerKey(int fd) {
  sockaddr_storage addr{};
  socklen_t length = sizeof(addr);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) return "unknown";
  char text[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&addr)->sin_addr, text, sizeof(text));
    return text;
  }
  if (addr.ss_family == AF_INET6) {
    const in6_addr& a = reinterpret_cast<sockaddr_in6*>(&addr)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a)) {
      inet_ntop(AF_INET, &a.s6_addr[12], text, sizeof(text));
    } else {
      inet_ntop(AF_INET6, &a, text, sizeof(text));
    }
    return text;
  }
  return "unix";
}

}  // namespace

absl::StatusOr<std::unique_ptr<Listeners>> Listeners::Bind(const std::vector<ListenAddress>& addresses,
                                                           uint32_t unix_mode) {
  std::unique_ptr<Listeners> out(new Listeners());
  if (absl::Status s = out->wake_.Open(); !s.ok()) return s;
  for (const ListenAddress& address : addresses) {
    Listener listener;
    listener.address = address;
    if (address.is_unix) {
      if (absl::Status s = BindUnix(address, unix_mode, &listener.fds); !s.ok()) return s;
      out->socket_files_.push_back(address.unix_path);
      out->bound_.push_back(address.address);
    } else {
      absl::StatusOr<int> port = ListenTcp(address.address, kBacklog, &listener.fds);
      if (!port.ok()) return port.status();
      out->bound_.push_back(absl::StrCat(address.address.substr(0, address.address.rfind(':')), ":", *port));
    }
    out->listeners_.push_back(std::move(listener));
  }
  return out;
}

Listeners::~Listeners() {
  Stop();
  for (const std::string& path : socket_files_) unlink(path.c_str());
}

void Listeners::Register(grpc::ServerBuilder* builder,
                         const std::shared_ptr<grpc::ServerCredentials>& tcp_credentials) {
  for (Listener& listener : listeners_) {
    listener.acceptor = builder->experimental().AddExternalConnectionAcceptor(
        grpc::ServerBuilder::experimental_type::ExternalConnectionType::FROM_FD,
        listener.address.is_unix ? grpc::InsecureServerCredentials() : tcp_credentials);
  }
}

void Listeners::Start(ConnectionLimits limits) {
  thread_ = std::thread([this, limits] { AcceptLoop(limits); });
}

void Listeners::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (thread_.joinable()) {
    wake_.Wake();
    thread_.join();
  }
  for (Listener& listener : listeners_) {
    for (int fd : listener.fds) close(fd);
    listener.fds.clear();
  }
}

void Listeners::AcceptLoop(ConnectionLimits limits) {
  ConnectionTable table(limits);
  std::vector<pollfd> polled;
  std::vector<std::pair<Listener*, int>> owners;
  polled.push_back(pollfd{wake_.read_fd(), POLLIN, 0});
  owners.emplace_back(nullptr, -1);
  for (Listener& listener : listeners_) {
    for (int fd : listener.fds) {
      polled.push_back(pollfd{fd, POLLIN, 0});
      owners.emplace_back(&listener, fd);
    }
  }
  bool out_of_descriptors = false;
  absl::Time last_refusal_log = absl::InfinitePast();
  uint64_t refused_logged = 0;
  while (true) {
    // Out of descriptors, the listeners stay readable: wait on the wake pipe alone for a while
    // rather than spin.
    const int rc = poll(polled.data(), out_of_descriptors ? 1 : polled.size(), out_of_descriptors ? 50 : 1000);
    out_of_descriptors = false;
    if (rc < 0 && errno != EINTR) {
      log::Error("the accept loop stopped: poll failed", {{"error", std::strerror(errno)}});
      break;
    }
    if (polled[0].revents != 0) break;  // Stop()
    if (rc <= 0) {
      table.Sweep();
      counters_->open.store(table.open(), std::memory_order_relaxed);
      continue;
    }
    for (size_t i = 1; i < polled.size(); ++i) {
      if ((polled[i].revents & POLLIN) == 0) continue;
      for (int n = 0; n < kAcceptBurst; ++n) {
        const int fd = accept4(owners[i].second, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
          if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            out_of_descriptors = true;
            log::Warning("cannot accept a connection", {{"error", std::strerror(errno)}});
          }
          break;  // EAGAIN, or a connection aborted before it was accepted
        }
        const std::string peer = owners[i].first->address.is_unix ? "unix" : PeerKey(fd);
        const ConnectionTable::Admission admission = table.TryAdmit(fd, peer, absl::Now());
        counters_->open.store(table.open(), std::memory_order_relaxed);
        if (admission != ConnectionTable::Admission::kAdmitted) {
          close(fd);
          const uint64_t refused = counters_->refused.fetch_add(1, std::memory_order_relaxed) + 1;
          const absl::Time now = absl::Now();
          if (now - last_refusal_log >= absl::Seconds(1)) {  // one line a second at most
            log::Warning("connection refused",
                         {{"reason", admission == ConnectionTable::Admission::kPeerFull ? "max_connections_per_peer"
                                                                                        : "max_connections"},
                          {"peer", peer},
                          {"refused_since_last_line", absl::StrCat(refused - refused_logged)}});
            last_refusal_log = now;
            refused_logged = refused;
          }
          continue;
        }
        if (!owners[i].first->address.is_unix) {
          const int one = 1;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        }
        grpc::experimental::ExternalConnectionAcceptor::NewConnectionParameters params;
        params.listener_fd = owners[i].second;
        params.fd = fd;
        owners[i].first->acceptor->HandleNewConnection(&params);
      }
    }
  }
}

}  // namespace certguard::runtime
