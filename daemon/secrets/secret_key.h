// SecretKey: the one 256-bit key under which the bridge encrypts every
// secret it stores (Zoom client secret, access and refresh tokens).
//
// The key is 32 raw bytes in a file, shared by the daemon and the CLI. Where
// the file lives is decided by ResolveKeyPath: an explicit --key-file or
// TELEMED_KEY_FILE, else systemd's credential directory, else the build's
// default key file (the package's /etc/telemed-bridge/secret.key, made by
// `key create`, never created on the fly), else <data-dir>/secret.key, which
// alone is created (0600) on first use. The
// database records the key's fingerprint (see Store), so a process holding
// another key refuses to touch secrets instead of writing under a second key.
// Key bytes are wiped when the SecretKey goes away.
#ifndef TELEMED_SECRETS_SECRET_KEY_H_
#define TELEMED_SECRETS_SECRET_KEY_H_

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"

namespace telemed {

class RandomSource;

// Where the key comes from and whether the bridge may create it.
struct KeyLocation {
  std::string path;
  // True only for the default <data-dir>/secret.key: an explicit file or a
  // systemd credential that is missing is a configuration error.
  bool create_if_missing = false;
};

// flag_path: --key-file ("" if not given); env_key_file: TELEMED_KEY_FILE
// (nullptr if unset); credentials_dir: $CREDENTIALS_DIRECTORY (nullptr if
// unset); default_key_file: the build's default ("" in a development build).
// The first one present wins, in that order; only the fallback
// <data_dir>/secret.key may be created.
KeyLocation ResolveKeyPath(const std::string& flag_path,
                           const char* env_key_file,
                           const char* credentials_dir,
                           const std::string& default_key_file,
                           const std::string& data_dir);

class SecretKey final {
 public:
  static constexpr size_t kSize = 32;

  // Reads the key at location.path, creating it from `random` (temp file,
  // fsync, then link(2) so two processes racing to create it end up with the
  // same key) when missing and allowed. Errors name the file: missing,
  // unreadable, or not exactly 32 bytes.
  static Status Load(const KeyLocation& location, RandomSource* random,
                     std::unique_ptr<SecretKey>* out);
  // Writes a new random key to `path` (0600; temp file, fsync, link(2)),
  // creating its directory (0700) when only that is missing. Never replaces
  // a file: AlreadyExists("secret_key_exists") naming the path when one is
  // there, since the secrets sealed under it would be lost. Other errors
  // name the file.
  static Status Create(const std::string& path, RandomSource* random);
  // For tests: a key from given bytes.
  static std::unique_ptr<SecretKey> FromBytes(const uint8_t (&bytes)[kSize]);

  ~SecretKey();
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;

  const uint8_t* bytes() const { return bytes_; }
  // 32 hex characters identifying the key without revealing it
  // (HMAC-SHA256 of a fixed label under the key, truncated).
  const std::string& fingerprint() const { return fingerprint_; }
  // A 32-byte subkey for `label` (HMAC-SHA256(key, label)), so each use
  // (meeting markers, say) has its own key. *out is wiped by the caller.
  void DeriveSubkey(const std::string& label, uint8_t (&out)[kSize]) const;

 private:
  explicit SecretKey(const uint8_t* bytes);

  uint8_t bytes_[kSize];
  std::string fingerprint_;
};

}  // namespace telemed

#endif  // TELEMED_SECRETS_SECRET_KEY_H_
