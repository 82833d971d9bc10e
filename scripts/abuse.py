#!/usr/bin/env python3
"""make abuse: every attack of the hostile-client review against the real certguard-server, on
loopback, each against a fresh server. For each attack it prints the server's peak RSS (VmHWM) and
the legitimate client's p50/p99 latency while under attack as a ratio to the same server
unattacked, measured in the same run (certguard-bench, open loop, over the server's Unix socket so
the per-peer connection cap of the attacker's 127.0.0.1 does not apply to it). Writes
bench/ABUSE.md. Every loop is bounded in count and time.

usage: abuse.py BUILD_DIR
"""
import http.server
import json
import os
import resource
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
SERVER = os.path.join(BUILD, "server", "certguard-server")
BENCH = os.path.join(BUILD, "client", "bench", "certguard-bench")
CLI = os.path.join(BUILD, "client", "certguard")
INPUTS_TOOL = os.path.join(BUILD, "tests", "bounds", "certguard-abuse-inputs")
H2_ATTACK = os.path.join(ROOT, "tests", "bounds", "h2_attack.py")
LEGIT_RATE = 300        # calls/s of the legitimate client
PHASE_SECONDS = 6       # each measured phase
ATTACK_SECONDS = 14     # how long each attacker runs (covers the measured phase)


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


class Server:
    def __init__(self, policy_dir, flags=()):
        self.dir = tempfile.mkdtemp(prefix="certguard-abuse-")
        self.sock = os.path.join(self.dir, "certguard.sock")
        self.out = open(os.path.join(self.dir, "stdout"), "w+")
        self.err = open(os.path.join(self.dir, "stderr"), "w+")
        self.proc = subprocess.Popen(
            [SERVER, f"--policy_dir={policy_dir}", f"--listen=127.0.0.1:0,unix:{self.sock}",
             "--metrics_listen=127.0.0.1:0", "--admin_listen=127.0.0.1:0", "--decision_log=off", "--watch_interval=0s", *flags],
            stdout=self.out, stderr=self.err)
        self.tcp = self.metrics = self.admin = None
        for _ in range(300):
            self.out.seek(0)
            text = self.out.read()
            for line in text.splitlines():
                if line.startswith("certguard-server: admin API at "):
                    self.admin = line.split()[-1]
                if line.startswith("certguard-server: metrics at http://"):
                    self.metrics = line.split("http://")[1].split("/")[0]
                if line.startswith("certguard-server: listening on 127.0.0.1:"):
                    self.tcp = line.split()[3]
            if self.tcp:
                break
            time.sleep(0.1)
        if not self.tcp:
            raise RuntimeError("the server did not start: " + open(os.path.join(self.dir, "stderr")).read()[-2000:])
        self.port = int(self.tcp.rsplit(":", 1)[1])

    def peak_mib(self):
        return status_kib(self.proc.pid, "VmHWM") / 1024

    def rss_mib(self):
        return status_kib(self.proc.pid, "VmRSS") / 1024

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def legit(server, inputs, seconds=PHASE_SECONDS):
    out = subprocess.run(
        [BENCH, f"--target=unix:{server.sock}", "--rpc=validate", "--policy=legit",
         f"--header_file={inputs}/legit.header", f"--rate={LEGIT_RATE}", f"--duration={seconds}s",
         "--warmup=1s", "--timeout=5s", "--json"],
        capture_output=True, text=True, timeout=seconds + 60)
    line = [l for l in out.stdout.splitlines() if l.startswith("{")]
    return json.loads(line[-1]) if line else {"latency_ms": {"p50": float("nan"), "p99": float("nan")}, "errors": {"no output": 1}}


