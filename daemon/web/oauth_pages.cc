#include "web/oauth_pages.h"

#include <cstring>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "model/records.h"
#include "store/clinic_records.h"
#include "zoom/oauth_connect.h"

namespace telemed {
namespace web {

namespace {

constexpr char kConnectPrefix[] = "/oauth/connect/";

std::string EscapeHtml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A plain page: `title`, then `body_html` (already escaped).
void WritePage(int status, const std::string& title,
               const std::string& body_html, httplib::Response* res) {
  res->status = status;
  res->set_header("Cache-Control", "no-store");
  res->set_content(
      "<!doctype html>\n<html lang=\"en\"><head>"
      "<meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\">"
      "<title>" +
          EscapeHtml(title) + "</title></head><body><h1>" + EscapeHtml(title) +
          "</h1>\n" + body_html + "\n</body></html>\n",
      "text/html; charset=utf-8");
}

// The refusal's message as a sentence on the doctor's page: the shared
// messages start in lower case, to follow "telemed-bridge: " on the CLI.
std::string AsSentence(std::string message) {
  if (!message.empty() && message[0] >= 'a' && message[0] <= 'z') {
    message[0] = static_cast<char>(message[0] - 'a' + 'A');
  }
  return message;
}

void WriteRefusal(const Status& status, httplib::Response* res) {
  const int code = status.code() == Status::Code::kNotFound ? 404
                   : status.code() == Status::Code::kInternal ||
                           status.code() == Status::Code::kUnavailable ||
                           status.code() == Status::Code::kIoError
                       ? 503
                       : 400;
  WritePage(code, "Zoom was not connected",
            "<p>" + EscapeHtml(AsSentence(status.message())) +
                "</p><p>Nothing was changed: a Zoom account connected "
                "before stays connected.</p>",
            res);
}

// "Dr Kim (dr-kim)", escaped: the doctor sees the link is theirs. The id
// alone when the name cannot be read (the doctor was removed meanwhile).
std::string DoctorHtml(const OAuthConnectDeps& deps,
                       const std::string& doctor_id) {
  Doctor doctor;
  if (!deps.records->GetDoctor(doctor_id, &doctor).ok() ||
      doctor.name.empty()) {
    return "doctor " + EscapeHtml(doctor_id);
  }
  return EscapeHtml(doctor.name) + " (" + EscapeHtml(doctor_id) + ")";
}

void ServeLink(const OAuthConnectDeps& deps, int64_t now,
               const httplib::Request& req, const std::string& link_id,
               httplib::Response* res) {
  if (req.method == "POST") {
    std::string url;
    Status s = BeginAuthorization(deps, link_id, now, &url);
    if (!s.ok()) return WriteRefusal(s, res);
    res->status = 303;
    res->set_header("Location", url);
    res->set_header("Cache-Control", "no-store");
    return;
  }
  std::string doctor_id;
  Status s = FindConnectLink(deps, link_id, now, &doctor_id);
  if (!s.ok()) return WriteRefusal(s, res);
  WritePage(200, "Connect your Zoom account",
            "<p>This connects the Zoom account you sign in with next to "
            "the clinic's video visits for " +
                DoctorHtml(deps, doctor_id) +
                ". The link works once.</p>"
                "<form method=\"post\"><button type=\"submit\">Continue to "
                "Zoom</button></form>",
            res);
}

void ServeCallback(const OAuthConnectDeps& deps, int64_t now,
                   const httplib::Request& req, httplib::Response* res) {
  OAuthCallback callback;
  callback.state = req.get_param_value("state");
  callback.code = req.get_param_value("code");
  callback.error = req.get_param_value("error");
  std::string doctor_id;
  ZoomUser who;
  Status s = FinishAuthorization(deps, callback, now, &doctor_id, &who);
  if (!s.ok()) return WriteRefusal(s, res);
  WritePage(200, "Zoom connected",
            "<p>The Zoom account " + EscapeHtml(who.email) +
                " is now connected for " + DoctorHtml(deps, doctor_id) +
                ". You can close this page.</p>",
            res);
}

}  // namespace

bool ServeOAuthPage(const OAuthConnectDeps* deps, const Clock& clock,
                    const httplib::Request& req, httplib::Response* res) {
  const std::string& path = req.path;
  const bool is_link = path.rfind(kConnectPrefix, 0) == 0;
  const bool is_callback = path == "/oauth/callback";
  if (path.rfind("/oauth/", 0) != 0) return false;
  if (!is_link && !is_callback) {
    WritePage(404, "Not found", "<p>No such page.</p>", res);
    return true;
  }
  const bool allowed = req.method == "GET" || req.method == "HEAD" ||
                       (is_link && req.method == "POST");
  if (!allowed) {
    res->status = 405;
    res->set_header("Allow", is_link ? "GET, POST" : "GET");
    return true;
  }
  if (deps == nullptr) {
    WritePage(503, "Zoom cannot be connected here",
              "<p>This bridge is not set up to connect Zoom accounts.</p>",
              res);
    return true;
  }
  const int64_t now = clock.NowSeconds();
  if (is_link) {
    ServeLink(*deps, now, req, path.substr(strlen(kConnectPrefix)), res);
  } else {
    ServeCallback(*deps, now, req, res);
  }
  return true;
}

}  // namespace web
}  // namespace telemed
