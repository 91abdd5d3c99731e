#include "base/status.h"

#include <CppUTest/TestHarness.h>

namespace telemed {

TEST_GROUP(Status){};

TEST(Status, DefaultIsOkAndCheap) {
  Status s;
  CHECK_TRUE(s.ok());
  STRCMP_EQUAL("OK", s.ToString().c_str());
  STRCMP_EQUAL("", s.reason().c_str());
}

TEST(Status, CarriesReasonMessageAndField) {
  Status s = Status::Validation("invalid_duration", "must be 1..1440",
                                "duration_minutes");
  CHECK_FALSE(s.ok());
  CHECK(s.code() == Status::Code::kValidation);
  STRCMP_EQUAL("invalid_duration", s.reason().c_str());
  STRCMP_EQUAL("duration_minutes", s.field().c_str());
  STRCMP_EQUAL("invalid_duration: must be 1..1440 (field duration_minutes)",
               s.ToString().c_str());
}

TEST(Status, CopiesAreIndependent) {
  Status a = Status::NotFound("doctor_not_found", "no doctor d1");
  Status b = a;
  a = Status::OK();
  CHECK_TRUE(a.ok());
  CHECK_TRUE(b.IsNotFound());
  STRCMP_EQUAL("no doctor d1", b.message().c_str());
}

TEST(Status, WithContextPrefixesMessage) {
  Status s = Status::IoError("db_failed", "disk full").WithContext("put");
  STRCMP_EQUAL("put: disk full", s.message().c_str());
  CHECK_TRUE(Status::OK().WithContext("x").ok());
}

}  // namespace telemed
