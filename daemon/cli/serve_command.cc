// serve: runs the daemon (service/daemon.h) in the foreground and turns how
// it ended into the exit code and the last log line.
#include <memory>

#include "base/log.h"
#include "cli/command.h"
#include "service/daemon.h"

namespace telemed {
namespace cli {

int RunServe(const Context& context) {
  StderrLogger logger;
  Daemon::Options options;
  options.program = context.program;
  options.logger = &logger;
  std::unique_ptr<Daemon> daemon;
  Status s = Daemon::Open(context.config, options, &daemon);
  if (s.ok()) s = daemon->Run();
  // "stopped" comes last: after every thread of the daemon has ended.
  daemon.reset();
  if (!s.ok()) {
    logger.Error("%s", s.message().c_str());
    return kExitFailure;
  }
  logger.Info("stopped");
  return kExitOk;
}

}  // namespace cli
}  // namespace telemed
