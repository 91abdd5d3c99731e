#include "web/route_support.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "base/log.h"
#include "web/screen_test_support.h"

namespace telemed {
namespace web {

TEST_GROUP(AdminRouteSupport) {
  CapturingLogger logger;
  httplib::Response res;
};

TEST(AdminRouteSupport, ARefusalIsAnsweredAsItIs) {
  WriteFailure(Status::Validation("invalid_value", "name is wrong", "name"),
               "storing a doctor", &logger, &res);
  LONGS_EQUAL(422, res.status);
  STRCMP_EQUAL("invalid_value", ErrorCode(res).c_str());
  STRCMP_EQUAL("name", ErrorField(res).c_str());
  LONGS_EQUAL(0, logger.Lines().size());
}

TEST(AdminRouteSupport, TheBridgesOwnFailureIsLoggedNotAnswered) {
  WriteFailure(Status::IoError("disk_full", "/var/lib/x: no space left"),
               "storing a doctor", &logger, &res);
  LONGS_EQUAL(500, res.status);
  STRCMP_EQUAL("internal_error", ErrorCode(res).c_str());
  CHECK(res.body.find("/var/lib") == std::string::npos);
  CHECK_TRUE(logger.Contains("storing a doctor failed"));
  CHECK_TRUE(logger.Contains("no space left"));
}

TEST(AdminRouteSupport, ABusyBridgeSaysToTryAgain) {
  WriteFailure(Status::Unavailable("database_busy", "locked by pid 7"),
               "listing doctors", &logger, &res);
  LONGS_EQUAL(503, res.status);
  STRCMP_EQUAL("busy", ErrorCode(res).c_str());
  CHECK(res.body.find("pid 7") == std::string::npos);
}

TEST(AdminRouteSupport, ABodyIsReadByTheApisRules) {
  httplib::Request req;
  CjsonPtr root;
  req.body = R"({"a":1,"a":2})";
  STRCMP_EQUAL("invalid_json", ParseBody(req, &root).reason().c_str());
  req.body = "{\"a\":\"\xff\"}";
  STRCMP_EQUAL("invalid_string", ParseBody(req, &root).reason().c_str());
  req.body = R"({"a":"\u0000"})";
  STRCMP_EQUAL("invalid_string", ParseBody(req, &root).reason().c_str());
  req.body = R"({"a":"b"})";
  CHECK_TRUE(ParseBody(req, &root).ok());
  CHECK_TRUE(root != nullptr);
}

}  // namespace web
}  // namespace telemed
