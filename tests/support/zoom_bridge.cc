#include "support/zoom_bridge.h"

#include <cJSON.h>
#include <fcntl.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "base/cjson.h"
#include "base/random.h"
#include "base/time_format.h"
#include "config/data_dir.h"
#include "secrets/secret_box.h"
#include "secrets/secret_key.h"
#include "store/store.h"
#include "zoom/https_transport.h"
#include "zoom/s2s_token_source.h"
#include "zoom/user_oauth.h"
#include "zoom/user_token_source.h"

namespace telemed {
namespace test {

namespace {

void Require(bool ok, const std::string& what) {
  if (ok) return;
  fprintf(stderr, "ZoomBridge: %s\n", what.c_str());
  abort();
}

void Require(const Status& status, const char* what) {
  Require(status.ok(), std::string(what) + ": " + status.ToString());
}

std::string Text(const cJSON* object, const char* name) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, name);
  return cJSON_IsString(item) ? item->valuestring : "";
}

int64_t Integer(const cJSON* object, const char* name) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, name);
  return cJSON_IsNumber(item) ? static_cast<int64_t>(item->valuedouble) : 0;
}

void ReadMeeting(const cJSON* meeting, AppointmentView* out) {
  if (!cJSON_IsObject(meeting)) return;
  out->has_meeting = true;
  const cJSON* id = cJSON_GetObjectItemCaseSensitive(meeting, "id");
  // The API promises a string: Zoom's ids exceed 32 bits.
  out->meeting_id = cJSON_IsString(id) ? id->valuestring : "<not a string>";
  out->join_url = Text(meeting, "join_url");
  out->passcode = Text(meeting, "passcode");
}

AppointmentView ReadAppointment(const cJSON* item) {
  AppointmentView view;
  view.id = Text(item, "id");
  view.start_time = Text(item, "start_time");
  view.duration_minutes = static_cast<int>(Integer(item, "duration_minutes"));
  view.cancelled =
      cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "cancelled"));
  view.sync_status = Text(item, "sync_status");
  view.revision = Integer(item, "revision");
  ReadMeeting(cJSON_GetObjectItemCaseSensitive(item, "meeting"), &view);
  const cJSON* error = cJSON_GetObjectItemCaseSensitive(item, "error");
  if (cJSON_IsObject(error)) {
    view.error_code = Text(error, "code");
    view.retry_at = Text(error, "retry_at");
  }
  return view;
}

// 32 random bytes, 0600, as an admin would provision the key.
void WriteKeyFile(const std::string& path, RandomSource* random) {
  uint8_t bytes[SecretKey::kSize];
  Require(random->Fill(bytes, sizeof(bytes)), "random key");
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  Require(fd >= 0 && write(fd, bytes, sizeof(bytes)) ==
                         static_cast<ssize_t>(sizeof(bytes)),
          "cannot write " + path);
  close(fd);
}

}  // namespace

bool ParseAppointment(const std::string& json, AppointmentView* out) {
  CjsonPtr root(cJSON_Parse(json.c_str()));
  if (!cJSON_IsObject(root.get())) return false;
  *out = ReadAppointment(root.get());
  return !out->sync_status.empty();
}

std::string UtcFromNow(int64_t seconds) {
  RealClock clock;
  return FormatRfc3339Utc((clock.NowSeconds() + seconds) / 60 * 60);
}

bool WaitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

bool LoggedSince(const FakeZoom& zoom, const std::string& method,
                 const std::string& path_prefix, bool finished, size_t after) {
  std::vector<LoggedRequest> log = zoom.Requests();
  for (size_t i = after; i < log.size(); ++i) {
    if (log[i].method == method && log[i].path.rfind(path_prefix, 0) == 0 &&
        (!finished || log[i].finished)) {
      return true;
    }
  }
  return false;
}

bool AllRequestsFinished(const FakeZoom& zoom) {
  for (const LoggedRequest& entry : zoom.Requests()) {
    if (!entry.finished) return false;
  }
  return true;
}

ZoomBridge::ZoomBridge() : ZoomBridge(Options()) {}

