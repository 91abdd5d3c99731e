#include "base/log.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace telemed {

TEST_GROUP(LogFormat){};

TEST(LogFormat, APipeOrFileSeesTheLevelInWords) {
  STRCMP_EQUAL(
      "error: disk full",
      FormatLogLine(LogSink::kPlain, Severity::kError, "disk full", 0).c_str());
  STRCMP_EQUAL(
      "info: listening",
      FormatLogLine(LogSink::kPlain, Severity::kInfo, "listening", 0).c_str());
}

TEST(LogFormat, TheJournalGetsItsPriorityPrefixToo) {
  STRCMP_EQUAL(
      "<3>error: x",
      FormatLogLine(LogSink::kJournal, Severity::kError, "x", 0).c_str());
  STRCMP_EQUAL(
      "<4>warning: x",
      FormatLogLine(LogSink::kJournal, Severity::kWarning, "x", 0).c_str());
  STRCMP_EQUAL(
      "<6>info: x",
      FormatLogLine(LogSink::kJournal, Severity::kInfo, "x", 0).c_str());
  STRCMP_EQUAL(
      "<7>debug: x",
      FormatLogLine(LogSink::kJournal, Severity::kDebug, "x", 0).c_str());
}

TEST(LogFormat, ATerminalGetsATimeAndTheLevel) {
  std::string line =
      FormatLogLine(LogSink::kTerminal, Severity::kWarning, "slow", 0);
  STRCMP_CONTAINS("warning", line.c_str());
  STRCMP_CONTAINS(": slow", line.c_str());
  LONGS_EQUAL(':', line[2]);  // HH:MM:SS first
}

}  // namespace telemed
