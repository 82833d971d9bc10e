"""certguard-server on 127.0.0.1:0, started for a benchmark and stopped by its PID."""

import os
import re
import signal
import subprocess
import time

from .log import log
from .machine import pinned_to, proc_status

_QUIET = {}


def server_binary(build):
    return os.path.join(build, "server", "certguard-server")


def quiet_flags(binary):
    """Flags that keep several servers from clashing or from measuring logging: no metrics or
    admin listener (fixed default ports) and no per-decision log lines, when this server has them."""
    if binary not in _QUIET:
        h = subprocess.run([binary, "--helpfull"], capture_output=True, text=True)
        text = h.stdout + h.stderr
        flags = []
        if "-metrics_listen" in text:
            flags.append("--metrics_listen=")
        if "-admin_listen" in text:
            flags.append("--admin_listen=")
        if re.search(r"--decision_log\b(?!_)", text):
            flags.append("--decision_log=off")
        _QUIET[binary] = flags
    return list(_QUIET[binary])


def wait_for_address(out_path, proc, seconds, poll=0.02):
    """The address from a server's "listening on" line, or None if it exits or takes too long."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        m = re.search(r"listening on (\S+)", open(out_path).read())
        if m:
            return m.group(1)
        time.sleep(poll)
    return None


class Server:
    """A running server; `cpus`: the CPUs it may run on (None: any)."""

    def __init__(self, build, name, policy_dir, extra, logdir, cpus=None):
        self.name = name
        self.cpus = cpus
        self.policy_dir = policy_dir
        self.log_path = os.path.join(logdir, f"server-{name}.log")
        self.out_path = os.path.join(logdir, f"server-{name}.out")
        binary = server_binary(build)
        cmd = [binary, "--listen=127.0.0.1:0", f"--policy_dir={policy_dir}", "--log_level=warning",
               "--watch_interval=0"] + quiet_flags(binary) + extra
        log("start " + " ".join(cmd))
        self.started = time.monotonic()
        # stdout to a file (never a pipe nobody drains: a full pipe would stall the server).
        self.proc = subprocess.Popen(cmd, stdout=open(self.out_path, "w"), stderr=open(self.log_path, "w"),
                                     preexec_fn=pinned_to(cpus))
        self.address = wait_for_address(self.out_path, self.proc, 60)
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
