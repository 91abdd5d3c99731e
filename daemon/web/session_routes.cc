#include "web/session_routes.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "base/cjson.h"
#include "base/text.h"
#include "base/time_format.h"
#include "http/json_reply.h"
#include "secrets/password_hash.h"
#include "secrets/setup_code.h"

namespace telemed {
namespace web {

namespace {

constexpr size_t kMaxSetupCodeBytes = 64;
constexpr int kDefaultAuditLimit = 50;
constexpr int kMaxAuditLimit = 200;

// The body's JSON object, refusing what is not one.
Status ParseBody(const std::string& body, CjsonPtr* out) {
  // cJSON ends a string at an escaped NUL without a word: a password with
  // one would be cut short silently.
  if (body.find("\\u0000") != std::string::npos) {
    return Status::InvalidArgument("invalid_json",
                                   "strings must not contain NUL (\\u0000)");
  }
  const char* end = nullptr;
  CjsonPtr root(cJSON_ParseWithOpts(body.c_str(), &end, 1));
  // cJSON stops at a raw NUL; what follows it was never read.
  if (root == nullptr || end != body.c_str() + body.size() ||
      !cJSON_IsObject(root.get())) {
    return Status::InvalidArgument("invalid_json",
                                   "the body must be a JSON object");
  }
  *out = std::move(root);
  return Status::OK();
}

// A string member of at most `max_bytes`, clean UTF-8 without NUL.
Status GetText(const cJSON* object, const char* name, size_t max_bytes,
               std::string* out) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, name);
  if (!cJSON_IsString(item)) {
    return Status::InvalidArgument(
        "invalid_field", std::string(name) + " must be a string", name);
  }
  *out = item->valuestring;
  size_t unused = 0;
  if (out->size() > max_bytes) {
    return Status::Validation("field_too_long",
                              std::string(name) + " is too long", name);
  }
  if (!IsCleanUtf8(*out, &unused)) {
    return Status::InvalidArgument(
        "invalid_field", std::string(name) + " is not valid UTF-8", name);
  }
  return Status::OK();
}

// A new password and its confirmation (fields `field`, "confirm_password").
Status CheckNewPasswordPair(const std::string& password,
                            const std::string& confirmation,
                            const char* field) {
  Status s = CheckNewPassword(password, field);
  if (s.ok() && password != confirmation) {
    return Status::Validation("password_mismatch", "the two passwords differ",
                              "confirm_password");
  }
  return s;
}

// Reads the body's string members `names` (each with its byte limit), in
// order, into *values.
Status ReadFields(const AdminRequest& request,
                  const std::vector<std::pair<const char*, size_t>>& names,
                  std::vector<std::string>* values) {
  CjsonPtr root;
  Status s = ParseBody(request.http->body, &root);
  values->resize(names.size());
  for (size_t i = 0; s.ok() && i < names.size(); ++i) {
    s = GetText(root.get(), names[i].first, names[i].second, &(*values)[i]);
  }
  return s;
}

// A failure with the form field to blame (the Status factories for 401
// take none).
void WriteFieldError(const Status& status, const char* field,
                     httplib::Response* res) {
  WriteJson(HttpStatusFor(status),
            RenderError(Status::InvalidArgument(status.reason(),
                                                status.message(), field)),
            res);
}

void WriteTooManyAttempts(int retry_after_s, httplib::Response* res) {
  CjsonPtr root(
      cJSON_Parse(RenderError(TooManyAttempts(retry_after_s)).c_str()));
  cJSON_AddNumberToObject(root.get(), "retry_after_s", retry_after_s);
  WriteJson(429, PrintJson(root.get()), res);
  res->set_header("Retry-After", std::to_string(retry_after_s));
}

// Answers a failed password check: 429, 401 naming `field`, or as is.
void WritePasswordFailure(const Status& s, int retry_after_s, const char* field,
                          httplib::Response* res) {
  if (retry_after_s > 0) return WriteTooManyAttempts(retry_after_s, res);
  // Verify's only Unauthenticated answer is a wrong password.
  if (s.code() == Status::Code::kUnauthenticated) {
    return WriteFieldError(s, field, res);
  }
  WriteError(s, res);
}

// Starts a session for `request`'s peer and answers `status` with its CSRF
// token and the cookie.
void WriteSignedIn(AdminAccess* access, const AdminRequest& request, int status,
                   httplib::Response* res) {
  Sessions::Started started;
  Status s = access->sessions()->Start(request.address, &started);
  if (!s.ok()) return WriteError(s, res);
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddStringToObject(root.get(), "csrf_token", started.csrf_token.c_str());
  WriteJson(status, PrintJson(root.get()), res);
  res->set_header("Set-Cookie", Sessions::SetCookie(started.cookie_id));
}

void WriteNoContentSignedOut(httplib::Response* res) {
  res->status = 204;
  res->set_header("Set-Cookie", Sessions::ClearCookie());
}

void GetSession(AdminAccess* access, const AdminRequest& request,
                httplib::Response* res) {
  bool exists = false;
  Status s = access->AdminExists(&exists);
  if (!s.ok()) return WriteError(s, res);
  AdminSession session;
  const bool signed_in =
      exists &&
      access->sessions()
          ->Check(Sessions::CookieId(request.http->get_header_value("Cookie")),
                  &session)
          .ok();
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddStringToObject(root.get(), "state",
                          !exists     ? "setup_needed"
                          : signed_in ? "signed_in"
                                      : "signed_out");
  if (signed_in) {
    cJSON_AddStringToObject(root.get(), "csrf_token",
                            session.csrf_token.c_str());
  }
  WriteJson(200, PrintJson(root.get()), res);
}

void PostSetup(AdminAccess* access, const AdminRequest& request,
               httplib::Response* res) {
  // Held against the limits until decided, like a password (BeginTry).
  const int wait = access->limiter()->BeginTry(request.address);
  if (wait > 0) return WriteTooManyAttempts(wait, res);
  std::vector<std::string> v;
  Status s = ReadFields(request,
                        {{"setup_code", kMaxSetupCodeBytes},
                         {"password", kMaxPasswordBytes},
                         {"confirm_password", kMaxPasswordBytes}},
                        &v);
  bool exists = false;
  if (s.ok()) s = access->AdminExists(&exists);
  if (s.ok() && exists) {
    s = Status::Conflict("already_set_up", "an admin exists already");
  }
  if (s.ok()) s = CheckNewPasswordPair(v[1], v[2], "password");
  const std::string digest = s.ok() ? SetupCodeDigest(v[0]) : "";
  bool code_refused = s.ok() && digest.empty();
  if (code_refused) {
    s = Status::InvalidArgument("setup_code_invalid",
                                "that is not a setup code (4 groups of 4)",
                                "setup_code");
  }
  std::string hash;
  if (s.ok()) s = access->HashNewPassword(v[1], &hash);
  if (s.ok()) {
    // Checks the code and makes the admin in one transaction; its only
    // InvalidArgument is a wrong or expired code.
    s = access->accounts()->CreateAdmin(digest, hash);
    code_refused = s.code() == Status::Code::kInvalidArgument;
  }
  access->limiter()->EndTry(request.address,
                            code_refused ? SignInLimiter::Outcome::kFailed
                            : s.ok()     ? SignInLimiter::Outcome::kSucceeded
                                         : SignInLimiter::Outcome::kUndecided);
  if (code_refused) access->NoteWrongSetupCode(request.address);
  if (!s.ok()) return WriteError(s, res);
  access->NoteSignIn(audit_action::kSetUp, request.address);
  WriteSignedIn(access, request, 201, res);
}

void PostLogin(AdminAccess* access, const AdminRequest& request,
               httplib::Response* res) {
  std::vector<std::string> v;
  Status s = ReadFields(request, {{"password", kMaxPasswordBytes}}, &v);
  if (!s.ok()) return WriteError(s, res);
  int wait = 0;
  s = access->Verify(v[0], request.address, &wait);
  if (!s.ok()) return WritePasswordFailure(s, wait, "password", res);
  access->NoteSignIn(audit_action::kSignIn, request.address);
  WriteSignedIn(access, request, 200, res);
}

void PostLogout(AdminAccess* access, const AdminRequest& request,
                httplib::Response* res) {
  Status s = access->accounts()->EndSession(request.session);
  if (!s.ok()) return WriteError(s, res);
  access->Record(audit_action::kSignOut, request.address, "");
  WriteNoContentSignedOut(res);
}

void PostLogoutEverywhere(AdminAccess* access, const AdminRequest& request,
                          httplib::Response* res) {
  Status s = access->accounts()->EndOtherSessions("");
  if (!s.ok()) return WriteError(s, res);
  access->Record(audit_action::kSignOutEverywhere, request.address, "");
  WriteNoContentSignedOut(res);
}

void PostPassword(AdminAccess* access, const AdminRequest& request,
                  httplib::Response* res) {
  std::vector<std::string> v;
  Status s = ReadFields(request,
                        {{"current_password", kMaxPasswordBytes},
                         {"new_password", kMaxPasswordBytes},
                         {"confirm_password", kMaxPasswordBytes}},
                        &v);
  if (s.ok()) s = CheckNewPasswordPair(v[1], v[2], "new_password");
  if (!s.ok()) return WriteError(s, res);
  int wait = 0;
  s = access->Verify(v[0], request.address, &wait);
  if (!s.ok()) return WritePasswordFailure(s, wait, "current_password", res);
  std::string hash;
  s = access->HashNewPassword(v[1], &hash);
  // Ends every session, this one too; the answer starts a fresh one.
  if (s.ok()) s = access->accounts()->SetAdminPassword(hash);
  if (!s.ok()) return WriteError(s, res);
  access->Record(audit_action::kPasswordChanged, request.address, "");
  WriteSignedIn(access, request, 200, res);
}

// A query number within [min, max]; `fallback` when absent.
Status QueryNumber(const httplib::Request& http, const char* name,
                   int64_t fallback, int64_t min, int64_t max, int64_t* out) {
  *out = fallback;
  if (!http.has_param(name)) return Status::OK();
  const std::string text = http.get_param_value(name);
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || text.size() > 18 || *end != '\0' ||
      text.find_first_not_of("0123456789") != std::string::npos ||
      value < min || value > max) {
    return Status::InvalidArgument(
        "invalid_query",
        std::string(name) + " must be a whole number from " +
            std::to_string(min) + " to " + std::to_string(max),
        name);
  }
  *out = value;
  return Status::OK();
}

