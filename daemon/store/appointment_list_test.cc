#include "store/appointment_list.h"

#include <CppUTest/TestHarness.h>

#include <string>
#include <vector>

#include "store/testutil.h"

namespace telemed {
namespace test {

TEST_GROUP_BASE(AppointmentList, StoreFixture){
    // Appointment `id` of doctor `doctor` starting `hours` after 09:00.
    void PutAt(const std::string& id, const std::string& doctor,
               int hours){AppointmentRequest request = Request(id, doctor);
request.start_time += hours * 3600;
Put(request, WriteOutcome::kCreated);
}  // namespace test
std::string Ids(const AppointmentQuery& query, bool* more = nullptr) {
  std::vector<Appointment> page;
  bool has_more = false;
  CHECK_OK(store->ListAppointments(query, &page, &has_more));
  if (more != nullptr) *more = has_more;
  std::string ids;
  for (const Appointment& appointment : page) {
    ids += (ids.empty() ? "" : " ") + appointment.request.id;
  }
  return ids;
}
// What SQLite plans for `query`'s statement, one line per step.
std::string Plan(const AppointmentQuery& query) {
  SqliteDb db;
  CHECK_OK(SqliteDb::Open(path, 1000, &db));
  const std::string sql = "EXPLAIN QUERY PLAN " + AppointmentListSql(query);
  SqliteStmt stmt;
  CHECK_OK(db.Prepare(sql.c_str(), &stmt));
  BindAppointmentQuery(query, 51, &stmt);
  std::string plan;
  CHECK_OK(stmt.ForEachRow([&](const SqliteStmt& row) {
    plan += row.ColumnText(3) + "\n";
    return Status::OK();
  }));
  return plan;
}
void setup() override {
  StoreFixture::setup();
  AddDoctor("dr-lee");
  AddDoctor("dr-ng");
}
};  // namespace telemed

TEST(AppointmentList, NewestStartFirstThenIdDescending) {
  PutAt("a1", "dr-lee", 0);
  PutAt("a2", "dr-lee", 5);
  PutAt("b1", "dr-ng", 5);
  PutAt("a3", "dr-ng", -3);
  AppointmentQuery query;
  STRCMP_EQUAL("b1 a2 a1 a3", Ids(query).c_str());
}

TEST(AppointmentList, PagesFollowOneAnotherWithoutGapOrRepeat) {
  for (int i = 0; i < 7; ++i) {
    PutAt("a" + std::to_string(i), "dr-lee", i % 3);
  }
  AppointmentQuery query;
  query.limit = 3;
  std::string all;
  bool more = true;
  int pages = 0;
  while (more) {
    std::vector<Appointment> page;
    CHECK_OK(store->ListAppointments(query, &page, &more));
    CHECK(!page.empty());
    for (const Appointment& a : page) all += a.request.id + " ";
    query.has_after = true;
    query.after_start = page.back().request.start_time;
    query.after_id = page.back().request.id;
    ++pages;
  }
  LONGS_EQUAL(3, pages);
  STRCMP_EQUAL("a5 a2 a4 a1 a6 a3 a0 ", all.c_str());
}

TEST(AppointmentList, AFullLastPageSaysNoMore) {
  PutAt("a1", "dr-lee", 0);
  PutAt("a2", "dr-lee", 1);
  AppointmentQuery query;
  query.limit = 2;
  bool more = true;
  STRCMP_EQUAL("a2 a1", Ids(query, &more).c_str());
  CHECK_FALSE(more);
}

TEST(AppointmentList, FiltersByStatus) {
  PutAt("a1", "dr-lee", 0);
  PutAt("a2", "dr-lee", 1);
  PutAt("a3", "dr-ng", 2);
  MarkFailed("a2");
  AppointmentQuery query;
  query.has_status = true;
  query.status = SyncStatus::kFailed;
  STRCMP_EQUAL("a2", Ids(query).c_str());
  query.status = SyncStatus::kPending;
  STRCMP_EQUAL("a3 a1", Ids(query).c_str());
  query.status = SyncStatus::kSynced;
  STRCMP_EQUAL("", Ids(query).c_str());
}

TEST(AppointmentList, SearchesIdOrDoctorAsPlainSubstring) {
  PutAt("visit-100", "dr-lee", 0);
  PutAt("visit-200", "dr-ng", 1);
  PutAt("x_1%", "dr-ng", 2);
  AppointmentQuery query;
  query.search = "100";
  STRCMP_EQUAL("visit-100", Ids(query).c_str());
  query.search = "ng";
  STRCMP_EQUAL("x_1% visit-200", Ids(query).c_str());
  // No wildcards: "%" and "_" match only themselves.
  query.search = "_1%";
  STRCMP_EQUAL("x_1%", Ids(query).c_str());
  query.search = "%";
  STRCMP_EQUAL("x_1%", Ids(query).c_str());
  // Case matters, as it does for ids.
  query.search = "VISIT";
  STRCMP_EQUAL("", Ids(query).c_str());
}

TEST(AppointmentList, RefusesALimitBelowOne) {
  AppointmentQuery query;
  query.limit = 0;
  std::vector<Appointment> page;
  bool more = false;
  Status s = store->ListAppointments(query, &page, &more);
  STRCMP_EQUAL("invalid_limit", s.reason().c_str());
}

// Every shape of the query walks an index in the list's order: no table
// scan and no sort of all rows, whatever their number.
TEST(AppointmentList, EveryShapeWalksAnIndexWithoutSorting) {
  for (int shape = 0; shape < 8; ++shape) {
    AppointmentQuery query;
    query.has_status = (shape & 1) != 0;
    query.status = SyncStatus::kFailed;
    if ((shape & 2) != 0) query.search = "lee";
    query.has_after = (shape & 4) != 0;
    query.after_start = 1767258000;
    query.after_id = "a1";
    const std::string plan = Plan(query);
    const char* index = query.has_status ? "appointments_by_status_start"
                                         : "appointments_by_start";
    if (plan.find(index) == std::string::npos ||
        plan.find("TEMP B-TREE") != std::string::npos) {
      FAIL(("shape " + std::to_string(shape) + ": " + plan).c_str());
    }
  }
}

}  // namespace test
}  // namespace telemed
