#include "base/encoding.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace telemed {

TEST_GROUP(Encoding){};

static std::string Encode(const std::string& bytes) {
  return Base64UrlEncode(reinterpret_cast<const uint8_t*>(bytes.data()),
                         bytes.size());
}

TEST(Encoding, Base64UrlRoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    std::string decoded = "x";
    CHECK_TRUE(Base64UrlDecode(Encode(bytes), &decoded));
    CHECK(decoded == bytes);
    bytes.push_back(static_cast<char>(0xfb - i * 7));
  }
  STRCMP_EQUAL("-_8", Encode("\xfb\xff").c_str());
}

TEST(Encoding, Base64UrlDecodeRefusesOtherText) {
  std::string out;
  CHECK_FALSE(Base64UrlDecode("+/8", &out));   // the standard alphabet
  CHECK_FALSE(Base64UrlDecode("-_8=", &out));  // padding
  CHECK_FALSE(Base64UrlDecode("a", &out));     // no whole byte
  CHECK_FALSE(Base64UrlDecode("ab c", &out));
  CHECK_FALSE(Base64UrlDecode("ab!c", &out));
  CHECK_TRUE(Base64UrlDecode("", &out));
  CHECK_TRUE(out.empty());
}

}  // namespace telemed
