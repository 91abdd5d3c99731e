#include "proc_stat.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace telemed {
namespace bench {

double CpuMs(pid_t pid) {
  FILE* file =
      std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (file == nullptr) return -1;
  char text[1024] = {};
  const size_t length = std::fread(text, 1, sizeof(text) - 1, file);
  std::fclose(file);
  text[length] = '\0';
  // Fields 14 and 15 (utime, stime) follow the ")" that ends the name,
  // which may itself hold spaces.
  const char* after_name = std::strrchr(text, ')');
  unsigned long long utime = 0, stime = 0;
  if (after_name == nullptr ||
      std::sscanf(after_name + 2,
                  "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                  &utime, &stime) != 2) {
    return -1;
  }
  return static_cast<double>(utime + stime) * 1000 / sysconf(_SC_CLK_TCK);
}

int OpenDescriptors(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/fd";
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return -1;
  int count = 0;
  while (readdir(dir) != nullptr) ++count;
  closedir(dir);
  return count - 2;  // "." and ".."
}

}  // namespace bench
}  // namespace telemed