ZoomBridge::ZoomBridge(const Options& options)
    : zoom_options_(options.zoom), serve_args_(options.serve_args) {
  zoom_options_.clock = &clock_;
  zoom_ = std::make_unique<FakeZoom>(zoom_options_);
  for (const std::string& user : options.users) {
    zoom_->AddUser(user, user + "@clinic.example");
  }
  zoom_->Mount(&server_.server());
  server_.Start();
  Configure();
}

ZoomBridge::~ZoomBridge() = default;

void ZoomBridge::OpenDatabaseAndKey(RandomSource* random,
                                    std::unique_ptr<Store>* store,
                                    std::unique_ptr<SecretKey>* key) {
  Store::Options store_options;
  store_options.path = DatabasePath(data_dir_);
  store_options.clock = &clock_;
  Require(Store::Open(store_options, store), "opening the database");
  Require(SecretKey::Load(KeyLocation{key_file_, false}, random, key),
          "loading the key");
}

void ZoomBridge::Configure() {
  data_dir_ = dir_.File("data");
  key_file_ = dir_.File("bridge.key");
  Require(mkdir(data_dir_.c_str(), 0700) == 0, "cannot create " + data_dir_);
  std::unique_ptr<RandomSource> random;
  Require(RealRandom::Open(&random), "random source");
  WriteKeyFile(key_file_, random.get());
  {
    std::unique_ptr<Store> store;
    std::unique_ptr<SecretKey> key;
    OpenDatabaseAndKey(random.get(), &store, &key);
    Require(store->BindKeyFingerprint(key->fingerprint(), key_file_),
            "binding the key");
    SecretBox box(key.get(), random.get());
    Require(SaveS2sCredentials(store.get(), box,
                               S2sCredentials{zoom_options_.account_id,
                                              zoom_options_.client_id,
                                              zoom_options_.client_secret}),
            "saving the S2S app");
  }
  CliResult created =
      RunCli({"apikey", "create", "emr", "--data-dir", data_dir_});
  Require(created.exit_code == 0, "apikey create: " + created.err);
  size_t last = created.out.find_last_of('\n', created.out.size() - 2);
  api_key_ = created.out.substr(last + 1);
  if (!api_key_.empty() && api_key_.back() == '\n') api_key_.pop_back();
}

Status ZoomBridge::Start() {
  Require(daemon_ == nullptr, "Start() while the daemon runs");
  DaemonProcess::Options options;
  options.data_dir = data_dir_;
  options.args = CliFlags();
  // DaemonProcess passes --data-dir itself.
  options.args.erase(options.args.begin(), options.args.begin() + 2);
  options.args.insert(options.args.end(), serve_args_.begin(),
                      serve_args_.end());
  return DaemonProcess::Start(options, &daemon_);
}

void ZoomBridge::Kill() {
  if (daemon_ == nullptr) return;
  daemon_->Kill();
  earlier_stderr_ += daemon_->Stderr();
  daemon_.reset();
}

int ZoomBridge::Terminate() {
  Require(daemon_ != nullptr, "Terminate() without a daemon");
  int code = daemon_->Terminate();
  earlier_stderr_ += daemon_->Stderr();
  daemon_.reset();
  return code;
}

int ZoomBridge::SignalAndWait(int signo, std::chrono::milliseconds limit) {
  Require(daemon_ != nullptr, "SignalAndWait() without a daemon");
  int code = daemon_->SignalAndWait(signo, limit);
  if (code == -1) return code;
  earlier_stderr_ += daemon_->Stderr();
  daemon_.reset();
  return code;
}

std::vector<std::string> ZoomBridge::CliFlags() const {
  return {"--data-dir",    data_dir_,         "--zoom-oauth-url",
          server_.Url(""), "--zoom-api-url",  server_.Url("/v2"),
          "--ca-file",     server_.ca_file(), "--key-file",
          key_file_};
}

std::string ZoomBridge::Stderr() const {
  return earlier_stderr_ + (daemon_ != nullptr ? daemon_->Stderr() : "");
}

