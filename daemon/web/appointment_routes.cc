#include "web/appointment_routes.h"

#include <cstdlib>
#include <map>
#include <utility>
#include <vector>

#include "base/cjson.h"
#include "base/encoding.h"
#include "base/text.h"
#include "base/time_format.h"
#include "base/time_zone.h"
#include "http/json_reply.h"
#include "store/clinic_records.h"
#include "store/sync_queue.h"
#include "web/admin_audit.h"
#include "web/error_advice.h"

namespace telemed {
namespace web {

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
constexpr size_t kMaxSearchCodePoints = 100;

Status BadQuery(const char* name, const std::string& message) {
  return Status::InvalidArgument("invalid_query", message, name);
}

// InvalidArgument for a parameter the list does not take or one given
// twice; *values gets each one's value.
Status ReadQueryNames(const httplib::Request& req,
                      std::map<std::string, std::string>* values) {
  static const char* const kNames[] = {"status", "q", "limit", "cursor"};
  for (const auto& param : req.params) {
    bool known = false;
    for (const char* name : kNames) known = known || param.first == name;
    if (!known) {
      // The name is the client's: named only when it is printable text.
      size_t unused = 0;
      const bool printable = IsCleanUtf8(param.first, &unused) &&
                             !HasControlCharacter(param.first);
      return Status::InvalidArgument(
          "invalid_query",
          printable ? "unknown query parameter " + param.first
                    : "unknown query parameter",
          printable ? param.first : "");
    }
    if (!values->emplace(param.first, param.second).second) {
      return Status::InvalidArgument(
          "invalid_query", param.first + " is given twice", param.first);
    }
  }
  return Status::OK();
}

Status ParseStatus(const std::string& text, AppointmentQuery* query) {
  const SyncStatus kStatuses[] = {SyncStatus::kPending, SyncStatus::kFailed,
                                  SyncStatus::kSynced};
  if (text == "all") return Status::OK();
  for (SyncStatus status : kStatuses) {
    if (text == SyncStatusName(status)) {
      query->has_status = true;
      query->status = status;
      return Status::OK();
    }
  }
  return BadQuery("status", "status must be all, pending, failed or synced");
}

Status ParseLimit(const std::string& text, int* limit) {
  const Status bad =
      BadQuery("limit", "limit must be a whole number from 1 to " +
                            std::to_string(kMaxLimit));
  if (text.empty() || text.size() > 3 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return bad;
  }
  *limit = std::atoi(text.c_str());
  return *limit >= 1 && *limit <= kMaxLimit ? Status::OK() : bad;
}

Status ParseSearch(const std::string& text, std::string* search) {
  size_t code_points = 0;
  if (!IsCleanUtf8(text, &code_points) || HasControlCharacter(text)) {
    return BadQuery("q", "q must be text without control characters");
  }
  if (code_points > kMaxSearchCodePoints) {
    return BadQuery(
        "q",
        "q is at most " + std::to_string(kMaxSearchCodePoints) + " characters");
  }
  *search = text;
  return Status::OK();
}

// The cursor is the last row's "<start_time>:<id>", base64url: opaque to
// the page, and any id (which may hold ':') survives it.
std::string FormatCursor(const Appointment& last) {
  const std::string text =
      std::to_string(last.request.start_time) + ":" + last.request.id;
  return Base64UrlEncode(reinterpret_cast<const uint8_t*>(text.data()),
                         text.size());
}

Status ParseCursor(const std::string& cursor, AppointmentQuery* query) {
  const Status bad =
      BadQuery("cursor", "cursor is not one this list handed out");
  std::string text;
  if (cursor.size() > 1024 || !Base64UrlDecode(cursor, &text)) return bad;
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 12 ||
      colon + 1 == text.size() ||
      text.find_first_not_of("0123456789") < colon) {
    return bad;
  }
  size_t code_points = 0;
  const std::string id = text.substr(colon + 1);
  if (!IsCleanUtf8(id, &code_points) || HasControlCharacter(id)) return bad;
  query->has_after = true;
  query->after_start = std::atoll(text.substr(0, colon).c_str());
  query->after_id = id;
  return Status::OK();
}

Status ParseListQuery(const httplib::Request& req, AppointmentQuery* query) {
  std::map<std::string, std::string> values;
  Status s = ReadQueryNames(req, &values);
  query->limit = kDefaultLimit;
  for (const auto& value : values) {
    if (!s.ok()) break;
    if (value.first == "status") s = ParseStatus(value.second, query);
    if (value.first == "limit") s = ParseLimit(value.second, &query->limit);
    if (value.first == "q") s = ParseSearch(value.second, &query->search);
    if (value.first == "cursor") s = ParseCursor(value.second, query);
  }
  return s;
}

// "2026-12-03 14:30 Europe/Berlin"; zones are read once per answer.
class LocalStarts {
 public:
  explicit LocalStarts(const std::string& zoneinfo_dir)
      : zoneinfo_dir_(zoneinfo_dir) {}

