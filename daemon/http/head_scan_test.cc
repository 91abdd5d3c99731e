// CheckHead: the end of a head, its limits and the framing it declares.
#include "http/head_scan.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace telemed {
namespace http {

namespace {

using Verdict = HeadCheck::Verdict;

HeadCheck Check(const std::string& bytes, const HeadLimits& limits = {}) {
  return CheckHead(bytes.data(), bytes.size(), limits);
}

}  // namespace

TEST_GROUP(HeadScan){};

TEST(HeadScan, WaitsForTheBlankLine) {
  CHECK(Check("").verdict == Verdict::kIncomplete);
  CHECK(Check("GET / HTTP/1.1\r\nHost: a\r\n").verdict == Verdict::kIncomplete);
  HeadCheck check = Check("GET / HTTP/1.1\r\nHost: a\r\n\r\nNEXT");
  CHECK(check.verdict == Verdict::kReady);
  LONGS_EQUAL(27, check.head_bytes);
  CHECK_TRUE(check.head.empty());  // served as it came
}

TEST(HeadScan, LongLinesManyHeadersAndBigHeadsAreRefused) {
  HeadLimits limits;
  limits.max_request_line = 20;
  limits.max_header_line = 10;
  limits.max_header_count = 2;
  limits.max_head_bytes = 60;
  HeadCheck check = Check("GET /" + std::string(30, 'a'), limits);
  LONGS_EQUAL(414, check.status);
  // Refused as soon as the line is too long, before its end arrives.
  check = Check("GET / HTTP/1.1\r\nX: " + std::string(10, 'a'), limits);
  CHECK(check.verdict == Verdict::kRefuse);
  LONGS_EQUAL(431, check.status);
  STRCMP_EQUAL("headers_too_large", check.code.c_str());
  check = Check("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n", limits);
  LONGS_EQUAL(431, check.status);
  check = Check("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", limits);
  CHECK(check.verdict == Verdict::kReady);
  limits.max_header_count = 100;
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 10; ++i) many += "A: 1\r\n";
  LONGS_EQUAL(431, Check(many, limits).status);
}

TEST(HeadScan, LargeDeclaredBodiesAndEncodingsAreRefused) {
  HeadCheck check = Check("PUT /x HTTP/1.1\r\nContent-Length: 65537\r\n\r\n");
  LONGS_EQUAL(413, check.status);
  STRCMP_EQUAL("body_too_large", check.code.c_str());
  check = Check("PUT /x HTTP/1.1\r\nContent-Length: 65536\r\n\r\n");
  CHECK(check.verdict == Verdict::kReady);
  LONGS_EQUAL(65536, check.content_length);
  LONGS_EQUAL(415, Check("PUT /x HTTP/1.1\r\nContent-Length: 2\r\n"
                         "Content-Encoding: gzip\r\n\r\n")
                       .status);
  CHECK(Check("PUT /x HTTP/1.1\r\nContent-Encoding: identity\r\n"
              "Content-Length: 2\r\n\r\n")
            .verdict == Verdict::kReady);
  LONGS_EQUAL(400, Check("PUT /x HTTP/1.1\r\nContent-Length: 2\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n")
                       .status);
  LONGS_EQUAL(400,
              Check("PUT /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n").status);
  LONGS_EQUAL(400, Check("PUT /x HTTP/1.1\r\nContent-Length: 2\r\n"
                         "Content-Length: 3\r\n\r\n")
                       .status);
  LONGS_EQUAL(
      501, Check("PUT /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n").status);
}

TEST(HeadScan, ReportsFramingExpectAndAuthorization) {
  HeadCheck check = Check(
      "PUT /x HTTP/1.1\r\ntransfer-encoding:  Chunked \r\n"
      "Expect: 100-continue\r\nAuthorization: Bearer k1\r\n\r\n");
  CHECK(check.verdict == Verdict::kReady);
  CHECK_TRUE(check.chunked);
  CHECK_TRUE(check.expects_continue);
  STRCMP_EQUAL("Bearer k1", check.authorization.c_str());
}

TEST(HeadScan, DropsRangeAndGivesUnframedWritesAnEmptyBody) {
  HeadCheck check =
      Check("GET /x HTTP/1.1\r\nRange: bytes=0-0,0-0\r\nHost: a\r\n\r\n");
  STRCMP_EQUAL("GET /x HTTP/1.1\r\nHost: a\r\n\r\n", check.head.c_str());
  check = Check("POST /x/retry HTTP/1.1\r\nHost: a\r\n\r\n");
  STRCMP_EQUAL("POST /x/retry HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
               check.head.c_str());
  CHECK_TRUE(Check("GET /x HTTP/1.1\r\n\r\n").head.empty());
  CHECK_TRUE(
      Check("POST /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n").head.empty());
}

}  // namespace http
}  // namespace telemed
