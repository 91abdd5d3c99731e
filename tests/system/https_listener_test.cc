// The HTTPS listener of the built daemon (`serve --https-listen`) as an
// admin and a hostile LAN peer meet it, outside the browser: the page and
// /api/v1 over TLS with their own credentials, the bounds a LAN peer meets
// (handshake deadline, long heads, large bodies, idle connections, plain
// HTTP), how the listener is configured, what the log says, and a backup
// download cut short by kill -9.
#include <CppUTest/TestHarness.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/cjson.h"
#include "base/random.h"
#include "support/daemon_process.h"
#include "support/temp_dir.h"
#include "support/tls_peer.h"

namespace telemed {
namespace {

using test::AnyServerSettings;
using test::ClosedByServer;
using test::FreePort;
using test::TlsPeer;

// How long a test waits for anything the daemon should do; generous, as
// the daemon runs under sanitizers on a shared machine.
constexpr std::chrono::seconds kPatience(30);
constexpr char kPassword[] = "correct horse battery";

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(tolower(c));
  return text;
}

// The value after "label:" on its line of `text`.
std::string Field(const std::string& text, const std::string& label) {
  size_t at = text.find(label + ":");
  if (at == std::string::npos) return "";
  size_t start = text.find_first_not_of(' ', at + label.size() + 1);
  return text.substr(start, text.find('\n', start) - start);
}

// One answer as it came over the wire.
struct Answer {
  int status = 0;
  std::string head;
  std::string body;
  std::string Header(const std::string& name) const {
    std::string wanted = "\r\n" + Lower(name) + ":";
    size_t at = Lower(head).find(wanted);
    if (at == std::string::npos) return "";
    size_t start = head.find_first_not_of(' ', at + wanted.size());
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

Answer ParseAnswer(const std::string& bytes) {
  Answer answer;
  size_t end = bytes.find("\r\n\r\n");
  answer.head = bytes.substr(0, end);
  if (end != std::string::npos) answer.body = bytes.substr(end + 4);
  if (bytes.rfind("HTTP/1.1 ", 0) == 0) answer.status = atoi(&bytes[9]);
  return answer;
}

// Listening TCP sockets of process `pid` (its fds found in /proc/net/tcp*
// in state LISTEN).
int ListeningSockets(pid_t pid) {
  std::set<std::string> inodes;
  std::string fds = "/proc/" + std::to_string(pid) + "/fd";
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(fds.c_str()), closedir);
  if (dir == nullptr) return -1;
  while (const dirent* entry = readdir(dir.get())) {
    char target[64] = {};
    std::string link = fds + "/" + entry->d_name;
    ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    std::string text(target, n > 0 ? static_cast<size_t>(n) : 0);
    if (text.rfind("socket:[", 0) == 0) {
      inodes.insert(text.substr(8, text.size() - 9));
    }
  }
  int listening = 0;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream file(table);
    std::string line;
    std::getline(file, line);  // the column names
    while (std::getline(file, line)) {
      std::istringstream fields(line);
      std::string sl, local, remote, state, queues, timer, retr, uid, timeout,
          inode;
      fields >> sl >> local >> remote >> state >> queues >> timer >> retr >>
          uid >> timeout >> inode;
      if (state == "0A" && inodes.count(inode) > 0) ++listening;
    }
  }
  return listening;
}

// The names of the backup copies a download left in `data_dir`, each
// followed by a space.
std::string DownloadLeftovers(const std::string& data_dir) {
  std::string found;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(data_dir.c_str()), closedir);
  if (dir == nullptr) return "cannot read " + data_dir;
  while (const dirent* entry = readdir(dir.get())) {
    std::string name = entry->d_name;
    if (name.rfind(".admin-download-", 0) == 0) found += name + " ";
  }
  return found;
}

std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

// The string at `path` in the JSON object `json` ("" when there is none).
std::string JsonString(const std::string& json,
                       const std::vector<const char*>& path) {
  CjsonPtr root(cJSON_Parse(json.c_str()));
  const cJSON* item = root.get();
  for (const char* name : path) {
    item = cJSON_GetObjectItemCaseSensitive(item, name);
  }
  const char* value = cJSON_GetStringValue(item);
  return value == nullptr ? "" : value;
}

}  // namespace

