#include "web/doctor_routes.h"

#include <vector>

#include "base/cjson.h"
#include "base/clock.h"
#include "base/time_format.h"
#include "http/json_reply.h"
#include "model/json_body.h"
#include "store/clinic_records.h"
#include "store/doctor_grants.h"
#include "sync/doctor_disconnect.h"
#include "web/admin_audit.h"
#include "web/doctor_checker.h"
#include "web/route_support.h"
#include "zoom/oauth_connect.h"

namespace telemed {
namespace web {

namespace {

// An OAuth doctor's state is its grant's ("connected", "reconnect_needed",
// "disconnecting"), or "not_connected" without one; zoom_email names the
// Zoom account that connected (null otherwise).
Status AddOAuthState(const DoctorRoutesDeps& deps, const Doctor& doctor,
                     cJSON* object) {
  DoctorGrant grant;
  bool found = false;
  Status s =
      deps.oauth_connect == nullptr
          ? Status::OK()
          : deps.oauth_connect->grants->GetGrant(doctor.id, &grant, &found);
  if (!s.ok()) return s;
  cJSON_AddStringToObject(object, "state",
                          found ? GrantStateName(grant.state)
                                : DoctorStateName(DoctorState::kNotConnected));
  cJSON_AddNullToObject(object, "checked_at");
  cJSON_AddItemToObject(object, "zoom_email",
                        found ? cJSON_CreateString(grant.zoom_email.c_str())
                              : cJSON_CreateNull());
  return s;
}

Status DoctorJson(const DoctorRoutesDeps& deps, const Doctor& doctor,
                  CjsonPtr* out) {
  CjsonPtr object(cJSON_CreateObject());
  cJSON_AddStringToObject(object.get(), "id", doctor.id.c_str());
  cJSON_AddStringToObject(object.get(), "name", doctor.name.c_str());
  cJSON_AddStringToObject(object.get(), "zoom_user", doctor.zoom_user.c_str());
  cJSON_AddStringToObject(object.get(), "auth", AuthModeName(doctor.auth));
  if (doctor.auth == AuthMode::kOauth) {
    Status s = AddOAuthState(deps, doctor, object.get());
    if (!s.ok()) return s;
  } else {
    const DoctorChecker::Verdict verdict = deps.checker->StateOf(doctor);
    cJSON_AddStringToObject(object.get(), "state",
                            DoctorStateName(verdict.state));
    cJSON_AddItemToObject(object.get(), "checked_at",
                          TimeOrNull(verdict.checked_at));
  }
  *out = std::move(object);
  return Status::OK();
}

// The page's contract names an unknown doctor as for every screen:
// not_found.
Status PageNotFound(const Status& s, const std::string& id) {
  if (s.code() != Status::Code::kNotFound) return s;
  return Status::NotFound("not_found", "no doctor has the id " + id);
}

void ListDoctors(const DoctorRoutesDeps& deps, httplib::Response* res) {
  std::vector<Doctor> doctors;
  Status s = deps.records->ListDoctors(&doctors);
  CjsonPtr root(cJSON_CreateObject());
  cJSON* list = cJSON_AddArrayToObject(root.get(), "doctors");
  for (size_t i = 0; s.ok() && i < doctors.size(); ++i) {
    CjsonPtr doctor;
    s = DoctorJson(deps, doctors[i], &doctor);
    if (s.ok()) cJSON_AddItemToArray(list, doctor.release());
  }
  if (!s.ok()) return WriteFailure(s, "listing doctors", deps.logger, res);
  WriteJson(200, PrintJson(root.get()), res);
}

void PutDoctor(const DoctorRoutesDeps& deps, const AdminRequest& request,
               httplib::Response* res) {
  const std::string& id = request.params[0];
  Doctor doctor;
  WriteOutcome outcome = WriteOutcome::kUnchanged;
  Status s = ParseDoctorBody(id, request.http->body, &doctor);
  if (s.ok()) s = deps.records->PutDoctor(doctor, &outcome);
  if (s.ok()) s = deps.records->GetDoctor(id, &doctor);
  if (!s.ok()) return WriteFailure(s, "storing a doctor", deps.logger, res);
  if (outcome != WriteOutcome::kUnchanged) {
    deps.audit->Record(outcome == WriteOutcome::kCreated
                           ? audit_action::kDoctorAdded
                           : audit_action::kDoctorChanged,
                       request.address, "doctor " + id);
  }
  CjsonPtr body;
  s = DoctorJson(deps, doctor, &body);
  if (!s.ok()) return WriteFailure(s, "storing a doctor", deps.logger, res);
  WriteJson(outcome == WriteOutcome::kCreated ? 201 : 200,
            PrintJson(body.get()), res);
}

void RemoveDoctor(const DoctorRoutesDeps& deps, const AdminRequest& request,
                  httplib::Response* res) {
  const std::string& id = request.params[0];
  Doctor removed;
  Status s = deps.records->RemoveDoctor(id, &removed, nullptr);
  if (s.ok() && removed.auth == AuthMode::kOauth &&
      deps.oauth_connect != nullptr) {
    s = DropGrantOfRemovedDoctor(*deps.oauth_connect, id,
                                 deps.clock->NowSeconds());
  }
  s = PageNotFound(s, id);
  if (!s.ok()) return WriteFailure(s, "removing a doctor", deps.logger, res);
  deps.audit->Record(audit_action::kDoctorRemoved, request.address,
                     "doctor " + id);
  res->status = 204;
}

void ConnectDoctor(const DoctorRoutesDeps& deps, const AdminRequest& request,
                   httplib::Response* res) {
  const std::string& id = request.params[0];
  ConnectLink link;
  Status s = deps.oauth_connect == nullptr
                 ? Status::Conflict("oauth_app_not_configured",
                                    "this bridge cannot connect doctors to "
                                    "Zoom: no OAuth app is set up",
                                    "")
                 : CreateConnectLink(*deps.oauth_connect, id,
                                     deps.clock->NowSeconds(), &link);
  s = PageNotFound(s, id);
  if (!s.ok()) {
    return WriteFailure(s, "making a connect link", deps.logger, res);
  }
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddStringToObject(root.get(), "connect_url", link.url.c_str());
  cJSON_AddStringToObject(root.get(), "expires_at",
                          FormatRfc3339Utc(link.expires_at).c_str());
  WriteJson(200, PrintJson(root.get()), res);
}

// The same disconnect as the API's POST /api/v1/doctors/{id}/disconnect.
void DisconnectDoctor(const DoctorRoutesDeps& deps, const AdminRequest& request,
                      httplib::Response* res) {
  const std::string& id = request.params[0];
  bool delete_meetings = false;
  Status s = ParseDisconnectBody(request.http->body, &delete_meetings);
  if (s.ok() && deps.oauth_connect == nullptr) {
    s = Status::Unavailable("oauth_not_wired",
                            "this bridge cannot act for OAuth doctors");
  }
  DisconnectResult result;
  if (s.ok()) {
    s = telemed::DisconnectDoctor(*deps.oauth_connect, id, delete_meetings,
                                  deps.clock->NowSeconds(), &result);
  }
  s = PageNotFound(s, id);
  if (!s.ok()) {
    return WriteFailure(s, "disconnecting a doctor", deps.logger, res);
  }
  if (result.was_connected) {
    deps.audit->Record(
        audit_action::kDoctorDisconnected, request.address,
        "doctor " + id +
            (result.meetings_to_delete > 0 ? ", deleting its meetings" : ""));
  }
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddStringToObject(root.get(), "state", result.state.c_str());
  cJSON_AddNumberToObject(root.get(), "meetings_to_delete",
                          result.meetings_to_delete);
  WriteJson(200, PrintJson(root.get()), res);
}

}  // namespace

void AddDoctorRoutes(const DoctorRoutesDeps& deps, AdminRouter* router) {
  router->Handle("GET", "/admin/api/doctors", Access::kSession,
                 [deps](const AdminRequest&, httplib::Response* res) {
                   ListDoctors(deps, res);
                 });
  router->Handle("PUT", "/admin/api/doctors/{id}", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   PutDoctor(deps, request, res);
                 });
  router->Handle("DELETE", "/admin/api/doctors/{id}", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   RemoveDoctor(deps, request, res);
                 });
  router->Handle("POST", "/admin/api/doctors/{id}/connect", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   ConnectDoctor(deps, request, res);
                 });
  router->Handle("POST", "/admin/api/doctors/{id}/disconnect", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   DisconnectDoctor(deps, request, res);
                 });
}

}  // namespace web
}  // namespace telemed