cJSON* RenderEntry(const AuditEntry& entry) {
  cJSON* item = cJSON_CreateObject();
  cJSON_AddNumberToObject(item, "id", static_cast<double>(entry.id));
  cJSON_AddStringToObject(item, "at", FormatRfc3339Utc(entry.at).c_str());
  cJSON_AddStringToObject(item, "action", entry.action.c_str());
  cJSON_AddStringToObject(item, "address", entry.address.c_str());
  cJSON_AddStringToObject(item, "detail", entry.detail.c_str());
  return item;
}

void GetAudit(AdminAccess* access, const AdminRequest& request,
              httplib::Response* res) {
  int64_t limit = 0;
  int64_t before = 0;
  Status s = QueryNumber(*request.http, "limit", kDefaultAuditLimit, 1,
                         kMaxAuditLimit, &limit);
  if (s.ok()) {
    s = QueryNumber(*request.http, "before", 0, 1, INT64_MAX / 2, &before);
  }
  std::vector<AuditEntry> entries;
  if (s.ok()) {
    s = access->accounts()->ListAuditEntries(before, static_cast<int>(limit),
                                             &entries);
  }
  if (!s.ok()) return WriteError(s, res);
  CjsonPtr root(cJSON_CreateObject());
  cJSON* list = cJSON_AddArrayToObject(root.get(), "entries");
  for (const AuditEntry& entry : entries) {
    cJSON_AddItemToArray(list, RenderEntry(entry));
  }
  // A full page may have more behind it; the next one starts below its end.
  if (static_cast<int64_t>(entries.size()) == limit) {
    cJSON_AddNumberToObject(root.get(), "next_before",
                            static_cast<double>(entries.back().id));
  } else {
    cJSON_AddNullToObject(root.get(), "next_before");
  }
  WriteJson(200, PrintJson(root.get()), res);
}

}  // namespace

void AddSessionRoutes(AdminAccess* access, AdminRouter* router) {
  using Handler =
      void (*)(AdminAccess*, const AdminRequest&, httplib::Response*);
  const struct {
    const char* method;
    const char* path;
    Access access;
    Handler handler;
  } routes[] = {
      {"GET", "/admin/api/session", Access::kPublic, GetSession},
      {"POST", "/admin/api/setup", Access::kPublic, PostSetup},
      {"POST", "/admin/api/login", Access::kPublic, PostLogin},
      {"POST", "/admin/api/logout", Access::kSession, PostLogout},
      {"POST", "/admin/api/logout-everywhere", Access::kSession,
       PostLogoutEverywhere},
      {"POST", "/admin/api/password", Access::kSession, PostPassword},
      {"GET", "/admin/api/audit", Access::kSession, GetAudit},
  };
  for (const auto& route : routes) {
    Handler handler = route.handler;
    router->Handle(
        route.method, route.path, route.access,
        [access, handler](const AdminRequest& request, httplib::Response* res) {
          handler(access, request, res);
        });
  }
}

}  // namespace web
}  // namespace telemed