ApiAnswer ZoomBridge::Send(const std::string& method, const std::string& path,
                           const std::string& json) {
  Require(daemon_ != nullptr, "an API call without a daemon");
  httplib::Client client("127.0.0.1", daemon_->port());
  client.set_read_timeout(90, 0);  // long-polls wait up to 60 s
  httplib::Headers headers = {{"Authorization", "Bearer " + api_key_}};
  const std::string full = "/api/v1" + path;
  httplib::Result result =
      method == "PUT"
          ? client.Put(full.c_str(), headers, json, "application/json")
      : method == "POST"
          ? client.Post(full.c_str(), headers, json, "application/json")
      : method == "DELETE" ? client.Delete(full.c_str(), headers)
                           : client.Get(full.c_str(), headers);
  ApiAnswer answer;
  if (result) {
    answer.status = result->status;
    answer.body = result->body;
  }
  return answer;
}

ApiAnswer ZoomBridge::Get(const std::string& path) {
  return Send("GET", path, "");
}

ApiAnswer ZoomBridge::Put(const std::string& path, const std::string& json) {
  return Send("PUT", path, json);
}

ApiAnswer ZoomBridge::Post(const std::string& path) {
  return Send("POST", path, "");
}

ApiAnswer ZoomBridge::Post(const std::string& path, const std::string& json) {
  return Send("POST", path, json);
}

ApiAnswer ZoomBridge::Delete(const std::string& path) {
  return Send("DELETE", path, "");
}

ApiAnswer ZoomBridge::PutDoctor(const std::string& id,
                                const std::string& zoom_user) {
  return Put("/doctors/" + id, R"({"name":"Dr )" + id +
                                   R"(","auth":"s2s","zoom_user":")" +
                                   zoom_user + "\"}");
}

ApiAnswer ZoomBridge::PutAppointment(const std::string& id,
                                     const std::string& doctor_id,
                                     const std::string& start_time,
                                     int duration_minutes, bool cancelled) {
  return Put("/appointments/" + id,
             R"({"doctor_id":")" + doctor_id + R"(","start_time":")" +
                 start_time + R"(","duration_minutes":)" +
                 std::to_string(duration_minutes) +
                 R"(,"timezone":"Europe/Berlin","cancelled":)" +
                 (cancelled ? "true" : "false") + "}");
}

AppointmentView ZoomBridge::Appointment(const std::string& id) {
  AppointmentView view;
  ApiAnswer answer = Get("/appointments/" + id);
  if (answer.status != 200 || !ParseAppointment(answer.body, &view)) {
    view = AppointmentView();
  }
  return view;
}

FeedPage ZoomBridge::Feed(const std::string& since, int wait_seconds,
                          int limit) {
  std::string query = "/appointments?wait=" + std::to_string(wait_seconds) +
                      "&limit=" + std::to_string(limit);
  if (!since.empty()) query += "&since=" + since;
  ApiAnswer answer = Get(query);
  FeedPage page;
  page.status = answer.status;
  CjsonPtr root(cJSON_Parse(answer.body.c_str()));
  if (!cJSON_IsObject(root.get())) return page;
  page.next_cursor = Text(root.get(), "next_cursor");
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item,
                     cJSON_GetObjectItemCaseSensitive(root.get(), "items")) {
    page.items.push_back(ReadAppointment(item));
  }
  return page;
}

bool ZoomBridge::WaitForStatus(const std::vector<std::string>& ids,
                               const std::string& sync_status,
                               std::chrono::milliseconds timeout) {
  return WaitUntil(
      [&] {
        for (const std::string& id : ids) {
          if (Appointment(id).sync_status != sync_status) return false;
        }
        return true;
      },
      timeout);
}

