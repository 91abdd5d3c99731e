#include "support/temp_dir.h"

#include <ftw.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>

namespace telemed {
namespace test {

namespace {
int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  return remove(path);
}
}  // namespace

TempDir::TempDir() {
  char pattern[] = "/tmp/telemed-test-XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    perror("mkdtemp");
    abort();
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  nftw(path_.c_str(), RemoveEntry, 16, FTW_DEPTH | FTW_PHYS);
}

std::string TempDir::File(const std::string& name) const {
  return path_ + "/" + name;
}

}  // namespace test
}  // namespace telemed
