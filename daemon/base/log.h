// Logger: one line per event, to a sink chosen once in main.
//
// Lower modules return a Status; those that must log (the server, later the
// sync engine) take a Logger* at construction. The stderr sink is
// journald-friendly: no colours and no timestamps unless stderr is a
// terminal (journald stamps lines itself). Never log a secret, a token, a
// start URL or a passcode.
#ifndef TELEMED_BASE_LOG_H_
#define TELEMED_BASE_LOG_H_

#include <time.h>

#include <cstdarg>
#include <string>
#include <vector>

#include "base/mutex.h"

namespace telemed {

enum class Severity { kDebug = 0, kInfo, kWarning, kError };
// "debug" / "info" / "warning" / "error": the word every sink shows.
const char* SeverityName(Severity severity);

class Logger {
 public:
  virtual ~Logger() = default;
  // printf-style; one call is one line (a trailing newline is added).
  // Thread-safe.
  void Log(Severity severity, const char* format, ...)
      __attribute__((format(printf, 3, 4)));
  void Info(const char* format, ...) __attribute__((format(printf, 2, 3)));
  void Warning(const char* format, ...) __attribute__((format(printf, 2, 3)));
  void Error(const char* format, ...) __attribute__((format(printf, 2, 3)));

 protected:
  // Receives a formatted line without its newline; called only for
  // severities the sink wants (see MinSeverity()).
  virtual void Write(Severity severity, const std::string& line) = 0;
  virtual Severity MinSeverity() const = 0;

 private:
  void LogV(Severity severity, const char* format, va_list args);
};

// Where a StderrLogger's lines go, which decides their form.
enum class LogSink {
  // A person at a terminal: "HH:MM:SS error: text", the level in colour.
  kTerminal,
  // A file or pipe: "error: text" (a log collector adds its own stamps).
  kPlain,
  // The systemd journal (JOURNAL_STREAM names our stderr): "<3>error: text",
  // whose sd-daemon prefix journald turns into the entry's priority, so
  // `journalctl -p warning` finds the warnings.
  kJournal,
};

// One line as `sink` wants it, without the newline; `now` for the terminal's
// time stamp (unix seconds, local time).
std::string FormatLogLine(LogSink sink, Severity severity,
                          const std::string& text, time_t now);

// Writes to stderr in the form its sink wants (decided once, at
// construction, from isatty and JOURNAL_STREAM). The level is on every line.
class StderrLogger final : public Logger {
 public:
  explicit StderrLogger(Severity min_severity = Severity::kInfo);

 protected:
  void Write(Severity severity, const std::string& line) override;
  Severity MinSeverity() const override { return min_severity_; }

 private:
  const Severity min_severity_;
  const LogSink sink_;
  Mutex mu_;
};

// Keeps lines in memory (tests assert on them, e.g. that no secret leaks).
class CapturingLogger final : public Logger {
 public:
  std::vector<std::string> Lines() const;
  bool Contains(const std::string& needle) const;

 protected:
  void Write(Severity severity, const std::string& line) override;
  Severity MinSeverity() const override { return Severity::kDebug; }

 private:
  mutable Mutex mu_;
  std::vector<std::string> lines_ GUARDED_BY(mu_);
};

// Drops everything.
class NullLogger final : public Logger {
 protected:
  void Write(Severity, const std::string&) override {}
  Severity MinSeverity() const override { return Severity::kError; }
};

}  // namespace telemed

#endif  // TELEMED_BASE_LOG_H_
