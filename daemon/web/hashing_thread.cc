#include "web/hashing_thread.h"

namespace telemed {
namespace web {

// Lives on the waiting caller's stack: the caller returns only once `done`.
struct HashingThread::Job {
  const std::function<Status()>* work;
  Status result;
  bool done = false;
  CondVar* finished;
};

HashingThread::HashingThread(size_t max_queued)
    : max_queued_(max_queued), thread_([this] { Loop(); }) {}

HashingThread::~HashingThread() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  wake_.SignalAll();
  thread_.join();
}

Status HashingThread::Run(const std::function<Status()>& job) {
  CondVar finished(&mu_);
  Job entry{&job, Status::OK(), false, &finished};
  MutexLock lock(&mu_);
  if (queue_.size() >= max_queued_ || stopping_) {
    return Status::Unavailable(
        "busy", "too many sign-ins at once: try again in a moment");
  }
  queue_.push_back(&entry);
  wake_.Signal();
  while (!entry.done) finished.Wait();
  return entry.result;
}

size_t HashingThread::Waiting() {
  MutexLock lock(&mu_);
  return queue_.size();
}

void HashingThread::Loop() {
  MutexLock lock(&mu_);
  while (true) {
    while (queue_.empty() && !stopping_) wake_.Wait();
    if (queue_.empty()) return;
    Job* job = queue_.front();
    queue_.pop_front();
    // The hash runs unlocked, so callers can queue or be refused meanwhile.
    mu_.Unlock();
    Status result = (*job->work)();
    mu_.Lock();
    job->result = result;
    job->done = true;
    job->finished->Signal();
  }
}

}  // namespace web
}  // namespace telemed
