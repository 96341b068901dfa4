"""What the seed lesson's Exercise 1 tests of every source (test_postgres_seed.py,
test_mysql_seed.py) share: the lesson's section 5.1 consumer (seed_consumer.py) reading the
table's topic with its apply_* hooks recording what they are given, and the checks of the five
events the exercise makes (snapshot of alice, insert of bob, update of bob, delete of alice, the
tombstone)."""
import time

import seed_consumer
from conftest import BOOTSTRAP


def read_with_seed_consumer(monkeypatch, topic, keep=lambda value, events: True, count=5,
                            timeout=60):
    """Runs the lesson's consumer on `topic` until `count` events (key, value) were processed or
    `timeout` s passed; `keep(value, events_so_far)` skips others. Returns (events, applied):
    applied lists (op, table, old, new) per apply_* call."""
    applied = []
    monkeypatch.setattr(seed_consumer, "apply_insert",
                        lambda t, row: applied.append(("insert", t, None, row)))
    monkeypatch.setattr(seed_consumer, "apply_update",
                        lambda t, old, new: applied.append(("update", t, old, new)))
    monkeypatch.setattr(seed_consumer, "apply_delete",
                        lambda t, row: applied.append(("delete", t, row, None)))
    consumer = seed_consumer.create_cdc_consumer([BOOTSTRAP], topic)
    events = []
    deadline = time.time() + timeout
    try:
        while time.time() < deadline and len(events) < count:
            for msgs in consumer.poll(timeout_ms=500).values():
                for m in msgs:
                    if not keep(m.value, events):
                        continue
                    events.append((m.key, m.value))
                    seed_consumer.process_change_event(m.value)
                    consumer.commit()
    finally:
        consumer.close()
    return events, applied


def check_exercise1_events(events, applied, envelope_name):
    """The five events of Exercise 1 as the lesson shows them, with the whole old row in UPDATE
    and DELETE events (REPLICA IDENTITY FULL / binlog_row_image=FULL)."""
    ops = [v["payload"]["op"] if v else None for _, v in events]
    assert ops == ["r", "c", "u", "d", None], events
    # Keys without schema (key.converter.schemas.enable=false), values with schema.
    assert events[0][0] == {"order_id": 1}
    assert events[1][0] == {"order_id": 2}
    assert events[4][0] == {"order_id": 1}  # the tombstone of alice's row
    value = events[1][1]
    assert value["schema"]["name"] == envelope_name
    after_fields = {f["field"]: f for f in value["schema"]["fields"][1]["fields"]}
    assert after_fields["amount"]["type"] == "string"  # decimal.handling.mode=string
    assert after_fields["created_at"]["name"] == "org.apache.kafka.connect.data.Timestamp"
    bob = {"order_id": 2, "customer": "bob", "amount": "99.99", "status": "new",
           "created_at": 1714979289500}
    assert value["payload"]["before"] is None
    assert value["payload"]["after"] == bob
    upd = events[2][1]["payload"]
    assert upd["before"] == bob
    assert upd["after"] == dict(bob, status="cancelled")
    dele = events[3][1]["payload"]
    assert dele["before"] == {"order_id": 1, "customer": "alice", "amount": "10.00",
                              "status": "new", "created_at": 1704164645000}
    assert dele["after"] is None
    assert [a[0] for a in applied] == ["insert", "insert", "update", "delete"]
