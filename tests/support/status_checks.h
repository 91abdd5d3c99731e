// CppUTest checks of a Status: accepted, or refused with a given code,
// reason and field (the API's error shape), for the validation tests of
// every front end.
#ifndef TELEMED_TESTS_SUPPORT_STATUS_CHECKS_H_
#define TELEMED_TESTS_SUPPORT_STATUS_CHECKS_H_

#include "base/status.h"

namespace telemed {
namespace test {

// Fails the test unless `s` is OK (printing it).
void CheckOk(const Status& s);
// Fails the test unless `s` is the refusal described.
void CheckRefusal(const Status& s, Status::Code code, const char* reason,
                  const char* field);
// CheckRefusal for InvalidArgument (HTTP 400).
void CheckBadRequest(const Status& s, const char* reason, const char* field);
// CheckRefusal for Validation (HTTP 422).
void CheckUnprocessable(const Status& s, const char* reason, const char* field);

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_STATUS_CHECKS_H_
