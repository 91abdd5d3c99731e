// TempDir: a fresh directory under /tmp for one test, removed with all its
// contents when the owner goes away.
#ifndef TELEMED_TESTS_SUPPORT_TEMP_DIR_H_
#define TELEMED_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace telemed {
namespace test {

class TempDir final {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(const std::string& name) const;

 private:
  std::string path_;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_TEMP_DIR_H_
