// The data directory: where the database lives, who owns it, and the
// process identity that keeps it that way.
//
// Every file in the data dir must keep the directory's owner, or the daemon
// (running as its own user) could no longer open what a root shell's CLI
// created. So a process running as root on a directory that belongs to
// another user becomes that user before it opens anything there.
#ifndef TELEMED_CONFIG_DATA_DIR_H_
#define TELEMED_CONFIG_DATA_DIR_H_

#include <sys/types.h>

#include <string>

#include "base/status.h"

namespace telemed {

// Creates `data_dir` with mode 0700 when missing (missing parents 0755,
// less the umask); an existing directory keeps its mode. Then, when the
// process runs as root, it stops being root:
//  - with a `service_user` (the package's "telemed-bridge"), it becomes that
//    user and its group, after giving it the data dir when it was just made
//    here (so the service can open every file the command creates);
//  - without one, it becomes the directory's owner and group when that is
//    not root.
// Last it checks that the directory belongs to the user we now run as and
// that neither group nor others may write it (they could swap the database).
// Errors: IoError/PermissionDenied naming the path; InvalidArgument
// ("invalid_data_dir", field "data-dir") when the path is not a directory;
// NotFound ("service_user_missing") naming a service user that does not
// exist; PermissionDenied ("data_dir_owner" / "data_dir_mode") naming the
// path, its mode, its owner and the user we run as.
// REQUIRES: no other thread running (the identity change is process-wide, and
// must happen before any file is opened). Root-only files (the key) must be
// read before.
Status PrepareDataDir(const std::string& data_dir,
                      const std::string& service_user = "");

// Drops every supplementary group, then sets gid and uid, and checks that
// root cannot be regained. PermissionDenied when any step fails.
Status SwitchToUser(uid_t uid, gid_t gid);

// "<data_dir>/telemed-bridge.db".
std::string DatabasePath(const std::string& data_dir);

// The absolute form of `path` (for messages a user may paste): resolved
// when it exists, else joined to the working directory.
std::string AbsolutePath(const std::string& path);

// "NAME (uid N)", or "uid N" when the user has no name.
std::string DescribeUser(uid_t uid);

// For permission errors: "/abs/path (mode 0640, owner NAME (uid N)); the
// bridge runs as NAME (uid M)", without the mode and owner when `path`
// cannot be examined.
std::string DescribeAccess(const std::string& path);

}  // namespace telemed

#endif  // TELEMED_CONFIG_DATA_DIR_H_
