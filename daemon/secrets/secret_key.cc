#include "secrets/secret_key.h"

#include <errno.h>
#include <fcntl.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "base/encoding.h"
#include "base/random.h"

namespace telemed {

namespace {

constexpr char kFingerprintLabel[] = "telemed-bridge key fingerprint v1";

void HmacSha256(const uint8_t* key, const std::string& message,
                uint8_t (&out)[SecretKey::kSize]) {
  mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key,
                  SecretKey::kSize,
                  reinterpret_cast<const unsigned char*>(message.data()),
                  message.size(), out);
}

Status FileError(const std::string& what, const std::string& path) {
  return Status::IoError("secret_key_unreadable",
                         what + " " + path + ": " + strerror(errno));
}

// Reads exactly kSize bytes; a file of any other size is refused, since a
// truncated or padded key would silently become a different key.
Status ReadKeyFile(const std::string& path, uint8_t (&key)[SecretKey::kSize]) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError("cannot open the key file", path);
  struct stat info;
  Status s;
  if (fstat(fd, &info) != 0) {
    s = FileError("cannot stat the key file", path);
  } else if (info.st_size != static_cast<off_t>(SecretKey::kSize)) {
    s = Status::Validation("secret_key_invalid",
                           "the key file " + path +
                               " must hold exactly 32 bytes, it holds " +
                               std::to_string(info.st_size));
  } else if (read(fd, key, SecretKey::kSize) !=
             static_cast<ssize_t>(SecretKey::kSize)) {
    s = FileError("cannot read the key file", path);
  }
  close(fd);
  return s;
}

Status WriteAll(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::IoError("secret_key_write", strerror(errno));
    data += n;
    size -= static_cast<size_t>(n);
  }
  return Status::OK();
}

// Writes a fresh key to a temp file, fsyncs it, and links it into place.
// link(2) fails with EEXIST when the file is there already (another process
// won the race): *existed says so, and the file is left as it was.
Status CreateKeyFile(const std::string& path, RandomSource* random,
                     bool* existed) {
  *existed = false;
  uint8_t key[SecretKey::kSize];
  Status s = random->Fill(key, sizeof(key));
  if (!s.ok()) return s;
  std::string temp = path + ".tmp." + std::to_string(getpid());
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    mbedtls_platform_zeroize(key, sizeof(key));
    return FileError("cannot create the key file", temp);
  }
  s = WriteAll(fd, key, sizeof(key));
  mbedtls_platform_zeroize(key, sizeof(key));
  if (s.ok() && fsync(fd) != 0) s = FileError("cannot sync", temp);
  close(fd);
  if (s.ok() && link(temp.c_str(), path.c_str()) != 0) {
    *existed = errno == EEXIST;
    if (!*existed) s = FileError("cannot install the key file", path);
  }
  unlink(temp.c_str());
  return s;
}

// The key's own directory (/etc/telemed-bridge) holds nothing but root's
// key, so it is made 0700 when missing; deeper missing parents are an error.
Status MakeKeyDirectory(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return Status::OK();
  std::string dir = path.substr(0, slash);
  if (mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) return Status::OK();
  return FileError("cannot create the key's directory", dir);
}

}  // namespace

KeyLocation ResolveKeyPath(const std::string& flag_path,
                           const char* env_key_file,
                           const char* credentials_dir,
                           const std::string& default_key_file,
                           const std::string& data_dir) {
  if (!flag_path.empty()) return {flag_path, false};
  if (env_key_file != nullptr && *env_key_file != '\0') {
    return {env_key_file, false};
  }
  if (credentials_dir != nullptr && *credentials_dir != '\0') {
    return {std::string(credentials_dir) + "/telemed-bridge.key", false};
  }
  if (!default_key_file.empty()) return {default_key_file, false};
  return {data_dir + "/secret.key", true};
}

Status SecretKey::Load(const KeyLocation& location, RandomSource* random,
                       std::unique_ptr<SecretKey>* out) {
  if (location.create_if_missing && access(location.path.c_str(), F_OK) != 0) {
    bool existed = false;
    Status s = CreateKeyFile(location.path, random, &existed);
    if (!s.ok()) return s;
  }
  uint8_t key[kSize];
  Status s = ReadKeyFile(location.path, key);
  if (s.ok()) out->reset(new SecretKey(key));
  mbedtls_platform_zeroize(key, sizeof(key));
  return s;
}

Status SecretKey::Create(const std::string& path, RandomSource* random) {
  bool existed = false;
  Status s = MakeKeyDirectory(path);
  if (s.ok()) s = CreateKeyFile(path, random, &existed);
  if (s.ok() && existed) {
    return Status::AlreadyExists(
        "secret_key_exists",
        "the key file " + path +
            " exists already and is kept: the Zoom secrets sealed under it "
            "would be lost with it");
  }
  return s;
}

std::unique_ptr<SecretKey> SecretKey::FromBytes(const uint8_t (&bytes)[kSize]) {
  return std::unique_ptr<SecretKey>(new SecretKey(bytes));
}

SecretKey::SecretKey(const uint8_t* bytes) {
  memcpy(bytes_, bytes, kSize);
  uint8_t digest[kSize];
  HmacSha256(bytes_, kFingerprintLabel, digest);
  fingerprint_ = HexEncode(digest, 16);
  mbedtls_platform_zeroize(digest, sizeof(digest));
}

SecretKey::~SecretKey() { mbedtls_platform_zeroize(bytes_, sizeof(bytes_)); }

void SecretKey::DeriveSubkey(const std::string& label,
                             uint8_t (&out)[kSize]) const {
  HmacSha256(bytes_, label, out);
}

}  // namespace telemed
