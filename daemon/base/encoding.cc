#include "base/encoding.h"

#include <mbedtls/base64.h>
#include <mbedtls/sha256.h>

#include <vector>

namespace telemed {

std::string HexEncode(const uint8_t* data, size_t length) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (size_t i = 0; i < length; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0x0f]);
  }
  return out;
}

std::string Base64UrlEncode(const uint8_t* data, size_t length) {
  size_t needed = 0;
  mbedtls_base64_encode(nullptr, 0, &needed, data, length);
  std::vector<unsigned char> buffer(needed + 1);
  size_t written = 0;
  if (mbedtls_base64_encode(buffer.data(), buffer.size(), &written, data,
                            length) != 0) {
    return std::string();
  }
  std::string out(reinterpret_cast<const char*>(buffer.data()), written);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

bool Base64UrlDecode(const std::string& text, std::string* out) {
  // mbedTLS reads the standard alphabet: undo the substitution and put the
  // padding back; a '+', '/' or '=' in `text` itself is not base64url.
  if (text.size() % 4 == 1) return false;
  std::string standard = text;
  for (char& c : standard) {
    if (c == '+' || c == '/' || c == '=') return false;
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  standard.append((4 - standard.size() % 4) % 4, '=');
  const auto* in = reinterpret_cast<const unsigned char*>(standard.data());
  size_t needed = 0;
  if (mbedtls_base64_decode(nullptr, 0, &needed, in, standard.size()) ==
      MBEDTLS_ERR_BASE64_INVALID_CHARACTER) {
    return false;
  }
  std::vector<unsigned char> buffer(needed + 1);
  size_t written = 0;
  if (mbedtls_base64_decode(buffer.data(), buffer.size(), &written, in,
                            standard.size()) != 0) {
    return false;
  }
  out->assign(reinterpret_cast<const char*>(buffer.data()), written);
  return true;
}

std::string Sha256Hex(const std::string& data) {
  uint8_t digest[32];
  mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), digest, /*is224=*/0);
  return HexEncode(digest, sizeof(digest));
}

}  // namespace telemed
