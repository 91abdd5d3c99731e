#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

namespace telemed {

namespace {
const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kDebug: return "debug";
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "?";
}
}  // namespace

void Logger::LogV(Severity severity, const char* format, va_list args) {
  if (severity < MinSeverity()) return;
  char buffer[1024];
  int n = vsnprintf(buffer, sizeof(buffer), format, args);
  if (n < 0) return;
  std::string line(buffer, static_cast<size_t>(n) < sizeof(buffer)
                               ? static_cast<size_t>(n)
                               : sizeof(buffer) - 1);
  // One event is one line: fold embedded newlines so a message cannot forge
  // a second log entry.
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  Write(severity, line);
}

#define TELEMED_LOG_FORWARD(severity)  \
  va_list args;                        \
  va_start(args, format);              \
  LogV(severity, format, args);        \
  va_end(args)

void Logger::Log(Severity severity, const char* format, ...) {
  TELEMED_LOG_FORWARD(severity);
}
void Logger::Info(const char* format, ...) {
  TELEMED_LOG_FORWARD(Severity::kInfo);
}
void Logger::Warning(const char* format, ...) {
  TELEMED_LOG_FORWARD(Severity::kWarning);
}
void Logger::Error(const char* format, ...) {
  TELEMED_LOG_FORWARD(Severity::kError);
}
#undef TELEMED_LOG_FORWARD

StderrLogger::StderrLogger(Severity min_severity)
    : min_severity_(min_severity), is_terminal_(isatty(STDERR_FILENO) == 1) {}

void StderrLogger::Write(Severity severity, const std::string& line) {
  MutexLock lock(&mu_);
  if (!is_terminal_) {
    fprintf(stderr, "%s: %s\n", SeverityName(severity), line.c_str());
    return;
  }
  time_t now = time(nullptr);
  struct tm local;
  localtime_r(&now, &local);
  char stamp[32];
  strftime(stamp, sizeof(stamp), "%H:%M:%S", &local);
  const char* colour = severity >= Severity::kError     ? "\033[31m"
                       : severity == Severity::kWarning ? "\033[33m"
                                                        : "";
  fprintf(stderr, "%s %s%s%s: %s\n", stamp, colour, SeverityName(severity),
          *colour ? "\033[0m" : "", line.c_str());
}

std::vector<std::string> CapturingLogger::Lines() const {
  MutexLock lock(&mu_);
  return lines_;
}

bool CapturingLogger::Contains(const std::string& needle) const {
  MutexLock lock(&mu_);
  for (const std::string& line : lines_) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

void CapturingLogger::Write(Severity severity, const std::string& line) {
  MutexLock lock(&mu_);
  lines_.push_back(std::string(SeverityName(severity)) + ": " + line);
}

}  // namespace telemed
