#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>

#include <string>

#include "base/mutex.h"
#include "base/random.h"

namespace telemed {

Status MbedtlsStatus(int ret, const char* what) {
  if (ret == 0) return Status::OK();
  char text[160];
  mbedtls_strerror(ret, text, sizeof(text));
  return Status::Internal("crypto_failed",
                          std::string(what) + " failed: " + text);
}

struct RealRandom::Impl {
  Impl() {
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
  }
  ~Impl() {
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  mbedtls_entropy_context entropy;
  // Debian builds mbedTLS with MBEDTLS_THREADING_C, so the DRBG carries its
  // own mutex; ours also serialises reseeds with our own bookkeeping.
  Mutex mu;
  mbedtls_ctr_drbg_context drbg GUARDED_BY(mu);
};

RealRandom::RealRandom(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RealRandom::~RealRandom() = default;

Status RealRandom::Open(std::unique_ptr<RandomSource>* out) {
  auto impl = std::make_unique<Impl>();
  static const char kPersonalisation[] = "telemed-bridge";
  int ret;
  {
    MutexLock lock(&impl->mu);
    ret = mbedtls_ctr_drbg_seed(
        &impl->drbg, mbedtls_entropy_func, &impl->entropy,
        reinterpret_cast<const unsigned char*>(kPersonalisation),
        sizeof(kPersonalisation) - 1);
  }
  if (ret != 0) return MbedtlsStatus(ret, "seeding the random generator");
  out->reset(new RealRandom(std::move(impl)));
  return Status::OK();
}

Status RealRandom::Fill(uint8_t* out, size_t length) {
  MutexLock lock(&impl_->mu);
  while (length > 0) {
    // One call returns at most MBEDTLS_CTR_DRBG_MAX_REQUEST bytes.
    size_t chunk = length < MBEDTLS_CTR_DRBG_MAX_REQUEST
                       ? length
                       : MBEDTLS_CTR_DRBG_MAX_REQUEST;
    int ret = mbedtls_ctr_drbg_random(&impl_->drbg, out, chunk);
    if (ret != 0) return MbedtlsStatus(ret, "drawing random bytes");
    out += chunk;
    length -= chunk;
  }
  return Status::OK();
}

}  // namespace telemed
