#include "web/appointment_routes.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "base/cjson.h"
#include "base/encoding.h"
#include "store/testutil.h"
#include "web/fake_admin_router.h"
#include "web/ops_test_fakes.h"

namespace telemed {
namespace web {

using telemed::test::StoreFixture;
using test::JsonText;

TEST_GROUP_BASE(AppointmentRoutes, StoreFixture) {
  FakeAdminRouter router;
  test::FakeAudit audit;

  void setup() override {
    StoreFixture::setup();
    AddDoctor("dr-lee");
    AddDoctor("dr-ng");
    AppointmentRoutesDeps deps;
    deps.records = store.get();
    deps.queue = store.get();
    deps.audit = &audit;
    AddAppointmentRoutes(deps, &router);
  }
  // Appointment `id` of `doctor`, `hours` after 2026-01-01T09:00:00Z.
  void PutAt(const std::string& id, const std::string& doctor, int hours) {
    AppointmentRequest request = Request(id, doctor);
    request.start_time += hours * 3600;
    Put(request, WriteOutcome::kCreated);
  }
  void Sync(const std::string& id) {
    CHECK_OK(ChangeSyncTask(
        store.get(), id,
        [](SyncTask* task, bool) {
          task->appointment.sync_status = SyncStatus::kSynced;
          task->appointment.has_meeting = true;
          task->appointment.meeting.id = "81234567890";
          task->appointment.meeting.join_url = "https://zoom.example/j/8123";
          task->zoom.needs_work = false;
        },
        nullptr));
  }
  CjsonPtr Get(const std::string& target, int expected_status = 200) {
    httplib::Response res = router.Call("GET", target);
    LONGS_EQUAL(expected_status, res.status);
    CjsonPtr root(cJSON_Parse(res.body.c_str()));
    CHECK(root != nullptr);
    return root;
  }
  // The ids of a list answer, space-separated.
  static std::string Ids(const cJSON* root) {
    std::string ids;
    const cJSON* row = nullptr;
    cJSON_ArrayForEach(row,
                       cJSON_GetObjectItemCaseSensitive(root, "appointments")) {
      ids += (ids.empty() ? "" : " ") + JsonText(row, "id");
    }
    return ids;
  }
  // Checks a refusal's code and field.
  void CheckRefused(const std::string& method, const std::string& target,
                    int status, const char* code, const char* field) {
    httplib::Response res = router.Call(method, target);
    LONGS_EQUAL(status, res.status);
    CjsonPtr root(cJSON_Parse(res.body.c_str()));
    CHECK(root != nullptr);
    const cJSON* error = cJSON_GetObjectItemCaseSensitive(root.get(), "error");
    STRCMP_EQUAL(code, JsonText(error, "code").c_str());
    if (field != nullptr) STRCMP_EQUAL(field, JsonText(error, "field").c_str());
  }
};

TEST(AppointmentRoutes, RowsNewestFirstWithLocalStartMeetingAndAdvice) {
  PutAt("a1", "dr-lee", 0);
  PutAt("a2", "dr-lee", 24 * 180);  // in Berlin's summer time
  PutAt("a3", "dr-ng", 2);
  MarkFailed("a1", "zoom_user_not_found", "Zoom has no user dr-lee");
  Sync("a3");
  CjsonPtr root = Get("/admin/api/appointments");
  STRCMP_EQUAL("a2 a3 a1", Ids(root.get()).c_str());
  STRCMP_EQUAL("null", JsonText(root.get(), "next_cursor").c_str());
  const cJSON* rows =
      cJSON_GetObjectItemCaseSensitive(root.get(), "appointments");
  const cJSON* summer = cJSON_GetArrayItem(rows, 0);
  STRCMP_EQUAL("2026-06-30 11:00 Europe/Berlin",
               JsonText(summer, "start_local").c_str());
  STRCMP_EQUAL("2026-06-30T09:00:00Z", JsonText(summer, "start_time").c_str());
  STRCMP_EQUAL("pending", JsonText(summer, "status").c_str());
  STRCMP_EQUAL("null", JsonText(summer, "meeting_id").c_str());
  STRCMP_EQUAL("null", JsonText(summer, "error").c_str());
  const cJSON* synced = cJSON_GetArrayItem(rows, 1);
  STRCMP_EQUAL("synced", JsonText(synced, "status").c_str());
  STRCMP_EQUAL("81234567890", JsonText(synced, "meeting_id").c_str());
  STRCMP_EQUAL("https://zoom.example/j/8123",
               JsonText(synced, "join_url").c_str());
  const cJSON* failed = cJSON_GetArrayItem(rows, 2);
  STRCMP_EQUAL("2026-01-01 10:00 Europe/Berlin",
               JsonText(failed, "start_local").c_str());
  const cJSON* error = cJSON_GetObjectItemCaseSensitive(failed, "error");
  STRCMP_EQUAL("zoom_user_not_found", JsonText(error, "code").c_str());
  STRCMP_EQUAL("Zoom has no user dr-lee", JsonText(error, "message").c_str());
  STRCMP_CONTAINS("Doctors screen", JsonText(error, "action").c_str());
}

TEST(AppointmentRoutes, CursorPagesThroughEveryRowOnce) {
  for (int i = 0; i < 5; ++i) PutAt("a" + std::to_string(i), "dr-lee", i);
  std::string target = "/admin/api/appointments?limit=2";
  std::string all;
  for (int page = 0; page < 3; ++page) {
    CjsonPtr root = Get(target);
    all += Ids(root.get()) + "|";
    const std::string cursor = JsonText(root.get(), "next_cursor");
    if (page < 2) {
      CHECK(cursor != "null");
      target = "/admin/api/appointments?limit=2&cursor=" + cursor;
    } else {
      STRCMP_EQUAL("null", cursor.c_str());
    }
  }
  STRCMP_EQUAL("a4 a3|a2 a1|a0|", all.c_str());
}

TEST(AppointmentRoutes, FiltersByStatusAndSearchesIdOrDoctor) {
  PutAt("visit-1", "dr-lee", 0);
  PutAt("visit-2", "dr-ng", 1);
  PutAt("visit-3", "dr-ng", 2);
  MarkFailed("visit-2");
  STRCMP_EQUAL("visit-2",
               Ids(Get("/admin/api/appointments?status=failed").get()).c_str());
  STRCMP_EQUAL(
      "visit-3",
      Ids(Get("/admin/api/appointments?status=pending&q=ng").get()).c_str());
  STRCMP_EQUAL("visit-1",
               Ids(Get("/admin/api/appointments?q=-1").get()).c_str());
  STRCMP_EQUAL("visit-3 visit-2 visit-1",
               Ids(Get("/admin/api/appointments?status=all&q=").get()).c_str());
}

TEST(AppointmentRoutes, RefusesABadQuery) {
  const char* kList = "/admin/api/appointments";
  CheckRefused("GET", std::string(kList) + "?status=cancelled", 400,
               "invalid_query", "status");
  CheckRefused("GET", std::string(kList) + "?limit=0", 400, "invalid_query",
               "limit");
  CheckRefused("GET", std::string(kList) + "?limit=201", 400, "invalid_query",
               "limit");
  CheckRefused("GET", std::string(kList) + "?limit=5x", 400, "invalid_query",
               "limit");
  CheckRefused("GET", std::string(kList) + "?limit=1&limit=2", 400,
               "invalid_query", "limit");
  CheckRefused("GET", std::string(kList) + "?since=0", 400, "invalid_query",
               "since");
  CheckRefused("GET", std::string(kList) + "?q=" + std::string(101, 'x'), 400,
               "invalid_query", "q");
  CheckRefused("GET", std::string(kList) + "?q=%01", 400, "invalid_query", "q");
}

TEST(AppointmentRoutes, RefusesACursorItDidNotHandOut) {
  const std::string list = "/admin/api/appointments?cursor=";
  CheckRefused("GET", list + "not*base64", 400, "invalid_query", "cursor");
  const char* kForged[] = {"1767258000", ":a1", "12x:a1",
                           "1767258000:", "1767258000:a\x01"};
  for (const char* forged : kForged) {
    const std::string text = forged;
    const std::string cursor = Base64UrlEncode(
        reinterpret_cast<const uint8_t*>(text.data()), text.size());
    CheckRefused("GET", list + cursor, 400, "invalid_query", "cursor");
  }
}

TEST(AppointmentRoutes, RetryRequeuesAFailedAppointmentAndAuditsIt) {
  PutAt("a1", "dr-lee", 0);
  MarkFailed("a1", "zoom_user_not_found", "Zoom has no user dr-lee");
  httplib::Response res =
      router.Call("POST", "/admin/api/appointments/a1/retry", "", "192.0.2.7");
  LONGS_EQUAL(202, res.status);
  CjsonPtr row(cJSON_Parse(res.body.c_str()));
  STRCMP_EQUAL("a1", JsonText(row.get(), "id").c_str());
  SyncTask task;
  CHECK_OK(store->GetSyncTask("a1", &task));
  CHECK_TRUE(task.zoom.needs_work);
  LONGS_EQUAL(1, audit.entries.size());
  STRCMP_EQUAL("appointment_retried", audit.entries[0].action.c_str());
  STRCMP_EQUAL("192.0.2.7", audit.entries[0].address.c_str());
  STRCMP_EQUAL("appointment a1", audit.entries[0].detail.c_str());
}

TEST(AppointmentRoutes, RetryRefusesWhatHasNotFailedOrDoesNotExist) {
  PutAt("a1", "dr-lee", 0);
  CheckRefused("POST", "/admin/api/appointments/a1/retry", 409, "not_failed",
               nullptr);
  CheckRefused("POST", "/admin/api/appointments/nope/retry", 404, "not_found",
               nullptr);
  LONGS_EQUAL(0, audit.entries.size());
}

TEST(AppointmentRoutes, BothRoutesNeedASession) {
  for (const FakeAdminRouter::Route& route : router.routes()) {
    CHECK(route.access == Access::kSession);
  }
  LONGS_EQUAL(2, router.routes().size());
}

}  // namespace web
}  // namespace telemed
