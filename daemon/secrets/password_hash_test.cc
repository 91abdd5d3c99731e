#include "secrets/password_hash.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "base/encoding.h"
#include "base/random.h"

namespace telemed {

namespace {

std::string Pbkdf2Hex(const std::string& password, const std::string& salt,
                      int iterations, size_t length) {
  std::string out;
  CHECK_TRUE(Pbkdf2Sha256(password, salt, iterations, length, &out).ok());
  return HexEncode(reinterpret_cast<const uint8_t*>(out.data()), out.size());
}

}  // namespace

TEST_GROUP(PasswordHash) {
  std::unique_ptr<RandomSource> random;
  void setup() override { CHECK_TRUE(RealRandom::Open(&random).ok()); }

  std::string Hash(const std::string& password, int iterations = 10) {
    std::string stored;
    CHECK_TRUE(HashPassword(password, iterations, random.get(), &stored).ok());
    return stored;
  }
  bool Matches(const std::string& password, const std::string& stored) {
    bool matches = true;
    CHECK_TRUE(VerifyPassword(password, stored, &matches).ok());
    return matches;
  }
};

// RFC 7914 section 11, the PBKDF2-HMAC-SHA256 test vectors.
TEST(PasswordHash, Pbkdf2MatchesRfc7914Vectors) {
  STRCMP_EQUAL(
      "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
      "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
      Pbkdf2Hex("passwd", "salt", 1, 64).c_str());
  STRCMP_EQUAL(
      "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
      "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
      Pbkdf2Hex("Password", "NaCl", 80000, 64).c_str());
}

TEST(PasswordHash, StoredTextNamesSchemeCountSaltAndHash) {
  std::string stored = Hash("correct horse battery", 1234);
  STRCMP_EQUAL("pbkdf2-sha256$1234$", stored.substr(0, 19).c_str());
  // 16 bytes of salt and 32 of hash in padded base64.
  LONGS_EQUAL(19 + 24 + 1 + 44, stored.size());
  CHECK(stored.find("correct") == std::string::npos);
}

TEST(PasswordHash, RoundTripsAndRejectsOtherPasswords) {
  std::string stored = Hash("correct horse battery");
  CHECK_TRUE(Matches("correct horse battery", stored));
  CHECK_FALSE(Matches("correct horse batterY", stored));
  CHECK_FALSE(Matches("", stored));
}

TEST(PasswordHash, EachHashHasItsOwnSalt) {
  CHECK(Hash("same password!") != Hash("same password!"));
}

TEST(PasswordHash, VerifiesWithTheCountStoredNotTheCurrentOne) {
  // A hash made before a raise of the count still verifies, and the
  // count is part of what is checked.
  std::string stored = Hash("older password", 3);
  CHECK_TRUE(Matches("older password", stored));
  std::string recounted = stored;
  recounted.replace(recounted.find("$3$"), 3, "$4$");
  CHECK_FALSE(Matches("older password", recounted));
}

TEST(PasswordHash, MalformedStoredTextIsCorruption) {
  const char* bad[] = {
      "", "pbkdf2-sha256$10$c2FsdA==", "md5$10$c2FsdA==$c2FsdA==",
      "pbkdf2-sha256$0$c2FsdA==$c2FsdA==", "pbkdf2-sha256$-5$c2FsdA==$c2FsdA==",
      "pbkdf2-sha256$999999999999$c2FsdA==$c2FsdA==",
      "pbkdf2-sha256$10$!!$c2FsdA==",
      // A hash that is not 32 bytes.
      "pbkdf2-sha256$10$c2FsdA==$c2FsdA=="};
  for (const char* stored : bad) {
    bool matches = true;
    Status s = VerifyPassword("x", stored, &matches);
    STRCMP_EQUAL("bad_password_hash", s.reason().c_str());
    CHECK_FALSE(matches);
  }
}

TEST(PasswordHash, ConstantTimeEqualsComparesWholeStrings) {
  CHECK_TRUE(ConstantTimeEquals("token", "token"));
  CHECK_FALSE(ConstantTimeEquals("token", "tokeN"));
  CHECK_FALSE(ConstantTimeEquals("token", "token2"));
  CHECK_TRUE(ConstantTimeEquals("", ""));
}

TEST(PasswordHash, NewPasswordsNeedTwelveCharactersOfCleanText) {
  CHECK_TRUE(CheckNewPassword("twelve chars", "p").ok());
  // Twelve characters, more bytes.
  CHECK_TRUE(
      CheckNewPassword("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
                       "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4",
                       "p")
          .ok());
  Status s = CheckNewPassword("eleven char", "new_password");
  STRCMP_EQUAL("password_too_short", s.reason().c_str());
  STRCMP_EQUAL("new_password", s.field().c_str());
  STRCMP_EQUAL("field_too_long",
               CheckNewPassword(std::string(4097, 'x'), "p").reason().c_str());
  STRCMP_EQUAL("invalid_field",
               CheckNewPassword("twelve chars\n", "p").reason().c_str());
  STRCMP_EQUAL("invalid_field",
               CheckNewPassword("twelve chars\xff", "p").reason().c_str());
}

TEST(PasswordHash, ProductionCountIsSixHundredThousand) {
  LONGS_EQUAL(600000, kPasswordHashIterations);
}

}  // namespace telemed
