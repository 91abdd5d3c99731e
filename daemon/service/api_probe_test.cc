// ProbeApi against a real ApiServer on 127.0.0.1.
#include "service/api_probe.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <thread>

#include "api/server.h"
#include "base/log.h"
#include "store/testutil.h"

namespace telemed {

namespace {
constexpr std::chrono::milliseconds kTimeout(5000);
}  // namespace

TEST_GROUP_BASE(ApiProbe, test::StoreFixture) {
  CapturingLogger logger;
  std::unique_ptr<ApiServer> server;
  std::thread runner;

  void setup() override {
    test::StoreFixture::setup();
    ApiServer::Options options;
    options.port = 0;
    options.store = store.get();
    options.logger = &logger;
    options.clock = &clock;
    CHECK_OK(ApiServer::Open(options, &server));
    runner = std::thread([this] { server->Run(); });
  }

  void teardown() override {
    StopServer();
    test::StoreFixture::teardown();
  }

  void StopServer() {
    if (!runner.joinable()) return;
    server->Stop();
    runner.join();
  }
};

TEST(ApiProbe, AServingApiAnswersAndTheProbeIsNoActivity) {
  ListenAddress bound{"127.0.0.1", server->port()};
  // The first requests start the pool's workers (which stay).
  for (int i = 0; i < 3; ++i) CHECK_TRUE(ProbeApi(bound, kTimeout));
  const uint64_t before = server->activity();
  constexpr int kProbes = 10;
  for (int i = 0; i < kProbes; ++i) CHECK_TRUE(ProbeApi(bound, kTimeout));
  // The idle housekeeping must still see a quiet period: the count moves
  // only when the pool starts or retires a worker, never per probe.
  CHECK_TRUE(server->activity() - before < kProbes);
}

TEST(ApiProbe, AWildcardAddressIsProbedOnLoopback) {
  CHECK_TRUE(ProbeApi(ListenAddress{"0.0.0.0", server->port()}, kTimeout));
}

TEST(ApiProbe, AnIpv6WildcardIsProbedOnItsLoopback) {
  ApiServer::Options options;
  options.host = "::";
  options.port = 0;
  options.store = store.get();
  options.logger = &logger;
  options.clock = &clock;
  std::unique_ptr<ApiServer> v6;
  CHECK_OK(ApiServer::Open(options, &v6));
  std::thread v6_runner([&v6] { v6->Run(); });
  bool answered = ProbeApi(ListenAddress{"::", v6->port()}, kTimeout);
  v6->Stop();
  v6_runner.join();
  CHECK_TRUE(answered);
}

TEST(ApiProbe, AStoppedApiDoesNotAnswer) {
  int port = server->port();
  StopServer();
  CHECK_FALSE(ProbeApi(ListenAddress{"127.0.0.1", port}, kTimeout));
}

}  // namespace telemed
