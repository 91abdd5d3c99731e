// What a person should do about an appointment's sync error: one sentence
// per error code (docs/api.md, "Appointment sync errors"), in the page's
// words (its screens and buttons). The same advice as the table in
// docs/zoom-setup.md, section 6, which says it in the CLI's words.
#ifndef TELEMED_WEB_ERROR_ADVICE_H_
#define TELEMED_WEB_ERROR_ADVICE_H_

#include <string>

namespace telemed {
namespace web {

// The advice for sync error `code`; for a code this build does not know,
// a general sentence (read the message, then Retry).
const char* ErrorAdvice(const std::string& code);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_ERROR_ADVICE_H_
