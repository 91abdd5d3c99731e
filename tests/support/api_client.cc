#include "support/api_client.h"

#include <cstdio>
#include <cstdlib>
#include <random>

#include "base/cjson.h"
#include "support/daemon_process.h"

namespace telemed {
namespace test {

namespace {

constexpr size_t kFeedPageLimit = 100;

std::string StringField(const cJSON* object, const char* name) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, name);
  return cJSON_IsString(item) ? item->valuestring : "";
}

// -1 when absent or not a number.
int64_t NumberField(const cJSON* object, const char* name) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, name);
  return cJSON_IsNumber(item) ? static_cast<int64_t>(item->valuedouble) : -1;
}

bool ReadAppointment(const cJSON* object, StoredAppointment* out) {
  out->id = StringField(object, "id");
  out->fields.doctor_id = StringField(object, "doctor_id");
  out->fields.start_time = StringField(object, "start_time");
  out->fields.duration_minutes =
      static_cast<int>(NumberField(object, "duration_minutes"));
  out->fields.topic = StringField(object, "topic");  // null: no topic
  out->revision = NumberField(object, "revision");
  return !out->id.empty() && out->revision > 0;
}

// Appends the items of one feed page; false when `body` is not a page.
bool ReadFeedPage(const std::string& body,
                  std::vector<StoredAppointment>* items, std::string* cursor,
                  size_t* count) {
  CjsonPtr root(cJSON_Parse(body.c_str()));
  const cJSON* array = cJSON_GetObjectItemCaseSensitive(root.get(), "items");
  std::string next = StringField(root.get(), "next_cursor");
  if (!cJSON_IsArray(array) || next.empty()) return false;
  *count = 0;
  const cJSON* item;
  cJSON_ArrayForEach(item, array) {
    items->emplace_back();
    if (!ReadAppointment(item, &items->back())) return false;
    ++*count;
  }
  *cursor = next;
  return true;
}

}  // namespace

bool AppointmentFields::operator==(const AppointmentFields& other) const {
  return doctor_id == other.doctor_id && start_time == other.start_time &&
         duration_minutes == other.duration_minutes && topic == other.topic;
}

std::string AppointmentFields::ToJson() const {
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddStringToObject(root.get(), "doctor_id", doctor_id.c_str());
  cJSON_AddStringToObject(root.get(), "start_time", start_time.c_str());
  cJSON_AddNumberToObject(root.get(), "duration_minutes", duration_minutes);
  cJSON_AddStringToObject(root.get(), "topic", topic.c_str());
  return PrintJson(root.get());
}

bool ParseAppointment(const std::string& json, StoredAppointment* out) {
  CjsonPtr root(cJSON_Parse(json.c_str()));
  return root != nullptr && ReadAppointment(root.get(), out);
}

ApiClient::ApiClient(int port, const std::string& api_key)
    : http_("127.0.0.1", port),
      headers_{{"Authorization", "Bearer " + api_key}} {
  http_.set_keep_alive(true);
}

httplib::Result ApiClient::PutAppointment(const std::string& id,
                                          const AppointmentFields& fields) {
  return http_.Put(("/api/v1/appointments/" + id).c_str(), headers_,
                   fields.ToJson(), "application/json");
}

httplib::Result ApiClient::Get(const std::string& path) {
  return http_.Get(("/api/v1" + path).c_str(), headers_);
}

bool ApiClient::ReadFeed(std::string* cursor, int wait_seconds,
                         std::vector<StoredAppointment>* items,
                         std::string* error) {
  for (;;) {
    auto page = Get("/appointments?since=" + *cursor +
                    "&limit=" + std::to_string(kFeedPageLimit) +
                    "&wait=" + std::to_string(wait_seconds));
    if (!page || page->status != 200) {
      *error = page ? page->body : httplib::to_string(page.error());
      return false;
    }
    size_t count = 0;
    if (!ReadFeedPage(page->body, items, cursor, &count)) {
      *error = "not a feed page: " + page->body;
      return false;
    }
    if (count < kFeedPageLimit) return true;
  }
}

bool WaitForQuietFeed(ApiClient* api, int max_seconds) {
  std::string cursor = "0", error;
  std::vector<StoredAppointment> items;
  if (!api->ReadFeed(&cursor, 0, &items, &error)) return false;
  for (int i = 0; i < max_seconds; ++i) {
    items.clear();
    if (!api->ReadFeed(&cursor, 1, &items, &error)) return false;
    if (items.empty()) return true;
  }
  return false;
}

std::string CompareFeedFromStart(
    ApiClient* api, std::map<std::string, StoredAppointment> expected) {
  std::string cursor = "0", problems;
  std::vector<StoredAppointment> items;
  if (!api->ReadFeed(&cursor, 0, &items, &problems)) return problems + "\n";
  for (const StoredAppointment& item : items) {
    auto it = expected.find(item.id);
    if (it == expected.end()) {
      problems += item.id + ": unexpected or repeated in the feed\n";
    } else if (it->second.fields != item.fields ||
               item.revision < it->second.revision) {
      // The sync engine's own status changes may have moved revision on;
      // the clinic's fields must be the expected ones.
      problems += item.id + ": the feed shows revision " +
                  std::to_string(item.revision) + " with other fields than " +
                  "the expected revision " +
                  std::to_string(it->second.revision) + "\n";
    }
    if (it != expected.end()) expected.erase(it);
  }
  for (const auto& missing : expected) {
    problems += missing.first + ": stored but missing from the feed\n";
  }
  return problems;
}

Status SetUpClinic(const std::string& data_dir, const std::string& doctor_id,
                   std::string* api_key) {
  CliResult key =
      RunCli({"apikey", "create", "clinic", "--data-dir", data_dir});
  CliResult doctor = RunCli(
      {"doctor", "put", doctor_id, "--name", "Dr " + doctor_id, "--zoom-user",
       doctor_id + "@clinic.example", "--data-dir", data_dir});
  for (const CliResult* result : {&key, &doctor}) {
    if (result->exit_code != 0) {
      return Status::Internal(
          "cli_failed", "the CLI exited " + std::to_string(result->exit_code) +
                            ": " + result->err);
    }
  }
  std::string out = key.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  *api_key = out.substr(out.rfind('\n') + 1);
  return Status::OK();
}

uint64_t TestSeed(const char* test_name) {
  const char* fixed = std::getenv("TELEMED_TEST_SEED");
  uint64_t seed = fixed != nullptr ? std::strtoull(fixed, nullptr, 10)
                                   : std::random_device()();
  std::fprintf(stderr, "\n%s: seed %llu (rerun with TELEMED_TEST_SEED=%llu)\n",
               test_name, static_cast<unsigned long long>(seed),
               static_cast<unsigned long long>(seed));
  return seed;
}

}  // namespace test
}  // namespace telemed
