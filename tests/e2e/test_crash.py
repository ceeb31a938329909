"""THE crash test: SIGKILL the process at random moments, restart it each time, and
check that the table holds every input row exactly once. Exactly-once must hold
whatever instruction the process was at (DESIGN.md, "Exactly once")."""
import os
import random
import signal
import subprocess
import threading
import time

import tributary_e2e as e2e

KILLS = int(os.environ.get("TRIBUTARY_CRASH_KILLS", "20"))


def no_duplicates_so_far(table, expected):
    """After every kill: whatever is committed is a duplicate-free subset of the input."""
    if not e2e.has_commits(table):
        return
    ids = [r["id"] for r in e2e.read_deltars(table).select(["id"]).to_pylist()]
    assert len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} duplicates after a kill"
    assert set(ids) <= set(expected), "rows that were never written"


def kill_loop(tributary_bin, workdir, pipeline, expected, rng, max_delay):
    """Starts and SIGKILLs the pipeline until KILLS kills landed on a live process."""
    table = e2e.table_dir(workdir)
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    kills = attempts = kills_after_commits = 0
    while kills < KILLS:
        attempts += 1
        assert attempts <= KILLS * 4, f"only {kills} kills landed in {attempts} starts"
        version = e2e.committed_version(table)
        process = e2e.start_logged(tributary_bin, pipeline, logs / f"run-{attempts:03d}.log")
        delay = rng.uniform(0.02, max_delay)
        try:
            returncode = process.wait(timeout=delay)
            log = (logs / f"run-{attempts:03d}.log").read_text(errors="replace")
            assert returncode == 0, f"run {attempts} failed:\n{log[-4000:]}"
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
            kills_after_commits += e2e.committed_version(table) > version
        no_duplicates_so_far(table, expected())
    print(f"{kills} kills in {attempts} starts, {kills_after_commits} after a commit of their run")
    # Kills that all landed before the first commit of their run would prove little.
    assert kills_after_commits >= KILLS // 4, f"only {kills_after_commits} kills landed after a commit"
    return attempts


def test_sigkill_during_available_now(tributary_bin, workdir):
    seed = int(os.environ.get("TRIBUTARY_CRASH_SEED", str(random.randrange(1 << 30))))
    print(f"crash test seed {seed} (set TRIBUTARY_CRASH_SEED to replay)")
    rng = random.Random(seed)
    landing = workdir / "landing"
    ids = e2e.write_batch_files(landing, 1, files=300, rows_per_file=10, compress_every=4)
    pipeline = e2e.write_pipeline(workdir, source_options={"cloudFiles.maxFilesPerTrigger": 5})
    next_id = [100000]

    def expected():
        return ids

    # Keep work for the kills to land on: when a run finished the backlog, add files.
    # Kill delays are drawn within the time an uninterrupted run took, so that kills
    # land mid-run whether the binary is a fast release or a slow debug build.
    table = e2e.table_dir(workdir)
    logs = workdir / "logs"
    logs.mkdir()
    run_seconds = 2.0
    kills = attempts = kills_after_commits = 0
    while kills < KILLS:
        attempts += 1
        assert attempts <= KILLS * 5, f"only {kills} kills landed in {attempts} starts"
        log_path = logs / f"run-{attempts:03d}.log"
        version = e2e.committed_version(table)
        started = time.monotonic()
        process = e2e.start_logged(tributary_bin, pipeline, log_path)
        try:
            returncode = process.wait(timeout=rng.uniform(0.2, 1.0) * run_seconds)
            assert returncode == 0, f"run {attempts} failed:\n{log_path.read_text(errors='replace')[-4000:]}"
            run_seconds = max(0.05, time.monotonic() - started)
            ids += e2e.write_batch_files(landing, next_id[0], files=60, rows_per_file=10, prefix="more")
            next_id[0] += 600
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
            kills_after_commits += e2e.committed_version(table) > version
        no_duplicates_so_far(table, expected())
    print(f"{kills} kills in {attempts} starts, {kills_after_commits} after a commit of their run")
    assert kills_after_commits >= KILLS // 4, f"only {kills_after_commits} kills landed after a commit"

    final = e2e.run(tributary_bin, "run", pipeline)
    assert final.returncode == 0, final
    e2e.assert_exactly_once(table, ids)
    for reader in e2e.READERS.values():
        e2e.assert_rows_equal(reader(table), [e2e.make_record(i) for i in ids])


def test_sigkill_while_files_keep_arriving(tributary_bin, workdir):
    seed = int(os.environ.get("TRIBUTARY_CRASH_SEED", str(random.randrange(1 << 30))))
    print(f"crash test seed {seed} (set TRIBUTARY_CRASH_SEED to replay)")
    rng = random.Random(seed)
    landing = workdir / "landing"
    ids = e2e.write_batch_files(landing, 1, files=100, rows_per_file=10)
    lock = threading.Lock()
    done = threading.Event()

    def producer():
        next_id = 50000
        while not done.is_set():
            # Files land in nested folders, written to a hidden name and renamed in.
            new = e2e.write_batch_files(landing / f"d{next_id % 7}", next_id, files=1, rows_per_file=10,
                                        prefix="live", compress_every=2 if next_id % 3 == 0 else 0)
            with lock:
                ids.extend(new)
            next_id += 10
            time.sleep(0.03)

    def expected():
        with lock:
            return list(ids)

    pipeline = e2e.write_pipeline(workdir, trigger={"processingTime": "200 milliseconds"},
                                  source_options={"cloudFiles.maxFilesPerTrigger": 5})
    thread = threading.Thread(target=producer, daemon=True)
    thread.start()
    try:
        kill_loop(tributary_bin, workdir, pipeline, expected, rng, max_delay=1.5)
    finally:
        done.set()
        thread.join()

    # A last run, left alone until every file is in, then stopped with SIGTERM.
    table = e2e.table_dir(workdir)
    final_ids = expected()
    process = e2e.start(tributary_bin, "run", pipeline)
    try:
        e2e.wait_until(lambda: e2e.read_deltars(table).num_rows >= len(final_ids), 180, "all rows committed")
        returncode, _, stderr = e2e.stop(process, signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert returncode == 0, stderr[-4000:]
    e2e.assert_exactly_once(table, final_ids)