std::string ZoomBridge::FindMeetingProblems(
    const std::vector<std::string>& live) {
  std::string problems;
  std::set<std::string> on_zoom;
  for (const FakeMeeting& meeting : zoom_->Meetings()) {
    on_zoom.insert(std::to_string(meeting.id));
  }
  std::set<std::string> claimed;
  for (const std::string& id : live) {
    AppointmentView view = Appointment(id);
    if (view.sync_status != "synced" || !view.has_meeting) {
      problems += id + " reads '" + view.sync_status + "' without a meeting\n";
    } else if (on_zoom.count(view.meeting_id) == 0) {
      problems += id + " names meeting " + view.meeting_id + " Zoom lacks\n";
    } else if (!claimed.insert(view.meeting_id).second) {
      problems += id + " shares meeting " + view.meeting_id + "\n";
    }
  }
  for (const std::string& meeting : on_zoom) {
    if (claimed.count(meeting) == 0) {
      problems += "meeting " + meeting + " belongs to no appointment\n";
    }
  }
  return problems;
}

namespace {

constexpr char kBridgeRedirect[] = "https://bridge.local:8443/oauth/callback";

// The code the fake's /oauth/authorize redirects with for `pkce`.
std::string AuthorizedCode(ZoomTransport* transport, const std::string& base,
                           const std::string& client_id, const Pkce& pkce) {
  HttpRequest request;
  request.method = "GET";
  request.url =
      AuthorizeUrl(base, client_id, kBridgeRedirect, "state-1", pkce.challenge);
  HttpResponse response;
  Require(transport->Send(request, &response), "GET /oauth/authorize");
  Require(response.status == 302, "/oauth/authorize did not redirect");
  const std::string location = response.Header("location");
  httplib::Params query;
  httplib::detail::parse_query_text(location.substr(location.find('?') + 1),
                                    query);
  auto code = query.find("code");
  Require(code != query.end(), "no code in " + location);
  return code->second;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

}  // namespace

ZoomBridge::Connection ZoomBridge::ConnectDoctor(const std::string& doctor_id,
                                                 const std::string& user_id) {
  std::unique_ptr<RandomSource> random;
  Require(RealRandom::Open(&random), "random source");
  HttpsTransport::Options https;
  https.ca_file = server_.ca_file();
  https.random = random.get();
  std::unique_ptr<HttpsTransport> transport;
  Require(HttpsTransport::Open(https, &transport), "HTTPS to the fake");
  const OAuthApp app{zoom_options_.oauth_client_id,
                     zoom_options_.oauth_client_secret, kBridgeRedirect};
  zoom_->SetAuthorizingUser(user_id);
  Pkce pkce;
  Require(NewPkce(random.get(), &pkce), "PKCE");
  const std::string code =
      AuthorizedCode(transport.get(), server_.Url(""), app.client_id, pkce);
  UserTokens tokens;
  ZoomFailure failure = ZoomFailure::kNone;
  Require(ExchangeCode(OAuthEndpoint{server_.Url(""), transport.get(), &clock_},
                       app, code, pkce.verifier, kBridgeRedirect, &tokens,
                       &failure),
          "exchanging the code");

  std::unique_ptr<Store> store;
  std::unique_ptr<SecretKey> key;
  OpenDatabaseAndKey(random.get(), &store, &key);
  SecretBox box(key.get(), random.get());
  Require(SaveOAuthApp(store.get(), box, app), "saving the OAuth app");
  UserTokenSource::Options options;
  options.grants = store.get();
  options.settings = store.get();
  options.box = &box;
  options.clock = &clock_;
  options.random = random.get();
  UserTokenSource source(options);
  ZoomUser user;
  user.id = user_id;
  user.email = user_id + "@clinic.example";
  int64_t generation = 0;
  Require(source.StoreNewGrant(doctor_id, tokens, user, &generation),
          "storing the grant");
  DoctorGrant grant;
  bool found = false;
  Require(store->GetGrant(doctor_id, &grant, &found), "reading the grant");
  return Connection{tokens.access_token, tokens.refresh_token,
                    grant.sealed_access_token, grant.sealed_refresh_token};
}

std::string ZoomBridge::DatabaseBytes() const {
  const std::string path = DatabasePath(data_dir_);
  return FileBytes(path) + FileBytes(path + "-wal");
}

}  // namespace test
}  // namespace telemed
