// Revokes owed to Zoom: queued, listed when due, rescheduled, and completed
// without leaving the sealed token in the database or its WAL.
#include <string>
#include <vector>

#include "store/store.h"
#include "store/testutil.h"

namespace telemed {
namespace {

using test::StoreFixture;

PendingRevoke MakeRevoke(const std::string& doctor_id, int64_t at) {
  PendingRevoke revoke;
  revoke.doctor_id = doctor_id;
  revoke.sealed_token = "SEALED-" + doctor_id + std::string(200, 'x');
  revoke.next_attempt_at = at;
  return revoke;
}

}  // namespace

TEST_GROUP_BASE(GrantRevokes, StoreFixture){};

TEST(GrantRevokes, DueEntriesComeEarliestFirst) {
  int64_t a = 0, b = 0, c = 0;
  CHECK_OK(store->QueueRevoke(MakeRevoke("d1", 50), &a));
  CHECK_OK(store->QueueRevoke(MakeRevoke("d2", 10), &b));
  CHECK_OK(store->QueueRevoke(MakeRevoke("d3", 900), &c));
  CHECK(a != b && b != c);
  std::vector<PendingRevoke> due;
  CHECK_OK(store->ListDueRevokes(100, 10, &due));
  LONGS_EQUAL(2, due.size());
  LONGS_EQUAL(b, due[0].id);
  STRCMP_EQUAL("d2", due[0].doctor_id.c_str());
  CHECK(due[0].sealed_token == MakeRevoke("d2", 0).sealed_token);
  LONGS_EQUAL(a, due[1].id);
  CHECK_OK(store->ListDueRevokes(100, 1, &due));
  LONGS_EQUAL(1, due.size());
  CHECK_FALSE(store->ListDueRevokes(100, 0, &due).ok());
}

TEST(GrantRevokes, RescheduleStoresTheAttempt) {
  int64_t id = 0;
  CHECK_OK(store->QueueRevoke(MakeRevoke("d1", 0), &id));
  std::vector<PendingRevoke> due;
  CHECK_OK(store->ListDueRevokes(0, 10, &due));
  due[0].attempts = 3;
  due[0].next_attempt_at = 500;
  due[0].last_error = "zoom_no_answer";
  CHECK_OK(store->RescheduleRevoke(due[0]));
  CHECK_OK(store->ListDueRevokes(499, 10, &due));
  LONGS_EQUAL(0, due.size());
  CHECK_OK(store->ListDueRevokes(500, 10, &due));
  LONGS_EQUAL(3, due[0].attempts);
  STRCMP_EQUAL("zoom_no_answer", due[0].last_error.c_str());
  due[0].id = id + 100;
  STRCMP_EQUAL("revoke_not_found",
               store->RescheduleRevoke(due[0]).reason().c_str());
}

TEST(GrantRevokes, CompleteLeavesNoTokenBytesInTheFileOrTheWal) {
  int64_t gone = 0, kept = 0;
  CHECK_OK(store->QueueRevoke(MakeRevoke("gone", 0), &gone));
  CHECK_OK(store->QueueRevoke(MakeRevoke("kept", 0), &kept));
  CHECK(FileBytes().find("SEALED-gone") != std::string::npos);
  // A rescheduled entry leaves no older copy either.
  std::vector<PendingRevoke> due;
  CHECK_OK(store->ListDueRevokes(0, 10, &due));
  due[0].attempts = 1;
  due[0].last_error = std::string(300, 'e');
  CHECK_OK(store->RescheduleRevoke(due[0]));
  CHECK_OK(store->CompleteRevoke(gone));
  const std::string bytes = FileBytes();
  CHECK(bytes.find("SEALED-gone") == std::string::npos);
  CHECK(bytes.find("SEALED-kept") != std::string::npos);
  CHECK_OK(store->ListDueRevokes(0, 10, &due));
  LONGS_EQUAL(1, due.size());
  CHECK_OK(store->CompleteRevoke(gone));  // nothing left to delete is fine
}

}  // namespace telemed
