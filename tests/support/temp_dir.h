// TempDir: a fresh directory under $TMPDIR (or /tmp) that is removed with
// everything in it when the object goes away.
#ifndef TELEMED_TESTS_SUPPORT_TEMP_DIR_H_
#define TELEMED_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace telemed {
namespace test {

class TempDir final {
 public:
  // Creates the directory (mode 0700); aborts the test binary if it cannot,
  // since no test could run without it.
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Join(const std::string& name) const;

 private:
  std::string path_;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_TEMP_DIR_H_
