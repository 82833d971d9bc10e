"""Medians, spreads and ratios over a scenario's runs (one run per round)."""

import statistics


def med(runs, key="rps"):
    vals = [r[key] if key != "p99" else r["latency_ms"]["p99"] for r in runs]
    return statistics.median(vals)


def spread(runs):
    vals = [r["rps"] for r in runs]
    m = statistics.median(vals)
    return (max(vals) - min(vals)) / m if m else 0


def median_p99_run(runs):
    """The run whose p99 is the median of the runs' p99s."""
    return sorted(runs, key=lambda r: r["latency_ms"]["p99"])[len(runs) // 2]


def med_cores(runs):
    return statistics.median([r["server_cores"] for r in runs])


def per_cpu(runs):
    """Calls per server CPU-second."""
    return med(runs) / med_cores(runs) if med_cores(runs) else float("nan")


def cpu_us_per_call(runs):
    return statistics.median(r["server_cpu_us_per_call"] for r in runs)


def bad_runs(runs):
    return sum(1 for r in runs if r["errors"] or r["denied"] or r.get("dropped"))
