"""certguard benchmark driver (`make bench`): builds, generates corpora, runs the
microbenchmarks, starts certguard-server on loopback and drives it with certguard-bench,
alternating the scenarios of each comparison over several rounds and quoting medians.
Writes bench/RESULTS.md and bench/results/latest.json. Python 3 standard library only.

Environment / flags (flags win):
  BUILD_DIR (build-bench)  BENCH_ROUNDS (3)  BENCH_SECONDS (4)  BENCH_WARMUP (1)
  BENCH_CHANNELS (2)  BENCH_IN_FLIGHT (16)  BENCH_PROFILE (1: perf-profile cold validate)
  BENCH_PIN (1): with 2 or more CPUs, the load generator runs on the first CPU and the servers on
  the others (sched_setaffinity), so neither slows the other down by sharing a core; the target
  figures come from that placement and a few reference rows repeat with both unpinned.
"""

import argparse
import json
import os
import shutil
import subprocess
import time

from . import machine, scenarios, targets, tools
from .loadgen import LoadGenerator
from .log import log, run
from .report import BENCH_DIR, write_results
from .server import Server, quiet_flags, server_binary
from .stats import med

ROOT = os.path.dirname(BENCH_DIR)
TARGETS = ["certguard-server", "certguard-bench", "certguard-bench-corpus", "certguard-microbench"]


def parse_args():
    env = os.environ.get
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=env("BUILD_DIR", "build-bench"))
    ap.add_argument("--rounds", type=int, default=int(env("BENCH_ROUNDS", "3")))
    ap.add_argument("--seconds", type=float, default=float(env("BENCH_SECONDS", "4")))
    ap.add_argument("--warmup", type=float, default=float(env("BENCH_WARMUP", "1")))
    ap.add_argument("--channels", type=int, default=int(env("BENCH_CHANNELS", "2")))
    ap.add_argument("--in-flight", type=int, default=int(env("BENCH_IN_FLIGHT", "16")))
    ap.add_argument("--jobs", type=int, default=int(env("JOBS", str(os.cpu_count() or 2))))
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--micro-min-time", default=env("BENCH_MICRO_MIN_TIME", "0.2"))
    ap.add_argument("--profile", type=int, default=int(env("BENCH_PROFILE", "1")))
    ap.add_argument("--callgrind-calls", type=int, default=int(env("BENCH_CALLGRIND", "4000")),
                    help="calls per RPC under callgrind (0 = skip)")
    ap.add_argument("--pin", type=int, default=int(env("BENCH_PIN", "1")),
                    help="1: load generator on the first CPU, servers on the others")
    ap.add_argument("--out", default=os.path.join(BENCH_DIR, "RESULTS.md"))
    return ap.parse_args()


def build_and_generate(args, build):
    """The benchmark binaries (warnings are not errors here: the normal build lints) and the
    corpora and registries they read; returns the data directory."""
    if not args.skip_build:
        run(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release", "-DCERTGUARD_WERROR=OFF",
             "-DBUILD_TESTING=OFF"], stdout=subprocess.DEVNULL)
        run(["cmake", "--build", build, f"-j{args.jobs}", "--target"] + TARGETS)
    data = os.path.join(build, "bench-data")
    if not os.path.exists(os.path.join(data, ".complete")):
        shutil.rmtree(data, ignore_errors=True)
        run([os.path.join(build, "bench", "certguard-bench-corpus"), f"--out={data}", "--leaves=1000",
             "--registries=10,10000"])
        open(os.path.join(data, ".complete"), "w").close()
    return data


def start_servers(build, data, logdir, server_cpus):
    """Every ServerSpec that applies here: the unpinned reference only when pinning, a spec
    with `needs_flag` only when the binary has that flag."""
    quiet = quiet_flags(server_binary(build))
    servers = {}
    for spec in scenarios.SERVERS:
        if spec.unpinned and not server_cpus:
            continue
        if spec.needs_flag and not any(f.startswith(spec.needs_flag) for f in quiet):
            continue
        flags = [f.replace("{logdir}", logdir) for f in spec.flags]
        servers[spec.key] = Server(build, spec.name, os.path.join(data, spec.registry), flags, logdir,
                                   None if spec.unpinned else server_cpus)
    return servers


