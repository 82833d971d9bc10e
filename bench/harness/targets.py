"""The target table: each row is (issue section, what, figure, target, result), computed from
the runs (keyed as in scenarios.py), the microbenchmarks and the other measurements."""

from .stats import cpu_us_per_call, med, med_cores, median_p99_run, per_cpu, spread


def fmt_rate(x):
    return f"{x:,.0f}"


def verdict(ok):
    return "met" if ok else "**missed**"


def micro_rate(micro, name, key):
    """Operations per CPU-second of a bare-OpenSSL floor microbenchmark (key 0: RSA-2048, 1: P-256)."""
    r = micro.get(f"{name}/key:{key}/len:3", {})
    return 1e9 / r["cpu_ns"] if "cpu_ns" in r else float("nan")


def registry_load_seconds(micro, policies):
    return micro.get(f"BM_LoadRegistry/policies:{policies}", {}).get("ns", float("nan")) / 1e9  # wall


def compute(runs, micro, instructions, check_10k, server_cores, hwm_10k_kib):
    """`runs`: scenario key → runs; `server_cores`: the cores the servers may use (what the
    bare-OpenSSL floor is scaled to)."""
    health, warm, check = runs["health"], runs["warm"], runs["check"]
    cold_rsa, cold_ec, check_c = runs["cold_rsa"], runs["cold_ec"], runs["check_cold"]
    w10k, c10k = runs["warm10k"], runs["cold10k"]
    open_warm_runs = runs["open_warm"]
    open_warm, open_cold = median_p99_run(open_warm_runs), median_p99_run(runs["open_cold"])

    floor_rsa, floor_ec = micro_rate(micro, "BM_OpenSslFloor", 0), micro_rate(micro, "BM_OpenSslFloor", 1)
    pfloor_rsa = micro_rate(micro, "BM_OpenSslFloorWithParse", 0)
    pfloor_ec = micro_rate(micro, "BM_OpenSslFloorWithParse", 1)
    load10k = registry_load_seconds(micro, 10000)

    r_warm = med(warm) / med(health)
    r_warm_cpu = per_cpu(warm) / per_cpu(health)
    # The server's CPU per call with health and warm validate offered the same rate (open loop).
    us_health, us_warm = cpu_us_per_call(runs["open_health"]), cpu_us_per_call(open_warm_runs)
    r_warm_eq = us_health / us_warm if us_warm else float("nan")
    ipc_text = (f"; server instructions {instructions['health'] / instructions['validate']:.2f}x"
                if instructions else "")
    r_cold = med(cold_rsa) / (floor_rsa * server_cores)
    r_cold_cpu = (med(cold_rsa) / med_cores(cold_rsa)) / floor_rsa
    r_cold_ec = med(cold_ec) / (floor_ec * server_cores)
    r_cold_ec_cpu = (med(cold_ec) / med_cores(cold_ec)) / floor_ec
    r_pcold_cpu = per_cpu(runs["cold_np_rsa"]) / pfloor_rsa
    r_pcold_ec_cpu = per_cpu(runs["cold_np_ec"]) / pfloor_ec
    r_check = med(check) / med(warm)
    r_check_cpu = per_cpu(check) / per_cpu(warm)
    r_check_c = med(check_c) / med(cold_rsa)
    noise_w = max(0.05, spread(warm), spread(w10k))
    noise_c = max(0.05, spread(cold_rsa), spread(c10k))
    r_10k_w = med(w10k) / med(warm)
    r_10k_c = med(c10k) / med(cold_rsa)
    p99_warm = open_warm["latency_ms"]["p99"]
    p99_cold = open_cold["latency_ms"]["p99"]

    rows = [
        ["1", f"warm ValidateCertificate / health: calls per server CPU-second, both offered {open_warm['rate']:,.0f}/s",
         f"{us_health:.1f} µs / {us_warm:.1f} µs of server CPU per call = {r_warm_eq:.2f}x; closed loop "
         f"{fmt_rate(med(warm))} / {fmt_rate(med(health))} = {r_warm:.2f}x (per server CPU-second {r_warm_cpu:.2f}x)"
         f"{ipc_text}", ">= 0.90x", verdict(r_warm_eq >= 0.90) + f" (closed loop: {verdict(r_warm >= 0.90)})"],
        ["2", "cold validate RSA-2048 / (bare OpenSSL 1 thread x server cores)",
         f"{fmt_rate(med(cold_rsa))} / ({fmt_rate(floor_rsa)} x {server_cores}) = {r_cold:.2f}x; "
         f"per server CPU-second {r_cold_cpu:.2f}x", ">= 0.70x",
         verdict(r_cold >= 0.70) + f" (CPU-normalized: {verdict(r_cold_cpu >= 0.70)})"],
        ["2", "cold validate P-256 / (bare OpenSSL 1 thread x server cores)",
         f"{fmt_rate(med(cold_ec))} / ({fmt_rate(floor_ec)} x {server_cores}) = {r_cold_ec:.2f}x; "
         f"per server CPU-second {r_cold_ec_cpu:.2f}x", ">= 0.70x",
         verdict(r_cold_ec >= 0.70) + f" (CPU-normalized: {verdict(r_cold_ec_cpu >= 0.70)})"],
        ["2", "cold validate, parsed-certificate cache off too, per server CPU-second / OpenSSL d2i_X509(leaf) + X509_verify_cert",
         f"RSA-2048 {r_pcold_cpu:.2f}x ({fmt_rate(pfloor_rsa)}/s floor); P-256 {r_pcold_ec_cpu:.2f}x ({fmt_rate(pfloor_ec)}/s floor)",
         "(reference: every leaf new)", "—"],
        ["3", "ext_authz Check / ValidateCertificate (warm)", f"{fmt_rate(med(check))} / {fmt_rate(med(warm))} = {r_check:.2f}x; "
         f"per server CPU-second {r_check_cpu:.2f}x", ">= 0.90x",
         verdict(r_check >= 0.90) + f" (CPU-normalized: {verdict(r_check_cpu >= 0.90)})"],
        ["3", "ext_authz Check / ValidateCertificate (cold)",
         f"{fmt_rate(med(check_c))} / {fmt_rate(med(cold_rsa))} = {r_check_c:.2f}x", ">= 0.90x", verdict(r_check_c >= 0.90)],
        ["4", "p99 at 50% of max, warm validate", f"{p99_warm:.3f} ms at {open_warm['rate']:,.0f}/s", "<= 1 ms",
         verdict(p99_warm <= 1.0)],
        ["4", "p99 at 50% of max, cold validate RSA", f"{p99_cold:.3f} ms at {open_cold['rate']:,.0f}/s", "<= 1 ms",
         verdict(p99_cold <= 1.0)],
    ]
    shared_health, shared_warm = runs.get("shared_health"), runs.get("shared_warm")
    if shared_health and shared_warm:
        rows.append(["1", "reference, unpinned: warm ValidateCertificate / health, closed loop",
                     f"{fmt_rate(med(shared_warm))} / {fmt_rate(med(shared_health))} = "
                     f"{med(shared_warm) / med(shared_health):.2f}x; "
                     f"per server CPU-second {per_cpu(shared_warm) / per_cpu(shared_health):.2f}x", "(reference)", "—"])
    rows += [
        ["5", "10,000 vs 10 policies, warm", f"{r_10k_w:.2f}x (noise ±{noise_w * 100:.0f}%)", "within noise",
         verdict(abs(r_10k_w - 1) <= noise_w)],
        ["5", "10,000 vs 10 policies, cold", f"{r_10k_c:.2f}x (noise ±{noise_c * 100:.0f}%)", "within noise",
         verdict(abs(r_10k_c - 1) <= noise_c)],
        ["5", "10,000-policy registry load",
         f"{load10k:.2f} s (LoadRegistry); {check_10k:.2f} s (`--check_policies`, whole process)",
         "<= 2 s", verdict(load10k <= 2.0 and check_10k <= 2.0)],
        ["5", "server peak RSS (VmHWM), 10,000 policies, after load", f"{hwm_10k_kib / 1024:.1f} MiB", "<= 64 MiB",
         verdict(hwm_10k_kib / 1024 <= 64)],
    ]
    return rows
