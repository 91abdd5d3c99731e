#include "service/status_line.h"

#include <CppUTest/TestHarness.h>
#include <sqlite3.h>

#include <string>

#include "store/sqlite.h"
#include "store/testutil.h"
#include "support/fake_notifier.h"
#include "zoom/zoom_check.h"

namespace telemed {

namespace {

ZoomCheckResult Check(bool configured, bool ok) {
  ZoomCheckResult check;
  check.configured = configured;
  check.ok = ok;
  return check;
}

ZoomCheckItem Item(const std::string& subject, bool ok) {
  ZoomCheckItem item;
  item.subject = subject;
  item.ok = ok;
  item.detail = "secret-looking detail stays out";
  return item;
}

}  // namespace

TEST_GROUP_BASE(StatusLine, test::StoreFixture) {
  test::FakeNotifier notifier;

  StatusLine::Options MakeOptions() {
    StatusLine::Options options;
    options.store = store.get();
    options.notifier = &notifier;
    options.listening = "127.0.0.1:8080";
    return options;
  }

  void Put(const std::string& id) {
    WriteOutcome outcome;
    Appointment stored;
    CHECK_OK(store->PutAppointment(Request(id), &outcome, &stored));
  }
};

TEST(StatusLine, SaysWhereItServesTheQueueAndZoom) {
  AddDoctor("d1");
  Put("a1");
  Put("a2");
  StatusLine line(MakeOptions());
  STRCMP_EQUAL(
      "serving 127.0.0.1:8080; 2 pending, 0 failed; "
      "Zoom not checked yet",
      line.Compose().c_str());
  ZoomCheckResult check = Check(true, true);
  CHECK_OK(SaveZoomCheck(store.get(), check));
  STRCMP_EQUAL("serving 127.0.0.1:8080; 2 pending, 0 failed; Zoom OK",
               line.Compose().c_str());
}

TEST(StatusLine, IsSentOnlyWhenItChanges) {
  AddDoctor("d1");
  StatusLine line(MakeOptions());
  CHECK_TRUE(line.Tick());
  CHECK_FALSE(line.Tick());
  Put("a1");
  CHECK_TRUE(line.Tick());
  CHECK_FALSE(line.Tick());
  LONGS_EQUAL(2, static_cast<int>(notifier.Sent().size()));
  STRCMP_EQUAL(
      "STATUS=serving 127.0.0.1:8080; 1 pending, 0 failed; Zoom not checked "
      "yet",
      notifier.Sent().back().c_str());
}

TEST(StatusLine, StaysQuietOnceTheDaemonIsStopping) {
  bool stopping = false;
  StatusLine::Options options = MakeOptions();
  options.stopping = [&stopping] { return stopping; };
  StatusLine line(options);
  CHECK_TRUE(line.Tick());
  AddDoctor("d1");
  Put("a1");
  stopping = true;
  CHECK_FALSE(line.Tick());
  LONGS_EQUAL(1, static_cast<int>(notifier.Sent().size()));
}

TEST(StatusLine, ADatabaseErrorIsPartOfTheLine) {
  StatusLine::Options options = MakeOptions();
  options.listening = "[::1]:9000";
  StatusLine line(options);
  // Another process breaks the database under the daemon.
  SqliteDb db;
  CHECK_OK(SqliteDb::Open(path, 1000, &db));
  LONGS_EQUAL(SQLITE_OK, sqlite3_exec(db.get(), "DROP TABLE zoom_deletions",
                                      nullptr, nullptr, nullptr));
  std::string text = line.Compose();
  CHECK_EQUAL(0u, text.find("serving [::1]:9000; database error: "));
}

TEST(StatusLine, DescribesEveryStateOfZoom) {
  STRCMP_EQUAL("Zoom not checked yet", DescribeZoom(false, nullptr).c_str());
  ZoomCheckResult unset = Check(false, false);
  STRCMP_EQUAL("Zoom not set up", DescribeZoom(false, &unset).c_str());
  ZoomCheckResult oauth_only = Check(false, true);
  oauth_only.s2s_app_needed = false;
  STRCMP_EQUAL("Zoom OK (doctors' own accounts)",
               DescribeZoom(false, &oauth_only).c_str());
  ZoomCheckResult ok = Check(true, true);
  STRCMP_EQUAL("Zoom OK", DescribeZoom(false, &ok).c_str());
  STRCMP_EQUAL("Zoom refused: the key file does not match",
               DescribeZoom(true, &ok).c_str());
  ZoomCheckResult failing = Check(true, false);
  failing.items = {Item("credentials", true), Item("scopes", false)};
  STRCMP_EQUAL("Zoom failing: scopes", DescribeZoom(false, &failing).c_str());
  failing.items.push_back(Item("doctor d1", false));
  failing.items.push_back(Item("doctor d2", false));
  failing.items.push_back(Item("doctor d3", false));
  STRCMP_EQUAL("Zoom failing: scopes, doctor d1 (+2 more)",
               DescribeZoom(false, &failing).c_str());
}

}  // namespace telemed
