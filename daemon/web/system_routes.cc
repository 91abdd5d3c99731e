#include "web/system_routes.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <memory>
#include <vector>

#include "base/cjson.h"
#include "base/clock.h"
#include "base/log_ring.h"
#include "base/posix_error.h"
#include "base/time_format.h"
#include "http/json_reply.h"
#include "secrets/secret_key.h"
#include "store/backup.h"
#include "web/admin_audit.h"
#include "web/json_body.h"
#include "web/password_check.h"

namespace telemed {
namespace web {

namespace {

constexpr char kOctetStream[] = "application/octet-stream";
constexpr char kSecretKeyName[] = "telemed-bridge-secret.key";
constexpr size_t kChunkSize = 64 * 1024;
// How a download's backup file is named in the data dir (then unlinked).
constexpr char kDownloadPrefix[] = ".admin-download-";

// An open file descriptor, closed with its last owner.
class OpenFile final {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile() { close(fd_); }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }

 private:
  const int fd_;
};

void SetAttachment(const std::string& filename, httplib::Response* res) {
  res->set_header("Content-Disposition",
                  "attachment; filename=\"" + filename + "\"");
  res->set_header("Cache-Control", "no-store");
}

void ShowLog(const SystemRoutesDeps& deps, httplib::Response* res) {
  CjsonPtr root(cJSON_CreateObject());
  cJSON* lines = cJSON_AddArrayToObject(root.get(), "lines");
  for (const LogEntry& entry : deps.log->Lines()) {
    cJSON* line = cJSON_CreateObject();
    cJSON_AddStringToObject(line, "at", FormatRfc3339Utc(entry.at).c_str());
    cJSON_AddStringToObject(line, "severity", SeverityName(entry.severity));
    cJSON_AddStringToObject(line, "text", entry.text.c_str());
    cJSON_AddItemToArray(lines, line);
  }
  WriteJson(200, PrintJson(root.get()), res);
}

// "telemed-bridge-YYYYMMDD-HHMMSS.db" for `now` (UTC).
std::string BackupName(int64_t now) {
  const time_t seconds = static_cast<time_t>(now);
  struct tm parts;
  gmtime_r(&seconds, &parts);
  char name[64];
  strftime(name, sizeof(name), "telemed-bridge-%Y%m%d-%H%M%S.db", &parts);
  return name;
}

// Writes a backup to a fresh name in the data dir, opens it and unlinks
// it: the open file is all that is left, gone once the answer is sent or
// dropped. Two downloads at once get names of their own.
Status WriteBackupCopy(const SystemRoutesDeps& deps,
                       std::shared_ptr<OpenFile>* out, off_t* size) {
  static std::atomic<uint64_t> serial{0};
  const std::string path = deps.data_dir + "/.admin-download-" +
                           std::to_string(getpid()) + "-" +
                           std::to_string(deps.clock->NowMicros()) + "-" +
                           std::to_string(serial.fetch_add(1)) + ".db";
  Status s = deps.backups->WriteBackup(path);
  if (!s.ok()) return s;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const int open_errno = errno;
  unlink(path.c_str());
  if (fd < 0) return PosixError("open backup " + path, open_errno);
  *out = std::make_shared<OpenFile>(fd);
  struct stat st;
  if (fstat(fd, &st) != 0) return PosixError("stat backup " + path, errno);
  *size = st.st_size;
  return Status::OK();
}

void DownloadBackup(const SystemRoutesDeps& deps, const AdminRequest& request,
                    httplib::Response* res) {
  std::shared_ptr<OpenFile> file;
  off_t size = 0;
  Status s = WriteBackupCopy(deps, &file, &size);
  if (!s.ok()) return WriteError(s, res);
  const std::string name = BackupName(deps.clock->NowSeconds());
  deps.audit->Record(audit_action::kBackupDownloaded, request.address, name);
  SetAttachment(name, res);
  res->status = 200;
  // Sent in chunks from the unlinked file, so a large database never sits
  // in memory; `file` closes when the answer is done with.
  res->set_content_provider(
      static_cast<size_t>(size), kOctetStream,
      [file](size_t offset, size_t length, httplib::DataSink& sink) {
        std::vector<char> buffer(std::min(length, kChunkSize));
        const ssize_t got = pread(file->fd(), buffer.data(), buffer.size(),
                                  static_cast<off_t>(offset));
        // A short file (it cannot shrink, but a read can fail) ends the
        // answer early; the client sees fewer bytes than announced.
        if (got <= 0) return false;
        return sink.write(buffer.data(), static_cast<size_t>(got));
      });
}

Status ReadKeyFile(const std::string& path, std::string* out) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return PosixError("open secret key file " + path, errno);
  OpenFile file(fd);
  // One byte more than a key, so a longer file shows as not a key.
  std::string bytes(SecretKey::kSize + 1, '\0');
  const ssize_t got = read(fd, &bytes[0], bytes.size());
  if (got < 0) return PosixError("read secret key file " + path, errno);
  if (static_cast<size_t>(got) != SecretKey::kSize) {
    return Status::Corruption("secret_key_invalid",
                              "secret key file " + path + " is not a key");
  }
  bytes.resize(static_cast<size_t>(got));
  *out = std::move(bytes);
  return Status::OK();
}

// 401 password_wrong names the field to blame, which a Status of kind
// Unauthenticated cannot carry.
void WritePasswordWrong(const Status& s, httplib::Response* res) {
  WriteJson(
      401,
      RenderError(Status::InvalidArgument(s.reason(), s.message(), "password")),
      res);
}

void WriteLockedOut(const Status& s, int retry_after_s,
                    httplib::Response* res) {
  CjsonPtr root(cJSON_Parse(RenderError(s).c_str()));
  cJSON_AddNumberToObject(root.get(), "retry_after_s", retry_after_s);
  WriteJson(429, PrintJson(root.get()), res);
  res->set_header("Retry-After", std::to_string(retry_after_s));
}

void DownloadSecretKey(const SystemRoutesDeps& deps,
                       const AdminRequest& request, httplib::Response* res) {
  std::string password;
  Status s = ReadBodyString(request.http->body, "password", &password);
  if (!s.ok()) return WriteError(s, res);
  int retry_after_s = 0;
  s = deps.password->Verify(password, request.address, &retry_after_s);
  if (retry_after_s > 0) return WriteLockedOut(s, retry_after_s, res);
  if (s.code() == Status::Code::kUnauthenticated) {
    return WritePasswordWrong(s, res);
  }
  std::string key;
  if (s.ok()) s = ReadKeyFile(deps.secret_key_path, &key);
  if (!s.ok()) return WriteError(s, res);
  deps.audit->Record(audit_action::kSecretKeyDownloaded, request.address,
                     kSecretKeyName);
  SetAttachment(kSecretKeyName, res);
  res->status = 200;
  res->set_content(key, kOctetStream);
}

}  // namespace

Status RemoveDownloadLeftovers(const std::string& data_dir, int* removed) {
  if (removed != nullptr) *removed = 0;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(data_dir.c_str()), closedir);
  if (dir == nullptr) return PosixError("read folder " + data_dir, errno);
  while (const dirent* entry = readdir(dir.get())) {
    const std::string name = entry->d_name;
    if (name.rfind(kDownloadPrefix, 0) != 0) continue;
    if (unlink((data_dir + "/" + name).c_str()) == 0 && removed != nullptr) {
      ++*removed;
    }
  }
  return Status::OK();
}

void AddSystemRoutes(const SystemRoutesDeps& deps, AdminRouter* router) {
  router->Handle("GET", "/admin/api/system/log", Access::kSession,
                 [deps](const AdminRequest&, httplib::Response* res) {
                   ShowLog(deps, res);
                 });
  router->Handle("GET", "/admin/api/system/backup", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   DownloadBackup(deps, request, res);
                 });
  router->Handle("POST", "/admin/api/system/secret-key", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   DownloadSecretKey(deps, request, res);
                 });
}

}  // namespace web
}  // namespace telemed
