#include "secrets/setup_code.h"

#include <cstring>

#include "base/encoding.h"
#include "base/random.h"

namespace telemed {

namespace {

// 31 characters: A-Z and 2-9 without I, L, O.
constexpr char kAlphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
constexpr size_t kAlphabetSize = sizeof(kAlphabet) - 1;
constexpr size_t kCodeLength = 16;
constexpr size_t kGroupLength = 4;
// Bytes at or above this are redrawn, so every character is equally likely.
constexpr unsigned kUnbiasedLimit = 256 - 256 % kAlphabetSize;

char Upper(char c) { return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c; }

}  // namespace

Status MakeSetupCode(RandomSource* random, std::string* code) {
  std::string plain;
  while (plain.size() < kCodeLength) {
    uint8_t bytes[32];
    Status s = random->Fill(bytes, sizeof(bytes));
    if (!s.ok()) return s;
    for (uint8_t b : bytes) {
      if (b < kUnbiasedLimit && plain.size() < kCodeLength) {
        plain.push_back(kAlphabet[b % kAlphabetSize]);
      }
    }
  }
  code->clear();
  for (size_t i = 0; i < kCodeLength; i += kGroupLength) {
    if (!code->empty()) code->push_back('-');
    code->append(plain, i, kGroupLength);
  }
  return Status::OK();
}

std::string SetupCodeDigest(const std::string& typed) {
  std::string plain;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    c = Upper(c);
    if (c == '\0' || std::strchr(kAlphabet, c) == nullptr) return "";
    plain.push_back(c);
  }
  if (plain.size() != kCodeLength) return "";
  return Sha256Hex(plain);
}

}  // namespace telemed
