// Runs every client-applicable x509-limbo case through certguard's decision core and compares
// the tallies with plain OpenSSL 3.0's (from the shared reference). Fails on any false accept
// not listed in expected_failures.txt and unless certguard is strictly ahead of OpenSSL in
// right answers in both groups (non-BetterTLS, BetterTLS).
//
// Set CERTGUARD_CONFORMANCE_REPORT=<file> to get one TSV line per case
// (id, group, expected, certguard, openssl, reason, message).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/conformance/limbo_runner.h"
#include "tests/testing/cert_factory.h"

namespace certguard::conformance {
namespace {

using nlohmann::json;

const char* kGroupNames[2] = {"non-BetterTLS", "BetterTLS"};

std::string Row(const char* who, const GroupCounts& c) {
  char buf[160];
  std::snprintf(buf, sizeof(buf), "  %-10s %6d cases  right %5d  false-accept %4d  false-reject %4d  skipped %3d", who,
                c.total, c.right, c.false_accept, c.false_reject, c.skipped);
  return buf;
}

TEST(LimboConformance, AheadOfOpenSslWithoutUnexplainedFalseAccepts) {
  const std::string shared = CERTGUARD_SHARED_DIR "/conformance";
  absl::StatusOr<std::string> limbo_text = ReadGzipFile(shared + "/limbo.json.gz");
  ASSERT_TRUE(limbo_text.ok()) << limbo_text.status();
  std::ifstream ref_in(shared + "/openssl-3.0.22-reference.json");
  ASSERT_TRUE(ref_in) << "missing OpenSSL reference";
  const json reference = json::parse(ref_in);
  const json limbo = json::parse(*limbo_text);
  limbo_text->clear();
  auto expected_failures = ReadExpectedFailures(CERTGUARD_SOURCE_DIR "/tests/conformance/expected_failures.txt");
  ASSERT_TRUE(expected_failures.ok()) << expected_failures.status();

  std::set<std::string> hostname_sensitive;
  for (const json& id : reference["hostname_sensitive_ids"]) hostname_sensitive.insert(id.get<std::string>());
  const json& openssl = reference["openssl_results"];

  std::unique_ptr<std::ofstream> report;
  if (const char* path = std::getenv("CERTGUARD_CONFORMANCE_REPORT"); path != nullptr && *path != '\0') {
    report = std::make_unique<std::ofstream>(path, std::ios::trunc);
  }

  const std::string scratch = testing::MakeTempDir("limbo");
  GroupCounts ours[2], theirs[2];
  std::vector<std::string> unexplained_false_accepts;
  std::set<std::string> seen_false_accepts;
  const absl::Time start = absl::Now();
  for (const json& tc : limbo["testcases"]) {
    const std::string id = tc["id"].get<std::string>();
    if (hostname_sensitive.count(id) != 0) continue;
    const int g = absl::StartsWith(id, "bettertls::") ? 1 : 0;
    const bool expect_success = tc["expected_result"].get<std::string>() == "SUCCESS";

    // Plain OpenSSL, on the same subset.
    ++theirs[g].total;
    const std::string ossl = openssl.contains(id) ? openssl[id].get<std::string>() : "SKIPPED";
    if (ossl == "SKIPPED") {
      ++theirs[g].skipped;
      ++theirs[g].skipped_by_feature["CLIENT validation (reference harness)"];
    } else if ((ossl == "SUCCESS") == expect_success) {
      ++theirs[g].right;
    } else if (ossl == "SUCCESS") {
      ++theirs[g].false_accept;
    } else {
      ++theirs[g].false_reject;
    }

    // certguard.
    ++ours[g].total;
    std::string skip_feature;
    for (const json& f : tc["features"]) {
      if (UnsupportedFeatures().count(f.get<std::string>()) != 0) skip_feature = f.get<std::string>();
    }
    std::string ours_text = "SKIPPED";
    CaseOutcome outcome;
    if (!skip_feature.empty()) {
      ++ours[g].skipped;
      ++ours[g].skipped_by_feature[skip_feature];
    } else {
      outcome = RunCase(tc, scratch);
      const bool accepted = outcome.verdict == Verdict::kSuccess;
      ours_text = accepted ? "SUCCESS" : "FAILURE";
      if (accepted == expect_success) {
        ++ours[g].right;
      } else if (accepted) {
        ++ours[g].false_accept;
        seen_false_accepts.insert(id);
        if (expected_failures->count(id) == 0) unexplained_false_accepts.push_back(id);
      } else {
        ++ours[g].false_reject;
      }
    }
    if (report) {
      std::string message = outcome.message;
      for (char& c : message) {
        if (c == '\t' || c == '\n') c = ' ';
      }
      *report << id << '\t' << kGroupNames[g] << '\t' << tc["expected_result"].get<std::string>() << '\t' << ours_text
              << '\t' << ossl << '\t' << outcome.reason << '\t' << message << '\n';
    }
  }
  const absl::Duration elapsed = absl::Now() - start;

  std::printf("x509-limbo client-applicable subset (%s)\n", absl::FormatDuration(elapsed).c_str());
  for (int g = 0; g < 2; ++g) {
    std::printf("%s\n%s\n%s\n", kGroupNames[g], Row("certguard", ours[g]).c_str(), Row("OpenSSL", theirs[g]).c_str());
    for (const auto& [feature, n] : ours[g].skipped_by_feature) {
      std::printf("  certguard skipped %d case(s) with feature %s\n", n, feature.c_str());
    }
    for (const auto& [feature, n] : theirs[g].skipped_by_feature) {
      std::printf("  OpenSSL skipped %d case(s): %s\n", n, feature.c_str());
    }
  }
  for (const auto& [id, reason] : *expected_failures) {
    if (seen_false_accepts.count(id) == 0) {
      std::printf("note: expected_failures.txt lists %s, which is no longer a false accept\n", id.c_str());
    }
  }
  std::fflush(stdout);

  EXPECT_TRUE(unexplained_false_accepts.empty())
      << unexplained_false_accepts.size() << " false accept(s) not in expected_failures.txt:\n  "
      << absl::StrJoin(unexplained_false_accepts, "\n  ");
  for (int g = 0; g < 2; ++g) {
    EXPECT_GT(ours[g].right, theirs[g].right)
        << kGroupNames[g] << ": certguard must be strictly ahead of plain OpenSSL";
  }
}

}  // namespace
}  // namespace certguard::conformance
