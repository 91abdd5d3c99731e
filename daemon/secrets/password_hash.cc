#include "secrets/password_hash.h"

#include <mbedtls/base64.h>
// mbedTLS 2.28's constant_time.h lacks the extern "C" its other headers have.
extern "C" {
#include <mbedtls/constant_time.h>
}
#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/platform_util.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "base/random.h"
#include "base/text.h"

namespace telemed {

namespace {

constexpr char kScheme[] = "pbkdf2-sha256";
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
// Well above any count we would ever store; bounds the work a corrupt row
// could ask for.
constexpr long kMaxIterations = 100000000;

// Owns an mbedTLS message-digest context set up for HMAC.
class HmacContext final {
 public:
  HmacContext() { mbedtls_md_init(&ctx_); }
  ~HmacContext() { mbedtls_md_free(&ctx_); }
  HmacContext(const HmacContext&) = delete;
  HmacContext& operator=(const HmacContext&) = delete;
  // PBKDF2 needs the HMAC variant: 0 as the last argument fails later with
  // MBEDTLS_ERR_MD_BAD_INPUT_DATA.
  Status Setup() {
    return MbedtlsStatus(
        mbedtls_md_setup(&ctx_, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
                         /*hmac=*/1),
        "mbedtls_md_setup");
  }
  mbedtls_md_context_t* get() { return &ctx_; }

 private:
  mbedtls_md_context_t ctx_;
};

std::string Base64(const std::string& bytes) {
  size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  mbedtls_base64_encode(nullptr, 0, &length, data, bytes.size());
  std::string out(length, '\0');
  mbedtls_base64_encode(reinterpret_cast<unsigned char*>(&out[0]), length,
                        &length, data, bytes.size());
  out.resize(length);  // the reported length counts the terminating NUL
  return out;
}

bool FromBase64(const std::string& text, std::string* out) {
  size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  int ret = mbedtls_base64_decode(nullptr, 0, &length, data, text.size());
  if (ret != 0 && ret != MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL) return false;
  out->assign(length, '\0');
  if (length == 0) return false;
  ret = mbedtls_base64_decode(reinterpret_cast<unsigned char*>(&(*out)[0]),
                              length, &length, data, text.size());
  out->resize(length);
  return ret == 0;
}

std::vector<std::string> SplitDollar(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find('$', start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

Status BadHash() {
  return Status::Corruption("bad_password_hash",
                            "the stored admin password hash is malformed");
}

// Reads the format of the header; *iterations within 1..kMaxIterations.
Status ParseStored(const std::string& stored, int* iterations,
                   std::string* salt, std::string* hash) {
  std::vector<std::string> parts = SplitDollar(stored);
  if (parts.size() != 4 || parts[0] != kScheme || parts[1].empty() ||
      parts[1].size() > 9 ||
      parts[1].find_first_not_of("0123456789") != std::string::npos) {
    return BadHash();
  }
  long count = std::strtol(parts[1].c_str(), nullptr, 10);
  if (count < 1 || count > kMaxIterations || !FromBase64(parts[2], salt) ||
      !FromBase64(parts[3], hash) || hash->size() != kHashBytes) {
    return BadHash();
  }
  *iterations = static_cast<int>(count);
  return Status::OK();
}

}  // namespace

Status Pbkdf2Sha256(const std::string& password, const std::string& salt,
                    int iterations, size_t length, std::string* out) {
  if (iterations < 1 || length == 0) {
    return Status::InvalidArgument("invalid_argument",
                                   "PBKDF2 needs iterations >= 1, length > 0");
  }
  HmacContext hmac;
  Status s = hmac.Setup();
  if (!s.ok()) return s;
  out->assign(length, '\0');
  return MbedtlsStatus(
      mbedtls_pkcs5_pbkdf2_hmac(
          hmac.get(), reinterpret_cast<const unsigned char*>(password.data()),
          password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
          salt.size(), static_cast<unsigned int>(iterations),
          static_cast<uint32_t>(length),
          reinterpret_cast<unsigned char*>(&(*out)[0])),
      "mbedtls_pkcs5_pbkdf2_hmac");
}

Status HashPassword(const std::string& password, int iterations,
                    RandomSource* random, std::string* out) {
  std::string salt(kSaltBytes, '\0');
  Status s = random->Fill(reinterpret_cast<uint8_t*>(&salt[0]), salt.size());
  std::string hash;
  if (s.ok()) s = Pbkdf2Sha256(password, salt, iterations, kHashBytes, &hash);
  if (!s.ok()) return s;
  *out = std::string(kScheme) + "$" + std::to_string(iterations) + "$" +
         Base64(salt) + "$" + Base64(hash);
  return Status::OK();
}

Status VerifyPassword(const std::string& password, const std::string& stored,
                      bool* matches) {
  *matches = false;
  int iterations = 0;
  std::string salt;
  std::string want;
  Status s = ParseStored(stored, &iterations, &salt, &want);
  std::string got;
  if (s.ok()) s = Pbkdf2Sha256(password, salt, iterations, want.size(), &got);
  if (!s.ok()) return s;
  *matches = ConstantTimeEquals(got, want);
  mbedtls_platform_zeroize(&got[0], got.size());
  return Status::OK();
}

Status CheckNewPassword(const std::string& password, const std::string& field) {
  size_t chars = 0;
  if (password.size() > kMaxPasswordBytes) {
    return Status::Validation("field_too_long", "the password is too long",
                              field);
  }
  if (!IsCleanUtf8(password, &chars) || HasControlCharacter(password)) {
    return Status::InvalidArgument(
        "invalid_field", "the password holds control characters or bad UTF-8",
        field);
  }
  if (chars < kMinPasswordChars) {
    return Status::Validation("password_too_short",
                              "the password needs at least 12 characters",
                              field);
  }
  return Status::OK();
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         mbedtls_ct_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace telemed
