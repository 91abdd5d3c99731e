#include "service/sync_stack.h"

#include "base/log.h"
#include "service/store_session.h"
#include "service/zoom_session.h"
#include "store/store.h"
#include "sync/doctor_disconnect.h"

namespace telemed {

SyncStack::~SyncStack() { Stop(); }

Status SyncStack::Start(const Config& config, StoreSession* store_session,
                        ZoomSession* zoom, Logger* logger) {
  store_ = store_session->store.get();
  markers_ = std::make_unique<MarkerMaker>(*zoom->key);
  executor_ = std::make_unique<ThreadPoolExecutor>(kCallsInFlight);
  SyncEngine::Options options;
  options.store = store_;
  options.zoom = zoom->client->api();
  options.doctors = zoom->client.get();
  options.limiter = zoom->client->limiter();
  options.clock = &store_session->clock;
  options.random = zoom->random.get();
  options.markers = markers_.get();
  options.logger = logger;
  options.executor = executor_.get();
  options.settings.default_topic = config.default_topic;
  options.max_in_flight = kCallsInFlight;
  options.on_call_done = [this] { runner_->Wake(); };
  Store* store = store_;
  options.after_oauth_create = [store](const std::string& doctor_id) {
    int queued = 0;
    return DeleteLateMeetings(store, store, doctor_id, &queued);
  };
  engine_ = std::make_unique<SyncEngine>(options);
  runner_ = std::make_unique<SyncRunner>(engine_.get(), &store_session->clock,
                                         logger);
  SyncRunner* runner = runner_.get();
  store_->SetWriteListener([runner] { runner->Wake(); });
  runner_->Start();
  logger->Info("sync: converging Zoom (plan %s, API %s, OAuth %s, CAs: %s)",
               config.zoom_plan.c_str(), zoom->api_url.c_str(),
               zoom->oauth_url.c_str(), zoom->ca_source.c_str());
  return Status::OK();
}

void SyncStack::Stop() {
  if (store_ == nullptr) return;
  store_->SetWriteListener(nullptr);
  runner_->Stop();
  // Joins the workers: calls in flight finish and record their results
  // before the engine they use goes away.
  executor_.reset();
  store_ = nullptr;
}

}  // namespace telemed
