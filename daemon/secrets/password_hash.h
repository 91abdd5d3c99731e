// PasswordHash: how the admin's password is kept, PBKDF2-HMAC-SHA256
// (mbedTLS) with a random 16-byte salt per hash and the iteration count
// stored with the hash, so the count can be raised later without
// invalidating the stored ones.
//
// The stored text describes itself:
//   pbkdf2-sha256$<iterations>$<salt, base64>$<32-byte hash, base64>
// Hashing takes about 0.6 s at kPasswordHashIterations on an amd64 box
// (longer on ARM): callers run it off threads that must stay responsive.
#ifndef TELEMED_SECRETS_PASSWORD_HASH_H_
#define TELEMED_SECRETS_PASSWORD_HASH_H_

#include <cstddef>
#include <string>

#include "base/status.h"

namespace telemed {

class RandomSource;

// What production hashes with (OWASP's 2023 figure for PBKDF2-SHA256).
constexpr int kPasswordHashIterations = 600000;

// The admin's password: at least this many characters (code points)...
constexpr size_t kMinPasswordChars = 12;
// ...and at most this many bytes (bounds the work of hashing it).
constexpr size_t kMaxPasswordBytes = 4096;

// OK for an acceptable new password; else Validation("password_too_short"
// or "field_too_long", naming `field`) or InvalidArgument("invalid_field")
// for text that is not UTF-8 or holds control characters.
Status CheckNewPassword(const std::string& password, const std::string& field);

// Raw PBKDF2-HMAC-SHA256: `length` bytes derived from `password` and
// `salt` into *out. InvalidArgument when iterations < 1 or length is 0.
Status Pbkdf2Sha256(const std::string& password, const std::string& salt,
                    int iterations, size_t length, std::string* out);

// Hashes `password` with a fresh salt from `random` and `iterations`
// rounds (tests pass a small count; production kPasswordHashIterations).
Status HashPassword(const std::string& password, int iterations,
                    RandomSource* random, std::string* out);

// *matches tells whether `password` hashes to `stored` (compared in
// constant time), with the count and salt `stored` names.
// Corruption("bad_password_hash") when `stored` is not in the format above.
Status VerifyPassword(const std::string& password, const std::string& stored,
                      bool* matches);

// Whether `a` and `b` are equal, in time that depends on their lengths
// only (for tokens a client presents).
bool ConstantTimeEquals(const std::string& a, const std::string& b);

}  // namespace telemed

#endif  // TELEMED_SECRETS_PASSWORD_HASH_H_
