// No secret reaches the daemon's log: after a run that creates, looks up a
// lost create (its read-back carries a start URL), reschedules across a
// token renewal and cancels meetings, stderr holds neither the client
// secret, an access token, a passcode nor a start URL.
#include <CppUTest/TestHarness.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "support/zoom_bridge.h"

namespace telemed {
namespace {

using std::chrono::seconds;

constexpr char kClientSecret[] = "Kx9-client-secret-q2Z";

// What the fake puts in every access token ("fz." + hex) and start URL
// ("/s/<id>?zak=..."), and what a join URL carries as its passcode.
const std::vector<std::string> kSecretShapes = {"fz.", "zak=", "/s/", "pwd="};

}  // namespace

TEST_GROUP(ZoomSecrets){};

TEST(ZoomSecrets, TheLogHoldsNoSecretTokenPasscodeOrStartUrl) {
  test::ZoomBridge::Options options;
  options.zoom.client_secret = kClientSecret;
  test::ZoomBridge bridge(options);
  Status s = bridge.Start();
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  LONGS_EQUAL(201, bridge.PutDoctor("d1", "u1").status);
  test::Fault lost;
  lost.method = "POST";
  lost.path_prefix = "/v2/users/";
  lost.kind = test::FaultKind::kDropAfterWork;
  bridge.zoom().InjectFault(lost);
  const std::vector<std::string> ids = {"a1", "a2"};
  for (const std::string& id : ids) {
    LONGS_EQUAL(201,
                bridge.PutAppointment(id, "d1", test::UtcFromNow(2 * 86400), 30)
                    .status);
  }
  CHECK_TRUE(bridge.WaitForStatus(ids, "synced", seconds(20)));
  std::vector<std::string> passcodes;
  for (const std::string& id : ids) {
    passcodes.push_back(bridge.Appointment(id).passcode);
  }
  bridge.zoom().ExpireAllTokens();
  LONGS_EQUAL(200,
              bridge.PutAppointment("a1", "d1", test::UtcFromNow(3 * 86400), 30)
                  .status);
  LONGS_EQUAL(200, bridge.Delete("/appointments/a2").status);
  CHECK_TRUE(test::WaitUntil(
      [&] { return bridge.zoom().Meetings().size() == 1; }, seconds(20)));
  CHECK_TRUE(bridge.WaitForStatus(ids, "synced", seconds(20)));
  LONGS_EQUAL(0, bridge.Terminate());

  const std::string log = bridge.Stderr();
  STRCMP_CONTAINS("created Zoom meeting", log.c_str());
  STRCMP_CONTAINS("deleted Zoom meeting", log.c_str());
  CHECK_TRUE(bridge.zoom().CountRequests("POST", "/oauth/token") >= 2);
  std::vector<std::string> forbidden = kSecretShapes;
  forbidden.push_back(kClientSecret);
  forbidden.insert(forbidden.end(), passcodes.begin(), passcodes.end());
  for (const std::string& secret : forbidden) {
    CHECK_TRUE(!secret.empty());
    CHECK_TRUE_TEXT(log.find(secret) == std::string::npos,
                    ("the log holds " + secret + ":\n" + log).c_str());
  }
}

// A lost key file replaced by a new one (or a database restored beside
// another key): the clinic's API keeps working, nothing reaches Zoom, and
// every appointment fails with a message that says what to do.
TEST(ZoomSecrets, AnotherKeyFileRefusesZoomButTheApiKeepsServing) {
  test::ZoomBridge bridge;
  FILE* key = std::fopen(bridge.key_file().c_str(), "wb");
  CHECK_TRUE(key != nullptr);
  std::fputs("a-different-32-byte-key-file-xyz", key);
  std::fclose(key);
  Status s = bridge.Start();
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  LONGS_EQUAL(201, bridge.PutDoctor("d1", "u1").status);
  LONGS_EQUAL(201,
              bridge.PutAppointment("a1", "d1", test::UtcFromNow(2 * 86400), 30)
                  .status);
  CHECK_TRUE(bridge.WaitForStatus({"a1"}, "failed", seconds(20)));
  test::AppointmentView failed = bridge.Appointment("a1");
  STRCMP_EQUAL("zoom_credentials_invalid", failed.error_code.c_str());
  test::ApiAnswer shown = bridge.Get("/appointments/a1");
  STRCMP_CONTAINS("zoom forget", shown.body.c_str());
  STRCMP_CONTAINS("sealed under", bridge.Stderr().c_str());
  LONGS_EQUAL(0, bridge.zoom().CountRequests("", ""));
  LONGS_EQUAL(0, bridge.Terminate());
}

}  // namespace telemed
