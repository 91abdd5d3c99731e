// Typing secrets at a terminal: EchoOff hides what a person types (a
// password, a client secret) and restores the terminal when it goes.
#ifndef TELEMED_CLI_TERMINAL_H_
#define TELEMED_CLI_TERMINAL_H_

#include <termios.h>
#include <unistd.h>

namespace telemed {
namespace cli {

// Turns off echo on stdin while in scope (nothing when stdin is no
// terminal).
class EchoOff final {
 public:
  EchoOff() : active_(tcgetattr(STDIN_FILENO, &saved_) == 0) {
    if (!active_) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  ~EchoOff() {
    if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_;
};

}  // namespace cli
}  // namespace telemed

#endif  // TELEMED_CLI_TERMINAL_H_
