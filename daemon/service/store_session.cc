#include "service/store_session.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/data_dir.h"

namespace telemed {

namespace {

bool IsMissing(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) != 0 && errno == ENOENT;
}

Status NoDatabase(const std::string& absolute) {
  return Status::NotFound(
      Store::kNoDatabase,
      "no database at " + absolute +
          ": check --data-dir (or TELEMED_DATA_DIR; a relative path is taken "
          "from the current directory). A new one is made by 'serve', "
          "'apikey create', 'doctor put' or 'zoom s2s'");
}

// A database that exists but that we may not read or write: say whose it
// is, rather than SQLite's "unable to open database file".
Status ExplainAccess(const Status& s, const std::string& path) {
  if (s.ok() || access(path.c_str(), R_OK | W_OK) == 0 || errno != EACCES) {
    return s;
  }
  return Status::PermissionDenied(
      "database_not_writable", "cannot open database " + DescribeAccess(path));
}

}  // namespace

Status OpenStore(const Config& config, StoreSession* session,
                 const StoreOpening& how) {
  std::string path = DatabasePath(config.data_dir);
  session->database_path = AbsolutePath(path);
  // Looked at before the data dir is prepared, which would create it.
  bool missing = IsMissing(path);
  if (missing && !how.create_if_missing) {
    return NoDatabase(session->database_path);
  }
  Status s = PrepareDataDir(config.data_dir, config.service_user);
  if (!s.ok()) return s;
  Store::Options options;
  options.path = path;
  options.clock = &session->clock;
  options.create_if_missing = how.create_if_missing;
  options.background_checkpoints = how.background_checkpoints;
  s = Store::Open(options, &session->store);
  // Store::Open's only NotFound is a missing file (Options::create_if_missing
  // false), here one removed since IsMissing looked.
  if (s.IsNotFound()) return NoDatabase(session->database_path);
  s = ExplainAccess(s, path);
  session->created = s.ok() && missing;
  session->database_path = AbsolutePath(path);
  return s;
}

}  // namespace telemed
