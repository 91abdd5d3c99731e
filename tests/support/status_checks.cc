// The checks of status_checks.h, in CppUTest's macros so that a failure
// points at the test that called them.
#include "support/status_checks.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace telemed {
namespace test {

void CheckOk(const Status& s) {
  if (!s.ok()) FAIL(s.ToString().c_str());
}

void CheckRefusal(const Status& s, Status::Code code, const char* reason,
                  const char* field) {
  if (s.ok()) FAIL((std::string("accepted; wanted ") + reason).c_str());
  STRCMP_EQUAL(reason, s.reason().c_str());
  STRCMP_EQUAL(field, s.field().c_str());
  CHECK(s.code() == code);
}

void CheckBadRequest(const Status& s, const char* reason, const char* field) {
  CheckRefusal(s, Status::Code::kInvalidArgument, reason, field);
}

void CheckUnprocessable(const Status& s, const char* reason,
                        const char* field) {
  CheckRefusal(s, Status::Code::kValidation, reason, field);
}

}  // namespace test
}  // namespace telemed
