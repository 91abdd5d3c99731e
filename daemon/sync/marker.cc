#include "sync/marker.h"

#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

#include "base/encoding.h"
#include "secrets/secret_key.h"

namespace telemed {

MarkerMaker::MarkerMaker(const SecretKey& key) {
  key.DeriveSubkey("telemed-bridge meeting marker v1", subkey_);
}

MarkerMaker::~MarkerMaker() {
  mbedtls_platform_zeroize(subkey_, sizeof(subkey_));
}

std::string MarkerMaker::Marker(const std::string& appointment_id,
                                int64_t generation) const {
  const std::string message = appointment_id + ":" + std::to_string(generation);
  uint8_t digest[32];
  mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), subkey_,
                  sizeof(subkey_),
                  reinterpret_cast<const unsigned char*>(message.data()),
                  message.size(), digest);
  return "[tb:" + HexEncode(digest, 5) + "]";
}

bool MarkerMaker::AgendaCarries(const std::string& agenda,
                                const std::string& marker) {
  return agenda.compare(0, marker.size(), marker) == 0;
}

}  // namespace telemed
