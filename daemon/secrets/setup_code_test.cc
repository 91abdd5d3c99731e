#include "secrets/setup_code.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <set>
#include <string>

#include "base/random.h"

namespace telemed {

TEST_GROUP(SetupCode) {
  std::unique_ptr<RandomSource> random;
  void setup() override { CHECK_TRUE(RealRandom::Open(&random).ok()); }
  std::string Make() {
    std::string code;
    CHECK_TRUE(MakeSetupCode(random.get(), &code).ok());
    return code;
  }
};

TEST(SetupCode, IsFourGroupsOfFourWithoutLookAlikes) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string code = Make();
    LONGS_EQUAL(19, code.size());
    for (size_t j = 0; j < code.size(); ++j) {
      if (j % 5 == 4) {
        LONGS_EQUAL('-', code[j]);
        continue;
      }
      CHECK(std::string("0O1IL").find(code[j]) == std::string::npos);
      CHECK((code[j] >= 'A' && code[j] <= 'Z') ||
            (code[j] >= '2' && code[j] <= '9'));
    }
    seen.insert(code);
  }
  LONGS_EQUAL(200, seen.size());
}

TEST(SetupCode, DigestIgnoresCaseSpacesAndDashes) {
  std::string code = Make();
  std::string digest = SetupCodeDigest(code);
  LONGS_EQUAL(64, digest.size());
  std::string typed;
  for (char c : code) {
    if (c == '-') {
      typed += "  ";
    } else {
      typed.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
  }
  STRCMP_EQUAL(digest.c_str(), SetupCodeDigest(typed).c_str());
  CHECK(digest != SetupCodeDigest(Make()));
}

TEST(SetupCode, WhatCannotBeACodeHasNoDigest) {
  STRCMP_EQUAL("", SetupCodeDigest("").c_str());
  STRCMP_EQUAL("", SetupCodeDigest("ABCD-EFGH-JKMN").c_str());
  STRCMP_EQUAL("", SetupCodeDigest("ABCD-EFGH-JKMN-PQR0").c_str());
  STRCMP_EQUAL("", SetupCodeDigest("ABCD-EFGH-JKMN-PQRSX").c_str());
  STRCMP_EQUAL(
      "", SetupCodeDigest(std::string("ABCD-EFGH-JKMN-PQR\0", 19)).c_str());
}

}  // namespace telemed
