#include "web/admin_router.h"

#include <CppUTest/TestHarness.h>

#include "web/fake_admin_router.h"

namespace telemed {
namespace web {

TEST_GROUP(AdminRouterPattern){};

TEST(AdminRouterPattern, LiteralPathsMatchExactly) {
  std::vector<std::string> params;
  CHECK_TRUE(MatchPattern("/admin/api/doctors", "/admin/api/doctors", &params));
  CHECK_TRUE(params.empty());
  CHECK_FALSE(MatchPattern("/admin/api/doctors", "/admin/api/doctor", &params));
  CHECK_FALSE(
      MatchPattern("/admin/api/doctors", "/admin/api/doctors/", &params));
}

TEST(AdminRouterPattern, ParametersAreDecodedPerSegment) {
  std::vector<std::string> params;
  CHECK_TRUE(MatchPattern("/admin/api/appointments/{id}/retry",
                          "/admin/api/appointments/a%2Fb/retry", &params));
  LONGS_EQUAL(1, params.size());
  STRCMP_EQUAL("a/b", params[0].c_str());
}

TEST(AdminRouterPattern, EmptyOrControlParametersDoNotMatch) {
  std::vector<std::string> params;
  CHECK_FALSE(
      MatchPattern("/admin/api/doctors/{id}", "/admin/api/doctors/", &params));
  CHECK_FALSE(MatchPattern("/admin/api/doctors/{id}",
                           "/admin/api/doctors/a%0Ab", &params));
  CHECK_FALSE(MatchPattern("/admin/api/doctors/{id}", "/admin/api/doctors/%FF",
                           &params));
}

TEST(AdminRouterPattern, FakeRouterCallsTheMatchingHandler) {
  FakeAdminRouter router;
  router.Handle("GET", "/admin/api/doctors/{id}", Access::kSession,
                [](const AdminRequest& request, httplib::Response* res) {
                  res->status = 200;
                  res->body = request.params[0] + "|" + request.session;
                });
  const httplib::Response found = router.Call("GET", "/admin/api/doctors/x");
  LONGS_EQUAL(200, found.status);
  STRCMP_EQUAL("x|test-session", found.body.c_str());
  LONGS_EQUAL(404, router.Call("DELETE", "/admin/api/doctors/x").status);
}

}  // namespace web
}  // namespace telemed
