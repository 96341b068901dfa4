"""Kafka and /proc helpers of run.sh (needs confluent-kafka; the e2e venv has it).

  monitor.py create-topic BOOTSTRAP TOPIC
      creates TOPIC with one partition (replication factor 1)
  monitor.py wait-records BOOTSTRAP TOPIC N TIMEOUT_S
      waits until TOPIC holds at least N records (its end offset)
  monitor.py measure BOOTSTRAP TOPIC ROWS PID TIMEOUT_S STAT_BEFORE
      from the start of process PID (its start time in /proc/PID/stat) until TOPIC's end offset
      reaches ROWS: wall seconds, CPU seconds (utime+stime of PID and of its descendants, live or
      reaped), peak RSS (VmRSS of PID and its descendants, sampled every 100 ms), and the same
      figures at the first record. Prints one JSON object. Fails when the topic stops growing
      for 120 s short of ROWS (an engine that skipped records). Also the machine's busy CPU
      seconds over the run (from STAT_BEFORE, a copy of /proc/stat's first line taken before the
      start): the engine, the broker, MariaDB and anything else.
  monitor.py quiet MAX_BUSY WAIT_S
      waits (at most WAIT_S) until the machine is at most MAX_BUSY busy over 5 s; prints it
  monitor.py verify BOOTSTRAP TOPIC ROWS SAMPLES
      checks that TOPIC ends at exactly ROWS records and that SAMPLES records (the first, the last
      and random ones) are Debezium "c" events of row id = offset + 1 with the expected columns.
"""

import base64
import json
import os
import random
import sys
import time

from confluent_kafka import Consumer, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
STALL_S = 120  # measure gives up when the topic stops growing for this long


def consumer(bootstrap):
    return Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "dbzbench-monitor",
        "enable.auto.commit": False,
        "allow.auto.create.topics": False,
        "log_level": 0,
    })


def end_offset(c, topic):
    """The topic's end offset (= its record count: one partition, no transactions); 0 when the
    topic does not exist yet."""
    try:
        return c.get_watermark_offsets(TopicPartition(topic, 0), timeout=2.0, cached=False)[1]
    except KafkaException:
        return 0


# ---- /proc ---------------------------------------------------------------------------------


def proc_stat(pid):
    """(ppid, utime+stime+cutime+cstime in ticks, start time in ticks after boot), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # fields[0] is field 3 (state) of proc(5)
    ppid = int(fields[1])
    cpu = sum(int(x) for x in fields[11:15])   # utime, stime, cutime, cstime
    return ppid, cpu, int(fields[19])


def machine_cpu(line=None):
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat's "cpu" line
    (busy: all but idle and iowait)."""
    if line is None:
        with open("/proc/stat") as f:
            line = f.readline()
    v = [int(x) for x in line.split()[1:9]]
    total = sum(v)
    return (total - v[3] - v[4]) / CLK_TCK, total / CLK_TCK


def quiet(max_busy, wait_s):
    """Waits until the machine is at most `max_busy` busy (a fraction of all CPUs, over 5 s), or
    wait_s have passed. Prints the last busy fraction."""
    deadline = time.monotonic() + wait_s
    while True:
        b0, t0 = machine_cpu()
        time.sleep(5)
        b1, t1 = machine_cpu()
        busy = (b1 - b0) / max(t1 - t0, 1e-9)
        if busy <= max_busy or time.monotonic() > deadline:
            print(f"{busy:.2f}")
            return
        print(f"quiet: the machine is {busy:.0%} busy; waiting", file=sys.stderr)
        time.sleep(10)


