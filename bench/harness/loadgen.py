"""certguard-bench runs against a Server, and the rotation that alternates scenarios."""

import json
import os
import subprocess
import time

from .log import log
from .machine import pinned_to, proc_cpu_seconds


def bench_binary(build):
    return os.path.join(build, "client", "bench", "certguard-bench")


def one_header(data):
    """The single RSA-2048 leaf header every warm scenario sends."""
    return os.path.join(data, "corpus", "rsa2048", "leaf-00000.b64")


class LoadGenerator:
    def __init__(self, args, build, data, client_cpus=None):
        self.args = args
        self.client_cpus = client_cpus  # used against pinned servers only
        self.binary = bench_binary(build)
        self.data = data
        self.runs = []

    def corpus_flags(self, corpus):
        if corpus == "one":
            return ["--header_file", one_header(self.data)]
        return ["--corpus_dir", os.path.join(self.data, "corpus", corpus)]

    def once(self, label, server, rpc, corpus="one", policy="bench", rate=0, seconds=None):
        """One run; returns certguard-bench's JSON result plus the server's CPU use."""
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

    def rotate(self, scenarios):
        """Runs every (label, fn) once per round, in order, so each pair compared was measured
        under the same conditions; returns one list of runs per scenario."""
        out = [[] for _ in scenarios]
        for r in range(self.args.rounds):
            for i, (label, fn) in enumerate(scenarios):
                out[i].append(fn(f"{label} #{r + 1}"))
        return out
