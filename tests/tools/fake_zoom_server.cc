// fake_zoom_server: the tests' FakeZoom (support/fake_zoom.h) as a program
// of its own, an HTTPS server on 127.0.0.1 with a throwaway CA. The package's
// system test (packaging/deb/tests/system-test.sh) runs it inside the
// container beside the installed daemon, which cannot link the fake in.
//
// Usage: fake_zoom_server OUT_DIR
// Writes OUT_DIR/ca.pem (the CA to trust), OUT_DIR/client_secret (the S2S
// app's secret) and OUT_DIR/oauth_client_secret (the user OAuth app's
// secret), both made at random for this run and written without a newline,
// then OUT_DIR/url (the base URL, "https://127.0.0.1:PORT"; written last, so
// its presence means ready) and serves until SIGTERM or SIGINT. The S2S app
// is FakeZoom's default one (account "fake-account-id", client
// "fake-client-id", that secret) with one Zoom user "u1"
// (u1@clinic.example); the user OAuth app's client id is
// "fake-oauth-client-id".
// GET /_fake/meetings answers {"count":N,"ids":["..."]}: what the fake
// holds, for the test's exactly-once check. GET /_fake/revokes answers
// {"count":N}: the revokes of a doctor's grant (POST /oauth/revoke) the fake
// accepted. Controls for the browser tests
// (tests/browser/), form-encoded, answering 204:
//   POST /_fake/users id=ID&email=EMAIL  adds a user to the account
//   POST /_fake/rotate client_secret=S   the app's secret becomes S and
//                                        every issued token stops working
//   POST /_fake/authorize user=ID        the user who signs in and approves
//                                        at /oauth/authorize from now on;
//                                        user= (empty, the start): Zoom
//                                        answers error=access_denied
#include <httplib.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "base/clock.h"
#include "support/fake_zoom.h"
#include "support/tls_test_server.h"

namespace telemed {
namespace test {
namespace {

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The meetings the fake holds, as the test's JSON.
std::string MeetingsJson(const FakeZoom& zoom) {
  std::string ids;
  int count = 0;
  for (const FakeMeeting& meeting : zoom.Meetings()) {
    if (count++ > 0) ids += ",";
    ids += "\"" + std::to_string(meeting.id) + "\"";
  }
  return "{\"count\":" + std::to_string(count) + ",\"ids\":[" + ids + "]}";
}

// The accepted revokes, without their tokens.
std::string RevokesJson(const FakeZoom& zoom) {
  int count = 0;
  for (const LoggedRequest& request : zoom.Requests()) {
    if (request.method == "POST" && request.path == "/oauth/revoke" &&
        request.status == 200) {
      ++count;
    }
  }
  return "{\"count\":" + std::to_string(count) + "}";
}

int Serve(const std::string& out_dir) {
  // Blocked before any thread starts, so that every thread inherits the
  // mask and sigwait below is the only place the signals arrive.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  RealClock clock;
  FakeZoom::Options options;
  options.clock = &clock;
  FakeZoom zoom(options);
  zoom.AddUser("u1", "u1@clinic.example");
  TlsTestServer server;
  zoom.Mount(&server.server());
  server.server().Get("/_fake/meetings",
                      [&zoom](const httplib::Request&, httplib::Response& res) {
                        res.set_content(MeetingsJson(zoom), "application/json");
                      });
  server.server().Get("/_fake/revokes",
                      [&zoom](const httplib::Request&, httplib::Response& res) {
                        res.set_content(RevokesJson(zoom), "application/json");
                      });
  server.server().Post("/_fake/users", [&zoom](const httplib::Request& req,
                                               httplib::Response& res) {
    zoom.AddUser(req.get_param_value("id"), req.get_param_value("email"));
    res.status = 204;
  });
  server.server().Post("/_fake/rotate", [&zoom](const httplib::Request& req,
                                                httplib::Response& res) {
    zoom.ExpireAllTokens();
    zoom.RotateCredentials(FakeZoom::Options().client_id,
                           req.get_param_value("client_secret"));
    res.status = 204;
  });
  server.server().Post("/_fake/authorize", [&zoom](const httplib::Request& req,
                                                   httplib::Response& res) {
    zoom.SetAuthorizingUser(req.get_param_value("user"));
    res.status = 204;
  });
  server.Start();

  TlsTestServer::WriteFile(out_dir + "/ca.pem",
                           ReadWholeFile(server.ca_file()));
  TlsTestServer::WriteFile(out_dir + "/client_secret", options.client_secret);
  TlsTestServer::WriteFile(out_dir + "/oauth_client_secret",
                           options.oauth_client_secret);
  TlsTestServer::WriteFile(out_dir + "/url", server.Url(""));
  std::printf("fake Zoom serving on %s\n", server.Url("").c_str());
  std::fflush(stdout);

  int signo = 0;
  sigwait(&stop_signals, &signo);
  return 0;
}

}  // namespace
}  // namespace test
}  // namespace telemed

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fake_zoom_server OUT_DIR\n");
    return 2;
  }
  return telemed::test::Serve(argv[1]);
}
