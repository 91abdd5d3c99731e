#include "config/data_dir.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/posix_error.h"

namespace telemed {

namespace {

std::string ParentOf(const std::string& path) {
  std::string absolute = AbsolutePath(path);
  size_t slash = absolute.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/"
                                                  : absolute.substr(0, slash);
}

// A failure on `path`; when it is a permission problem, names the owner and
// mode of the directory that refused (its parent) and who we run as.
Status PathError(const std::string& what, const std::string& path, int err) {
  if (err != EACCES && err != EPERM) return PosixError(what + " " + path, err);
  return PosixError(what + " " + AbsolutePath(path) + " (in " +
                        DescribeAccess(ParentOf(path)) + ")",
                    err);
}

// mkdir that treats "already there" as success.
Status MakeDir(const std::string& path, mode_t mode) {
  if (mkdir(path.c_str(), mode) == 0 || errno == EEXIST) return Status::OK();
  return PathError("creating", path, errno);
}

Status MakeParents(const std::string& path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    Status s = MakeDir(path.substr(0, slash), 0755);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

// Creates the directory itself 0700: chmod because the umask may have taken
// bits from mkdir's mode, and only when we made it, so an operator's choice
// for an existing directory stands.
Status CreateDataDir(const std::string& path, bool* created) {
  *created = false;
  Status s = MakeParents(path);
  if (!s.ok()) return s;
  if (mkdir(path.c_str(), 0700) != 0) {
    return errno == EEXIST ? Status::OK() : PathError("creating", path, errno);
  }
  *created = true;
  if (chmod(path.c_str(), 0700) != 0) return PosixError("chmod " + path, errno);
  return Status::OK();
}

Status LookUpUser(const std::string& name, uid_t* uid, gid_t* gid) {
  struct passwd entry;
  struct passwd* found = nullptr;
  char buffer[4096];
  if (getpwnam_r(name.c_str(), &entry, buffer, sizeof(buffer), &found) != 0 ||
      found == nullptr) {
    return Status::NotFound(
        "service_user_missing",
        "the service user '" + name +
            "' does not exist, so a command run as root cannot hand the data "
            "dir to it: reinstall the package (it creates the user) or set "
            "TELEMED_SERVICE_USER");
  }
  *uid = found->pw_uid;
  *gid = found->pw_gid;
  return Status::OK();
}

// A root process's service user, looked up before anything is created so
// that a missing one leaves nothing behind. Nothing to look up otherwise.
Status FindServiceUser(const std::string& service_user, uid_t* uid,
                       gid_t* gid) {
  if (geteuid() != 0 || service_user.empty()) return Status::OK();
  return LookUpUser(service_user, uid, gid);
}

// Root must not create files in the data dir that the service could not
// open. A directory made just now goes to the service user; an existing one
// keeps its owner, and a wrong owner is refused afterwards with the chown
// that fixes it (silently taking over a directory is worse). Without a
// service user, root becomes the owner of a directory not its own.
Status DropRoot(const std::string& data_dir, const std::string& service_user,
                uid_t uid, gid_t gid, bool created, struct stat* st) {
  if (service_user.empty()) {
    if (st->st_uid == 0) return Status::OK();
    uid = st->st_uid;
    gid = st->st_gid;
  } else if (created) {
    if (chown(data_dir.c_str(), uid, gid) != 0) {
      return PosixError("chown " + data_dir, errno);
    }
    st->st_uid = uid;
  }
  std::string whom = service_user.empty() ? "the owner of " + data_dir
                                          : "the service user " + service_user;
  return SwitchToUser(uid, gid).WithContext("switching to " + whom);
}

std::string OctalMode(mode_t mode) {
  char text[8];
  snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// The owner must be us (the daemon writes every file there) and nobody
// else may write: whoever can replace telemed-bridge.db owns the data.
Status CheckDataDirAccess(const std::string& data_dir, const struct stat& st) {
  std::string who = AbsolutePath(data_dir) + " (mode " + OctalMode(st.st_mode) +
                    ", owner " + DescribeUser(st.st_uid) + ")";
  std::string runs_as = DescribeUser(geteuid());
  if (st.st_uid != geteuid()) {
    return Status::PermissionDenied(
        "data_dir_owner",
        "data dir " + who + " does not belong to " + runs_as +
            ", the user the bridge runs as: run the bridge as its owner, or "
            "give the directory to " +
            runs_as + " with chown -R");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Status::PermissionDenied(
        "data_dir_mode", "data dir " + who +
                             " may be written by group or others, who could "
                             "replace the database: run chmod 0700 " +
                             AbsolutePath(data_dir));
  }
  return Status::OK();
}

}  // namespace

Status PrepareDataDir(const std::string& data_dir,
                      const std::string& service_user) {
  uid_t uid = 0;
  gid_t gid = 0;
  Status s = FindServiceUser(service_user, &uid, &gid);
  if (!s.ok()) return s;
  bool created = false;
  s = CreateDataDir(data_dir, &created);
  if (!s.ok()) return s;
  struct stat st;
  if (stat(data_dir.c_str(), &st) != 0) {
    return PathError("reading", data_dir, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument("invalid_data_dir",
                                   data_dir + " exists and is not a directory",
                                   "data-dir");
  }
  if (geteuid() == 0) {
    s = DropRoot(data_dir, service_user, uid, gid, created, &st);
    if (!s.ok()) return s;
  }
  return CheckDataDirAccess(data_dir, st);
}

Status SwitchToUser(uid_t uid, gid_t gid) {
  // Groups first: once the uid is gone, so is the right to change them.
  if (setgroups(1, &gid) != 0) return PosixError("setgroups", errno);
  if (setgid(gid) != 0) return PosixError("setgid", errno);
  if (setuid(uid) != 0) return PosixError("setuid", errno);
  if (uid != 0 && (setuid(0) == 0 || geteuid() != uid || getegid() != gid)) {
    return Status::PermissionDenied("permission_denied",
                                    "root privileges could not be dropped");
  }
  return Status::OK();
}

std::string DatabasePath(const std::string& data_dir) {
  return data_dir + "/telemed-bridge.db";
}

std::string AbsolutePath(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) != nullptr) return resolved;
  if (!path.empty() && path[0] == '/') return path;
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return path;
  std::string relative = path.compare(0, 2, "./") == 0 ? path.substr(2) : path;
  return std::string(cwd) + "/" + relative;
}

std::string DescribeUser(uid_t uid) {
  struct passwd entry;
  struct passwd* found = nullptr;
  char buffer[1024];
  std::string id = "uid " + std::to_string(uid);
  if (getpwuid_r(uid, &entry, buffer, sizeof(buffer), &found) != 0 ||
      found == nullptr) {
    return id;
  }
  return std::string(found->pw_name) + " (" + id + ")";
}

std::string DescribeAccess(const std::string& path) {
  std::string text = AbsolutePath(path);
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    text += " (mode " + OctalMode(st.st_mode) + ", owner " +
            DescribeUser(st.st_uid) + ")";
  }
  return text + "; the bridge runs as " + DescribeUser(geteuid());
}

}  // namespace telemed
