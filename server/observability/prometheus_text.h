// observability/: what certguard reports about itself: Prometheus metrics (counters, a latency
// histogram, gauges read at scrape time) served over HTTP, and one JSON decision-log line per
// decision. Depends on service/ (the DecisionObserver seam); nothing depends on it but runtime/.
//
// This file: helpers for the Prometheus text exposition format (version 0.0.4).
#ifndef CERTGUARD_SERVER_OBSERVABILITY_PROMETHEUS_TEXT_H_
#define CERTGUARD_SERVER_OBSERVABILITY_PROMETHEUS_TEXT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace certguard::observability {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabelValue(absl::string_view value);
// `{a="x",b="y"}`, or "" for no labels.
std::string FormatLabels(const Labels& labels);
// A sample value: integers without a fraction, "+Inf", otherwise shortest round-trip text.
std::string FormatValue(double value);
// "# HELP name help\n# TYPE name type\n".
std::string Header(absl::string_view name, absl::string_view type, absl::string_view help);

}  // namespace certguard::observability

#endif  // CERTGUARD_SERVER_OBSERVABILITY_PROMETHEUS_TEXT_H_
