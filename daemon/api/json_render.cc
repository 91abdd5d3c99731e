#include "api/json_render.h"

#include <map>

#include "base/time_format.h"

namespace telemed {

namespace {

// cJSON stores numbers as doubles: every integer we render (revision,
// minutes) stays far below 2^53, so it prints exactly.
void AddInteger(cJSON* object, const char* name, int64_t value) {
  cJSON_AddItemToObject(object, name,
                        cJSON_CreateNumber(static_cast<double>(value)));
}

void AddStringOrNull(cJSON* object, const char* name,
                     const std::string& value) {
  if (value.empty()) {
    cJSON_AddNullToObject(object, name);
  } else {
    cJSON_AddStringToObject(object, name, value.c_str());
  }
}

cJSON* MeetingToJson(const Appointment& appointment) {
  if (!appointment.has_meeting) return cJSON_CreateNull();
  cJSON* meeting = cJSON_CreateObject();
  // Zoom ids exceed 32 bits (and soon 2^53 in JavaScript's eyes): a string.
  cJSON_AddStringToObject(meeting, "id", appointment.meeting.id.c_str());
  cJSON_AddStringToObject(meeting, "join_url",
                          appointment.meeting.join_url.c_str());
  cJSON_AddStringToObject(meeting, "passcode",
                          appointment.meeting.passcode.c_str());
  // As Zoom last confirmed it: a reschedule Zoom has not taken yet shows
  // here as a start that differs from the appointment's.
  if (appointment.meeting.start_time != 0) {
    cJSON_AddStringToObject(
        meeting, "start_time",
        FormatRfc3339Utc(appointment.meeting.start_time).c_str());
  } else {
    cJSON_AddNullToObject(meeting, "start_time");
  }
  return meeting;
}

cJSON* SyncErrorToJson(const Appointment& appointment) {
  if (!appointment.has_error) return cJSON_CreateNull();
  cJSON* error = cJSON_CreateObject();
  cJSON_AddStringToObject(error, "code", appointment.error.code.c_str());
  cJSON_AddStringToObject(error, "message", appointment.error.message.c_str());
  if (appointment.error.zoom_code != 0) {
    AddInteger(error, "zoom_code", appointment.error.zoom_code);
  }
  if (appointment.error.retry_at != 0) {
    cJSON_AddStringToObject(
        error, "retry_at",
        FormatRfc3339Utc(appointment.error.retry_at).c_str());
  }
  if (!appointment.error.missing_scopes.empty()) {
    cJSON* scopes = cJSON_AddArrayToObject(error, "missing_scopes");
    for (const std::string& scope : appointment.error.missing_scopes) {
      cJSON_AddItemToArray(scopes, cJSON_CreateString(scope.c_str()));
    }
  }
  return error;
}

std::string PrintAndFree(CjsonPtr item) { return PrintJson(item.get()); }

}  // namespace

CjsonPtr AppointmentToJson(const Appointment& appointment) {
  const AppointmentRequest& request = appointment.request;
  CjsonPtr root(cJSON_CreateObject());
  cJSON* object = root.get();
  cJSON_AddStringToObject(object, "id", request.id.c_str());
  cJSON_AddStringToObject(object, "doctor_id", request.doctor_id.c_str());
  cJSON_AddStringToObject(object, "start_time",
                          FormatRfc3339Utc(request.start_time).c_str());
  AddInteger(object, "duration_minutes", request.duration_minutes);
  cJSON_AddStringToObject(object, "timezone", request.timezone.c_str());
  AddStringOrNull(object, "topic", request.topic);
  cJSON_AddBoolToObject(object, "cancelled", request.cancelled);
  cJSON_AddStringToObject(object, "sync_status",
                          SyncStatusName(appointment.sync_status));
  cJSON_AddItemToObject(object, "meeting", MeetingToJson(appointment));
  cJSON_AddItemToObject(object, "error", SyncErrorToJson(appointment));
  AddInteger(object, "revision", appointment.revision);
  cJSON_AddStringToObject(object, "updated_at",
                          FormatRfc3339Utc(appointment.updated_at).c_str());
  return root;
}

namespace {

// {"state","zoom_email","connected_at"}: "not_connected" (and nulls) when
// the doctor has no grant.
cJSON* OauthToJson(const DoctorGrant* grant) {
  cJSON* oauth = cJSON_CreateObject();
  if (grant == nullptr) {
    cJSON_AddStringToObject(oauth, "state", "not_connected");
    cJSON_AddNullToObject(oauth, "zoom_email");
    cJSON_AddNullToObject(oauth, "connected_at");
    return oauth;
  }
  cJSON_AddStringToObject(oauth, "state", GrantStateName(grant->state));
  AddStringOrNull(oauth, "zoom_email", grant->zoom_email);
  cJSON_AddStringToObject(oauth, "connected_at",
                          FormatRfc3339Utc(grant->connected_at).c_str());
  return oauth;
}

}  // namespace

CjsonPtr DoctorToJson(const Doctor& doctor, const DoctorGrant* grant) {
  CjsonPtr root(cJSON_CreateObject());
  cJSON* object = root.get();
  cJSON_AddStringToObject(object, "id", doctor.id.c_str());
  cJSON_AddStringToObject(object, "name", doctor.name.c_str());
  AddStringOrNull(object, "zoom_user", doctor.zoom_user);
  cJSON_AddStringToObject(object, "auth", AuthModeName(doctor.auth));
  cJSON_AddItemToObject(object, "oauth",
                        doctor.auth == AuthMode::kOauth ? OauthToJson(grant)
                                                        : cJSON_CreateNull());
  cJSON_AddStringToObject(object, "created_at",
                          FormatRfc3339Utc(doctor.created_at).c_str());
  cJSON_AddStringToObject(object, "updated_at",
                          FormatRfc3339Utc(doctor.updated_at).c_str());
  return root;
}

std::string RenderAppointment(const Appointment& appointment) {
  return PrintAndFree(AppointmentToJson(appointment));
}

std::string RenderDoctor(const Doctor& doctor, const DoctorGrant* grant) {
  return PrintAndFree(DoctorToJson(doctor, grant));
}

std::string RenderDoctorList(const std::vector<Doctor>& doctors,
                             const std::vector<DoctorGrant>& grants) {
  std::map<std::string, const DoctorGrant*> by_doctor;
  for (const DoctorGrant& grant : grants) by_doctor[grant.doctor_id] = &grant;
  CjsonPtr root(cJSON_CreateObject());
  cJSON* items = cJSON_AddArrayToObject(root.get(), "items");
  for (const Doctor& doctor : doctors) {
    auto it = by_doctor.find(doctor.id);
    const DoctorGrant* grant = it == by_doctor.end() ? nullptr : it->second;
    cJSON_AddItemToArray(items, DoctorToJson(doctor, grant).release());
  }
  return PrintAndFree(std::move(root));
}

std::string RenderFeedPage(const std::vector<Appointment>& items,
                           const std::string& next_cursor) {
  CjsonPtr root(cJSON_CreateObject());
  cJSON* array = cJSON_AddArrayToObject(root.get(), "items");
  for (const Appointment& appointment : items) {
    cJSON_AddItemToArray(array, AppointmentToJson(appointment).release());
  }
  cJSON_AddStringToObject(root.get(), "next_cursor", next_cursor.c_str());
  return PrintAndFree(std::move(root));
}

}  // namespace telemed
