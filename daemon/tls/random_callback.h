// Lets mbedTLS draw random bytes from the bridge's RandomSource seam
// (base/random.h), so TLS and certificate generation share one CTR-DRBG
// instead of seeding their own.
#ifndef TELEMED_TLS_RANDOM_CALLBACK_H_
#define TELEMED_TLS_RANDOM_CALLBACK_H_

#include <mbedtls/ctr_drbg.h>

#include <cstddef>
#include <cstdint>

#include "base/random.h"

namespace telemed {
namespace tls {

// An mbedTLS f_rng: `random_source` is a RandomSource*. Thread-safe when
// the source is (RealRandom is).
inline int FillFromRandomSource(void* random_source, unsigned char* out,
                                size_t length) {
  auto* source = static_cast<RandomSource*>(random_source);
  if (source->Fill(reinterpret_cast<uint8_t*>(out), length).ok()) return 0;
  return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_RANDOM_CALLBACK_H_
