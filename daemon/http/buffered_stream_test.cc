// BufferedStream over a socketpair: read-ahead kept across requests, and
// body reads bounded in bytes and time.
#include "http/buffered_stream.h"

#include <CppUTest/TestHarness.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

namespace telemed {
namespace http {

namespace {

using std::chrono::milliseconds;

SteadyTime In(milliseconds delay) {
  return std::chrono::steady_clock::now() + delay;
}

}  // namespace

TEST_GROUP(BufferedStream) {
  int fds[2] = {-1, -1};
  std::atomic<bool> stopping{false};
  std::unique_ptr<PlainChannel> channel;

  void setup() override {
    CHECK_EQUAL(0, socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
    channel = std::make_unique<PlainChannel>(fds[0]);
  }
  void teardown() override {
    channel.reset();
    close(fds[0]);
    close(fds[1]);
  }
  void Peer(const std::string& bytes) {
    CHECK_EQUAL(static_cast<ssize_t>(bytes.size()),
                write(fds[1], bytes.data(), bytes.size()));
  }
  std::string Read(BufferedStream * stream, size_t size) {
    std::string out(size, '\0');
    ssize_t n = stream->read(&out[0], size);
    out.resize(n < 0 ? 0 : static_cast<size_t>(n));
    return out;
  }
};

TEST(BufferedStream, KeepsWhatItReadAheadForTheNextRequest) {
  BufferedStream stream(channel.get(), &stopping, milliseconds(1000));
  Peer("HEAD1NEXT");
  CHECK(stream.FillNow(100) == BufferedStream::Fill::kData);
  LONGS_EQUAL(9, stream.unread_size());
  stream.BeginRequest(5, 0, In(milliseconds(1000)));
  STRCMP_EQUAL("HEAD1", Read(&stream, 5).c_str());
  LONGS_EQUAL(4, stream.unread_size());
  STRCMP_EQUAL("NEXT", std::string(stream.unread_data(), 4).c_str());
  CHECK(stream.FillNow(100) == BufferedStream::Fill::kWouldBlock);
}

TEST(BufferedStream, ReplacesAHead) {
  BufferedStream stream(channel.get(), &stopping, milliseconds(1000));
  Peer("OLDbody");
  stream.FillNow(100);
  stream.ReplaceHead(3, "NEWHEAD");
  STRCMP_EQUAL("NEWHEADbody",
               std::string(stream.unread_data(), stream.unread_size()).c_str());
}

TEST(BufferedStream, ABodyOverItsLimitFails) {
  BufferedStream stream(channel.get(), &stopping, milliseconds(1000));
  Peer("H" + std::string(10, 'b'));
  stream.FillNow(100);
  stream.BeginRequest(1, 4, In(milliseconds(1000)));
  STRCMP_EQUAL("Hbbb", Read(&stream, 4).c_str());
  STRCMP_EQUAL("b", Read(&stream, 4).c_str());  // the 4th body byte
  LONGS_EQUAL(4, stream.body_bytes_read());
  char byte;
  LONGS_EQUAL(-1, stream.read(&byte, 1));
  CHECK(stream.failure() == BufferedStream::Failure::kBodyTooLarge);
}

TEST(BufferedStream, ABodyThatDoesNotArriveInTimeFails) {
  BufferedStream stream(channel.get(), &stopping, milliseconds(1000));
  Peer("H");
  stream.FillNow(100);
  stream.BeginRequest(1, 100, In(milliseconds(50)));
  STRCMP_EQUAL("H", Read(&stream, 1).c_str());
  char byte;
  LONGS_EQUAL(-1, stream.read(&byte, 1));
  CHECK(stream.failure() == BufferedStream::Failure::kBodyTimeout);
}

TEST(BufferedStream, AStopEndsAWaitForTheBody) {
  BufferedStream stream(channel.get(), &stopping, milliseconds(1000));
  stream.BeginRequest(0, 100, In(milliseconds(60000)));
  stopping = true;
  char byte;
  LONGS_EQUAL(-1, stream.read(&byte, 1));
  CHECK(stream.failure() == BufferedStream::Failure::kNone);
}

TEST(BufferedStream, WritesGoOutOnFlushOrBeforeAWaitingRead) {
  BufferedStream stream(channel.get(), &stopping, milliseconds(1000));
  LONGS_EQUAL(5, stream.write("head;", 5));
  LONGS_EQUAL(4, stream.write("body", 4));
  char got[16];
  LONGS_EQUAL(-1, recv(fds[1], got, sizeof(got), MSG_DONTWAIT));
  CHECK_TRUE(stream.Flush());
  LONGS_EQUAL(9, recv(fds[1], got, sizeof(got), MSG_DONTWAIT));
  // An interim answer ("100 Continue") reaches the peer before the stream
  // waits for the body it asks for.
  stream.BeginRequest(0, 100, In(milliseconds(50)));
  stream.write("100", 3);
  char byte;
  LONGS_EQUAL(-1, stream.read(&byte, 1));
  LONGS_EQUAL(3, recv(fds[1], got, sizeof(got), MSG_DONTWAIT));
}

TEST(BufferedStream, EndOfStreamReadsAsZero) {
  BufferedStream stream(channel.get(), &stopping, milliseconds(1000));
  stream.BeginRequest(0, 100, In(milliseconds(1000)));
  shutdown(fds[1], SHUT_WR);
  char byte;
  LONGS_EQUAL(0, stream.read(&byte, 1));
  CHECK(stream.FillNow(100) == BufferedStream::Fill::kClosed);
}

}  // namespace http
}  // namespace telemed
