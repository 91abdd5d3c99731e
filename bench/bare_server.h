// The bare comparison server: cpp-httplib alone, answering GET / with a
// fixed ~300-byte JSON, configured like the daemon where it matters for
// throughput (TCP_NODELAY, worker pool size, listen backlog, keep-alive
// timeout). The daemon's GET throughput is reported as a share of this.
#ifndef TELEMED_BENCH_BARE_SERVER_H_
#define TELEMED_BENCH_BARE_SERVER_H_

namespace telemed {
namespace bench {

// Binds a free port on 127.0.0.1, prints it as one line on stdout, and serves
// with `threads` workers until SIGTERM/SIGINT or `seconds` have passed.
// Returns the process exit status.
int RunBareServer(int threads, int seconds);

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_BARE_SERVER_H_
