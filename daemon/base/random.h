// RandomSource: the seam for randomness (API keys now; passcodes, jitter
// and nonces later). The real one is mbedTLS's CTR-DRBG seeded from the
// kernel's entropy; tests may inject a deterministic one.
#ifndef TELEMED_BASE_RANDOM_H_
#define TELEMED_BASE_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/status.h"

namespace telemed {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills out[0..length) with random bytes. Thread-safe.
  virtual Status Fill(uint8_t* out, size_t length) = 0;
};

// CTR-DRBG (AES-256) seeded from mbedTLS's default entropy sources.
class RealRandom final : public RandomSource {
 public:
  static Status Open(std::unique_ptr<RandomSource>* out);
  ~RealRandom() override;
  Status Fill(uint8_t* out, size_t length) override;

 private:
  struct Impl;
  explicit RealRandom(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Turns an mbedTLS error code into a Status naming `what` failed.
Status MbedtlsStatus(int ret, const char* what);

}  // namespace telemed

#endif  // TELEMED_BASE_RANDOM_H_
