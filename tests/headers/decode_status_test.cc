#include "server/headers/decode_status.h"

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace certguard::headers {
namespace {

class DecodeStatusTest : public ::testing::TestWithParam<DecodeError> {};

TEST_P(DecodeStatusTest, RoundTrips) {
  const absl::Status status = DecodeFailure(GetParam(), "why");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "why");
  EXPECT_EQ(DecodeErrorOf(status), GetParam());
}

INSTANTIATE_TEST_SUITE_P(AllErrors, DecodeStatusTest,
                         ::testing::Values(DecodeError::kMalformed, DecodeError::kHeaderTooLarge,
                                           DecodeError::kTooManyCertificates, DecodeError::kCertificateTooLarge,
                                           DecodeError::kFormatNotAllowed, DecodeError::kHeaderNotAllowed,
                                           DecodeError::kHashMismatch));

TEST(DecodeStatusTest, CanonicalCodes) {
  EXPECT_EQ(MalformedError("x").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeFailure(DecodeError::kTooManyCertificates, "x").code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(DecodeFailure(DecodeError::kHeaderNotAllowed, "x").code(), absl::StatusCode::kPermissionDenied);
}

TEST(DecodeStatusTest, UntaggedStatuses) {
  EXPECT_EQ(DecodeErrorOf(absl::OkStatus()), DecodeError::kNone);
  EXPECT_EQ(DecodeErrorOf(absl::InvalidArgumentError("x")), DecodeError::kMalformed);
  EXPECT_EQ(DecodeErrorOf(absl::ResourceExhaustedError("x")), DecodeError::kMalformed);
  // kNone is not a failure: it is recorded as kMalformed rather than producing an OK-looking error.
  EXPECT_EQ(DecodeErrorOf(DecodeFailure(DecodeError::kNone, "x")), DecodeError::kMalformed);
}

}  // namespace
}  // namespace certguard::headers
