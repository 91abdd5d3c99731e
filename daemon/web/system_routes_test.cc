#include "web/system_routes.h"

#include <CppUTest/TestHarness.h>
#include <dirent.h>

#include <fstream>
#include <string>
#include <vector>

#include "base/log_ring.h"
#include "store/testutil.h"
#include "web/fake_admin_router.h"
#include "web/ops_test_fakes.h"

namespace telemed {
namespace web {

using telemed::test::StoreFixture;
using test::JsonText;

namespace {

// The bytes a content provider sends, read as httplib's server does.
std::string Drain(const httplib::Response& res) {
  std::string out;
  httplib::DataSink sink;
  sink.write = [&out](const char* data, size_t length) {
    out.append(data, length);
    return true;
  };
  size_t offset = 0;
  while (offset < res.content_length_) {
    const size_t before = out.size();
    if (!res.content_provider_(offset, res.content_length_ - offset, sink)) {
      break;
    }
    offset += out.size() - before;
  }
  return out;
}

std::vector<std::string> FilesIn(const std::string& path) {
  std::vector<std::string> names;
  DIR* dir = opendir(path.c_str());
  CHECK(dir != nullptr);
  while (dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  return names;
}

}  // namespace

TEST_GROUP_BASE(SystemRoutes, StoreFixture) {
  FakeAdminRouter router;
  test::FakeAudit audit;
  test::FakePasswordCheck password;
  CapturingLogger daemon_log;
  std::unique_ptr<LogRing> ring;
  SystemRoutesDeps deps;
  const std::string key_bytes = std::string(31, '\x7f') + '\0';

  void setup() override {
    StoreFixture::setup();
    ring.reset(new LogRing(&daemon_log, &clock, 3));
    deps.log = ring.get();
    deps.backups = store.get();
    deps.clock = &clock;
    deps.data_dir = dir.path();
    deps.secret_key_path = dir.File("secret.key");
    deps.password = &password;
    deps.audit = &audit;
    std::ofstream(deps.secret_key_path, std::ios::binary) << key_bytes;
    AddSystemRoutes(deps, &router);
  }
  httplib::Response AskForKey(const std::string& body) {
    return router.Call("POST", "/admin/api/system/secret-key", body,
                       "192.0.2.9");
  }
};

TEST(SystemRoutes, LogShowsTheRingOldestFirst) {
  for (int i = 1; i <= 4; ++i) {
    ring->Info("line %d", i);
    clock.AdvanceSeconds(60);
  }
  ring->Error("disk full");
  httplib::Response res = router.Call("GET", "/admin/api/system/log");
  LONGS_EQUAL(200, res.status);
  CjsonPtr root = test::ParseBody(res);
  const cJSON* lines = cJSON_GetObjectItemCaseSensitive(root.get(), "lines");
  LONGS_EQUAL(3, cJSON_GetArraySize(lines));
  const cJSON* first = cJSON_GetArrayItem(lines, 0);
  STRCMP_EQUAL("line 3", JsonText(first, "text").c_str());
  STRCMP_EQUAL("info", JsonText(first, "severity").c_str());
  STRCMP_EQUAL("2026-01-01T00:02:00Z", JsonText(first, "at").c_str());
  const cJSON* last = cJSON_GetArrayItem(lines, 2);
  STRCMP_EQUAL("disk full", JsonText(last, "text").c_str());
  STRCMP_EQUAL("error", JsonText(last, "severity").c_str());
}

TEST(SystemRoutes, BackupIsAWholeDatabaseAndLeavesNoFileBehind) {
  AddDoctor("dr-lee");
  Put(Request("a1", "dr-lee"), WriteOutcome::kCreated);
  const std::vector<std::string> before = FilesIn(dir.path());
  std::string bytes;
  {
    httplib::Response res =
        router.Call("GET", "/admin/api/system/backup", "", "192.0.2.3");
    LONGS_EQUAL(200, res.status);
    STRCMP_EQUAL("attachment; filename=\"telemed-bridge-20260101-000000.db\"",
                 res.get_header_value("Content-Disposition").c_str());
    STRCMP_EQUAL("no-store", res.get_header_value("Cache-Control").c_str());
    bytes = Drain(res);
    LONGS_EQUAL(res.content_length_, bytes.size());
  }
  // Nothing new in the data dir, even while the answer was being sent.
  CHECK(FilesIn(dir.path()) == before);
  const std::string copy = dir.File("downloaded.db");
  std::ofstream(copy, std::ios::binary) << bytes;
  BackupSummary summary;
  CHECK_OK(CheckBackupFile(copy, &summary));
  LONGS_EQUAL(1, summary.appointments);
  LONGS_EQUAL(1, summary.doctors);
  LONGS_EQUAL(1, audit.entries.size());
  STRCMP_EQUAL("backup_downloaded", audit.entries[0].action.c_str());
  STRCMP_EQUAL("192.0.2.3", audit.entries[0].address.c_str());
}

TEST(SystemRoutes, ABackupThatCannotBeWrittenIsAnErrorAndNotAudited) {
  deps.data_dir = dir.File("gone");
  FakeAdminRouter broken;
  AddSystemRoutes(deps, &broken);
  httplib::Response res = broken.Call("GET", "/admin/api/system/backup");
  CHECK(res.status >= 500);
  CHECK(test::ParseBody(res) != nullptr);
  LONGS_EQUAL(0, audit.entries.size());
}

TEST(SystemRoutes, SecretKeyAfterThePasswordIsAskedAgain) {
  httplib::Response res = AskForKey(R"({"password":"correct horse battery"})");
  LONGS_EQUAL(200, res.status);
  CHECK(res.body == key_bytes);
  STRCMP_EQUAL("application/octet-stream",
               res.get_header_value("Content-Type").c_str());
  STRCMP_EQUAL("attachment; filename=\"telemed-bridge-secret.key\"",
               res.get_header_value("Content-Disposition").c_str());
  STRCMP_EQUAL("no-store", res.get_header_value("Cache-Control").c_str());
  LONGS_EQUAL(1, password.addresses.size());
  STRCMP_EQUAL("192.0.2.9", password.addresses[0].c_str());
  LONGS_EQUAL(1, audit.entries.size());
  STRCMP_EQUAL("secret_key_downloaded", audit.entries[0].action.c_str());
}

TEST(SystemRoutes, AWrongPasswordGetsNoKey) {
  httplib::Response res = AskForKey(R"({"password":"guess guess guess"})");
  LONGS_EQUAL(401, res.status);
  CjsonPtr root = test::ParseBody(res);
  const cJSON* error = cJSON_GetObjectItemCaseSensitive(root.get(), "error");
  STRCMP_EQUAL("password_wrong", JsonText(error, "code").c_str());
  STRCMP_EQUAL("password", JsonText(error, "field").c_str());
  CHECK(res.body.find(key_bytes.substr(0, 8)) == std::string::npos);
  LONGS_EQUAL(0, audit.entries.size());
}

TEST(SystemRoutes, ALockedOutAddressGets429WithRetryAfter) {
  password.locked_for_s = 30;
  httplib::Response res = AskForKey(R"({"password":"correct horse battery"})");
  LONGS_EQUAL(429, res.status);
  STRCMP_EQUAL("30", res.get_header_value("Retry-After").c_str());
  CjsonPtr root = test::ParseBody(res);
  STRCMP_EQUAL("too_many_attempts", test::ErrorCode(res).c_str());
  const cJSON* retry =
      cJSON_GetObjectItemCaseSensitive(root.get(), "retry_after_s");
  CHECK(cJSON_IsNumber(retry));
  LONGS_EQUAL(30, static_cast<long>(retry->valuedouble));
  LONGS_EQUAL(0, audit.entries.size());
}

TEST(SystemRoutes, SecretKeyRefusesAMalformedBody) {
  LONGS_EQUAL(400, AskForKey("{password}").status);
  STRCMP_EQUAL("invalid_json",
               test::ErrorCode(AskForKey("{password}")).c_str());
  STRCMP_EQUAL("missing_field", test::ErrorCode(AskForKey("{}")).c_str());
  STRCMP_EQUAL("invalid_type",
               test::ErrorCode(AskForKey(R"({"password":1})")).c_str());
  LONGS_EQUAL(0, password.addresses.size());
  LONGS_EQUAL(0, audit.entries.size());
}

TEST(SystemRoutes, AMissingKeyFileIsAnErrorNotAnEmptyKey) {
  deps.secret_key_path = dir.File("nope.key");
  FakeAdminRouter other;
  AddSystemRoutes(deps, &other);
  httplib::Response res = other.Call("POST", "/admin/api/system/secret-key",
                                     R"({"password":"correct horse battery"})");
  CHECK(res.status >= 500);
  CHECK(test::ParseBody(res) != nullptr);
  LONGS_EQUAL(0, audit.entries.size());
}

TEST(SystemRoutes, LeftoversOfADownloadCutShortAreRemovedAtStart) {
  std::ofstream(dir.File(".admin-download-1-2-0.db")) << "x";
  std::ofstream(dir.File(".admin-download-1-2-0.db.tmp-AbC123")) << "x";
  const std::vector<std::string> kept = FilesIn(dir.path());
  std::ofstream(dir.File("admin-download-not-ours.db")) << "x";
  int removed = 0;
  CHECK_OK(RemoveDownloadLeftovers(dir.path(), &removed));
  LONGS_EQUAL(2, removed);
  std::vector<std::string> left = FilesIn(dir.path());
  LONGS_EQUAL(kept.size() - 1, left.size());
  CHECK_FALSE(RemoveDownloadLeftovers(dir.File("none"), nullptr).ok());
}

TEST(SystemRoutes, AFileThatIsNotAKeyIsNotSent) {
  std::ofstream(deps.secret_key_path, std::ios::binary | std::ios::trunc)
      << key_bytes << "more";
  httplib::Response res = AskForKey(R"({"password":"correct horse battery"})");
  LONGS_EQUAL(500, res.status);
  STRCMP_EQUAL("secret_key_invalid", test::ErrorCode(res).c_str());
  LONGS_EQUAL(0, audit.entries.size());
}

}  // namespace web
}  // namespace telemed
