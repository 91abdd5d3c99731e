// The doctor's connect pages over the steps of zoom/oauth_connect.h, with
// the fake Zoom: what a browser sees at each step.
#include "web/oauth_pages.h"

#include <CppUTest/TestHarness.h>
#include <httplib.h>

#include <memory>
#include <string>

#include "model/records.h"
#include "store/store.h"
#include "support/oauth_connect_steps.h"
#include "support/zoom_harness.h"
#include "zoom/oauth_connect.h"
#include "zoom/user_token_source.h"

namespace telemed {

TEST_GROUP_BASE(OAuthPages, test::OAuthConnectFixture){
    httplib::Response Serve(const std::string& method, const std::string& path,
                            const httplib::Params& params = {}){
        httplib::Request req;
req.method = method;
req.path = path;
req.params = params;
httplib::Response res;
CHECK_TRUE(web::ServeOAuthPage(&deps, clock, req, &res));
return res;
}  // namespace telemed

std::string LinkPath() {
  ConnectLink link;
  CHECK_TRUE(CreateConnectLink(deps, "d1", clock.NowSeconds(), &link).ok());
  return link.url.substr(strlen("https://bridge.local:8443"));
}
}
;

TEST(OAuthPages, OpeningTheLinkShowsAFormAndDoesNotSpendIt) {
  const std::string path = LinkPath();
  httplib::Response page = Serve("GET", path);
  LONGS_EQUAL(200, page.status);
  CHECK(page.body.find("<form method=\"post\">") != std::string::npos);
  CHECK(page.body.find("Continue to Zoom") != std::string::npos);
  CHECK(page.body.find("for Dr d1 (d1).") != std::string::npos);
  CHECK(page.body.find("<script") == std::string::npos);
  LONGS_EQUAL(200, Serve("GET", path).status);
  LONGS_EQUAL(303, Serve("POST", path).status);
  LONGS_EQUAL(404, Serve("GET", path).status);
  LONGS_EQUAL(404, Serve("POST", path).status);
}

TEST(OAuthPages, TheWholeFlowEndsOnAPageNamingTheAccount) {
  httplib::Response go = Serve("POST", LinkPath());
  LONGS_EQUAL(303, go.status);
  const std::string location = go.get_header_value("Location");
  CHECK(location.rfind(harness->oauth_url() + "/oauth/authorize?", 0) == 0);
  const httplib::Params query = AtZoomQuery(location, "u1");
  httplib::Response done = Serve("GET", "/oauth/callback", query);
  LONGS_EQUAL(200, done.status);
  CHECK(done.body.find("The Zoom account doctor@clinic.example is now "
                       "connected for Dr d1 (d1).") != std::string::npos);
  CHECK_TRUE(HasGrant());
}

TEST(OAuthPages, ARefusedCallbackShowsWhyAndSendsNoTokenRequest) {
  httplib::Params query{{"state", "forged"}, {"code", "x"}};
  httplib::Response page = Serve("GET", "/oauth/callback", query);
  LONGS_EQUAL(404, page.status);
  CHECK(page.body.find("Nothing was changed") != std::string::npos);
  // The reason reads as a sentence.
  CHECK(page.body.find("<p>This answer from Zoom is unknown") !=
        std::string::npos);
  LONGS_EQUAL(0, harness->zoom().CountRequests("POST", "/oauth/token"));
  CHECK_FALSE(HasGrant());
}

TEST(OAuthPages, OtherPathsAreLeftToTheSiteAndWrongMethodsRefused) {
  httplib::Request req;
  req.method = "GET";
  req.path = "/admin/";
  httplib::Response res;
  CHECK_FALSE(web::ServeOAuthPage(&deps, clock, req, &res));
  LONGS_EQUAL(405, Serve("DELETE", "/oauth/callback").status);
  LONGS_EQUAL(404, Serve("GET", "/oauth/other").status);
  httplib::Response off;
  req.path = "/oauth/callback";
  CHECK_TRUE(web::ServeOAuthPage(nullptr, clock, req, &off));
  LONGS_EQUAL(503, off.status);
}

TEST(OAuthPages, EscapesWhatItShows) {
  Doctor doctor;
  doctor.id = "d<b>";
  doctor.name = "Dr <i>";
  doctor.auth = AuthMode::kOauth;
  WriteOutcome outcome;
  CHECK_TRUE(store->PutDoctor(doctor, &outcome).ok());
  ConnectLink link;
  CHECK_TRUE(CreateConnectLink(deps, "d<b>", clock.NowSeconds(), &link).ok());
  httplib::Response page =
      Serve("GET", link.url.substr(strlen("https://bridge.local:8443")));
  CHECK(page.body.find("Dr &lt;i&gt; (d&lt;b&gt;)") != std::string::npos);
  CHECK(page.body.find("d<b>") == std::string::npos);
  CHECK(page.body.find("<i>") == std::string::npos);
}

}  // namespace telemed