  std::string Format(const AppointmentRequest& request) {
    auto it = zones_.find(request.timezone);
    if (it == zones_.end()) {
      TimeZone zone;
      // A zone file gone since the PUT (tzdata removed it): shown in UTC
      // rather than failing the whole list.
      const bool loaded =
          TimeZone::Load(zoneinfo_dir_, request.timezone, &zone).ok();
      it = zones_.emplace(request.timezone, std::make_pair(loaded, zone)).first;
    }
    if (!it->second.first) {
      return FormatLocalMinute(request.start_time, 0) + " UTC";
    }
    const int32_t offset = it->second.second.OffsetAt(request.start_time);
    return FormatLocalMinute(request.start_time, offset) + " " +
           request.timezone;
  }

 private:
  const std::string zoneinfo_dir_;
  std::map<std::string, std::pair<bool, TimeZone>> zones_;
};

void AddStringOrNull(cJSON* object, const char* name, bool has,
                     const std::string& value) {
  if (has) {
    cJSON_AddStringToObject(object, name, value.c_str());
  } else {
    cJSON_AddNullToObject(object, name);
  }
}

cJSON* RowToJson(const Appointment& appointment, LocalStarts* starts) {
  const AppointmentRequest& request = appointment.request;
  cJSON* row = cJSON_CreateObject();
  cJSON_AddStringToObject(row, "id", request.id.c_str());
  cJSON_AddStringToObject(row, "doctor_id", request.doctor_id.c_str());
  cJSON_AddStringToObject(row, "start_time",
                          FormatRfc3339Utc(request.start_time).c_str());
  cJSON_AddStringToObject(row, "timezone", request.timezone.c_str());
  cJSON_AddStringToObject(row, "start_local", starts->Format(request).c_str());
  cJSON_AddBoolToObject(row, "cancelled", request.cancelled);
  cJSON_AddStringToObject(row, "status",
                          SyncStatusName(appointment.sync_status));
  AddStringOrNull(row, "meeting_id", appointment.has_meeting,
                  appointment.meeting.id);
  AddStringOrNull(row, "join_url", appointment.has_meeting,
                  appointment.meeting.join_url);
  if (!appointment.has_error) {
    cJSON_AddNullToObject(row, "error");
    return row;
  }
  cJSON* error = cJSON_AddObjectToObject(row, "error");
  cJSON_AddStringToObject(error, "code", appointment.error.code.c_str());
  cJSON_AddStringToObject(error, "message", appointment.error.message.c_str());
  cJSON_AddStringToObject(error, "action", ErrorAdvice(appointment.error.code));
  return row;
}

void ListAppointments(const AppointmentRoutesDeps& deps,
                      const AdminRequest& request, httplib::Response* res) {
  AppointmentQuery query;
  Status s = ParseListQuery(*request.http, &query);
  std::vector<Appointment> page;
  bool more = false;
  if (s.ok()) s = deps.records->ListAppointments(query, &page, &more);
  if (!s.ok()) return WriteError(s, res);
  LocalStarts starts(deps.zoneinfo_dir);
  CjsonPtr root(cJSON_CreateObject());
  cJSON* rows = cJSON_AddArrayToObject(root.get(), "appointments");
  for (const Appointment& appointment : page) {
    cJSON_AddItemToArray(rows, RowToJson(appointment, &starts));
  }
  AddStringOrNull(root.get(), "next_cursor", more,
                  more ? FormatCursor(page.back()) : "");
  WriteJson(200, PrintJson(root.get()), res);
}

Status NotFound(const std::string& id) {
  return Status::NotFound("not_found", "no appointment " + id);
}

void RetryAppointment(const AppointmentRoutesDeps& deps,
                      const AdminRequest& request, httplib::Response* res) {
  const std::string& id = request.params[0];
  Appointment appointment;
  Status s = deps.records->GetAppointment(id, &appointment);
  if (s.IsNotFound()) return WriteError(NotFound(id), res);
  if (s.ok() && appointment.sync_status != SyncStatus::kFailed) {
    s = Status::Conflict("not_failed",
                         "appointment " + id + " has not failed: it is " +
                             SyncStatusName(appointment.sync_status));
  }
  if (s.ok()) s = deps.queue->RequeueAppointment(id);
  if (s.IsNotFound()) return WriteError(NotFound(id), res);
  if (s.ok()) s = deps.records->GetAppointment(id, &appointment);
  if (!s.ok()) return WriteError(s, res);
  deps.audit->Record(audit_action::kAppointmentRetried, request.address,
                     "appointment " + id);
  LocalStarts starts(deps.zoneinfo_dir);
  CjsonPtr row(RowToJson(appointment, &starts));
  WriteJson(202, PrintJson(row.get()), res);
}

}  // namespace

void AddAppointmentRoutes(const AppointmentRoutesDeps& deps,
                          AdminRouter* router) {
  router->Handle("GET", "/admin/api/appointments", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   ListAppointments(deps, request, res);
                 });
  router->Handle("POST", "/admin/api/appointments/{id}/retry", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   RetryAppointment(deps, request, res);
                 });
}

}  // namespace web
}  // namespace telemed
