// ProcessIdentity: the seam over which processes run on this machine, so a
// lease among processes (store/settings_store.h) can name its holder and a
// later taker can prove that holder dead. The real one reads Linux's
// /proc; tests inject a fake.
//
// A holder is named by this boot's id (/proc/sys/kernel/random/boot_id),
// its pid namespace (/proc/self/ns/pid), its pid and its start time in
// clock ticks since boot (/proc/<pid>/stat field 22): a pid may be reused,
// but not with the same start time in the same boot. Anything that cannot
// be read proves nothing.
#ifndef TELEMED_BASE_PROCESS_IDENTITY_H_
#define TELEMED_BASE_PROCESS_IDENTITY_H_

#include <cstdint>
#include <string>

namespace telemed {

class ProcessIdentity {
 public:
  virtual ~ProcessIdentity() = default;

  // The boot and pid namespace this process runs in (boot id, then the
  // namespace, joined by '/'); false when either cannot be read.
  virtual bool Scope(std::string* out) const = 0;
  // This process's pid and start time; false when unreadable.
  virtual bool Self(int64_t* pid, uint64_t* start_time) const = 0;

  enum class Lookup {
    kRunning,  // a process with the pid runs; *start_time is its start
    kGone,     // no process has the pid, or it is a zombie (it ended)
    kUnknown,  // could not be told
  };
  // Whether `pid`, in this process's scope, names a running process.
  virtual Lookup Find(int64_t pid, uint64_t* start_time) const = 0;
};

// The real one, over Linux's /proc (base/real_process_identity.cc).
// Stateless and thread-safe.
class RealProcessIdentity final : public ProcessIdentity {
 public:
  bool Scope(std::string* out) const override;
  bool Self(int64_t* pid, uint64_t* start_time) const override;
  Lookup Find(int64_t pid, uint64_t* start_time) const override;
};

// Reads /proc/<pid>/stat's text: the state (field 3) and the start time
// (field 22). False when `stat` is not of that shape.
bool ParseProcStat(const std::string& stat, char* state, uint64_t* start_time);

// A lease owner naming this process and `nonce` (random, so two holders in
// one process differ): "p1 <scope> <pid> <start time> <nonce>". Just
// `nonce` when this process cannot name itself.
std::string LeaseOwnerName(const ProcessIdentity& identity,
                           const std::string& nonce);

// True only when `owner` (a LeaseOwnerName) names a process that provably
// ended: same scope as this process, and no process runs with its pid and
// start time. Another boot or namespace, an owner of another shape, or
// anything unreadable: false (taken as alive).
bool LeaseOwnerIsGone(const ProcessIdentity& identity,
                      const std::string& owner);

}  // namespace telemed

#endif  // TELEMED_BASE_PROCESS_IDENTITY_H_
