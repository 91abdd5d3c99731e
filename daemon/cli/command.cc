#include "cli/command.h"

#include "cli/table.h"
#include "config/data_dir.h"

namespace telemed {
namespace cli {

int Fail(const Context& context, const std::string& message) {
  // Messages may quote stored text (a name, a Zoom user) or the command
  // line: whatever they hold, the terminal gets one inert line.
  *context.err << kProgramName << ": " << EscapeControls(message) << "\n";
  return kExitFailure;
}

Status OpenStore(const Config& config, StoreSession* session,
                 bool background_checkpoints) {
  Status s = PrepareDataDir(config.data_dir);
  if (!s.ok()) return s;
  Store::Options options;
  options.path = DatabasePath(config.data_dir);
  options.clock = &session->clock;
  options.background_checkpoints = background_checkpoints;
  return Store::Open(options, &session->store);
}

}  // namespace cli
}  // namespace telemed
