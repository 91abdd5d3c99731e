#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <string>

namespace telemed {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kDebug:
      return "debug";
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "?";
}

namespace {

// syslog(3)'s levels, which sd-daemon(3) prefixes carry.
int SyslogPriority(Severity severity) {
  switch (severity) {
    case Severity::kDebug:
      return 7;
    case Severity::kInfo:
      return 6;
    case Severity::kWarning:
      return 4;
    case Severity::kError:
      return 3;
  }
  return 6;
}

// systemd sets JOURNAL_STREAM to "DEVICE:INODE" of the journal's socket;
// it is ours only if stderr is still that socket (not redirected since).
bool StderrIsJournal() {
  const char* stream = getenv("JOURNAL_STREAM");
  unsigned long long device = 0, inode = 0;
  if (stream == nullptr || sscanf(stream, "%llu:%llu", &device, &inode) != 2) {
    return false;
  }
  struct stat st;
  return fstat(STDERR_FILENO, &st) == 0 && st.st_dev == device &&
         st.st_ino == inode;
}

LogSink StderrSink() {
  if (StderrIsJournal()) return LogSink::kJournal;
  return isatty(STDERR_FILENO) == 1 ? LogSink::kTerminal : LogSink::kPlain;
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

#define TELEMED_LOG_FORWARD(severity) \
  va_list args;                       \
  va_start(args, format);             \
  LogV(severity, format, args);       \
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

std::string FormatLogLine(LogSink sink, Severity severity,
                          const std::string& text, time_t now) {
  std::string level = SeverityName(severity);
  switch (sink) {
    case LogSink::kPlain:
      return level + ": " + text;
    case LogSink::kJournal:
      return "<" + std::to_string(SyslogPriority(severity)) + ">" + level +
             ": " + text;
    case LogSink::kTerminal:
      break;
  }
  struct tm local;
  localtime_r(&now, &local);
  char stamp[32];
  strftime(stamp, sizeof(stamp), "%H:%M:%S", &local);
  const char* colour = severity >= Severity::kError     ? "\033[31m"
                       : severity == Severity::kWarning ? "\033[33m"
                                                        : "";
  return std::string(stamp) + " " + colour + level +
         (*colour ? "\033[0m" : "") + ": " + text;
}

StderrLogger::StderrLogger(Severity min_severity)
    : min_severity_(min_severity), sink_(StderrSink()) {}

void StderrLogger::Write(Severity severity, const std::string& line) {
  std::string formatted = FormatLogLine(sink_, severity, line, time(nullptr));
  MutexLock lock(&mu_);
  fprintf(stderr, "%s\n", formatted.c_str());
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
