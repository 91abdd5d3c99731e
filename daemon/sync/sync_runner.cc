#include "sync/sync_runner.h"

#include <algorithm>

#include "base/clock.h"
#include "base/log.h"
#include "sync/sync_engine.h"

namespace telemed {

namespace {
// After a store error, wait this long before stepping again.
constexpr int64_t kErrorPauseMicros = 5 * 1000000;
}  // namespace

SyncRunner::~SyncRunner() { Stop(); }

void SyncRunner::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void SyncRunner::Wake() {
  MutexLock lock(&mu_);
  woken_ = true;
  cv_.Signal();
}

void SyncRunner::Stop() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    cv_.Signal();
  }
  if (thread_.joinable()) thread_.join();
}

void SyncRunner::Loop() {
  for (;;) {
    turns_.fetch_add(1, std::memory_order_relaxed);
    int64_t wake = 0;
    Status s = engine_->Step(&wake);
    if (!s.ok()) {
      logger_->Error("sync: %s", s.ToString().c_str());
      wake = clock_->NowMicros() + kErrorPauseMicros;
    }
    if (!Sleep(wake)) return;
  }
}

bool SyncRunner::Sleep(int64_t wake_micros) {
  const int64_t poll = std::chrono::microseconds(kForeignWritePoll).count();
  const int64_t now = clock_->NowMicros();
  int64_t wait = wake_micros == 0 ? poll : std::min(poll, wake_micros - now);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::microseconds(std::max<int64_t>(0, wait));
  MutexLock lock(&mu_);
  while (!woken_ && !stopping_) {
    if (!cv_.WaitUntil(deadline)) break;
  }
  woken_ = false;
  return !stopping_;
}

}  // namespace telemed
