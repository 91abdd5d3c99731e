// password_hash_bench: how long one admin sign-in's password hash takes
// (PBKDF2-HMAC-SHA256 at the production count, secrets/password_hash.h),
// which is how long a sign-in holds the hashing thread. Prints a table.
//   usage: password_hash_bench [RUNS] [ITERATIONS]   (defaults 5, 600000)
// For the arm64 build (bench/run_admin.sh --arm64): qemu-aarch64-static -L /
// build-cross-arm64-bench/bench/password_hash_bench.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"
#include "secrets/password_hash.h"

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  const int iterations =
      argc > 2 ? std::atoi(argv[2]) : telemed::kPasswordHashIterations;
  std::unique_ptr<telemed::RandomSource> random;
  if (runs < 1 || iterations < 1 || !telemed::RealRandom::Open(&random).ok()) {
    std::fprintf(stderr, "usage: %s [RUNS >= 1] [ITERATIONS >= 1]\n", argv[0]);
    return 2;
  }
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    std::string hash;
    const auto start = std::chrono::steady_clock::now();
    telemed::Status s = telemed::HashPassword("correct horse battery",
                                              iterations, random.get(), &hash);
    const auto end = std::chrono::steady_clock::now();
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    ms.push_back(
        std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("| Measure | Result |\n|---|---|\n");
  std::printf(
      "| Admin password hash, PBKDF2-HMAC-SHA256 x %d (%d runs): min / "
      "median / max | %.0f / %.0f / %.0f ms |\n",
      iterations, runs, ms.front(), ms[ms.size() / 2], ms.back());
  return 0;
}