def rss_bytes(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE   # resident pages = VmRSS
    except OSError:
        return 0


def descendants(pid):
    """PID and every live process below it (a scan of /proc by parent pid)."""
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = proc_stat(int(name))
            if st:
                children.setdefault(st[0], []).append(int(name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def measure(bootstrap, topic, rows, pid, timeout, stat_before):
    with open(stat_before) as f:
        machine0 = machine_cpu(f.readline())
    st = proc_stat(pid)
    if st is None:
        sys.exit(f"measure: no process {pid}")
    start = st[2] / CLK_TCK  # seconds after boot, the clock of CLOCK_BOOTTIME
    c = consumer(bootstrap)
    tree, tree_at = [pid], 0.0
    peak_rss = 0
    first = None
    last_n, last_change = -1, 0.0

    def cpu_seconds():
        # utime+stime of each live process of the tree, plus cutime+cstime: what its reaped
        # children used (neither engine is expected to fork)
        return sum((proc_stat(p) or (0, 0, 0))[1] for p in tree) / CLK_TCK

    while True:
        now = time.clock_gettime(time.CLOCK_BOOTTIME)
        if now - tree_at >= 1.0:
            tree, tree_at = descendants(pid), now
        if proc_stat(pid) is None:
            sys.exit(f"measure: process {pid} exited before {topic} held {rows} records")
        peak_rss = max(peak_rss, sum(rss_bytes(p) for p in tree))
        n = end_offset(c, topic)
        if n > 0 and first is None:
            first = {"wall_s": time.clock_gettime(time.CLOCK_BOOTTIME) - start,
                     "cpu_s": cpu_seconds(), "records": n}
        if n >= rows:
            wall = time.clock_gettime(time.CLOCK_BOOTTIME) - start
            cpu = cpu_seconds()
            machine1 = machine_cpu()
            peak_rss = max(peak_rss, sum(rss_bytes(p) for p in tree))
            break
        if n != last_n:
            last_n, last_change = n, now
        if now - start > timeout:
            sys.exit(f"measure: {topic} holds {n} of {rows} records after {timeout} s")
        if n > 0 and now - last_change > STALL_S:
            sys.exit(f"measure: {topic} has stayed at {n} of {rows} records for {STALL_S} s")
        time.sleep(max(0.0, 0.1 - (time.clock_gettime(time.CLOCK_BOOTTIME) - now)))
    c.close()
    print(json.dumps({"wall_s": round(wall, 3), "cpu_s": round(cpu, 2),
                      "peak_rss_mb": round(peak_rss / 2**20, 1), "records": n,
                      "first_wall_s": round(first["wall_s"], 3), "first_cpu_s": round(first["cpu_s"], 2),
                      "processes": len(tree),
                      "machine_busy_cpu_s": round(machine1[0] - machine0[0], 2),
                      "machine_cpu_capacity_s": round(machine1[1] - machine0[1], 2)}))


# ---- checks ---------------------------------------------------------------------------------


def decimal_unscaled(b64):
    return int.from_bytes(base64.b64decode(b64), "big", signed=True)


def check_record(msg, offset):
    """The record at `offset` must be the insert of row id = offset + 1 (rows are loaded in id
    order, one partition)."""
    rid = offset + 1
    key = json.loads(msg.key())["payload"]
    value = json.loads(msg.value())["payload"]
    after = value["after"]
    expect = {"id": rid, "i0": rid % 100000, "s0": f"value of row {rid}",
              "d0": (1704067200 + rid) * 1000000}
    errors = []
    if key != {"id": rid}:
        errors.append(f"key {key}")
    if value["op"] != "c" or value["before"] is not None:
        errors.append(f"op {value['op']} before {value['before']}")
    for k, v in expect.items():
        if after.get(k) != v:
            errors.append(f"{k}={after.get(k)!r}, expected {v!r}")
    if decimal_unscaled(after["n0"]) != rid % 1000000:
        errors.append(f"n0={after['n0']!r} (unscaled {decimal_unscaled(after['n0'])}), "
                      f"expected unscaled {rid % 1000000}")
    src = value["source"]
    if (src.get("db"), src.get("table"), src.get("snapshot")) != ("bench", "t", "false"):
        errors.append(f"source {src}")
    if errors:
        sys.exit(f"verify: record at offset {offset}: " + "; ".join(errors))


def verify(bootstrap, topic, rows, samples):
    c = consumer(bootstrap)
    lo, hi = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10.0, cached=False)
    if (lo, hi) != (0, rows):
        sys.exit(f"verify: {topic} spans offsets [{lo}, {hi}), expected [0, {rows})")
    offsets = sorted({0, rows - 1, *random.sample(range(rows), min(rows, max(0, samples - 2)))})
    for off in offsets:
        c.assign([TopicPartition(topic, 0, off)])
        deadline = time.monotonic() + 30
        while True:
            msg = c.poll(1.0)
            if msg is not None and not msg.error() and msg.offset() == off:
                break
            if time.monotonic() > deadline:
                sys.exit(f"verify: could not read offset {off} of {topic}")
        check_record(msg, off)
    c.close()
    print(f"verify: {topic}: {rows} records; offsets {offsets} are op=c inserts of the expected rows")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "create-topic":
        admin = AdminClient({"bootstrap.servers": args[0]})
        for f in admin.create_topics([NewTopic(args[1], 1, 1)]).values():
            f.result(30)
    elif cmd == "wait-records":
        bootstrap, topic, n, timeout = args[0], args[1], int(args[2]), float(args[3])
        c = consumer(bootstrap)
        deadline = time.monotonic() + timeout
        while end_offset(c, topic) < n:
            if time.monotonic() > deadline:
                sys.exit(f"wait-records: {topic} has fewer than {n} records after {timeout} s")
            time.sleep(0.2)
        c.close()
    elif cmd == "measure":
        measure(args[0], args[1], int(args[2]), int(args[3]), float(args[4]), args[5])
    elif cmd == "quiet":
        quiet(float(args[0]), float(args[1]))
    elif cmd == "verify":
        verify(args[0], args[1], int(args[2]), int(args[3]))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
