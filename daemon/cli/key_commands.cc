// key create: the secret key that seals the stored Zoom secrets.
//
// An installed bridge keeps the key outside the data dir (a copied data dir
// then reveals no secret) and never makes one on the fly: the package's
// postinst runs `key create` once, and an upgrade or a second run never
// replaces it, since every secret sealed under the old key would be lost.
#include <memory>
#include <string>

#include "base/random.h"
#include "cli/command.h"
#include "config/data_dir.h"
#include "secrets/secret_key.h"

namespace telemed {
namespace cli {

int RunKeyCreate(const Context& context) {
  const Config& config = context.config;
  // Not systemd's credential: that is a read-only copy of this very file.
  std::string path = ResolveKeyPath(config.key_file, nullptr, nullptr,
                                    config.default_key_file, config.data_dir)
                         .path;
  std::unique_ptr<RandomSource> random;
  Status s = RealRandom::Open(&random);
  if (s.ok()) s = SecretKey::Create(path, random.get());
  if (!s.ok()) return Fail(context, s.message());
  *context.out << "Created the secret key " << AbsolutePath(path)
               << " (32 bytes, mode 0600).\n"
               << "Back it up apart from the data dir: without it the stored "
                  "Zoom secrets cannot be read.\n";
  return kExitOk;
}

}  // namespace cli
}  // namespace telemed
