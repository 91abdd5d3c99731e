#include "support/zoom_bed.h"

#include <cstdio>
#include <cstdlib>

namespace telemed {
namespace test {

namespace {
void Require(const Status& status, const char* what) {
  if (status.ok()) return;
  fprintf(stderr, "ZoomBed: %s: %s\n", what, status.ToString().c_str());
  abort();
}
}  // namespace

ZoomBed::ZoomBed(int64_t start_micros) : clock(start_micros) {
  Require(RealRandom::Open(&random), "random source");
  Store::Options options;
  options.path = dir.File("bridge.db");
  options.clock = &clock;
  Require(Store::Open(options, &store), "store");
  harness = std::make_unique<ZoomHarness>(&clock, store.get(), random.get());
}

void ZoomBed::PutDoctor(const std::string& id, const std::string& zoom_user,
                        AuthMode auth) {
  Doctor doctor;
  doctor.id = id;
  doctor.name = "Dr. " + id;
  doctor.zoom_user = zoom_user;
  doctor.auth = auth;
  WriteOutcome outcome;
  Require(store->PutDoctor(doctor, &outcome), "putting a doctor");
}

}  // namespace test
}  // namespace telemed
