#include "cli/command.h"

#include "config/data_dir.h"

namespace telemed {
namespace cli {

int Fail(const Context& context, const std::string& message) {
  *context.err << kProgramName << ": " << message << "\n";
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