def drive(loadgen, servers, args):
    """Runs every group of scenarios.GROUPS in rotation; returns scenario key → runs."""
    runs = {}
    for group in scenarios.GROUPS:
        active = [s for s in group if s.server in servers]
        if not active:
            continue

        def fn(s):
            rate = med(runs[s.half_rate_of]) / 2 if s.half_rate_of else 0
            seconds = max(args.seconds, scenarios.OPEN_LOOP_MIN_SECONDS) if rate else None
            return lambda label: loadgen.once(label, servers[s.server], s.rpc, corpus=s.corpus, policy=s.policy,
                                              rate=rate, seconds=seconds)

        for s, r in zip(active, loadgen.rotate([(s.label, fn(s)) for s in active])):
            runs[s.key] = r
    return runs


def main():
    args = parse_args()
    build = args.build_dir if os.path.isabs(args.build_dir) else os.path.join(ROOT, args.build_dir)
    resdir = os.path.join(BENCH_DIR, "results")
    logdir = os.path.join(build, "bench-logs")
    os.makedirs(resdir, exist_ok=True)
    os.makedirs(logdir, exist_ok=True)
    m = machine.facts()
    t_start = time.monotonic()

    data = build_and_generate(args, build)
    micro = tools.run_micro(build, resdir, args.micro_min_time)
    instructions, instructions_error = (None, "disabled (BENCH_CALLGRIND=0)")
    if args.callgrind_calls > 0:
        instructions, instructions_error = tools.instructions_per_call(build, data, logdir, args.callgrind_calls)

    # 10k registry: offline check (process start + load + compile) timed by wall clock.
    t0 = time.monotonic()
    subprocess.run([server_binary(build), "--check_policies", f"--policy_dir={os.path.join(data, 'registry-10000')}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    check_10k = time.monotonic() - t0

    server_cpus, client_cpus = machine.placement(args.pin)
    loadgen = LoadGenerator(args, build, data, client_cpus)
    servers = {}
    try:
        servers = start_servers(build, data, logdir, server_cpus)
        runs = drive(loadgen, servers, args)
        prof, prof_err = (None, "disabled (BENCH_PROFILE=0)")
        if args.profile:
            try:
                prof, prof_err = tools.perf_profile(servers["cold10"], loadgen, resdir, logdir)
            except Exception as e:  # a profile is optional
                prof, prof_err = None, str(e)
        W, W10k = servers["warm10"], servers["warm10k"]
        hwm_10k = max(W10k.hwm_kib() or 0, servers["cold10k"].hwm_kib() or 0)
        hwm_10 = max(W.hwm_kib() or 0, servers["cold10"].hwm_kib() or 0)
    finally:
        for s in servers.values():
            s.stop()

    # The cores the servers may use: what the bare-OpenSSL floor is scaled to.
    server_cores = len(server_cpus) if server_cpus else m["nproc"]
    target_rows = targets.compute(runs, micro, instructions, check_10k, server_cores, hwm_10k)
    memory = [
        ("VmHWM, 10,000 policies, idle after start", f"{W10k.hwm_idle_kib / 1024:.1f} MiB"),
        ("VmHWM, 10,000 policies, after all load", f"{hwm_10k / 1024:.1f} MiB"),
        ("VmHWM, 10 policies, idle after start", f"{W.hwm_idle_kib / 1024:.1f} MiB"),
        ("VmHWM, 10 policies, after all load", f"{hwm_10 / 1024:.1f} MiB"),
        ("server start to listening, 10,000 policies", f"{W10k.startup_seconds:.2f} s"),
        ("`--check_policies` on 10,000 policies (whole process)", f"{check_10k:.2f} s"),
        ("LoadRegistry 10 / 1,000 / 10,000 policies (microbenchmark)",
         " / ".join(f"{targets.registry_load_seconds(micro, n) * 1e3:.1f} ms" for n in (10, 1000, 10000))),
    ]
    cfg = {"rounds": args.rounds, "seconds": args.seconds, "warmup": args.warmup,
           "channels": args.channels, "in_flight": args.in_flight,
           "server_cpus": sorted(server_cpus) if server_cpus else None,
           "client_cpus": sorted(client_cpus) if client_cpus else None}
    write_results(args.out, m, cfg, runs, target_rows, instructions, instructions_error, memory, micro, prof, prof_err)
    with open(os.path.join(resdir, "latest.json"), "w") as f:
        json.dump({"machine": m, "config": cfg, "runs": loadgen.runs, "micro": micro,
                   "targets": target_rows, "profile": prof}, f, indent=1)
    log(f"wrote {args.out} ({time.monotonic() - t_start:.0f} s in all)")
    for row in target_rows:
        print(f"  {row[1]:<58} {row[2]:<70} {row[4]}")
    return 0
