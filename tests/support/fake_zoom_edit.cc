// Reading create and PATCH bodies the way Zoom validates them, and the
// small text rules around meetings (passcodes, settings, agenda cuts).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

#include "base/time_format.h"
#include "support/fake_zoom_impl.h"

namespace telemed {
namespace test {

namespace {

constexpr size_t kMaxTopic = 200;
constexpr size_t kMaxAgenda = 2000;
constexpr size_t kMaxPassword = 10;
constexpr char kPasswordSpecials[] = "@-_*";

size_t CountCodePoints(const std::string& text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;  // continuation bytes do not start one
  }
  return count;
}

// Reads the string field `name` if present; false (with *error set) when it
// is present but not a string or longer than `max_chars`.
bool ReadString(const cJSON* body, const char* name, size_t max_chars,
                bool* has, std::string* value, std::string* error) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(body, name);
  if (item == nullptr) return true;
  if (!cJSON_IsString(item)) {
    *error = std::string("Invalid field: ") + name + " must be a string.";
    return false;
  }
  *value = item->valuestring;
  *has = true;
  if (CountCodePoints(*value) <= max_chars) return true;
  *error = std::string("Invalid field: ") + name + " is longer than " +
           std::to_string(max_chars) + " characters.";
  return false;
}

// Reads a whole number; cJSON has no integer type, see
// docs/library-notes.md.
bool ReadInt(const cJSON* body, const char* name, bool* has, int* value,
             std::string* error) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(body, name);
  if (item == nullptr) return true;
  const double number = item->valuedouble;
  if (!cJSON_IsNumber(item) || number != std::floor(number) || number < 0 ||
      number > 1e6) {
    *error = std::string("Invalid field: ") + name +
             " must be a non-negative integer.";
    return false;
  }
  *value = static_cast<int>(number);
  *has = true;
  return true;
}

bool IsPasswordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::strchr(kPasswordSpecials, c) != nullptr;
}

bool CheckPasswordSyntax(const std::string& password, std::string* error) {
  if (password.size() <= kMaxPassword &&
      std::all_of(password.begin(), password.end(), IsPasswordChar)) {
    return true;
  }
  *error =
      "Password may only contain the following characters: [a-z A-Z 0-9 @ - "
      "_ *] and can have a maximum of 10 characters.";
  return false;
}

bool ReadSettingsAndFlags(const cJSON* body, MeetingEdit* edit,
                          std::string* error) {
  const cJSON* settings = cJSON_GetObjectItemCaseSensitive(body, "settings");
  if (settings != nullptr) {
    if (!cJSON_IsObject(settings)) {
      *error = "Invalid field: settings must be an object.";
      return false;
    }
    edit->settings.reset(cJSON_Duplicate(settings, true));
  }
  const cJSON* generate =
      cJSON_GetObjectItemCaseSensitive(body, "default_password");
  edit->default_password = cJSON_IsTrue(generate);
  if (!ReadInt(body, "type", &edit->has_type, &edit->type, error)) {
    return false;
  }
  if (edit->has_type && edit->type != 1 && edit->type != 2 && edit->type != 3 &&
      edit->type != 8) {
    *error = "Invalid field: type must be 1, 2, 3 or 8.";
    return false;
  }
  return true;
}

// Zoom refuses meetings without a passcode, waiting room or authentication.
bool IsSecured(const FakeMeeting& meeting) {
  CjsonPtr settings(cJSON_Parse(meeting.settings_json.c_str()));
  auto on = [&settings](const char* name) {
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(settings.get(), name));
  };
  return !meeting.password.empty() || on("waiting_room") ||
         on("meeting_authentication");
}

}  // namespace

bool ParseMeetingEdit(const cJSON* body,
                      const std::map<std::string, int>& timezones,
                      MeetingEdit* edit, std::string* error) {
  if (!ReadString(body, "topic", kMaxTopic, &edit->has_topic, &edit->topic,
                  error) ||
      !ReadString(body, "agenda", kMaxAgenda, &edit->has_agenda, &edit->agenda,
                  error) ||
      !ReadString(body, "start_time", 64, &edit->has_start, &edit->start_text,
                  error) ||
      !ReadString(body, "timezone", 64, &edit->has_timezone, &edit->timezone,
                  error) ||
      !ReadString(body, "password", 64, &edit->has_password, &edit->password,
                  error) ||
      !ReadInt(body, "duration", &edit->has_duration, &edit->duration, error) ||
      !ReadSettingsAndFlags(body, edit, error)) {
    return false;
  }
  int64_t ignored = 0;
  if (edit->has_start &&
      !ResolveStart(edit->start_text, "", timezones, &ignored)) {
    *error = "Invalid field: start_time is not a date-time.";
    return false;
  }
  if (edit->has_timezone && !edit->timezone.empty() &&
      timezones.count(edit->timezone) == 0) {
    *error = "Invalid timezone: " + edit->timezone;
    return false;
  }
  return !edit->has_password || CheckPasswordSyntax(edit->password, error);
}

