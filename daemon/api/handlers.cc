#include "api/handlers.h"

#include <httplib.h>

#include <chrono>
#include <vector>

#include "api/json_render.h"
#include "api/request_parse.h"
#include "api/status_report.h"
#include "base/cjson.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/time_format.h"
#include "build_config.h"
#include "http/json_reply.h"
#include "model/json_body.h"
#include "store/store.h"
#include "sync/doctor_disconnect.h"
#include "sync/start_url.h"
#include "zoom/oauth_connect.h"
#include "zoom/zoom_api.h"

namespace telemed {

namespace {

const std::string* QueryValue(const httplib::Request& req, const char* name) {
  auto it = req.params.find(name);
  return it == req.params.end() ? nullptr : &it->second;
}

// A place among the parked long-polls, given back when it goes.
class ParkingSlot {
 public:
  explicit ParkingSlot(std::atomic<int>* parked) : parked_(parked) {}
  ~ParkingSlot() {
    if (taken_) --*parked_;
  }
  ParkingSlot(const ParkingSlot&) = delete;
  ParkingSlot& operator=(const ParkingSlot&) = delete;
  bool Take(int max) {
    taken_ = parked_->fetch_add(1) < max;
    if (!taken_) --*parked_;
    return taken_;
  }

 private:
  std::atomic<int>* const parked_;
  bool taken_ = false;
};

// How long a parked long-poll sleeps before it re-checks its key.
constexpr std::chrono::milliseconds kKeyRecheck(1000);

int StatusForWrite(WriteOutcome outcome) {
  return outcome == WriteOutcome::kCreated ? 201 : 200;
}

}  // namespace

void ApiHandlers::Fail(const Status& status, const char* what,
                       httplib::Response* res) {
  if (HttpStatusFor(status) >= 500) {
    logger_->Error("%s failed: %s", what, status.ToString().c_str());
    // The details stay in the log: a client learns only that the bridge
    // could not do it, and whether trying again may help.
    if (status.code() == Status::Code::kUnavailable) {
      WriteError(Status::Unavailable("busy", "the bridge is busy; try again"),
                 res);
    } else {
      WriteError(Status::Internal("internal_error",
                                  "the bridge could not complete the request; "
                                  "see its log"),
                 res);
    }
    return;
  }
  WriteError(status, res);
}

void ApiHandlers::Health(httplib::Response* res) {
  WriteJson(200,
            std::string("{\"status\":\"ok\",\"version\":\"") + TELEMED_VERSION +
                "\"}",
            res);
}

void ApiHandlers::GetStatus(httplib::Response* res) {
  std::string body;
  Status s = RenderStatusReport(store_, clock_, &body);
  if (!s.ok()) return Fail(s, "reporting the status", res);
  WriteJson(200, body, res);
}

void ApiHandlers::ListDoctors(httplib::Response* res) {
  std::vector<Doctor> doctors;
  std::vector<DoctorGrant> grants;
  Status s = store_->ListDoctors(&doctors);
  if (s.ok()) s = store_->ListGrants(&grants);
  if (!s.ok()) return Fail(s, "listing doctors", res);
  WriteJson(200, RenderDoctorList(doctors, grants), res);
}

Status ApiHandlers::DoctorObject(const Doctor& doctor, CjsonPtr* out) {
  DoctorGrant grant;
  bool found = false;
  if (doctor.auth == AuthMode::kOauth) {
    Status s = store_->GetGrant(doctor.id, &grant, &found);
    if (!s.ok()) return s;
  }
  *out = DoctorToJson(doctor, found ? &grant : nullptr);
  return Status::OK();
}

Status ApiHandlers::DoctorBody(const Doctor& doctor, std::string* body) {
  CjsonPtr root;
  Status s = DoctorObject(doctor, &root);
  if (s.ok()) *body = PrintJson(root.get());
  return s;
}

void ApiHandlers::GetDoctor(const std::string& id, httplib::Response* res) {
  Doctor doctor;
  std::string body;
  Status s = store_->GetDoctor(id, &doctor);
  if (s.ok()) s = DoctorBody(doctor, &body);
  if (!s.ok()) return Fail(s, "reading a doctor", res);
  WriteJson(200, body, res);
}

void ApiHandlers::PutDoctor(const std::string& id, const httplib::Request& req,
                            httplib::Response* res) {
  Doctor doctor;
  Status s = ParseDoctorBody(id, req.body, &doctor);
  if (!s.ok()) return Fail(s, "parsing a doctor", res);
  WriteOutcome outcome;
  std::string body;
  s = store_->PutDoctor(doctor, &outcome);
  if (s.ok()) s = store_->GetDoctor(id, &doctor);
  if (s.ok()) s = DoctorBody(doctor, &body);
  if (!s.ok()) return Fail(s, "storing a doctor", res);
  WriteJson(StatusForWrite(outcome), body, res);
}

void ApiHandlers::RemoveDoctor(const std::string& id, httplib::Response* res) {
  Doctor removed;
  std::string body;
  Status s = store_->RemoveDoctor(id, &removed, nullptr);
  if (s.ok() && removed.auth == AuthMode::kOauth && oauth_connect_ != nullptr) {
    s = DropGrantOfRemovedDoctor(*oauth_connect_, id, clock_->NowSeconds());
  }
  if (s.ok()) s = DoctorBody(removed, &body);
  if (!s.ok()) return Fail(s, "removing a doctor", res);
  WriteJson(200, body, res);
}

void ApiHandlers::DisconnectDoctor(const std::string& id,
                                   const httplib::Request& req,
                                   httplib::Response* res) {
  bool delete_meetings = false;
  Status s = ParseDisconnectBody(req.body, &delete_meetings);
  if (s.ok() && oauth_connect_ == nullptr) {
    s = Status::Unavailable("oauth_not_wired",
                            "this bridge cannot act for OAuth doctors");
  }
  DisconnectResult result;
  if (s.ok()) {
    s = telemed::DisconnectDoctor(*oauth_connect_, id, delete_meetings,
                                  clock_->NowSeconds(), &result);
  }
  Doctor doctor;
  if (s.ok()) s = store_->GetDoctor(id, &doctor);
  CjsonPtr root;
  if (s.ok()) s = DoctorObject(doctor, &root);
  if (!s.ok()) return Fail(s, "disconnecting a doctor", res);
  cJSON_AddNumberToObject(root.get(), "meetings_to_delete",
                          result.meetings_to_delete);
  WriteJson(200, PrintJson(root.get()), res);
}

void ApiHandlers::ConnectDoctor(const std::string& id, httplib::Response* res) {
  if (oauth_connect_ == nullptr) {
    return WriteError(Status::Conflict("oauth_app_not_configured",
                                       "this bridge cannot connect doctors "
                                       "to Zoom: no OAuth app is set up",
                                       ""),
                      res);
  }
  ConnectLink link;
  Status s =
      CreateConnectLink(*oauth_connect_, id, clock_->NowSeconds(), &link);
  if (!s.ok()) return Fail(s, "making a connect link", res);
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddStringToObject(root.get(), "connect_url", link.url.c_str());
  cJSON_AddStringToObject(root.get(), "expires_at",
                          FormatRfc3339Utc(link.expires_at).c_str());
  WriteJson(200, PrintJson(root.get()), res);
}

void ApiHandlers::GetAppointment(const std::string& id,
                                 httplib::Response* res) {
  Appointment appointment;
  Status s = store_->GetAppointment(id, &appointment);
  if (!s.ok()) return Fail(s, "reading an appointment", res);
  WriteJson(200, RenderAppointment(appointment), res);
}

void ApiHandlers::PutAppointment(const std::string& id,
                                 const httplib::Request& req,
                                 httplib::Response* res) {
  AppointmentRequest request;
  Status s = ParseAppointmentBody(id, req.body, &request, zoneinfo_dir_);
  if (!s.ok()) return Fail(s, "parsing an appointment", res);
  WriteOutcome outcome;
  Appointment stored;
  s = store_->PutAppointment(request, &outcome, &stored);
  if (!s.ok()) return Fail(s, "storing an appointment", res);
  WriteJson(StatusForWrite(outcome), RenderAppointment(stored), res);
}

void ApiHandlers::CancelAppointment(const std::string& id,
                                    httplib::Response* res) {
  Appointment stored;
  Status s = store_->CancelAppointment(id, &stored);
  if (!s.ok()) return Fail(s, "cancelling an appointment", res);
  WriteJson(200, RenderAppointment(stored), res);
}

Status ApiHandlers::DatabaseId(std::string* out) {
  MutexLock lock(&database_id_mu_);
  if (database_id_.empty()) {
    Status s = store_->GetDatabaseId(&database_id_);
    if (!s.ok()) return s;
  }
  *out = database_id_;
  return Status::OK();
}

void ApiHandlers::ListChanges(const httplib::Request& req,
                              httplib::Response* res) {
  FeedQuery query;
  Status s = ParseFeedQuery(QueryValue(req, "since"), QueryValue(req, "limit"),
                            QueryValue(req, "wait"), &query);
  std::string database_id;
  if (s.ok()) s = DatabaseId(&database_id);
  if (s.ok()) {
    s = ResolveFeedCursor(query.cursor, database_id, store_->LatestChangeSeq(),
                          &query.since);
  }
  if (!s.ok()) return Fail(s, "parsing the feed query", res);
  ParkingSlot slot(&parked_);
  if (query.wait_seconds > 0 && !slot.Take(max_parked_)) {
    WriteError(Status::Unavailable(
                   "busy", "too many long-polls are waiting; try again"),
               res);
    res->set_header("Retry-After", "1");
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::seconds(query.wait_seconds);
  std::vector<Appointment> items;
  uint64_t next_cursor = query.since;
  for (;;) {
    // Read the latest sequence before listing: a change committed after
    // the listing then shows as latest > seen, so the wait below cannot
    // sleep through it, and purged rows cannot make it spin.
    uint64_t seen = store_->LatestChangeSeq();
    s = store_->ListChanges(query.since, query.limit, &items, &next_cursor);
    if (!s.ok()) return Fail(s, "listing changes", res);
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (!items.empty() || remaining.count() <= 0 || stopping_->load()) break;
    store_->WaitForChangeAfter(std::max(seen, query.since),
                               std::min(remaining, kKeyRecheck));
    if (key_valid_ && !key_valid_(req)) {
      return WriteError(
          Status::Unauthenticated("invalid_api_key",
                                  "the API key is unknown or revoked"),
          res);
    }
  }
  WriteJson(200,
            RenderFeedPage(items, FormatFeedCursor(database_id, next_cursor)),
            res);
}

}  // namespace telemed

namespace telemed {

void ApiHandlers::RetryAppointment(const std::string& id,
                                   httplib::Response* res) {
  Status s = store_->RequeueAppointment(id);
  Appointment appointment;
  if (s.ok()) s = store_->GetAppointment(id, &appointment);
  if (!s.ok()) return Fail(s, "re-queueing an appointment", res);
  WriteJson(200, RenderAppointment(appointment), res);
}

void ApiHandlers::GetStartUrl(const std::string& id, httplib::Response* res) {
  std::string start_url;
  StartUrlFailure failure = StartUrlFailure::kNone;
  Status s =
      FetchStartUrl(store_, zoom_, doctors_, logger_, id, &start_url, &failure);
  // Zoom out of reach is the one documented 5xx of the API.
  if (failure == StartUrlFailure::kZoomUnavailable) {
    return WriteJson(502, RenderError(s), res);
  }
  if (!s.ok()) return Fail(s, "fetching a start URL", res);
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddStringToObject(root.get(), "start_url", start_url.c_str());
  WriteJson(200, PrintJson(root.get()), res);
}

}  // namespace telemed
