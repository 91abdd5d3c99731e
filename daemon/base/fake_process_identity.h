// FakeProcessIdentity: one process's view of a machine whose processes the
// test starts and kills (FakeMachine), for leases among processes.
#ifndef TELEMED_BASE_FAKE_PROCESS_IDENTITY_H_
#define TELEMED_BASE_FAKE_PROCESS_IDENTITY_H_

#include <cstdint>
#include <map>
#include <string>

#include "base/process_identity.h"

namespace telemed {

// Not thread-safe: change it only while no lease is being taken.
struct FakeMachine {
  std::string scope = "boot-a/pid:[4026531836]";  // "" when unreadable
  bool proc_readable = true;            // false: Find answers kUnknown
  std::map<int64_t, uint64_t> running;  // pid -> start time
};

class FakeProcessIdentity final : public ProcessIdentity {
 public:
  // Process `pid` started at `start_time`, running on `machine` (borrowed,
  // outlives this).
  FakeProcessIdentity(FakeMachine* machine, int64_t pid, uint64_t start_time)
      : machine_(machine), pid_(pid) {
    machine_->running[pid] = start_time;
  }
  bool Scope(std::string* out) const override {
    *out = machine_->scope;
    return !out->empty();
  }
  bool Self(int64_t* pid, uint64_t* start_time) const override {
    *pid = pid_;
    return Find(pid_, start_time) == Lookup::kRunning;
  }
  Lookup Find(int64_t pid, uint64_t* start_time) const override {
    if (!machine_->proc_readable) return Lookup::kUnknown;
    auto it = machine_->running.find(pid);
    if (it == machine_->running.end()) return Lookup::kGone;
    *start_time = it->second;
    return Lookup::kRunning;
  }
  // The process is killed (its pid may be reused with another start).
  void Kill() { machine_->running.erase(pid_); }
  // Lives again under the same pid, started at `start_time`.
  void Restart(uint64_t start_time) { machine_->running[pid_] = start_time; }

 private:
  FakeMachine* const machine_;
  const int64_t pid_;
};

}  // namespace telemed

#endif  // TELEMED_BASE_FAKE_PROCESS_IDENTITY_H_
