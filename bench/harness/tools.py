"""Measurements beside the load runs: the microbenchmarks, server instructions per call under
callgrind, and a perf profile of cold validation."""

import json
import os
import re
import shutil
import signal
import subprocess
import time

from .loadgen import bench_binary, one_header
from .log import run
from .server import quiet_flags, server_binary, wait_for_address


def run_micro(build, outdir, min_time):
    """Runs certguard-microbench; returns {name: {ns, cpu_ns, label}} (or {error})."""
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


CALLGRIND_RPCS = ("health", "validate", "extauthz")


def instructions_per_call(build, data, workdir, calls):
    """Server instructions per call under callgrind (health, warm validate, warm Check): a
    figure that does not depend on what else the machine is doing. Returns {rpc: instructions}
    or None with the reason."""
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        return None, "valgrind not installed"
    binary = server_binary(build)
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
        address = wait_for_address(out_path, proc, 120, poll=0.1)
        if not address:
            return None, "server under valgrind did not start"

        def drive(rpc, n):
            subprocess.run([bench_binary(build), f"--target={address}", f"--rpc={rpc}", "--policy=bench",
                            "--channels=2", "--in_flight=16", f"--count={n}", "--warmup=0s", "--timeout=120s",
                            "--json", "--header_file", one_header(data)], check=True, capture_output=True)

        for rpc in CALLGRIND_RPCS:
            drive(rpc, 500)  # warm the cache and the connections
        result = {}
        for i, rpc in enumerate(CALLGRIND_RPCS, start=1):
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


def perf_profile(server, loadgen, outdir, workdir):
    """perf record on the cold server during a cold run; returns the top self-time symbols and
    libraries, or None with the reason."""
    if not shutil.which("perf"):
        return None, "perf not installed"
    data = os.path.join(workdir, "perf-cold.data")
    rec = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-o", data, "-p", str(server.pid)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    loadgen.once("cold validate (profiled)", server, "validate", corpus="rsa2048", seconds=5)
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
