#include "secrets/secret_box.h"

#include <mbedtls/gcm.h>
#include <mbedtls/platform_util.h>

#include "base/random.h"
#include "secrets/secret_key.h"

namespace telemed {

namespace {

constexpr unsigned char kVersion = 0x01;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr size_t kOverhead = 1 + kNonceSize + kTagSize;

// Owns one GCM context keyed with the bridge's key.
class GcmContext final {
 public:
  GcmContext() { mbedtls_gcm_init(&ctx_); }
  ~GcmContext() { mbedtls_gcm_free(&ctx_); }
  GcmContext(const GcmContext&) = delete;
  GcmContext& operator=(const GcmContext&) = delete;

  Status SetKey(const SecretKey& key) {
    return MbedtlsStatus(mbedtls_gcm_setkey(&ctx_, MBEDTLS_CIPHER_ID_AES,
                                            key.bytes(), SecretKey::kSize * 8),
                         "setting the AES-GCM key");
  }
  mbedtls_gcm_context* get() { return &ctx_; }

 private:
  mbedtls_gcm_context ctx_;
};

const unsigned char* Bytes(const std::string& text, size_t offset = 0) {
  return reinterpret_cast<const unsigned char*>(text.data()) + offset;
}

unsigned char* MutableBytes(std::string* text, size_t offset = 0) {
  return reinterpret_cast<unsigned char*>(&(*text)[0]) + offset;
}

Status Undecryptable(const std::string& purpose) {
  return Status::Corruption(
      "secret_undecryptable",
      "the stored " + purpose +
          " cannot be decrypted with this key (wrong key file, or damaged)");
}

}  // namespace

Status SecretBox::Seal(const std::string& purpose, const std::string& plaintext,
                       std::string* sealed) const {
  std::string out(kOverhead + plaintext.size(), '\0');
  out[0] = static_cast<char>(kVersion);
  unsigned char* nonce = MutableBytes(&out, 1);
  Status s = random_->Fill(nonce, kNonceSize);
  GcmContext gcm;
  if (s.ok()) s = gcm.SetKey(*key_);
  if (!s.ok()) return s;
  unsigned char* tag = MutableBytes(&out, out.size() - kTagSize);
  int ret = mbedtls_gcm_crypt_and_tag(
      gcm.get(), MBEDTLS_GCM_ENCRYPT, plaintext.size(), nonce, kNonceSize,
      Bytes(purpose), purpose.size(), Bytes(plaintext),
      MutableBytes(&out, 1 + kNonceSize), kTagSize, tag);
  if (ret != 0) return MbedtlsStatus(ret, "encrypting a secret");
  *sealed = std::move(out);
  return Status::OK();
}

Status SecretBox::Open(const std::string& purpose, const std::string& sealed,
                       std::string* plaintext) const {
  if (sealed.size() < kOverhead ||
      static_cast<unsigned char>(sealed[0]) != kVersion) {
    return Undecryptable(purpose);
  }
  const size_t length = sealed.size() - kOverhead;
  std::string out(length, '\0');
  GcmContext gcm;
  Status s = gcm.SetKey(*key_);
  if (!s.ok()) return s;
  int ret = mbedtls_gcm_auth_decrypt(
      gcm.get(), length, Bytes(sealed, 1), kNonceSize, Bytes(purpose),
      purpose.size(), Bytes(sealed, sealed.size() - kTagSize), kTagSize,
      Bytes(sealed, 1 + kNonceSize), MutableBytes(&out));
  if (ret != 0) {
    WipeString(&out);
    return Undecryptable(purpose);
  }
  WipeString(plaintext);
  *plaintext = std::move(out);
  return Status::OK();
}

void WipeString(std::string* text) {
  if (!text->empty()) mbedtls_platform_zeroize(&(*text)[0], text->size());
  text->clear();
}

}  // namespace telemed
