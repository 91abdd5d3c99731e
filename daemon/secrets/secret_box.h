// SecretBox: authenticated encryption (AES-256-GCM, mbedTLS) of the secrets
// the bridge stores, so a copy of the database alone reveals none of them.
//
// Sealed form (binary, stored as a BLOB):
//   version byte 0x01 | 12-byte random nonce | ciphertext | 16-byte tag.
// `purpose` (e.g. "zoom.client_secret") is bound in as additional data, so a
// sealed value moved to another slot does not open. A wrong key or any
// tampering fails with Corruption("secret_undecryptable"), never garbage.
#ifndef TELEMED_SECRETS_SECRET_BOX_H_
#define TELEMED_SECRETS_SECRET_BOX_H_

#include <string>

#include "base/status.h"

namespace telemed {

class RandomSource;
class SecretKey;

class SecretBox final {
 public:
  // *key and *random are borrowed and must outlive the box. Thread-safe.
  SecretBox(const SecretKey* key, RandomSource* random)
      : key_(key), random_(random) {}

  Status Seal(const std::string& purpose, const std::string& plaintext,
              std::string* sealed) const;
  // *plaintext is overwritten; callers holding it should wipe it when done
  // (WipeString).
  Status Open(const std::string& purpose, const std::string& sealed,
              std::string* plaintext) const;

 private:
  const SecretKey* const key_;
  RandomSource* const random_;
};

// Overwrites a string's bytes before it is cleared (mbedTLS's zeroize, which
// the optimiser cannot drop).
void WipeString(std::string* text);

}  // namespace telemed

#endif  // TELEMED_SECRETS_SECRET_BOX_H_