TEST_GROUP(HttpsListener) {
  std::unique_ptr<RandomSource> random;
  std::unique_ptr<AnyServerSettings> settings;
  std::unique_ptr<test::DaemonProcess> daemon;
  test::TempDir temp;
  int https_port = 0;

  void setup() override {
    CHECK_TRUE(RealRandom::Open(&random).ok());
    settings = std::make_unique<AnyServerSettings>(random.get());
  }
  void teardown() override { daemon.reset(); }

  // Starts the daemon with its HTTPS listener on a free port of 127.0.0.1.
  // A port picked free may be taken before the daemon binds it: then the
  // daemon exits and the next attempt picks another.
  void Start(const std::string& data_dir = "") {
    Status s;
    for (int attempt = 0; attempt < 3; ++attempt) {
      https_port = FreePort();
      test::DaemonProcess::Options options;
      options.data_dir = data_dir;
      options.args = {"--https-listen",
                      "127.0.0.1:" + std::to_string(https_port)};
      s = test::DaemonProcess::Start(options, &daemon);
      if (s.ok()) break;
    }
    CHECK_TEXT(s.ok(), s.ToString().c_str());
  }
  std::string Host() const { return "127.0.0.1:" + std::to_string(https_port); }
  std::unique_ptr<TlsPeer> Peer() {
    return std::make_unique<TlsPeer>(https_port, settings->get(), kPatience);
  }
  // One request on a connection of its own ("Connection: close").
  Answer Send(const std::string& method, const std::string& target,
              const std::string& headers = "", const std::string& body = "") {
    auto peer = Peer();
    if (!peer->Handshake()) return Answer();
    std::string request = method + " " + target +
                          " HTTP/1.1\r\nHost: " + Host() +
                          "\r\nConnection: close\r\n" + headers;
    if (!body.empty() || method == "POST") {
      request += "Content-Type: application/json\r\nContent-Length: " +
                 std::to_string(body.size()) + "\r\n";
    }
    peer->Write(request + "\r\n" + body);
    return ParseAnswer(peer->ReadToEnd());
  }
  test::CliResult Cli(std::vector<std::string> args) {
    args.push_back("--data-dir");
    args.push_back(daemon->data_dir());
    return test::RunCli(args);
  }
  // Makes the admin through *Set up*; returns the session cookie
  // ("__Host-tb_session=...").
  std::string SetUp(std::string* setup_code = nullptr) {
    test::CliResult made = Cli({"admin", "setup-code"});
    LONGS_EQUAL_TEXT(0, made.exit_code, made.err.c_str());
    std::string code = LastLine(made.out);
    if (setup_code != nullptr) *setup_code = code;
    Answer answer =
        Send("POST", "/admin/api/setup", "Origin: https://" + Host() + "\r\n",
             "{\"setup_code\":\"" + code + "\",\"password\":\"" + kPassword +
                 "\",\"confirm_password\":\"" + kPassword + "\"}");
    LONGS_EQUAL_TEXT(201, answer.status, (answer.head + answer.body).c_str());
    std::string cookie = answer.Header("Set-Cookie");
    return cookie.substr(0, cookie.find(';'));
  }
  std::string ApiKey() {
    test::CliResult made = Cli({"apikey", "create", "lan-emr"});
    LONGS_EQUAL_TEXT(0, made.exit_code, made.err.c_str());
    return LastLine(made.out);
  }
};

TEST(HttpsListener, ServesThePageAndTheApiWithItsKey) {
  Start();
  Answer page = Send("GET", "/");
  LONGS_EQUAL(200, page.status);
  STRCMP_CONTAINS("text/html", page.Header("Content-Type").c_str());
  Answer bare = Send("GET", "/api/v1/doctors");
  LONGS_EQUAL(401, bare.status);
  STRCMP_CONTAINS("\"error\"", bare.body.c_str());
  Answer keyed = Send("GET", "/api/v1/doctors",
                      "Authorization: Bearer " + ApiKey() + "\r\n");
  LONGS_EQUAL_TEXT(200, keyed.status, keyed.body.c_str());
}

