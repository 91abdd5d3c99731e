// SettingsStore: the store's role for small named values (the Zoom app's
// ids, the sealed client secret and token, the last `zoom test` verdict),
// the secret key's fingerprint they are sealed under, leases among the
// processes sharing the database, and the database's own id.
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_STORE_SETTINGS_STORE_H_
#define TELEMED_STORE_SETTINGS_STORE_H_

#include <cstdint>
#include <string>

#include "base/status.h"

namespace telemed {

class SettingsStore {
 public:
  // The id migration 5 gave this database: 32 lower-case hex digits,
  // random, never changed (the settings row "store.database_id"). A copy
  // of the file has the same id. Corruption("bad_database_id") when the row
  // is missing or malformed.
  virtual Status GetDatabaseId(std::string* out) = 0;

  // Small named values (settings table). Values are bytes.
  // GetSetting: *found false when absent.
  virtual Status GetSetting(const std::string& name, std::string* value,
                            bool* found) = 0;
  virtual Status PutSetting(const std::string& name,
                            const std::string& value) = 0;
  // Deletes every setting whose name starts with `prefix`.
  virtual Status DeleteSettings(const std::string& prefix) = 0;
  // Records `fingerprint` as the database's secret-key fingerprint if none
  // is recorded; Conflict("secret_key_mismatch") when another is, with a
  // message naming both fingerprints and `key_path`.
  virtual Status BindKeyFingerprint(const std::string& fingerprint,
                                    const std::string& key_path) = 0;
  // Forgets the recorded fingerprint, so that the next BindKeyFingerprint
  // records a new key. Only for after every sealed secret was deleted (a
  // lost key file: nothing sealed under it can be read again anyway).
  virtual Status UnbindKeyFingerprint() = 0;
  // A lease among processes (one token renewal in flight): takes `name` for
  // `owner` until `until` when it is free (expired at `now`) or already
  // owner's; *taken says whether it was. ReleaseLease frees it if owner's.
  virtual Status TryTakeLease(const std::string& name, const std::string& owner,
                              int64_t now, int64_t until, bool* taken) = 0;
  virtual Status ReleaseLease(const std::string& name,
                              const std::string& owner) = 0;
  // The owner of lease `name` (*found false when nobody holds it, expired
  // or not), for a taker to judge whether that holder is gone.
  virtual Status GetLeaseOwner(const std::string& name, std::string* owner,
                               bool* found) = 0;
  // Takes `name` for `owner` until `until` only while `gone_owner` still
  // holds it (compare-and-swap: of two takers only one wins); *taken says
  // whether it was. For a holder proven gone (base/process_identity.h).
  virtual Status TakeOverLease(const std::string& name,
                               const std::string& gone_owner,
                               const std::string& owner, int64_t until,
                               bool* taken) = 0;

 protected:
  // A role is borrowed, never deleted through (the Store owns).
  ~SettingsStore() = default;
};

}  // namespace telemed

#endif  // TELEMED_STORE_SETTINGS_STORE_H_
