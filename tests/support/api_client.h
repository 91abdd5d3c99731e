// Talking to a running daemon the way clinic software does, for system tests
// that check what the daemon stored: an appointment's clinic fields as the
// tests PUT them, what the API returned for one, a keep-alive client with one
// API key, and a seed for randomised tests.
#ifndef TELEMED_TESTS_SUPPORT_API_CLIENT_H_
#define TELEMED_TESTS_SUPPORT_API_CLIENT_H_

#include <httplib.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace telemed {
namespace test {

// The clinic fields the tests vary. start_time is already UTC ("...Z"), so
// the daemon stores and returns it unchanged.
struct AppointmentFields {
  std::string doctor_id;
  std::string start_time = "2030-01-07T09:00:00Z";
  int duration_minutes = 30;
  std::string topic;

  bool operator==(const AppointmentFields& other) const;
  bool operator!=(const AppointmentFields& other) const {
    return !(*this == other);
  }
  // The PUT body.
  std::string ToJson() const;
};

// An appointment as a GET, a PUT answer or a feed item shows it.
struct StoredAppointment {
  std::string id;
  AppointmentFields fields;
  int64_t revision = 0;
};

// Parses one appointment object; false when `json` is not one.
bool ParseAppointment(const std::string& json, StoredAppointment* out);

// One keep-alive connection to the daemon on 127.0.0.1:`port`. Not
// thread-safe: one per thread.
class ApiClient final {
 public:
  ApiClient(int port, const std::string& api_key);

  httplib::Result PutAppointment(const std::string& id,
                                 const AppointmentFields& fields);
  // GET of `path` below /api/v1 ("/doctors", "/appointments/x", ...).
  httplib::Result Get(const std::string& path);
  // Pages the feed from `*cursor` to its end, appending the items and
  // moving the cursor; false (with `*error`) on any failure. Each request
  // long-polls up to `wait_seconds` when nothing is new.
  bool ReadFeed(std::string* cursor, int wait_seconds,
                std::vector<StoredAppointment>* items, std::string* error);

 private:
  httplib::Client http_;
  httplib::Headers headers_;
};

// Pages the whole feed from cursor 0 and compares it with `expected` (by
// id): each one exactly once, with its fields and revision, and nothing
// else. The problems found, one per line; "" when none.
// Follows the feed to its end, then until a 1-second long-poll comes back
// empty: the daemon (its sync engine too) has stopped changing appointments.
// Gives up after `max_seconds`; returns false then or on a feed error.
bool WaitForQuietFeed(ApiClient* api, int max_seconds = 60);

std::string CompareFeedFromStart(
    ApiClient* api, std::map<std::string, StoredAppointment> expected);

// Sets up `data_dir` with the CLI as an operator would for a clinic: an API
// key (returned in *api_key) and the s2s doctor `doctor_id`. A failure
// carries the CLI's stderr.
Status SetUpClinic(const std::string& data_dir, const std::string& doctor_id,
                   std::string* api_key);

// The seed of a randomised test: TELEMED_TEST_SEED when set, else a fresh
// one. Printed either way, so a failure can be replayed.
uint64_t TestSeed(const char* test_name);

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_API_CLIENT_H_
