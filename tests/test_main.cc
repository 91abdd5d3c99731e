// Entry point of every CppUTest binary.
#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/MemoryLeakWarningPlugin.h>

#include <cstdlib>

int main(int argc, char** argv) {
  // CppUTest's leak detector replaces global new/delete, which hides ASan's
  // reports and counts worker-thread memory as leaks; LeakSanitizer does the
  // leak checking instead.
  MemoryLeakWarningPlugin::turnOffNewDeleteOverloads();
  return CommandLineTestRunner::RunAllTests(argc, argv);
}
