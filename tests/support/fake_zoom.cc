// FakeZoom's request pipeline (faults, then auth, limits and the route),
// its request log, and the public controls and inspection.
#include "support/fake_zoom.h"

#include <strings.h>

#include <chrono>
#include <regex>
#include <thread>

#include "base/clock.h"
#include "support/fake_zoom_impl.h"

namespace telemed {
namespace test {

namespace {

// What a proxy in front of an API sends when it breaks: not JSON.
constexpr char kGarbage[] =
    "<html><head><title>Oops</title></head><body>upstream hiccup</body>";

void SleepMs(int ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

std::string RegexEscape(const std::string& text) {
  static const std::regex kSpecial(R"([.^$|()\[\]{}*+?\\])");
  return std::regex_replace(text, kSpecial, R"(\$&)");
}

bool Matches(const Fault& fault, const std::string& method,
             const std::string& path) {
  return (fault.method.empty() || fault.method == method) &&
         path.compare(0, fault.path_prefix.size(), fault.path_prefix) == 0;
}

bool DoesWork(FaultKind kind) {
  return kind == FaultKind::kDelay || kind == FaultKind::kDelayAfterWork ||
         kind == FaultKind::kDropAfterWork ||
         kind == FaultKind::kGarbageAfterWork;
}

bool Drops(FaultKind kind) {
  return kind == FaultKind::kDropBeforeWork ||
         kind == FaultKind::kDelayThenDrop || kind == FaultKind::kDropAfterWork;
}

// httplib 0.11 has already written the status line and headers when it
// calls a content provider; one that fails closes the connection with the
// declared body missing, so a client sees a read error and no response.
void CutConnection(httplib::Response* response) {
  response->status = 500;
  response->set_content_provider(
      64, "application/json",
      [](size_t, size_t, httplib::DataSink&) { return false; });
}

void Write(const Reply& reply, httplib::Response* response) {
  response->status = reply.status;
  for (const auto& header : reply.headers) {
    response->set_header(header.first.c_str(), header.second);
  }
  if (!reply.body.empty()) {
    response->set_content(reply.body, reply.content_type.c_str());
  }
}

std::string QueryOf(const httplib::Request& request) {
  size_t mark = request.target.find('?');
  return mark == std::string::npos ? "" : request.target.substr(mark + 1);
}

std::string FirstMatch(const httplib::Request& request) {
  return request.matches.size() > 1 ? request.matches[1].str() : "";
}

}  // namespace

std::vector<std::string> AllS2sScopes() {
  return {"meeting:write:meeting:admin",      "meeting:update:meeting:admin",
          "meeting:delete:meeting:admin",     "meeting:read:meeting:admin",
          "meeting:read:list_meetings:admin", "user:read:user:admin",
          "user:read:list_users:admin"};
}

std::map<std::string, int> DefaultTimezones() {
  return {{"UTC", 0},
          {"Etc/UTC", 0},
          {"Europe/London", 0},
          {"Europe/Berlin", 60},
          {"Europe/Paris", 60},
          {"America/New_York", -300},
          {"America/Chicago", -360},
          {"America/Los_Angeles", -480},
          {"Asia/Tokyo", 540},
          {"Australia/Sydney", 600}};
}

Reply ErrorReply(int status, int code, const std::string& message) {
  CjsonPtr json(cJSON_CreateObject());
  cJSON_AddNumberToObject(json.get(), "code", code);
  cJSON_AddStringToObject(json.get(), "message", message.c_str());
  return JsonReply(status, std::move(json));
}

Reply JsonReply(int status, CjsonPtr json) {
  Reply reply;
  reply.status = status;
  reply.body = PrintJson(json.get());
  return reply;
}

Category CategoryOf(Route route) {
  switch (route) {
    case Route::kCreateMeeting:
    case Route::kListMeetings:
    case Route::kListUsers:
      return Category::kMedium;
    case Route::kGetUser:
    case Route::kGetMeeting:
    case Route::kPatchMeeting:
    case Route::kDeleteMeeting:
      return Category::kLight;
    case Route::kToken:
    case Route::kAuthorize:
    case Route::kRevoke:
    case Route::kUnknown:
      break;
  }
  return Category::kNone;
}

const char* CategoryName(Category category) {
  return category == Category::kMedium ? "Medium" : "Light";
}

FakeZoom::Impl::Impl(const Options& options)
    : options_(options),
      granted_scopes_(options.scopes),
      client_id_(options.client_id),
      client_secret_(options.client_secret),
      user_token_lifetime_seconds_(options.token_lifetime_seconds) {}

void FakeZoom::Impl::Serve(Route route, const httplib::Request& request,
                           httplib::Response* response) {
  const size_t index = Log(Arrive(route, request));
  Fault fault;
  bool faulted = TakeFault(request.method, request.path, &fault);
  if (faulted && (fault.kind == FaultKind::kDelay ||
                  fault.kind == FaultKind::kDelayThenDrop)) {
    SleepMs(fault.delay_ms);
  }
  if (CategoryOf(route) != Category::kNone) SleepMs(options_.latency_ms);
  bool work = !faulted || DoesWork(fault.kind);
  Reply reply = work ? Handle(route, request) : FaultReply(route, fault);
  if (faulted && fault.kind == FaultKind::kGarbageAfterWork) {
    reply.body = kGarbage;
    reply.content_type = "text/html";
  }
  bool drop = faulted && Drops(fault.kind);
  {
    MutexLock lock(&mu_);
    LoggedRequest& entry = log_[index];
    entry.status = work || !drop ? reply.status : 0;
    entry.answered = !drop;
    entry.finished = true;
  }
  // The work is done and logged: a test may now kill the client while the
  // answer is held back.
  if (faulted && fault.kind == FaultKind::kDelayAfterWork) {
    SleepMs(fault.delay_ms);
  }
  if (drop) {
    CutConnection(response);
  } else {
    Write(reply, response);
  }
}

size_t FakeZoom::Impl::Log(const LoggedRequest& entry) {
  MutexLock lock(&mu_);
  log_.push_back(entry);
  return log_.size() - 1;
}

LoggedRequest FakeZoom::Impl::Arrive(Route route,
                                     const httplib::Request& request) {
  LoggedRequest entry;
  entry.time_micros = options_.clock->NowMicros();
  entry.method = request.method;
  entry.path = request.path;
  entry.query = QueryOf(request);
  entry.body = request.body;
  if (route == Route::kPatchMeeting) {
    MutexLock lock(&mu_);
    entry.noop_patch = IsNoOpPatch(FirstMatch(request), request.body);
  }
  return entry;
}

bool FakeZoom::Impl::TakeFault(const std::string& method,
                               const std::string& path, Fault* fault) {
  MutexLock lock(&mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!Matches(*it, method, path)) continue;
    *fault = *it;
    if (--it->times <= 0) faults_.erase(it);
    return true;
  }
  return false;
}

Reply FakeZoom::Impl::Handle(Route route, const httplib::Request& request) {
  MutexLock lock(&mu_);
  if (route == Route::kToken) return IssueToken(request);
  if (route == Route::kAuthorize) return AuthorizeCode(request);
  if (route == Route::kRevoke) return Revoke(request);
  Reply reply;
  if (route == Route::kUnknown) {
    reply = ErrorReply(404, 404, "No such API: " + request.path);
  } else if (Authorize(route, request, &reply) &&
             AdmitPerSecond(CategoryOf(route), &reply)) {
    reply = Dispatch(route, request);
  }
  // Zoom tags every API answer so support can find it; clients log it.
  reply.headers.emplace_back(
      "x-zm-trackingid", "v=2.0;clid=fake;rid=" + std::to_string(NextSerial()));
  return reply;
}

Reply FakeZoom::Impl::Dispatch(Route route, const httplib::Request& request) {
  std::string first = FirstMatch(request);
  // A user OAuth token acts as its user.
  if (first == "me") first = TokenUser(request);
  switch (route) {
    case Route::kGetUser:
      return GetUser(first);
    case Route::kListUsers:
      return ListUsers(request);
    case Route::kCreateMeeting:
      return CreateMeeting(first, request.body);
    case Route::kListMeetings:
      return ListMeetings(first, request);
    case Route::kGetMeeting:
      return GetMeeting(first);
    case Route::kPatchMeeting:
      return PatchMeeting(first, request.body);
    case Route::kDeleteMeeting:
      return DeleteMeeting(first);
    case Route::kToken:
    case Route::kAuthorize:
    case Route::kRevoke:
    case Route::kUnknown:
      break;
  }
  return ErrorReply(404, 404, "No such API: " + request.path);
}

Reply FakeZoom::Impl::FaultReply(Route route, const Fault& fault) {
  MutexLock lock(&mu_);
  Reply reply;
  switch (fault.kind) {
    case FaultKind::kQps429:
      return PerSecondLimitReply(CategoryOf(route), 1, &fault);
    case FaultKind::kDaily429:
      return DailyLimitReply(CategoryOf(route), &fault);
    case FaultKind::kGarbageBody:
      reply.status = fault.status != 0 ? fault.status : 200;
      break;
    default:  // kServerError; drops never send this reply
      reply.status = fault.status != 0 ? fault.status : 503;
      break;
  }
  reply.body = kGarbage;
  reply.content_type = "text/html";
  return reply;
}

const FakeUser* FakeZoom::Impl::FindUser(const std::string& id_or_email) const {
  auto it = users_.find(id_or_email);
  if (it != users_.end()) return &it->second;
  for (const auto& user : users_) {
    if (strcasecmp(user.second.email.c_str(), id_or_email.c_str()) == 0) {
      return &user.second;
    }
  }
  return nullptr;
}

FakeZoom::FakeZoom(const Options& options)
    : impl_(std::make_unique<Impl>(options)) {}

FakeZoom::~FakeZoom() = default;

void FakeZoom::Mount(httplib::Server* server, const std::string& api_prefix) {
  Impl* impl = impl_.get();
  auto serve = [impl](Route route) {
    return [impl, route](const httplib::Request& request,
                         httplib::Response& response) {
      impl->Serve(route, request, &response);
    };
  };
  const std::string p = RegexEscape(api_prefix);
  server->Post("/oauth/token", serve(Route::kToken));
  server->Get("/oauth/authorize", serve(Route::kAuthorize));
  server->Post("/oauth/revoke", serve(Route::kRevoke));
  server->Get(p + "/users", serve(Route::kListUsers));
  server->Get(p + "/users/([^/]+)", serve(Route::kGetUser));
  server->Post(p + "/users/([^/]+)/meetings", serve(Route::kCreateMeeting));
  server->Get(p + "/users/([^/]+)/meetings", serve(Route::kListMeetings));
  server->Get(p + "/meetings/([0-9]+)", serve(Route::kGetMeeting));
  server->Patch(p + "/meetings/([0-9]+)", serve(Route::kPatchMeeting));
  server->Delete(p + "/meetings/([0-9]+)", serve(Route::kDeleteMeeting));
  // httplib tries patterns in registration order, so these only catch
  // what no route above matched; Zoom answers those with JSON too.
  const std::string rest = p + "/.*";
  server->Get(rest, serve(Route::kUnknown));
  server->Post(rest, serve(Route::kUnknown));
  server->Patch(rest, serve(Route::kUnknown));
  server->Delete(rest, serve(Route::kUnknown));
  server->Put(rest, serve(Route::kUnknown));
}

void FakeZoom::InjectFault(const Fault& fault) {
  MutexLock lock(&impl_->mu_);
  impl_->faults_.push_back(fault);
}

int FakeZoom::PendingFaults() const {
  MutexLock lock(&impl_->mu_);
  int pending = 0;
  for (const Fault& fault : impl_->faults_) pending += fault.times;
  return pending;
}

Fault MakeFault(const std::string& method, const std::string& path_prefix,
                FaultKind kind, int times) {
  Fault fault;
  fault.method = method;
  fault.path_prefix = path_prefix;
  fault.kind = kind;
  fault.times = times;
  return fault;
}

}  // namespace test
}  // namespace telemed
