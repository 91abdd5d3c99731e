// ApiKeyStore: the store's role for the keys clinic software presents to the
// local API. Only a key's SHA-256 is stored; its text is shown once.
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_STORE_API_KEY_STORE_H_
#define TELEMED_STORE_API_KEY_STORE_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "model/records.h"

namespace telemed {

class RandomSource;

class ApiKeyStore {
 public:
  // Creates a key for `name` (1..64 chars of [A-Za-z0-9._-]); the key text
  // ("tbk_" + base64url of 32 random bytes) goes to *key_out and only its
  // SHA-256 is stored. AlreadyExists("api_key_exists") when an active key
  // has this name.
  virtual Status CreateApiKey(const std::string& name, RandomSource* random,
                              std::string* key_out) = 0;
  // Every key, active and revoked, ordered by name then creation.
  virtual Status ListApiKeys(std::vector<ApiKeyInfo>* out) = 0;
  // Revokes the active key `name` at once, for every process.
  // NotFound("api_key_not_found") when no active key has that name.
  virtual Status RevokeApiKey(const std::string& name) = 0;
  // Checks a presented key against the active keys (never cached, so a
  // revocation by another process holds for the next request).
  // Unauthenticated("invalid_api_key") otherwise. On success *name_out is the
  // key's name and its last use is noted in memory; notes reach the
  // database at most once a minute and on FlushApiKeyUse().
  virtual Status AuthenticateApiKey(const std::string& key,
                                    std::string* name_out) = 0;
  // Writes pending last-use notes now (called on shutdown).
  virtual Status FlushApiKeyUse() = 0;

 protected:
  // A role is borrowed, never deleted through (the Store owns).
  ~ApiKeyStore() = default;
};

}  // namespace telemed

#endif  // TELEMED_STORE_API_KEY_STORE_H_