TEST(HttpsListener, ASessionCookieDoesNotOpenTheApi) {
  Start();
  std::string cookie = SetUp();
  Answer session =
      Send("GET", "/admin/api/session", "Cookie: " + cookie + "\r\n");
  STRCMP_EQUAL("signed_in", JsonString(session.body, {"state"}).c_str());
  Answer api = Send("GET", "/api/v1/doctors", "Cookie: " + cookie + "\r\n");
  LONGS_EQUAL(401, api.status);
}

TEST(HttpsListener, AdminApiRefusesAnAuthorizationHeader) {
  Start();
  std::string key = ApiKey();
  std::string cookie = SetUp();
  Answer answer =
      Send("GET", "/admin/api/keys",
           "Cookie: " + cookie + "\r\nAuthorization: Bearer " + key + "\r\n");
  LONGS_EQUAL_TEXT(401, answer.status, answer.body.c_str());
  STRCMP_EQUAL("api_key_not_accepted",
               JsonString(answer.body, {"error", "code"}).c_str());
  CHECK_TRUE(answer.body.find(key) == std::string::npos);
  // The same request without the header is served.
  LONGS_EQUAL(
      200, Send("GET", "/admin/api/keys", "Cookie: " + cookie + "\r\n").status);
}

TEST(HttpsListener, ClosesPeersThatNeverFinishTheHandshakeServingOthers) {
  Start();
  int silent = test::ConnectTcp(https_port, kPatience);
  int half = test::ConnectTcp(https_port, kPatience);
  CHECK_TRUE(send(half, test::kHalfClientHello,
                  sizeof(test::kHalfClientHello) - 1, MSG_NOSIGNAL) > 0);
  LONGS_EQUAL(200, Send("GET", "/").status);
  // The deadline is 5 s; our reads give up after kPatience.
  CHECK_TRUE(ClosedByServer(silent));
  CHECK_TRUE(ClosedByServer(half));
  close(silent);
  close(half);
  LONGS_EQUAL(200, Send("GET", "/").status);
}

TEST(HttpsListener, AnOverLongHeadGets431) {
  Start();
  Answer answer =
      Send("GET", "/", "X-Long: " + std::string(64 * 1024, 'x') + "\r\n");
  LONGS_EQUAL_TEXT(431, answer.status, answer.head.c_str());
  LONGS_EQUAL(200, Send("GET", "/").status);
}

TEST(HttpsListener, AMebibyteToLoginGets413) {
  Start();
  Answer answer =
      Send("POST", "/admin/api/login", "Origin: https://" + Host() + "\r\n",
           std::string(1024 * 1024, ' '));
  LONGS_EQUAL_TEXT(413, answer.status, answer.head.c_str());
  STRCMP_CONTAINS("\"error\"", answer.body.c_str());
  LONGS_EQUAL(200, Send("GET", "/").status);
}

TEST(HttpsListener, ThreeHundredIdleConnectionsDoNotStopANewClient) {
  Start();
  std::vector<std::unique_ptr<TlsPeer>> idle;
  for (int i = 0; i < 300; ++i) {
    idle.push_back(Peer());
    CHECK_TRUE(idle.back()->Handshake());
  }
  // One has a request head under way, the rest sent nothing yet.
  idle.front()->Write("GET / HTTP/1.1\r\n");
  LONGS_EQUAL(200, Send("GET", "/").status);
}

TEST(HttpsListener, PlainHttpToTheHttpsPortIsClosedAndHarmless) {
  Start();
  int fd = test::ConnectTcp(https_port, kPatience);
  std::string request = "GET / HTTP/1.1\r\nHost: " + Host() + "\r\n\r\n";
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  CHECK_TRUE(ClosedByServer(fd));
  close(fd);
  LONGS_EQUAL(200, Send("GET", "/").status);
  LONGS_EQUAL(-1, daemon->SignalAndWait(0, std::chrono::milliseconds(0)));
}

