// BenchClient: one keep-alive HTTP connection from the load generator to the
// daemon's API or to the bare comparison server, on 127.0.0.1.
//
// TCP_NODELAY is on, as in the daemon (docs/library-notes.md, Nagle). Not
// thread-safe: each load thread owns one.
#ifndef TELEMED_BENCH_BENCH_CLIENT_H_
#define TELEMED_BENCH_BENCH_CLIENT_H_

#include <httplib.h>

#include <cstdint>
#include <string>

namespace telemed {
namespace bench {

// Where the load goes: a port on 127.0.0.1 and the API key (empty for the
// bare server, which needs none).
struct Endpoint {
  int port = 0;
  std::string api_key;
};

class BenchClient {
 public:
  explicit BenchClient(const Endpoint& endpoint);

  // PUT /api/v1/appointments/{id} for doctor `doctor_id`. The topic carries
  // `serial`, so every PUT really changes the record and commits. Returns the
  // HTTP status, or -1 when the request failed on the wire.
  int PutAppointment(const std::string& id, const std::string& doctor_id,
                     uint64_t serial);
  // GET `path`; the HTTP status, or -1 on a transport failure. *body (may
  // be null) receives the answer's body.
  int Get(const std::string& path, std::string* body = nullptr);
  // Follows the change feed until a 1-second long-poll comes back empty:
  // the daemon's sync engine has settled what the PUTs set off. False after
  // `max_seconds` or on an error.
  bool WaitForQuietFeed(int max_seconds);

 private:
  httplib::Client client_;
  httplib::Headers headers_;
};

// The id of benchmark appointment number `index`.
std::string AppointmentId(uint64_t index);

// A port on 127.0.0.1 that was free a moment ago; 0 if none could be found.
int FindFreePort();

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_BENCH_CLIENT_H_
