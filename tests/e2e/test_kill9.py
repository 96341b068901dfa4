"""kill -9 mid-stream: the generator streams into Kafka, the worker is killed with SIGKILL and
restarted; a consumer (kafka-python, as the seed's consumers) then counts the sequence numbers in
the topic: none missing, and duplicates only after the offset committed when the worker died."""
import collections
import json
import signal
import time
import uuid

import pytest
from kafka import KafkaConsumer

from conftest import BOOTSTRAP, generator_config, unique, wait_for

pytestmark = pytest.mark.kafka


def read_seqs(topic, expect_at_least, timeout=60):
    consumer = KafkaConsumer(topic, bootstrap_servers=[BOOTSTRAP], auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=f"k9-{uuid.uuid4()}",
                             value_deserializer=lambda m: json.loads(m.decode()) if m else None)
    seqs = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        batch = consumer.poll(timeout_ms=1000, max_records=100000)
        got = 0
        for records in batch.values():
            for m in records:
                seqs.append(m.value["payload"]["seq"])
                got += 1
        if got == 0 and len(seqs) >= expect_at_least:
            break
    consumer.close()
    return seqs


def committed_seq(worker, name):
    """The seq committed in the worker's offsets file for connector `name`, or -1."""
    path = worker.dir / "offsets"
    if not path.exists():
        return -1
    for entry in json.loads(path.read_text()).get("offsets", []):
        if json.loads(entry["key"])[0] == name:
            return json.loads(entry["value"])["seq"]
    return -1


def test_kill9_mid_stream_loses_nothing(fresh_worker):
    w = fresh_worker
    topic = unique("kill9")
    name = unique("kill9-gen")
    w.start()
    r = w.call("POST", "/connectors", body={"name": name, "config": generator_config(
        topic, **{"rate.per.sec": "20000", "batch.size": "500",
                  "value.converter.schemas.enable": "true"})})
    assert r.status == 201, r
    wait_for(lambda: committed_seq(w, name) > 20000, 60, 0.1, "a first commit past 20000")
    time.sleep(0.3)  # mid-stream, between two offset flushes
    w.stop(signal.SIGKILL)
    at_kill = committed_seq(w, name)
    assert at_kill > 20000

    # Restart: the connector was persisted and resumes after the committed offset.
    w.start()
    w.wait_state(name, "RUNNING", "RUNNING")
    wait_for(lambda: committed_seq(w, name) > at_kill + 20000, 60, 0.1, "commits after restart")
    assert w.stop() == 0  # SIGTERM: flush and commit, exit 0
    final = committed_seq(w, name)

    seqs = read_seqs(topic, final + 1)
    counts = collections.Counter(seqs)
    top = max(counts)
    assert top >= final
    missing = [s for s in range(top + 1) if s not in counts]
    assert not missing, f"{len(missing)} sequence numbers missing, first {missing[:10]}"
    dups = [s for s, c in counts.items() if c > 1 and s <= at_kill]
    assert not dups, f"duplicates at or before the committed offset {at_kill}: {dups[:10]}"
    assert all(c <= 2 for c in counts.values())
