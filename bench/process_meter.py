"""Runs one command and measures its whole process tree: wall clock, CPU, peak memory.

The benchmark process makes itself a child subreaper (Linux prctl), so a process the
command leaves behind (Spark's JVM outlives its Python driver for a moment) is re-parented
to us and waited for: the wall clock ends when the last process of the tree has exited,
and every process's CPU time and peak RSS come back through wait4, exactly, not sampled.
The sum of RSS over the live tree is also sampled every 50 ms, since a driver plus a JVM
use memory at the same time.
"""

import ctypes
import json
import os
import signal
import time

_PR_SET_CHILD_SUBREAPER = 36
_PAGE = os.sysconf("SC_PAGE_SIZE")
_subreaper_set = False


def _become_subreaper():
    global _subreaper_set
    if not _subreaper_set:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
        _subreaper_set = True


def _tree_rss_bytes(root_session):
    """Sum of RSS over live processes of the run's session (the command runs in a session
    of its own, and its descendants stay in it unless they call setsid themselves)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[3]) != root_session:  # field 6 of stat: session id
                continue
            with open(f"/proc/{entry}/statm") as f:
                total += int(f.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue  # the process exited while we looked
    return total


def _last_json_line(path):
    try:
        with open(path) as f:
            lines = [line for line in f.read().splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else {}
    except (OSError, ValueError):
        return {}


def run_measured(command, cpus, timeout_s, log_path):
    """Runs `command` pinned to `cpus` with stdout to `log_path`.out and stderr to
    `log_path`; returns wall_s, cpu_s, user_s, sys_s, max_process_rss_mb,
    tree_peak_rss_mb (the larger of the sampled sum and the largest ru_maxrss),
    tree_sampled_peak_rss_mb (the sampled sum alone: a forked child's ru_maxrss starts at
    its parent's RSS, so only the sum over the live tree measures the tree), returncode
    (negative: killed by that signal; -9 also on timeout), report (the last JSON line of
    stdout) and log_path."""
    _become_subreaper()
    out_path = log_path + ".out"
    start_epoch = time.time()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child: own session, pinned, output to files, then exec
        try:
            os.setsid()
            os.sched_setaffinity(0, cpus)
            out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            err = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    returncode = None
    user = system = 0.0
    max_rss_kb = 0
    tree_peak = 0
    next_sample = started
    killed = False
    while True:
        try:
            reaped, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            break  # nothing of the tree is left
        if reaped:
            user += usage.ru_utime
            system += usage.ru_stime
            max_rss_kb = max(max_rss_kb, usage.ru_maxrss)
            if reaped == pid:
                returncode = os.waitstatus_to_exitcode(status)
            continue
        now = time.monotonic()
        if now >= next_sample:
            tree_peak = max(tree_peak, _tree_rss_bytes(pid))
            next_sample = now + 0.05
        if not killed and now - started > timeout_s:
            os.killpg(pid, signal.SIGKILL)
            killed = True
        time.sleep(0.005)
    wall = time.monotonic() - started
    return {"wall_s": wall, "cpu_s": user + system, "user_s": user, "sys_s": system,
            "max_process_rss_mb": max_rss_kb / 1024, "tree_peak_rss_mb": max(tree_peak, max_rss_kb * 1024) / 2**20,
            "tree_sampled_peak_rss_mb": tree_peak / 2**20,
            "returncode": -9 if killed else returncode, "report": _last_json_line(out_path),
            "log_path": log_path, "command": command, "start_epoch": start_epoch}