def bench_attacker(server, *args):
    return subprocess.Popen([BENCH, f"--target=127.0.0.1:{server.port}", f"--duration={ATTACK_SECONDS}s",
                             "--warmup=0s", "--timeout=5s", "--json", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def h2_attacker(server, *args):
    def more_fds():
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    return subprocess.Popen(["/usr/bin/python3", H2_ATTACK, "--port", str(server.port), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=more_fds)


class Threads:
    """Attacks written in this script: threads looping until stop() or their own time bound."""
    def __init__(self, *targets):
        self.stop_event = threading.Event()
        self.threads = [threading.Thread(target=t, args=(self.stop_event,), daemon=True) for t in targets]
        for t in self.threads:
            t.start()

    def terminate(self):
        self.stop_event.set()
        for t in self.threads:
            t.join(10)

    def wait(self, timeout=None):
        self.terminate()


def metrics_attack(server):
    host, port = server.metrics.rsplit(":", 1)
    deadline = time.monotonic() + ATTACK_SECONDS

    def chunked_post(stop):
        chunk = b"100000\r\n" + b"a" * 0x100000 + b"\r\n"
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                with socket.create_connection((host, int(port)), timeout=2) as s:
                    s.sendall(b"POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                    for _ in range(64):
                        s.sendall(chunk)
            except OSError:
                time.sleep(0.01)

    def slowloris(stop):
        held = []
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                if len(held) < 200:
                    s = socket.create_connection((host, int(port)), timeout=2)
                    s.sendall(b"GET /metrics HTTP/1.1\r\nX-Slow: ")
                    held.append(s)
                else:
                    for s in held:
                        try:
                            s.send(b"a")
                        except OSError:
                            pass
                    time.sleep(0.5)
            except OSError:
                time.sleep(0.05)
        for s in held:
            s.close()
    return Threads(chunked_post, slowloris)


class HostileResponder(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def responder(mode):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            end = time.monotonic() + 30
            try:
                if mode == "endless":
                    self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\n\r\n")
                    while time.monotonic() < end:
                        self.wfile.write(b"0" * 65536)
                else:  # drip
                    self.wfile.write(b"HTTP/1.0 200 OK\r\n")
                    while time.monotonic() < end:
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(1.5)
            except OSError:
                pass
    server = HostileResponder(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def alias_bomb_attack(server, policy_dir):
    bomb = "policies:\n  - &p {id: bomb, exclusion_paths: [" + ",".join(f"/p{i}" for i in range(5000)) + "]}\n"
    bomb += "  - *p\n" * ((900 * 1024 - len(bomb)) // 6)
    path = os.path.join(policy_dir, "bomb.yaml")
    with open(path, "w") as f:
        f.write(bomb)
    deadline = time.monotonic() + ATTACK_SECONDS

    def reloads(stop):
        while not stop.is_set() and time.monotonic() < deadline:
            server.proc.send_signal(signal.SIGHUP)
            time.sleep(0.5)
    threads = Threads(reloads)
    original = threads.terminate

    def terminate():
        original()
        if os.path.exists(path):
            os.remove(path)
    threads.terminate = terminate
    return threads


def reload_storm_attack(server):
    """8 operators asking for reloads back to back on the admin listener (each a load of the
    2,000-policy registry); reloads are single-flight on the reloader's own thread."""
    deadline = time.monotonic() + ATTACK_SECONDS

    def reloads(stop):
        while not stop.is_set() and time.monotonic() < deadline:
            subprocess.run([CLI, "admin", "reload", f"--admin_target={server.admin}", "--timeout=60s"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Threads(*([reloads] * 8))


def copy_policies(inputs, extra=None):
    d = tempfile.mkdtemp(prefix="certguard-abuse-policies-")
    shutil.copytree(os.path.join(inputs, "policies"), d, dirs_exist_ok=True)
    if extra:
        for name, text in extra.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
    return d


def ocsp_policy(url, timeout_ms=2000):
    return {"ocsp.yaml": "id: ocsp\ntrust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
                         f"revocation: {{ocsp: {{enabled: true, responder_url: \"{url}\", timeout_ms: {timeout_ms}}}}}\n"}


def scenarios(inputs):
    yield ("unfinished gRPC streams (40 connections x 100 streams x 300,000 bytes announced)", {},
           lambda s, d: h2_attacker(s, "--attack", "unfinished", "--connections", "40", "--streams", "100",
                                    "--announce", "300000", "--hold", str(ATTACK_SECONDS)))
    yield ("5,000 idle connections", {},
           lambda s, d: h2_attacker(s, "--attack", "idle", "--connections", "5000", "--hold", str(ATTACK_SECONDS)))
    yield ("RSA keys with 3071-bit exponents (leaf + 9 chain certificates, 1,000 distinct headers, 200/s)", {},
           lambda s, d: bench_attacker(s, "--rpc=validate", "--policy=legit", f"--corpus_dir={inputs}/corpus-exponent",
                                       "--rate=200"))
    yield ("ext_authz Check of 300 KB (200/s)", {},
           lambda s, d: bench_attacker(s, "--rpc=extauthz", "--policy=legit", f"--header_file={inputs}/big.header",
                                       "--rate=200"))
    yield ("2,000 distinct untrusted certificates with 600 SANs (300/s)", {},
           lambda s, d: bench_attacker(s, "--rpc=validate", "--policy=legit", f"--corpus_dir={inputs}/corpus-sans",
                                       "--rate=300"))
    yield ("/metrics: chunked POST of 64 MiB, repeated, and 200 slow-header connections", {},
           lambda s, d: metrics_attack(s))
    endless = responder("endless")
    yield ("OCSP responder streaming an endless body (calls at 50/s)",
           ocsp_policy(f"http://127.0.0.1:{endless.server_address[1]}/"),
           lambda s, d: bench_attacker(s, "--rpc=validate", "--policy=ocsp", f"--header_file={inputs}/legit.header",
                                       "--rate=50"))
    drip = responder("drip")
    yield ("OCSP responder dripping a byte every 1.5 s (calls at 50/s)",
           ocsp_policy(f"http://127.0.0.1:{drip.server_address[1]}/"),
           lambda s, d: bench_attacker(s, "--rpc=validate", "--policy=ocsp", f"--header_file={inputs}/legit.header",
                                       "--rate=50"))
    yield ("policy file with 100,000 YAML aliases, reloaded twice a second", {},
           lambda s, d: alias_bomb_attack(s, d))
    yield ("reload storm: 8 admin clients calling Reload back to back on a 2,000-policy registry",
           {f"filler-{i}.yaml": f"id: filler-{i}\ntrust: {{anchor_files: [ca/root.pem]}}\n" for i in range(2000)},
           lambda s, d: reload_storm_attack(s))


def main():
    for path in (SERVER, BENCH, INPUTS_TOOL):
        if not os.access(path, os.X_OK):
            sys.exit(f"abuse: {path} is missing (make build first)")
    inputs = os.path.join(BUILD, "abuse-inputs")
    if not os.path.exists(os.path.join(inputs, "legit.header")):
        subprocess.run([INPUTS_TOOL, inputs], check=True)
    only = os.environ.get("ABUSE_ONLY", "")  # run only the attacks whose name contains this
    rows = []
    for name, extra, attack in scenarios(inputs):
        if only not in name:
            continue
        policy_dir = copy_policies(inputs, extra)
        server = Server(policy_dir)
        try:
            base = legit(server, inputs)
            base_peak = server.peak_mib()
            attacker = attack(server, policy_dir)
            time.sleep(1)
            under = legit(server, inputs)
            peak = server.peak_mib()
            attacker.terminate()
            attacker.wait(timeout=30)
            time.sleep(7)  # the server's memory trim runs every 5 s
            after = server.rss_mib()
            alive = server.proc.poll() is None
        finally:
            server.stop()
            shutil.rmtree(policy_dir, ignore_errors=True)
        b, u = base["latency_ms"], under["latency_ms"]
        row = {"attack": name, "peak_mib": round(peak, 1), "unattacked_peak_mib": round(base_peak, 1),
               "rss_after_mib": round(after, 1), "p50_ratio": round(u["p50"] / b["p50"], 2),
               "p99_ratio": round(u["p99"] / b["p99"], 2), "p50_ms": u["p50"], "p99_ms": u["p99"],
               "legit_errors": sum(under.get("errors", {}).values()), "legit_error_codes": under.get("errors", {}),
               "server_alive": alive}
        rows.append(row)
        print(json.dumps(row), flush=True)

    table = ["| attack | peak RSS (unattacked) | RSS 7 s after | legit p50 ratio | legit p99 ratio | legit errors |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        table.append(f"| {r['attack']} | {r['peak_mib']} MiB ({r['unattacked_peak_mib']}) | {r['rss_after_mib']} MiB | "
                     f"{r['p50_ratio']}x ({r['p50_ms']:.2f} ms) | {r['p99_ratio']}x ({r['p99_ms']:.2f} ms) | "
                     f"{r['legit_errors']}{'' if r['server_alive'] else ' (server died)'} |")
    text = "\n".join(table)
    print("\n" + text)
    if only:
        return  # a partial run does not replace bench/ABUSE.md
    with open(os.path.join(ROOT, "bench", "ABUSE.md"), "w") as f:
        f.write("# make abuse: latest run\n\n"
                f"{time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} CPUs, loopback; legitimate client: "
                f"{LEGIT_RATE} ValidateCertificate calls/s over the Unix socket, p50/p99 while under attack divided "
                "by the same server's unattacked figures in the same run.\n\n" + text + "\n")
    if not all(r["server_alive"] for r in rows):
        sys.exit("abuse: a server died")


if __name__ == "__main__":
    main()
