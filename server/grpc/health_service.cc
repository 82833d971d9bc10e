#include "server/grpc/health_service.h"

#include <optional>
#include <utility>

namespace certguard::rpc {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One Watch stream. Writes one status at a time, always the newest (a status that changes while
// a write is in flight is sent when it completes); finishing waits for the last status to be
// written. Deletes itself in OnDone, after leaving the service's set.
class HealthService::WatchReactor final : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  WatchReactor(HealthService* service, std::string name) : service_(service), name_(std::move(name)) {}

  const std::string& name() const { return name_; }

  // Called with service_->mu_ held. `finish`: end the stream once `status` is written.
  void Update(ServingStatus status, bool finish) {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_) return;
    if (status == last_sent_) {
      pending_.reset();  // the client has (or is being sent) this status already
    } else {
      pending_ = status;
    }
    finishing_ = finishing_ || finish;
    PumpLocked();
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (!ok) {  // the client is gone
      pending_.reset();
      finishing_ = true;
      finish_status_ = grpc::Status(grpc::StatusCode::CANCELLED, "write failed");
    }
    PumpLocked();
  }

  void OnCancel() override {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.reset();
    finishing_ = true;
    finish_status_ = grpc::Status::CANCELLED;
    PumpLocked();
  }

  void OnDone() override {
    service_->Unregister(this);
    delete this;
  }

 private:
  // Needs mu_ held.
  void PumpLocked() {
    if (writing_ || done_) return;
    if (pending_) {
      response_.set_status(*pending_);
      last_sent_ = *pending_;
      pending_.reset();
      writing_ = true;
      StartWrite(&response_);
      return;
    }
    if (finishing_) {
      done_ = true;
      Finish(finish_status_);
    }
  }

  HealthService* const service_;
  const std::string name_;
  std::mutex mu_;                 // guards everything below
  HealthCheckResponse response_;  // the message being written
  std::optional<ServingStatus> pending_;
  std::optional<ServingStatus> last_sent_;
  bool writing_ = false;
  bool finishing_ = false;
  bool done_ = false;  // Finish called
  grpc::Status finish_status_{grpc::StatusCode::UNAVAILABLE, "server shutting down"};
};

HealthService::HealthService() {
  std::lock_guard<std::mutex> lock(mu_);
  statuses_[""] = HealthCheckResponse::NOT_SERVING;
}

HealthService::~HealthService() {
  std::unique_lock<std::mutex> lock(mu_);
  no_watches_.wait(lock, [this] { return watches_.empty(); });
}

HealthService::ServingStatus HealthService::StatusLocked(const std::string& service) const {
  auto it = statuses_.find(service);
  return it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN : it->second;
}

void HealthService::SetLocked(const std::string& service, ServingStatus status) {
  statuses_[service] = status;
  for (WatchReactor* watch : watches_) {
    if (watch->name() == service) watch->Update(status, shutdown_);
  }
}

void HealthService::SetServingStatus(const std::string& service, bool serving) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shutdown_) return;
  SetLocked(service, serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING);
}

void HealthService::SetServingStatus(bool serving) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shutdown_) return;
  for (auto& [service, status] : statuses_) {
    status = serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
  }
  for (WatchReactor* watch : watches_) watch->Update(StatusLocked(watch->name()), false);
}

void HealthService::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  if (shutdown_) return;
  shutdown_ = true;
  for (auto& [service, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
  for (WatchReactor* watch : watches_) watch->Update(StatusLocked(watch->name()), true);
}

void HealthService::Unregister(WatchReactor* watch) {
  std::lock_guard<std::mutex> lock(mu_);
  watches_.erase(watch);
  if (watches_.empty()) no_watches_.notify_all();
}

grpc::ServerUnaryReactor* HealthService::Check(grpc::CallbackServerContext* context, const HealthCheckRequest* request,
                                               HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  ServingStatus status;
  {
    std::lock_guard<std::mutex> lock(mu_);
    status = StatusLocked(request->service());
  }
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service"));
  } else {
    response->set_status(status);
    reactor->Finish(grpc::Status::OK);
  }
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(grpc::CallbackServerContext* context,
                                                                    const HealthCheckRequest* request) {
  auto* watch = new WatchReactor(this, request->service());
  std::lock_guard<std::mutex> lock(mu_);
  watches_.insert(watch);
  watch->Update(StatusLocked(watch->name()), shutdown_);
  return watch;
}

}  // namespace certguard::rpc
