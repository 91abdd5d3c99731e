#include "cli/command.h"

#include "cli/table.h"

namespace telemed {
namespace cli {

int Fail(const Context& context, const std::string& message) {
  // Messages may quote stored text (a name, a Zoom user) or the command
  // line: whatever they hold, the terminal gets one inert line.
  *context.err << kProgramName << ": " << EscapeControls(message) << "\n";
  return kExitFailure;
}

Status OpenStoreForSetup(const Context& context, StoreSession* session) {
  StoreOpening how;
  how.create_if_missing = true;
  Status s = OpenStore(context.config, session, how);
  if (s.ok() && session->created) {
    *context.err << kProgramName << ": created a new database at "
                 << session->database_path << "\n";
  }
  return s;
}

}  // namespace cli
}  // namespace telemed
