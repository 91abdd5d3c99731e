// Byte encodings and digests built on mbedTLS (base64, SHA-256): hex,
// base64url without padding, and SHA-256.
#ifndef TELEMED_BASE_ENCODING_H_
#define TELEMED_BASE_ENCODING_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace telemed {

// Lower-case hex of data[0..length).
std::string HexEncode(const uint8_t* data, size_t length);

// RFC 4648 section 5 alphabet, no '=' padding (mbedTLS's base64 with the
// two-character substitution).
std::string Base64UrlEncode(const uint8_t* data, size_t length);
// The bytes of base64url `text` as Base64UrlEncode writes it (no padding,
// no '+' '/' '=' or white space); false for any other text.
bool Base64UrlDecode(const std::string& text, std::string* out);

// Lower-case hex of SHA-256(data).
std::string Sha256Hex(const std::string& data);

}  // namespace telemed

#endif  // TELEMED_BASE_ENCODING_H_