bool ResolveStart(const std::string& start_text, const std::string& zone,
                  const std::map<std::string, int>& timezones,
                  int64_t* start_seconds) {
  if (ParseRfc3339(start_text, start_seconds).ok()) return true;
  // No offset: local time in the meeting's zone (docs/zoom-notes.md).
  if (!ParseRfc3339(start_text + "Z", start_seconds).ok()) return false;
  auto it = timezones.find(zone);
  if (it != timezones.end()) *start_seconds -= it->second * 60;
  return true;
}

std::string CheckPasscode(const std::string& password,
                          const PasscodePolicy& policy) {
  bool upper = false, lower = false, digit = false;
  for (unsigned char c : password) {
    upper = upper || std::isupper(c) != 0;
    lower = lower || std::islower(c) != 0;
    digit = digit || std::isdigit(c) != 0;
  }
  if (password.size() < static_cast<size_t>(policy.min_length)) {
    return "Passcode must have at least " + std::to_string(policy.min_length) +
           " characters.";
  }
  if (policy.require_letter && !upper && !lower) {
    return "Passcode must contain a letter.";
  }
  if (policy.require_digit && !digit) {
    return "Passcode must contain a number.";
  }
  if (policy.require_upper_and_lower && !(upper && lower)) {
    return "Passcode must contain upper and lower case letters.";
  }
  if (policy.require_special &&
      password.find_first_of(kPasswordSpecials) == std::string::npos) {
    return "Passcode must contain a special character.";
  }
  return "";
}

std::string GeneratePasscode(const PasscodePolicy& policy, int64_t seed) {
  // Letters of both cases and a digit satisfy every rule but the special
  // character and the length, which are added as needed.
  std::string code = "Fz";
  if (policy.require_special) code += '*';
  code += std::to_string(seed % 10000000);
  code.resize(std::min(code.size(), kMaxPassword));
  const size_t min_length = static_cast<size_t>(std::max(policy.min_length, 6));
  if (code.size() < min_length) code.append(min_length - code.size(), '7');
  return code;
}

bool ApplyMeetingEdit(const MeetingEdit& edit, const PasscodePolicy& policy,
                      const std::map<std::string, int>& timezones,
                      FakeMeeting* meeting, std::string* error) {
  if (edit.has_topic) meeting->topic = edit.topic;
  if (edit.has_agenda) meeting->agenda = edit.agenda;
  if (edit.has_duration) meeting->duration = edit.duration;
  if (edit.has_timezone) meeting->timezone = edit.timezone;
  if (edit.has_start) {
    ResolveStart(edit.start_text, meeting->timezone, timezones,
                 &meeting->start_seconds);
    meeting->start_time = FormatRfc3339Utc(meeting->start_seconds);
  }
  if (edit.default_password) {
    meeting->password = GeneratePasscode(policy, meeting->id);
  } else if (edit.has_password) {
    // An empty passcode means none; the security check below judges it.
    *error = edit.password.empty() ? "" : CheckPasscode(edit.password, policy);
    if (!error->empty()) return false;
    meeting->password = edit.password;
  }
  if (edit.settings) {
    MergeSettings(edit.settings.get(), &meeting->settings_json);
  }
  if (IsSecured(*meeting)) return true;
  *error =
      "A meeting needs a passcode, a waiting room or authentication to be "
      "secure.";
  return false;
}

bool SameMeeting(const FakeMeeting& a, const FakeMeeting& b) {
  return a.topic == b.topic && a.agenda == b.agenda &&
         a.start_seconds == b.start_seconds && a.duration == b.duration &&
         a.timezone == b.timezone && a.password == b.password &&
         a.settings_json == b.settings_json;
}

void MergeSettings(const cJSON* given, std::string* settings_json) {
  CjsonPtr merged(cJSON_Parse(settings_json->c_str()));
  if (!cJSON_IsObject(merged.get())) merged.reset(cJSON_CreateObject());
  for (const cJSON* item = given != nullptr ? given->child : nullptr;
       item != nullptr; item = item->next) {
    cJSON_DeleteItemFromObjectCaseSensitive(merged.get(), item->string);
    cJSON_AddItemToObject(merged.get(), item->string,
                          cJSON_Duplicate(item, true));
  }
  // Zoom turns join-before-host off whenever the waiting room is on.
  if (cJSON_IsTrue(
          cJSON_GetObjectItemCaseSensitive(merged.get(), "waiting_room")) &&
      cJSON_GetObjectItemCaseSensitive(merged.get(), "join_before_host")) {
    cJSON_ReplaceItemInObjectCaseSensitive(merged.get(), "join_before_host",
                                           cJSON_CreateFalse());
  }
  *settings_json = PrintJson(merged.get());
}

std::string CutUtf8(const std::string& text, size_t max_chars) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts && count++ == max_chars) return text.substr(0, i);
  }
  return text;
}

}  // namespace test
}  // namespace telemed
