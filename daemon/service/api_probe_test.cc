// ProbeApi against a real ApiServer on 127.0.0.1.
#include "service/api_probe.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <thread>

#include "api/server.h"
#include "base/fake_clock.h"
#include "base/log.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace telemed {

namespace {
constexpr std::chrono::milliseconds kTimeout(5000);
}  // namespace

TEST_GROUP(ApiProbe) {
  test::TempDir dir;
  FakeClock clock;
  CapturingLogger logger;
  std::unique_ptr<Store> store;
  std::unique_ptr<ApiServer> server;
  std::thread runner;

  void setup() override {
    Store::Options store_options;
    store_options.path = dir.File("bridge.db");
    store_options.clock = &clock;
    CHECK_TRUE(Store::Open(store_options, &store).ok());
    ApiServer::Options options;
    options.port = 0;
    options.store = store.get();
    options.logger = &logger;
    options.clock = &clock;
    options.worker_threads = 4;
    CHECK_TRUE(ApiServer::Open(options, &server).ok());
    runner = std::thread([this] { server->Run(); });
  }

  void teardown() override { StopServer(); }

  void StopServer() {
    if (!runner.joinable()) return;
    server->Stop();
    runner.join();
  }
};

TEST(ApiProbe, AServingApiAnswersAndTheProbeIsNoActivity) {
  ListenAddress bound{"127.0.0.1", server->port()};
  // The first request starts the pool's first worker (which stays).
  CHECK_TRUE(ProbeApi(bound, kTimeout));
  uint64_t activity = server->activity();
  CHECK_TRUE(ProbeApi(bound, kTimeout));
  CHECK_TRUE(ProbeApi(bound, kTimeout));
  // The idle housekeeping must still see a quiet period.
  LONGS_EQUAL(activity, server->activity());
}

TEST(ApiProbe, AWildcardAddressIsProbedOnLoopback) {
  CHECK_TRUE(ProbeApi(ListenAddress{"0.0.0.0", server->port()}, kTimeout));
}

TEST(ApiProbe, AStoppedApiDoesNotAnswer) {
  int port = server->port();
  StopServer();
  CHECK_FALSE(ProbeApi(ListenAddress{"127.0.0.1", port}, kTimeout));
}

}  // namespace telemed
