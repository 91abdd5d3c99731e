#include "sync/passcode.h"

#include <cctype>
#include <cstdint>

#include "base/random.h"

namespace telemed {

namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr unsigned kAlphabetSize = sizeof(kAlphabet) - 1;  // 62
constexpr size_t kLength = 10;

bool HasEveryClass(const std::string& code) {
  bool upper = false, lower = false, digit = false;
  for (unsigned char c : code) {
    upper |= std::isupper(c) != 0;
    lower |= std::islower(c) != 0;
    digit |= std::isdigit(c) != 0;
  }
  return upper && lower && digit;
}

}  // namespace

Status MakePasscode(RandomSource* random, std::string* out) {
  std::string code;
  while (code.size() < kLength || !HasEveryClass(code)) {
    if (code.size() >= kLength) code.clear();
    uint8_t bytes[16];
    Status s = random->Fill(bytes, sizeof(bytes));
    if (!s.ok()) return s;
    for (uint8_t byte : bytes) {
      // Rejection sampling: 248 = 4 * 62, so every character is equally
      // likely.
      if (byte < 4 * kAlphabetSize && code.size() < kLength) {
        code.push_back(kAlphabet[byte % kAlphabetSize]);
      }
    }
  }
  *out = code;
  return Status::OK();
}

}  // namespace telemed
