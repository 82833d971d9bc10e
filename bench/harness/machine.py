"""Facts about the host, where processes run, and what /proc says about them."""

import datetime
import os
import platform


def facts():
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
