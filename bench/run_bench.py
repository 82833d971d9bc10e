#!/usr/bin/python3
"""certguard benchmark driver (`make bench`): builds, generates corpora, runs the
microbenchmarks, starts certguard-server on loopback and drives it with certguard-bench,
alternating the two sides of each comparison over several rounds and quoting medians.
Writes bench/RESULTS.md and bench/results/latest.json. Python 3 standard library only.

Environment / flags (flags win):
  BUILD_DIR (build-bench)  BENCH_ROUNDS (3)  BENCH_SECONDS (4)  BENCH_WARMUP (1)
  BENCH_CHANNELS (2)  BENCH_IN_FLIGHT (16)  BENCH_PROFILE (1: perf-profile cold validate)
  BENCH_PIN (1): with 2 or more CPUs, the load generator runs on the first CPU and the servers on
  the others (sched_setaffinity), so neither slows the other down by sharing a core; the target
  figures come from that placement and a few reference rows repeat with both unpinned.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = ["certguard-server", "certguard-bench", "certguard-bench-corpus", "certguard-microbench"]


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run(cmd, **kw):
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, check=True, **kw)


# ---------------------------------------------------------------------------------------------
# Machine facts

def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count() or 1,
        "cpu": cpu,
        "kernel": platform.release(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "loadavg_at_start": " ".join(open("/proc/loadavg").read().split()[:3]),
    }


def proc_status(pid, key):
    """A /proc/PID/status field in KiB (VmHWM, VmRSS), or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def proc_cpu_seconds(pid):
    """utime + stime of a process (all threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # fields 14, 15 of stat(5)


# ---------------------------------------------------------------------------------------------
# Server

_QUIET = {}


def quiet_flags(binary):
    """Flags that keep several servers from clashing or from measuring logging: no metrics
    listener (fixed default port) and no per-decision log lines, when this server has them."""
    if binary not in _QUIET:
        h = subprocess.run([binary, "--helpfull"], capture_output=True, text=True)
        text = h.stdout + h.stderr
        flags = []
        if "-metrics_listen" in text:
            flags.append("--metrics_listen=")
        if re.search(r"--decision_log\b(?!_)", text):
            flags.append("--decision_log=off")
        _QUIET[binary] = flags
    return list(_QUIET[binary])


def pinned_to(cpus):
    """A preexec_fn that moves the child onto `cpus` (None: leave it where it is)."""
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def placement(pin):
    """(server CPUs, load-generator CPUs): the first CPU for the generator, the rest for the
    servers; (None, None) when not pinning or with a single CPU."""
    cpus = sorted(os.sched_getaffinity(0))
    if not pin or len(cpus) < 2:
        return None, None
    return set(cpus[1:]), {cpus[0]}


class Server:
    """certguard-server on 127.0.0.1:0; the bound address comes from its "listening on" line.
    `cpus`: the CPUs it may run on (None: any)."""

    def __init__(self, build, name, policy_dir, extra, logdir, cpus=None):
        self.name = name
        self.cpus = cpus
        self.policy_dir = policy_dir
        self.log_path = os.path.join(logdir, f"server-{name}.log")
        self.out_path = os.path.join(logdir, f"server-{name}.out")
        binary = os.path.join(build, "server", "certguard-server")
        cmd = [binary, "--listen=127.0.0.1:0", f"--policy_dir={policy_dir}", "--log_level=warning",
               "--watch_interval=0"] + quiet_flags(binary) + extra
        log("start " + " ".join(cmd))
        self.started = time.monotonic()
        # stdout to a file (never a pipe nobody drains: a full pipe would stall the server).
        self.proc = subprocess.Popen(cmd, stdout=open(self.out_path, "w"), stderr=open(self.log_path, "w"),
                                     preexec_fn=pinned_to(cpus))
        self.address = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            m = re.search(r"listening on (\S+)", open(self.out_path).read())
            if m:
                self.address = m.group(1)
                break
            time.sleep(0.02)
        if not self.address:
            self.stop()
            raise RuntimeError(f"server {name} did not start:\n{open(self.out_path).read()[-2000:]}\n"
                               f"{open(self.log_path).read()[-2000:]}")
        self.startup_seconds = time.monotonic() - self.started
        self.rss_idle_kib = proc_status(self.proc.pid, "VmRSS")
        self.hwm_idle_kib = proc_status(self.proc.pid, "VmHWM")
        log(f"server {name} at {self.address} (startup {self.startup_seconds:.2f} s, "
            f"RSS {self.rss_idle_kib} KiB)")

    @property
    def pid(self):
        return self.proc.pid

    def hwm_kib(self):
        return proc_status(self.proc.pid, "VmHWM")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---------------------------------------------------------------------------------------------
# Load generator

class Bench:
    def __init__(self, args, build, data, client_cpus=None):
        self.args = args
        self.client_cpus = client_cpus  # used against pinned servers only
        self.binary = os.path.join(build, "client", "bench", "certguard-bench")
        self.data = data
        self.runs = []

    def corpus_flags(self, corpus):
        if corpus == "one":
            return ["--header_file", os.path.join(self.data, "corpus", "rsa2048", "leaf-00000.b64")]
        return ["--corpus_dir", os.path.join(self.data, "corpus", corpus)]

    def once(self, label, server, rpc, corpus="one", policy="bench", rate=0, seconds=None):
        seconds = seconds or self.args.seconds
        cmd = [self.binary, f"--target={server.address}", f"--rpc={rpc}", f"--policy={policy}",
               f"--channels={self.args.channels}", f"--in_flight={self.args.in_flight}",
               f"--duration={seconds}s", f"--warmup={self.args.warmup}s", "--json", f"--label={label}"]
        if rpc != "health":
            cmd += self.corpus_flags(corpus)
        if rate:
            cmd += [f"--rate={rate:.0f}"]
        cpu0 = proc_cpu_seconds(server.pid)
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True,
                           preexec_fn=pinned_to(self.client_cpus if server.cpus else None))
        wall = time.monotonic() - t0
        cpu = proc_cpu_seconds(server.pid) - cpu0
        try:
            result = json.loads(p.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            raise RuntimeError(f"certguard-bench failed ({p.returncode}): {p.stdout}\n{p.stderr}")
        # Server CPU over the whole client run (warmup included), as cores busy on average.
        result["server_cores"] = cpu / wall if wall > 0 else 0
        # Server CPU per call: at a fixed offered rate every call of the run (warm-up included)
        # was sent, so this is the server's cost of one call under that load.
        if rate:
            result["server_cpu_us_per_call"] = cpu * 1e6 / (rate * (seconds + self.args.warmup))
        result["server"] = server.name
        result["pinned"] = bool(server.cpus)
        self.runs.append(result)
        errs = result["errors"]
        log(f"{label:<28} {result['rps']:>10.1f} req/s  p50 {result['latency_ms']['p50']:.3f} ms  "
            f"p99 {result['latency_ms']['p99']:.3f} ms  server {result['server_cores']:.2f} cores"
            + (f"  errors {errs}" if errs else "") + (f"  denied {result['denied']}" if result["denied"] else ""))
        return result

    def alternate(self, name_a, fn_a, name_b, fn_b):
        """Runs A then B for each round; returns (runs_a, runs_b)."""
        a, b = self.rotate([(name_a, fn_a), (name_b, fn_b)])
        return a, b

    def rotate(self, scenarios):
        """Runs every (name, fn) once per round, in order, so each pair compared was measured
        under the same conditions; returns one list of runs per scenario."""
        out = [[] for _ in scenarios]
        for r in range(self.args.rounds):
            for i, (name, fn) in enumerate(scenarios):
                out[i].append(fn(f"{name} #{r + 1}"))
        return out


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


def bad_runs(runs):
    return sum(1 for r in runs if r["errors"] or r["denied"] or r.get("dropped"))


# ---------------------------------------------------------------------------------------------
# Microbenchmarks

def run_micro(build, outdir, min_time):
    out = os.path.join(outdir, "microbench.json")
    binary = os.path.join(build, "bench", "certguard-microbench")
    run([binary, f"--benchmark_min_time={min_time}", f"--benchmark_out={out}",
         "--benchmark_out_format=json"], stdout=open(os.path.join(outdir, "microbench.txt"), "w"))
    with open(out) as f:
        data = json.load(f)
    res = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            res[b["name"]] = {"error": b.get("error_message", "error")}
            continue
        unit = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        res[b["name"]] = {"ns": b["real_time"] * unit, "cpu_ns": b["cpu_time"] * unit,
                          "label": b.get("label", "")}
    return res


def instructions_per_call(build, data, workdir, calls):
    """Server instructions per call under callgrind (health, warm validate, warm Check): a
    figure that does not depend on what else the machine is doing. Returns {rpc: instructions}
    or None with the reason."""
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        return None, "valgrind not installed"
    binary = os.path.join(build, "server", "certguard-server")
    out_prefix = os.path.join(workdir, "callgrind")
    for old in os.listdir(workdir):
        if old.startswith("callgrind."):
            os.remove(os.path.join(workdir, old))
    out_path = os.path.join(workdir, "callgrind-server.out")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_prefix}.%p.out", binary,
           "--listen=127.0.0.1:0", f"--policy_dir={os.path.join(data, 'registry-10')}", "--log_level=warning",
           "--watch_interval=0"] + quiet_flags(binary)
    proc = subprocess.Popen(cmd, stdout=open(out_path, "w"), stderr=subprocess.DEVNULL)
    try:
        address = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and not address:
            m = re.search(r"listening on (\S+)", open(out_path).read())
            address = m.group(1) if m else None
            time.sleep(0.1)
        if not address:
            return None, "server under valgrind did not start"
        bench = os.path.join(build, "client", "bench", "certguard-bench")
        header = os.path.join(data, "corpus", "rsa2048", "leaf-00000.b64")

        def drive(rpc, n):
            subprocess.run([bench, f"--target={address}", f"--rpc={rpc}", "--policy=bench", "--channels=2",
                            "--in_flight=16", f"--count={n}", "--warmup=0s", "--timeout=120s", "--json",
                            "--header_file", header], check=True, capture_output=True)

        for rpc in ("health", "validate", "extauthz"):
            drive(rpc, 500)  # warm the cache and the connections
        result = {}
        for i, rpc in enumerate(("health", "validate", "extauthz"), start=1):
            subprocess.run(["callgrind_control", "-z", str(proc.pid)], check=True, capture_output=True)
            drive(rpc, calls)
            subprocess.run(["callgrind_control", "-d", rpc, str(proc.pid)], check=True, capture_output=True)
            dump = f"{out_prefix}.{proc.pid}.out.{i}"
            for _ in range(100):
                if os.path.exists(dump) and "summary:" in open(dump).read():
                    break
                time.sleep(0.1)
            total = int(re.search(r"^summary:\s+(\d+)", open(dump).read(), re.M).group(1))
            result[rpc] = total / calls
        return result, None
    except (subprocess.CalledProcessError, OSError, AttributeError) as e:
        return None, f"callgrind run failed: {e}"
    finally:
        proc.kill()
        proc.wait()


def perf_profile(server, bench_obj, outdir, workdir):
    """perf record on the cold server during a cold run; returns the top self-time symbols."""
    if not shutil.which("perf"):
        return None, "perf not installed"
    data = os.path.join(workdir, "perf-cold.data")
    rec = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-o", data, "-p", str(server.pid)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    bench_obj.once("cold validate (profiled)", server, "validate", corpus="rsa2048", seconds=5)
    rec.send_signal(signal.SIGINT)
    try:
        _, err = rec.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        rec.kill()
        return None, "perf record hung"
    if not os.path.exists(data):
        return None, f"perf record failed: {err.strip()[-300:]}"
    rep = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol",
                          "--stdio", "--percent-limit", "0.8", "-g", "none"],
                         capture_output=True, text=True)
    rows = []
    for line in rep.stdout.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+\[.\]\s+(.*)", line)
        if m:
            rows.append((float(m.group(1)), m.group(2), m.group(3).strip().split("  ")[0][:90]))
    with open(os.path.join(outdir, "perf-cold.txt"), "w") as f:
        f.write(rep.stdout)
    # Inclusive time by library.
    dso = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso", "--stdio",
                          "-g", "none"], capture_output=True, text=True)
    dsos = []
    for line in dso.stdout.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+)", line)
        if m:
            dsos.append((float(m.group(1)), m.group(2)))
    return {"symbols": rows[:25], "dsos": dsos[:10]}, None


# ---------------------------------------------------------------------------------------------
# Report

def fmt_rate(x):
    return f"{x:,.0f}"


def verdict(ok):
    return "met" if ok else "**missed**"


def write_results(path, m, cfg, figs, micro, prof, prof_err):
    L = []
    L.append("# certguard benchmark results\n")
    L.append(f"Generated by `make bench` (bench/run_bench.py) on {m['date']}.\n")
    L.append(f"Machine: {m['nproc']} CPUs ({m['cpu']}), Linux {m['kernel']}, load average at start "
             f"{m['loadavg_at_start']}.\n")
    if cfg.get("server_cpus"):
        L.append(f"Placement: the load generator (certguard-bench) is pinned to CPU {cfg['client_cpus']} and every "
                 f"server to CPUs {cfg['server_cpus']} (sched_setaffinity), so a closed loop measures what the "
                 f"server does on its cores, not how the two share them; the bare-OpenSSL floor is scaled to the "
                 f"server's {len(cfg['server_cpus'])} core(s). Rows marked *unpinned* repeat the warm comparison and "
                 f"the warm p99 with both free to use every CPU. The CPU-normalized ratios divide by the server's "
                 f"own CPU use (from /proc/PID/stat).\n")
    else:
        L.append("Placement: nothing pinned (BENCH_PIN=0 or one CPU): the load generator and the server share "
                 "the cores, so closed-loop rates are what one box does with both; the CPU-normalized ratios "
                 "divide by the server's own CPU use (from /proc/PID/stat).\n")
    L.append("Servers run with `--metrics_listen=` (several servers at once) and `--decision_log=off` "
             "unless a row says otherwise; the decision-log rows show what the default per-decision log costs.\n")
    L.append(f"Method: {cfg['rounds']} rounds of {cfg['seconds']} s (+{cfg['warmup']} s warm-up), "
             f"A and B alternated each round, medians quoted; closed loop with {cfg['channels']} channels x "
             f"{cfg['in_flight']} calls in flight; header `X-ARR-ClientCert` (base64 DER), RSA-2048 leaf "
             f"under an intermediate (given as the policy's `intermediate_files`) under a root.\n")
    L.append("## Targets\n")
    L.append("| # | what | figure | target | result |")
    L.append("| --- | --- | --- | --- | --- |")
    for row in figs["targets"]:
        L.append("| " + " | ".join(row) + " |")
    L.append("")
    L.append("## Throughput and latency (medians)\n")
    L.append("| scenario | server | req/s | p50 ms | p99 ms | server CPU (cores) | spread | failed runs |")
    L.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, runs in figs["scenarios"]:
        L.append(f"| {name} | {runs[0]['server']} | {fmt_rate(med(runs))} | "
                 f"{statistics.median([r['latency_ms']['p50'] for r in runs]):.3f} | {med(runs, 'p99'):.3f} | "
                 f"{med_cores(runs):.2f} | {spread(runs) * 100:.0f}% | {bad_runs(runs)} |")
    L.append("")
    L.append(f"Open loop at 50% of the measured closed-loop maximum (latency from each call's scheduled start; "
             f"{cfg['rounds']} runs each, the run with the median p99 shown):\n")
    L.append("| scenario | offered req/s | achieved req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | server CPU per call |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in figs["open"]:
        lat = r["latency_ms"]
        L.append(f"| {name} | {r['rate']:,.0f} | {r['rps']:,.0f} | {lat['p50']:.3f} | {lat['p90']:.3f} | "
                 f"{lat['p99']:.3f} | {lat['p999']:.3f} | {r.get('server_cpu_us_per_call', float('nan')):.1f} µs |")
    L.append("")
    L.append("Server instructions per call (callgrind, warm, the same server; independent of machine load):\n")
    ipc = figs.get("instructions")
    if ipc:
        L.append("| call | instructions | ratio |")
        L.append("| --- | ---: | --- |")
        L.append(f"| health | {ipc['health']:,.0f} | |")
        L.append(f"| warm ValidateCertificate | {ipc['validate']:,.0f} | health / validate = {ipc['health'] / ipc['validate']:.2f}x |")
        L.append(f"| warm ext_authz Check | {ipc['extauthz']:,.0f} | validate / Check = {ipc['validate'] / ipc['extauthz']:.2f}x |")
    else:
        L.append(f"(not measured: {figs.get('instructions_error')})")
    L.append("")
    L.append("Memory and registry load:\n")
    L.append("| figure | value |")
    L.append("| --- | ---: |")
    for k, v in figs["memory"]:
        L.append(f"| {k} | {v} |")
    L.append("")
    L.append("## Microbenchmarks (certguard-microbench, single thread)\n")
    L.append("CPU time is the figure to use on a shared machine (wall time includes waiting for a core); "
             "the bare-OpenSSL floor above is its CPU time.\n")
    L.append("| benchmark | wall per op | CPU per op | ops per CPU-second |")
    L.append("| --- | ---: | ---: | ---: |")
    for name, r in micro.items():
        if "error" in r:
            L.append(f"| `{name}` | error: {r['error']} | |")
            continue
        def t(ns):
            return f"{ns / 1e6:.2f} ms" if ns >= 1e6 else (f"{ns / 1e3:.2f} µs" if ns >= 1e3 else f"{ns:.0f} ns")
        L.append(f"| `{name}` {r['label']}".rstrip() + f" | {t(r['ns'])} | {t(r['cpu_ns'])} | {1e9 / r['cpu_ns']:,.0f} |")
    L.append("")
    L.append("## Profile: cold ValidateCertificate (RSA-2048, cache off)\n")
    if prof:
        L.append("`perf record -F 999 -g -p SERVER` during a 5 s cold run; self time by library:\n")
        L.append("| % | library |")
        L.append("| ---: | --- |")
        for pct, d in prof["dsos"]:
            L.append(f"| {pct:.1f} | {d} |")
        L.append("\nTop symbols (self time):\n")
        L.append("| % | library | symbol |")
        L.append("| ---: | --- | --- |")
        for pct, d, s in prof["symbols"]:
            L.append(f"| {pct:.1f} | {d} | `{s}` |")
    else:
        L.append(f"(no profile: {prof_err})")
    L.append("")
    notes = os.path.join(ROOT, "bench", "ANALYSIS.md")
    if os.path.exists(notes):
        L.append(open(notes).read().strip() + "\n")
    L.append("Raw data: `bench/results/latest.json` (every run), `bench/results/microbench.{json,txt}`.\n")
    with open(path, "w") as f:
        f.write("\n".join(L))


# ---------------------------------------------------------------------------------------------

def main():
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
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    args = ap.parse_args()

    build = args.build_dir if os.path.isabs(args.build_dir) else os.path.join(ROOT, args.build_dir)
    resdir = os.path.join(ROOT, "bench", "results")
    os.makedirs(resdir, exist_ok=True)
    logdir = os.path.join(build, "bench-logs")
    os.makedirs(logdir, exist_ok=True)
    m = machine()
    t_start = time.monotonic()

    if not args.skip_build:
        # Warnings are not errors here: the benchmark measures, the normal build lints.
        run(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release", "-DCERTGUARD_WERROR=OFF",
             "-DBUILD_TESTING=OFF"], stdout=subprocess.DEVNULL)
        run(["cmake", "--build", build, f"-j{args.jobs}", "--target"] + TARGETS)

    data = os.path.join(build, "bench-data")
    if not os.path.exists(os.path.join(data, ".complete")):
        shutil.rmtree(data, ignore_errors=True)
        run([os.path.join(build, "bench", "certguard-bench-corpus"), f"--out={data}", "--leaves=1000",
             "--registries=10,10000"])
        open(os.path.join(data, ".complete"), "w").close()

    micro = run_micro(build, resdir, args.micro_min_time)
    instructions, instructions_error = (None, "disabled (BENCH_CALLGRIND=0)")
    if args.callgrind_calls > 0:
        instructions, instructions_error = instructions_per_call(build, data, logdir, args.callgrind_calls)

    # 10k registry: offline check (process start + load + compile) timed by wall clock.
    t0 = time.monotonic()
    subprocess.run([os.path.join(build, "server", "certguard-server"), "--check_policies",
                    f"--policy_dir={os.path.join(data, 'registry-10000')}"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    check_10k = time.monotonic() - t0

    server_cpus, client_cpus = placement(args.pin)
    bench = Bench(args, build, data, client_cpus)
    servers = {}
    try:
        def start(key, name, registry, extra, cpus=server_cpus):
            servers[key] = Server(build, name, os.path.join(data, registry), extra, logdir, cpus)
            return servers[key]

        start("warm10", "warm-10", "registry-10", [])
        start("cold10", "cold-10", "registry-10", ["--cache_max_entries=0"])
        # Verdict cache and parsed-certificate cache both off: every call parses the leaf.
        start("cold10np", "cold-10-no-parse-cache", "registry-10",
              ["--cache_max_entries=0", "--certificate_cache_entries=0"])
        start("warm10k", "warm-10k", "registry-10000", [])
        start("cold10k", "cold-10k", "registry-10000", ["--cache_max_entries=0"])
        # Reference: the load generator and the server on the same CPUs.
        shared = start("shared", "warm-10-unpinned", "registry-10", [], None) if server_cpus else None
        W, C, W10k, C10k = servers["warm10"], servers["cold10"], servers["warm10k"], servers["cold10k"]
        CNP = servers["cold10np"]
        decision_log = None
        if any(f.startswith("--decision_log") for f in quiet_flags(os.path.join(build, "server", "certguard-server"))):
            decision_log = start("decision_log", "warm-10-decision-log", "registry-10",
                                 [f"--decision_log={os.path.join(logdir, 'decisions.jsonl')}"])

        # Warm scenarios, one of each per round: (1) health vs warm validate (one certificate,
        # cache on), (3) Check vs validate, (5) 10 vs 10,000 policies, and the decision log's cost.
        warm_set = [("health", lambda l: bench.once(l, W, "health")),
                    ("warm validate", lambda l: bench.once(l, W, "validate")),
                    ("extauthz check warm", lambda l: bench.once(l, W, "extauthz")),
                    ("warm validate 10k pol", lambda l: bench.once(l, W10k, "validate"))]
        if decision_log:
            warm_set.append(("warm validate, decision log", lambda l: bench.once(l, decision_log, "validate")))
        warm_runs = bench.rotate(warm_set)
        health, warm, check, w10k = warm_runs[:4]
        dl_on = warm_runs[4] if decision_log else []
        validate, w10, dl_off = warm, warm, warm
        # Cold scenarios (1,000 distinct leaves, verdict cache off): (2) RSA-2048 and P-256, the
        # same with the parsed-certificate cache off too (each call parses its leaf), (3) Check,
        # (5) 10,000 policies.
        cold_rsa, cold_ec, cold_np_rsa, cold_np_ec, check_c, c10k = bench.rotate([
            ("cold validate rsa2048", lambda l: bench.once(l, C, "validate", corpus="rsa2048")),
            ("cold validate p256", lambda l: bench.once(l, C, "validate", corpus="p256", policy="bench-ec")),
            ("cold no-parse-cache rsa2048", lambda l: bench.once(l, CNP, "validate", corpus="rsa2048")),
            ("cold no-parse-cache p256", lambda l: bench.once(l, CNP, "validate", corpus="p256", policy="bench-ec")),
            ("extauthz check cold", lambda l: bench.once(l, C, "extauthz", corpus="rsa2048")),
            ("cold validate 10k pol", lambda l: bench.once(l, C10k, "validate", corpus="rsa2048"))])
        validate_c, c10 = cold_rsa, cold_rsa
        # (4) latency at 50% of the measured maximum (open loop), one run per round; the run with
        # the median p99 is quoted (a single run's tail is at the mercy of whatever else the
        # shared machine does for a moment). Health at the same rate as warm validate gives the
        # server's CPU per call of each under equal load.
        warm_max = med(warm)
        cold_max = med(cold_rsa)
        open_seconds = max(args.seconds, 4)
        open_warm_runs, open_health_runs, open_cold_runs = bench.rotate([
            ("open loop warm 50%", lambda l: bench.once(l, W, "validate", rate=warm_max / 2, seconds=open_seconds)),
            ("open loop health, same rate", lambda l: bench.once(l, W, "health", rate=warm_max / 2, seconds=open_seconds)),
            ("open loop cold 50%", lambda l: bench.once(l, C, "validate", corpus="rsa2048", rate=cold_max / 2,
                                                      seconds=open_seconds))])
        open_warm = median_p99_run(open_warm_runs)
        open_cold = median_p99_run(open_cold_runs)
        # Reference rows with nothing pinned: the same comparison when the load generator
        # competes with the server for the same cores.
        shared_health, shared_warm = [], []
        if shared:
            shared_health, shared_warm = bench.alternate(
                "health, unpinned", lambda l: bench.once(l, shared, "health"),
                "warm validate, unpinned", lambda l: bench.once(l, shared, "validate"))

        prof, prof_err = (None, "disabled (BENCH_PROFILE=0)")
        if args.profile:
            try:
                prof, prof_err = perf_profile(C, bench, resdir, logdir)
            except Exception as e:  # a profile is optional
                prof, prof_err = None, str(e)

        hwm_10k = max(W10k.hwm_kib() or 0, C10k.hwm_kib() or 0)
        hwm_10 = max(W.hwm_kib() or 0, C.hwm_kib() or 0)
    finally:
        for s in servers.values():
            s.stop()

    nproc = m["nproc"]
    # The cores the servers may use: what the bare-OpenSSL floor is scaled to.
    server_cores = len(server_cpus) if server_cpus else nproc

    def floor_rate(key, name="BM_OpenSslFloor"):
        r = micro.get(f"{name}/key:{key}/len:3", {})
        return 1e9 / r["cpu_ns"] if "cpu_ns" in r else float("nan")

    floor_rsa, floor_ec = floor_rate(0), floor_rate(1)
    pfloor_rsa, pfloor_ec = floor_rate(0, "BM_OpenSslFloorWithParse"), floor_rate(1, "BM_OpenSslFloorWithParse")
    load10k = micro.get("BM_LoadRegistry/policies:10000", {}).get("ns", float("nan")) / 1e9  # wall

    r_warm = med(warm) / med(health)
    r_cold = med(cold_rsa) / (floor_rsa * server_cores)
    r_cold_cpu = (med(cold_rsa) / med_cores(cold_rsa)) / floor_rsa
    r_cold_ec = med(cold_ec) / (floor_ec * server_cores)
    r_cold_ec_cpu = (med(cold_ec) / med_cores(cold_ec)) / floor_ec
    r_pcold_cpu = (med(cold_np_rsa) / med_cores(cold_np_rsa)) / pfloor_rsa
    r_pcold_ec_cpu = (med(cold_np_ec) / med_cores(cold_np_ec)) / pfloor_ec
    def per_cpu(runs):
        return med(runs) / med_cores(runs) if med_cores(runs) else float("nan")

    r_warm_cpu = per_cpu(warm) / per_cpu(health)
    # The server's CPU per call with health and warm validate offered the same rate (open loop).
    us_health = statistics.median(r["server_cpu_us_per_call"] for r in open_health_runs)
    us_warm = statistics.median(r["server_cpu_us_per_call"] for r in open_warm_runs)
    r_warm_eq = us_health / us_warm if us_warm else float("nan")
    ipc_text = (f"; server instructions {instructions['health'] / instructions['validate']:.2f}x"
                if instructions else "")
    r_check_cpu = per_cpu(check) / per_cpu(validate)
    r_check = med(check) / med(validate)
    r_check_c = med(check_c) / med(validate_c)
    noise_w = max(0.05, spread(w10), spread(w10k))
    noise_c = max(0.05, spread(c10), spread(c10k))
    r_10k_w = med(w10k) / med(w10)
    r_10k_c = med(c10k) / med(c10)
    p99_warm = open_warm["latency_ms"]["p99"]
    p99_cold = open_cold["latency_ms"]["p99"]

    targets = [
        ["1", f"warm ValidateCertificate / health: calls per server CPU-second, both offered {open_warm['rate']:,.0f}/s",
         f"{us_health:.1f} µs / {us_warm:.1f} µs of server CPU per call = {r_warm_eq:.2f}x; closed loop "
         f"{fmt_rate(med(warm))} / {fmt_rate(med(health))} = {r_warm:.2f}x (per server CPU-second {r_warm_cpu:.2f}x)"
         f"{ipc_text}", ">= 0.90x", verdict(r_warm_eq >= 0.90) + f" (closed loop: {verdict(r_warm >= 0.90)})"],
        ["2", "cold validate RSA-2048 / (bare OpenSSL 1 thread x server cores)",
         f"{fmt_rate(med(cold_rsa))} / ({fmt_rate(floor_rsa)} x {server_cores}) = {r_cold:.2f}x; "
         f"per server CPU-second {r_cold_cpu:.2f}x", ">= 0.70x", verdict(r_cold >= 0.70) + f" (CPU-normalized: {verdict(r_cold_cpu >= 0.70)})"],
        ["2", "cold validate P-256 / (bare OpenSSL 1 thread x server cores)",
         f"{fmt_rate(med(cold_ec))} / ({fmt_rate(floor_ec)} x {server_cores}) = {r_cold_ec:.2f}x; "
         f"per server CPU-second {r_cold_ec_cpu:.2f}x", ">= 0.70x", verdict(r_cold_ec >= 0.70) + f" (CPU-normalized: {verdict(r_cold_ec_cpu >= 0.70)})"],
        ["2", "cold validate, parsed-certificate cache off too, per server CPU-second / OpenSSL d2i_X509(leaf) + X509_verify_cert",
         f"RSA-2048 {r_pcold_cpu:.2f}x ({fmt_rate(pfloor_rsa)}/s floor); P-256 {r_pcold_ec_cpu:.2f}x ({fmt_rate(pfloor_ec)}/s floor)",
         "(reference: every leaf new)", "—"],
        ["3", "ext_authz Check / ValidateCertificate (warm)", f"{fmt_rate(med(check))} / {fmt_rate(med(validate))} = {r_check:.2f}x; "
         f"per server CPU-second {r_check_cpu:.2f}x", ">= 0.90x", verdict(r_check >= 0.90) + f" (CPU-normalized: {verdict(r_check_cpu >= 0.90)})"],
        ["3", "ext_authz Check / ValidateCertificate (cold)", f"{fmt_rate(med(check_c))} / {fmt_rate(med(validate_c))} = {r_check_c:.2f}x",
         ">= 0.90x", verdict(r_check_c >= 0.90)],
        ["4", "p99 at 50% of max, warm validate", f"{p99_warm:.3f} ms at {open_warm['rate']:,.0f}/s", "<= 1 ms", verdict(p99_warm <= 1.0)],
        ["4", "p99 at 50% of max, cold validate RSA", f"{p99_cold:.3f} ms at {open_cold['rate']:,.0f}/s", "<= 1 ms", verdict(p99_cold <= 1.0)],
    ] + ([
        ["1", "reference, unpinned: warm ValidateCertificate / health, closed loop",
         f"{fmt_rate(med(shared_warm))} / {fmt_rate(med(shared_health))} = {med(shared_warm) / med(shared_health):.2f}x; "
         f"per server CPU-second {per_cpu(shared_warm) / per_cpu(shared_health):.2f}x", "(reference)", "—"],
    ] if shared else []) + [
        ["5", "10,000 vs 10 policies, warm", f"{r_10k_w:.2f}x (noise ±{noise_w * 100:.0f}%)", "within noise",
         verdict(abs(r_10k_w - 1) <= noise_w)],
        ["5", "10,000 vs 10 policies, cold", f"{r_10k_c:.2f}x (noise ±{noise_c * 100:.0f}%)", "within noise",
         verdict(abs(r_10k_c - 1) <= noise_c)],
        ["5", "10,000-policy registry load", f"{load10k:.2f} s (LoadRegistry); {check_10k:.2f} s (`--check_policies`, whole process)",
         "<= 2 s", verdict(load10k <= 2.0 and check_10k <= 2.0)],
        ["5", "server peak RSS (VmHWM), 10,000 policies, after load", f"{hwm_10k / 1024:.1f} MiB", "<= 64 MiB",
         verdict(hwm_10k / 1024 <= 64)],
    ]
    figs = {
        "targets": targets,
        "instructions": instructions,
        "instructions_error": instructions_error,
        "scenarios": [
            ("health (grpc.health.v1 Check)", health), ("warm validate (1 cert, cache on)", warm),
            ("cold validate RSA-2048 (1,000 leaves, verdict cache off)", cold_rsa),
            ("cold validate P-256 (1,000 leaves, verdict cache off)", cold_ec),
            ("cold validate RSA-2048, parsed-certificate cache off too", cold_np_rsa),
            ("cold validate P-256, parsed-certificate cache off too", cold_np_ec),
            ("ext_authz Check warm", check), ("ext_authz Check cold RSA", check_c),
            ("warm validate, 10,000 policies", w10k), ("cold validate, 10,000 policies", c10k),
        ] + ([("warm validate, decision log to a file", dl_on)] if dl_on else [])
        + ([("health, unpinned", shared_health), ("warm validate, unpinned", shared_warm)] if shared else []),
        "open": [("warm validate", open_warm), ("health, at the warm validate rate", median_p99_run(open_health_runs)),
                 ("cold validate RSA-2048", open_cold)],
        "memory": [
            ("VmHWM, 10,000 policies, idle after start", f"{W10k.hwm_idle_kib / 1024:.1f} MiB"),
            ("VmHWM, 10,000 policies, after all load", f"{hwm_10k / 1024:.1f} MiB"),
            ("VmHWM, 10 policies, idle after start", f"{W.hwm_idle_kib / 1024:.1f} MiB"),
            ("VmHWM, 10 policies, after all load", f"{hwm_10 / 1024:.1f} MiB"),
            ("server start to listening, 10,000 policies", f"{W10k.startup_seconds:.2f} s"),
            ("`--check_policies` on 10,000 policies (whole process)", f"{check_10k:.2f} s"),
            ("LoadRegistry 10 / 1,000 / 10,000 policies (microbenchmark)",
             " / ".join(f"{micro.get(f'BM_LoadRegistry/policies:{n}', {}).get('ns', float('nan')) / 1e6:.1f} ms"
                        for n in (10, 1000, 10000))),
        ],
    }
    cfg = {"rounds": args.rounds, "seconds": args.seconds, "warmup": args.warmup,
           "channels": args.channels, "in_flight": args.in_flight,
           "server_cpus": sorted(server_cpus) if server_cpus else None,
           "client_cpus": sorted(client_cpus) if client_cpus else None}
    write_results(args.out, m, cfg, figs, micro, prof, prof_err)
    with open(os.path.join(resdir, "latest.json"), "w") as f:
        json.dump({"machine": m, "config": cfg, "runs": bench.runs, "micro": micro,
                   "targets": targets, "profile": prof}, f, indent=1)
    log(f"wrote {args.out} ({time.monotonic() - t_start:.0f} s in all)")
    for row in targets:
        print(f"  {row[1]:<58} {row[2]:<70} {row[4]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
