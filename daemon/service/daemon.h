// Daemon: the bridge's runtime, what `serve` runs. It owns, in the order
// they are built (and torn down in reverse):
//   the shutdown deadline and the stop signals (service/shutdown*.h),
//   the data dir's lock, the store (service/store_session.h), the Zoom
//   session, the front ends' listeners (today the local API, api/server.h),
//   the sync engine (service/sync_stack.h), and, while it runs, the
//   periodic housekeeping (service/housekeeping.h).
// systemd hears READY=1 once the store is open and every listener bound,
// a STATUS= line whenever it changes (service/status_line.h), STOPPING=1 as
// soon as a signal (or a database deleted under us) asks to stop, and, when
// the unit has a watchdog, WATCHDOG=1 only while the API answers and the
// sync runner turns (service/watchdog.h).
//
// A second front end (the admin page over HTTPS) is one more listener: it
// is bound beside the API's in the daemon's OpenListeners step and served
// and stopped with it in Run (see daemon.cc).
#ifndef TELEMED_SERVICE_DAEMON_H_
#define TELEMED_SERVICE_DAEMON_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "config/config.h"

namespace telemed {

class Logger;

class Daemon {
 public:
  struct Options {
    // How the user invoked the binary (argv[0]): the start-up log names a
    // command to paste.
    std::string program;
    // Borrowed; must outlive the Daemon. Every line of the runtime's log.
    Logger* logger = nullptr;
  };

  // Prepares the process (umask 077, two malloc arenas, no core dumps),
  // blocks the stop signals, takes the data dir (one daemon per data dir),
  // opens the store and the Zoom session, binds the listeners and starts
  // the sync engine. A signal from here on stops the daemon cleanly. Errors
  // are for the admin: a data dir another daemon holds, a database or key
  // we may not open, an address we cannot listen on (and why).
  // REQUIRES: called before any other thread of the process starts (the
  // signals are blocked for every thread), once per process.
  static Status Open(const Config& config, const Options& options,
                     std::unique_ptr<Daemon>* out);

  // The daemon is gone (threads joined, lock released) when this returns.
  virtual ~Daemon() = default;

  // Sends READY=1, runs the housekeeping and serves until asked to stop,
  // then stops in order: the listeners finish what is in flight, the
  // housekeeping stops, Zoom calls in flight finish, API keys' last use
  // reaches the database. Past the shutdown deadline the process exits at
  // once. Returns OK after an operator's signal, else why it stopped.
  // Call once.
  virtual Status Run() = 0;
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_DAEMON_H_
