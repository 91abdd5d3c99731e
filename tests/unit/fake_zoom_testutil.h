// Test helpers for the FakeZoom tests: the fake mounted on a plain HTTP
// server on 127.0.0.1 (free port, own thread), a client that fetches and
// sends a bearer token, and readers for JSON answers. Header-only; used
// only by tests/unit/fake_zoom*_test.cc.
#ifndef TELEMED_TESTS_UNIT_FAKE_ZOOM_TESTUTIL_H_
#define TELEMED_TESTS_UNIT_FAKE_ZOOM_TESTUTIL_H_

#include <CppUTest/TestHarness.h>
#include <cJSON.h>
#include <httplib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "base/cjson.h"
#include "base/fake_clock.h"
#include "support/fake_zoom.h"

namespace telemed {
namespace test {

// What the client saw: `answered` false when no response came back.
struct Answer {
  bool answered = false;
  httplib::Error error = httplib::Error::Success;
  int status = 0;
  std::string body;
  httplib::Headers headers;

  std::string Header(const char* name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  bool HasHeader(const char* name) const { return headers.count(name) > 0; }
};

inline Answer ToAnswer(const httplib::Result& result) {
  Answer answer;
  answer.error = result.error();
  if (!result) return answer;
  answer.answered = true;
  answer.status = result->status;
  answer.body = result->body;
  answer.headers = result->headers;
  return answer;
}

// A top-level field of a JSON body as text: strings bare, other values as
// JSON ("<not json>" or "<absent>" when it cannot be read).
inline std::string Field(const std::string& body, const char* name) {
  CjsonPtr root(cJSON_Parse(body.c_str()));
  if (!root) return "<not json>";
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(root.get(), name);
  if (item == nullptr) return "<absent>";
  if (cJSON_IsString(item)) return item->valuestring;
  return PrintJson(item);
}

// Zoom's error code of an answer, or -1 when the body has none.
inline int ZoomCode(const std::string& body) {
  CjsonPtr root(cJSON_Parse(body.c_str()));
  const cJSON* code = cJSON_GetObjectItemCaseSensitive(root.get(), "code");
  return cJSON_IsNumber(code) ? static_cast<int>(code->valuedouble) : -1;
}

// The meeting id of a create answer (read as a double: see
// docs/library-notes.md on cJSON's valueint).
inline int64_t MeetingId(const std::string& body) {
  CjsonPtr root(cJSON_Parse(body.c_str()));
  const cJSON* id = cJSON_GetObjectItemCaseSensitive(root.get(), "id");
  return cJSON_IsNumber(id) ? static_cast<int64_t>(id->valuedouble) : -1;
}

// A FakeZoom on http://127.0.0.1:<port>, with users "u1"
// (doc1@clinic.test) and "u2" (doc2@clinic.test).
class ZoomTestServer final {
 public:
  ZoomTestServer(FakeClock* clock, FakeZoom::Options options)
      : clock_(clock), zoom_(WithClock(options, clock)) {
    zoom_.AddUser("u1", "doc1@clinic.test");
    zoom_.AddUser("u2", "doc2@clinic.test");
    zoom_.Mount(&server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    runner_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the loop runs; wait so teardown cannot hang.
    while (!server_.is_running()) std::this_thread::yield();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }
  ~ZoomTestServer() {
    server_.stop();
    runner_.join();
  }
  ZoomTestServer(const ZoomTestServer&) = delete;
  ZoomTestServer& operator=(const ZoomTestServer&) = delete;

  FakeZoom& zoom() { return zoom_; }
  FakeClock* clock() { return clock_; }
  httplib::Client& client() { return *client_; }
  int port() const { return port_; }

  // POST /oauth/token with Basic auth and a form body.
  Answer RequestToken(const std::string& client_id = "fake-client-id",
                      const std::string& secret = GeneratedS2sClientSecret(),
                      const std::string& account = "fake-account-id") {
    httplib::Headers headers = {
        httplib::make_basic_authentication_header(client_id, secret)};
    return ToAnswer(
        client_->Post("/oauth/token", headers,
                      "grant_type=account_credentials&account_id=" + account,
                      "application/x-www-form-urlencoded"));
  }

  // Gets a fresh token and sends it with every later Send().
  void Authenticate() { token_ = Field(RequestToken().body, "access_token"); }
  void SetToken(const std::string& token) { token_ = token; }
  const std::string& token() const { return token_; }

  // One API call; a JSON body is sent when `body` is not empty.
  Answer Send(const std::string& method, const std::string& path,
              const std::string& body = "") {
    if (token_.empty()) Authenticate();
    httplib::Headers headers = {{"Authorization", "Bearer " + token_}};
    const char* type = "application/json";
    if (method == "GET") return ToAnswer(client_->Get(path.c_str(), headers));
    if (method == "DELETE") return ToAnswer(client_->Delete(path, headers));
    if (method == "PATCH") {
      return ToAnswer(client_->Patch(path, headers, body, type));
    }
    return ToAnswer(client_->Post(path, headers, body, type));
  }

  // Creates a meeting for `user` and returns its id (-1 on failure).
  int64_t Create(const std::string& user, const std::string& extra = "") {
    const std::string body =
        R"({"topic":"Video visit","type":2,"start_time":"2026-06-01T10:00:00Z",)"
        R"("duration":30,"timezone":"Europe/Berlin","password":"Ab3xYz9",)"
        R"("settings":{"waiting_room":true})" +
        extra + "}";
    Answer answer = Send("POST", "/v2/users/" + user + "/meetings", body);
    return answer.status == 201 ? MeetingId(answer.body) : -1;
  }

 private:
  static FakeZoom::Options WithClock(FakeZoom::Options options,
                                     FakeClock* clock) {
    options.clock = clock;
    return options;
  }

  FakeClock* clock_;
  FakeZoom zoom_;
  httplib::Server server_;
  int port_ = 0;
  std::thread runner_;
  std::unique_ptr<httplib::Client> client_;
  std::string token_;
};

// Base of the FakeZoom test groups: a fresh fake with default options on
// a FakeClock for every test.
TEST_BASE(FakeZoomFixture) {
  FakeClock clock;
  std::unique_ptr<ZoomTestServer> zoom;
  void setup() override {
    zoom = std::make_unique<ZoomTestServer>(&clock, FakeZoom::Options());
  }
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_UNIT_FAKE_ZOOM_TESTUTIL_H_