// What an admin compares before trusting the page: the log, `web cert` and
// the listener all show one fingerprint; the setup code is never logged.
TEST(HttpsListener, LogNamesTheFingerprintAndNeverTheSetupCode) {
  Start();
  auto peer = Peer();
  CHECK_TRUE(peer->Handshake());
  std::string presented = peer->PeerFingerprint();
  test::CliResult shown = Cli({"web", "cert"});
  LONGS_EQUAL_TEXT(0, shown.exit_code, shown.err.c_str());
  STRCMP_EQUAL(presented.c_str(), Field(shown.out, "fingerprint").c_str());
  STRCMP_CONTAINS(("admin page certificate (made now): " + presented).c_str(),
                  daemon->Stderr().c_str());
  STRCMP_CONTAINS(("https://" + Host() + "/").c_str(),
                  daemon->Stderr().c_str());
  std::string code;
  SetUp(&code);
  CHECK_FALSE(code.empty());
  CHECK_TRUE(daemon->Stderr().find(code) == std::string::npos);
}

TEST(HttpsListener, KillDuringABackupDownloadLeavesNoTempFile) {
  Start(temp.File("data"));
  std::string cookie = SetUp();
  // What a kill while the copy is being written leaves behind.
  std::ofstream(temp.File("data/.admin-download-1-2-3.db")) << "half a copy";
  auto peer = Peer();
  CHECK_TRUE(peer->Handshake());
  peer->Write("GET /admin/api/system/backup HTTP/1.1\r\nHost: " + Host() +
              "\r\nCookie: " + cookie + "\r\n\r\n");
  Answer head = ParseAnswer(peer->ReadUntil("\r\n\r\n", 1));
  LONGS_EQUAL_TEXT(200, head.status, head.head.c_str());
  daemon->Kill();
  daemon.reset();
  Start(temp.File("data"));
  STRCMP_EQUAL("", DownloadLeftovers(temp.File("data")).c_str());
}

// How the listener is configured: flag, environment, off, and an address
// that cannot be bound.
TEST_GROUP(HttpsListenerConfig) {
  test::TempDir temp;
  std::unique_ptr<test::DaemonProcess> daemon;

  void StartWith(const std::vector<std::string>& args,
                 const std::vector<std::string>& env) {
    test::DaemonProcess::Options options;
    options.args = args;
    options.env = env;
    Status s = test::DaemonProcess::Start(options, &daemon);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
  }
};

TEST(HttpsListenerConfig, OffOpensNothingButTheApi) {
  StartWith({"--https-listen", "off"}, {});
  LONGS_EQUAL(1, ListeningSockets(daemon->pid()));
  CHECK_TRUE(daemon->Stderr().find("admin page on") == std::string::npos);
}

TEST(HttpsListenerConfig, TakesTheAddressFromTheEnvironment) {
  int port = FreePort();
  std::string address = "127.0.0.1:" + std::to_string(port);
  StartWith({}, {"TELEMED_HTTPS_LISTEN=" + address});
  LONGS_EQUAL(2, ListeningSockets(daemon->pid()));
  STRCMP_CONTAINS(("admin page on https://" + address + "/").c_str(),
                  daemon->Stderr().c_str());
  int fd = test::ConnectTcp(port, kPatience);
  close(fd);
}

// Set by the flag or the environment (as the package's /etc/default does),
// an address that cannot be bound is fatal.
TEST(HttpsListenerConfig, AnAddressInUseStopsServeNamingIt) {
  int holder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  CHECK_EQUAL(
      0, bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof(address)));
  CHECK_EQUAL(0, listen(holder, 1));
  getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length);
  std::string taken = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  std::vector<std::string> serve = {"serve", "--data-dir", temp.File("data"),
                                    "--listen",
                                    "127.0.0.1:" + std::to_string(FreePort())};
  std::vector<std::string> by_flag = serve;
  by_flag.insert(by_flag.end(), {"--https-listen", taken});
  std::vector<test::CliResult> results = {
      test::RunCli(by_flag),
      test::RunCli(serve, {"TELEMED_HTTPS_LISTEN=" + taken})};
  close(holder);
  for (const test::CliResult& result : results) {
    LONGS_EQUAL_TEXT(1, result.exit_code, result.err.c_str());
    // The last line is the reason: the address, and the setting to change.
    std::string reason =
        result.err.substr(result.err.rfind('\n', result.err.size() - 2) + 1);
    STRCMP_CONTAINS(("cannot listen on " + taken + ": port").c_str(),
                    reason.c_str());
    STRCMP_CONTAINS("already in use", reason.c_str());
    STRCMP_CONTAINS("choose another port with --https-listen", reason.c_str());
  }
}

}  // namespace telemed
