"""Kafka unreachable at start and mid-run: the worker stays up and answers REST; a task whose
records cannot be delivered fails with a clear trace; with offsets in Kafka the worker reports
503 on /health until the broker is reachable; and a broker restarted while streaming loses
nothing (the producer retries within its delivery timeout)."""
import collections
import json
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from kafka import KafkaConsumer

from conftest import Worker, free_port, generator_config, unique, wait_for

REPO = Path(__file__).resolve().parents[2]
KAFKA_SH = REPO / "tests" / "env" / "kafka.sh"


def test_unreachable_broker_task_fails_with_trace_and_rest_stays_up(tmp_path):
    w = Worker(tmp_path / "w", extra={"bootstrap.servers": f"127.0.0.1:{free_port()}"})
    try:
        w.start()
        name = unique("down")
        topic = unique("nowhere")
        r = w.call("POST", "/connectors", body={"name": name, "config": generator_config(
            topic, **{"producer.override.message.timeout.ms": "2000"})})
        assert r.status == 201, r
        s = w.wait_state(name, "RUNNING", "FAILED", timeout=60)
        trace = s["tasks"][0]["trace"]
        assert f"Failed to deliver a record to Kafka topic '{topic}'" in trace, trace
        assert w.get("/connectors").status == 200
        assert w.get("/health").status == 200
        assert w.stop() == 0
    finally:
        w.kill()


def test_offsets_topic_unreachable_health_503_then_rest_answers(tmp_path):
    w = Worker(tmp_path / "w", extra={"bootstrap.servers": f"127.0.0.1:{free_port()}",
                                      "offset.storage.file.filename": None})
    try:
        w.start(ready_status=503)
        r = w.get("/health")
        assert r.status == 503 and r.json["status"] == "starting", r
        assert w.get("/").status == 200
        assert w.get("/connectors").json == []
        r = w.call("POST", "/connectors", body={"name": "x", "config": generator_config("t")})
        assert r.status == 503, r
        assert "starting" in r.json["message"], r
        t0 = time.monotonic()
        assert w.stop() == 0
        assert time.monotonic() - t0 < 10, "SIGTERM must not wait for the unreachable broker"
    finally:
        w.kill()


def seqs_in(bootstrap, topic, expect):
    consumer = KafkaConsumer(topic, bootstrap_servers=[bootstrap], auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=f"outage-{uuid.uuid4()}",
                             value_deserializer=lambda m: json.loads(m.decode()))
    seqs = []
    deadline = time.time() + 60
    while time.time() < deadline and len(seqs) < expect:
        for records in consumer.poll(timeout_ms=1000).values():
            seqs.extend(m.value["payload"]["seq"] for m in records)
    consumer.close()
    return seqs


def test_broker_restart_mid_stream_loses_nothing(tmp_path):
    kdir = tmp_path / "kafka"
    kport = free_port()
    subprocess.run([str(KAFKA_SH), "start", str(kdir), str(kport)], check=True)
    bootstrap = f"127.0.0.1:{kport}"
    w = Worker(tmp_path / "w", extra={"bootstrap.servers": bootstrap})
    try:
        w.start()
        name, topic = unique("outage"), unique("outage-topic")
        r = w.call("POST", "/connectors", body={"name": name, "config": generator_config(
            topic, **{"rate.per.sec": "2000", "count": "30000"})})
        assert r.status == 201, r
        w.wait_state(name, "RUNNING", "RUNNING")
        time.sleep(3)
        subprocess.run([str(KAFKA_SH), "stop", str(kdir)], check=True)
        time.sleep(4)  # the broker is away; the task keeps its records and retries
        assert w.status(name)["tasks"][0]["state"] == "RUNNING"
        assert w.get("/health").status == 200
        subprocess.run([str(KAFKA_SH), "start", str(kdir), str(kport)], check=True)

        def all_committed():
            path = w.dir / "offsets"
            if not path.exists():
                return False
            return any(json.loads(e["value"]).get("seq") == 29999
                       for e in json.loads(path.read_text())["offsets"])
        wait_for(all_committed, 120, 0.5, "every row committed after the broker came back")
        assert w.status(name)["tasks"][0]["state"] == "RUNNING"
        counts = collections.Counter(seqs_in(bootstrap, topic, 30000))
        missing = [s for s in range(30000) if s not in counts]
        assert not missing, f"{len(missing)} missing, first {missing[:10]}"
        assert w.stop() == 0
    finally:
        w.kill()
        subprocess.run([str(KAFKA_SH), "stop", str(kdir)])
