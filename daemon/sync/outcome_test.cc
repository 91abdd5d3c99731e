#include "sync/outcome.h"

#include <CppUTest/TestHarness.h>

namespace telemed {

TEST_GROUP(Outcome) {
  ZoomError error;
  Outcome Refused(ZoomCall call, int http, int code) {
    error.failure = ZoomFailure::kRefused;
    error.http_status = http;
    error.zoom_code = code;
    return ClassifyZoomFailure(call, Status::InvalidArgument("zoom_error", "x"),
                               error, 0);
  }
};

TEST(Outcome, NoAnswerIsTransient) {
  error.failure = ZoomFailure::kNoAnswer;
  error.no_answer = true;
  Outcome outcome = ClassifyZoomFailure(
      ZoomCall::kCreate, Status::Unavailable("zoom_no_answer", "cut"), error,
      0);
  CHECK(outcome.kind == Outcome::Kind::kTransient);
  STRCMP_EQUAL("zoom_unavailable", outcome.code.c_str());
}

TEST(Outcome, RefusalsNameWhatAPersonCanFix) {
  STRCMP_EQUAL("zoom_user_not_found",
               Refused(ZoomCall::kCreate, 404, 1001).code.c_str());
  STRCMP_EQUAL("zoom_user_cannot_host",
               Refused(ZoomCall::kCreate, 400, 3161).code.c_str());
  STRCMP_EQUAL("zoom_scope_missing",
               Refused(ZoomCall::kCreate, 400, 4711).code.c_str());
  STRCMP_EQUAL("zoom_credentials_invalid",
               Refused(ZoomCall::kPatch, 401, 124).code.c_str());
  STRCMP_EQUAL("zoom_rejected",
               Refused(ZoomCall::kCreate, 400, 300).code.c_str());
  CHECK(Refused(ZoomCall::kCreate, 400, 300).kind == Outcome::Kind::kPermanent);
}

TEST(Outcome, StartedMeetingRefusesPatchForGood) {
  Outcome outcome = Refused(ZoomCall::kPatch, 400, 3000);
  CHECK(outcome.kind == Outcome::Kind::kPermanent);
  STRCMP_EQUAL("zoom_meeting_started", outcome.code.c_str());
}

TEST(Outcome, DeleteOfGoneOrEndedMeetingIsDone) {
  CHECK(Refused(ZoomCall::kDelete, 404, 3001).kind == Outcome::Kind::kDone);
  CHECK(Refused(ZoomCall::kDelete, 400, 3007).kind == Outcome::Kind::kDone);
  CHECK(Refused(ZoomCall::kDelete, 400, 3002).kind ==
        Outcome::Kind::kInProgress);
  CHECK(Refused(ZoomCall::kCheck, 404, 3001).kind == Outcome::Kind::kGone);
}

TEST(Outcome, UnspecifiedTooManyRequestsIsDailyOnlyNearTheCap) {
  error.failure = ZoomFailure::kRateLimited;
  error.http_status = 429;
  error.rate_limit = ZoomError::RateLimit::kUnspecified;
  Status limited = Status::Unavailable("zoom_rate_limited", "429");
  CHECK(ClassifyZoomFailure(ZoomCall::kCreate, limited, error, 10).kind ==
        Outcome::Kind::kPerSecond);
  CHECK(ClassifyZoomFailure(ZoomCall::kCreate, limited, error, 95).kind ==
        Outcome::Kind::kDaily);
  error.rate_limit = ZoomError::RateLimit::kDaily;
  CHECK(ClassifyZoomFailure(ZoomCall::kCreate, limited, error, 0).kind ==
        Outcome::Kind::kDaily);
}

TEST(Outcome, TokenFailuresAreConfigurationProblems) {
  error.failure = ZoomFailure::kNotConfigured;
  CHECK(ClassifyZoomFailure(ZoomCall::kCreate,
                            Status::Validation("zoom_not_configured", "no app"),
                            error, 0)
            .code == "zoom_not_configured");
  error.failure = ZoomFailure::kCredentialsRefused;
  CHECK(ClassifyZoomFailure(
            ZoomCall::kCreate,
            Status::Unauthenticated("zoom_credentials_invalid", "bad"), error,
            0)
            .kind == Outcome::Kind::kPermanent);
  error.failure = ZoomFailure::kTokenUnavailable;
  CHECK(ClassifyZoomFailure(ZoomCall::kCreate,
                            Status::Unavailable("zoom_unreachable", "down"),
                            error, 0)
            .kind == Outcome::Kind::kTransient);
}

// Another live process renews the token: nothing was sent, no Zoom fault.
TEST(Outcome, AnotherProcessRenewingIsNeitherAFaultNorPermanent) {
  error.failure = ZoomFailure::kTokenRenewing;
  const Outcome outcome = ClassifyZoomFailure(
      ZoomCall::kCreate, Status::Unavailable("any_words", "renewing"), error,
      0);
  CHECK(outcome.kind == Outcome::Kind::kRenewing);
  STRCMP_EQUAL("zoom_token_renewing", outcome.code.c_str());
}

TEST(Outcome, TheFailureKindDecidesNotTheReasonWords) {
  error.failure = ZoomFailure::kRefused;
  error.http_status = 404;
  error.zoom_code = 3001;
  CHECK(ClassifyZoomFailure(ZoomCall::kCheck,
                            Status::InvalidArgument("any_words", "x"), error, 0)
            .kind == Outcome::Kind::kGone);
  error = ZoomError();
  error.failure = ZoomFailure::kNotConfigured;
  CHECK(ClassifyZoomFailure(ZoomCall::kCreate,
                            Status::Conflict("any_words", "no app"), error, 0)
            .code == "zoom_not_configured");
  error.failure = ZoomFailure::kRateLimited;
  CHECK(ClassifyZoomFailure(ZoomCall::kCreate,
                            Status::Unavailable("any_words", "429"), error, 0)
            .kind == Outcome::Kind::kPerSecond);
}

}  // namespace telemed
