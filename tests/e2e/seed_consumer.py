"""The consumer of the seed lesson, section 5.1 (../shared/seed/cdc-with-debezium.md), copied
verbatim: the end-to-end tests run it against Tributary unchanged."""
import json
from kafka import KafkaConsumer


def create_cdc_consumer(bootstrap_servers, topic):
    """Create a Kafka consumer for Debezium CDC events."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers,
        # "earliest" ensures we process the initial snapshot events too.
        # Use "latest" only if you want to skip historical data and start
        # from the current WAL position.
        auto_offset_reset="earliest",
        # Manual commits (enable_auto_commit=False) prevent offset advancement
        # before processing completes — this is essential for at-least-once
        # delivery. With auto-commit, a crash between poll and processing
        # would silently skip those events.
        enable_auto_commit=False,
        group_id="cdc-consumer-group",
        # The null check (if m else None) handles Kafka tombstone records —
        # these have a null value and signal that the row was deleted.
        value_deserializer=lambda m: json.loads(m.decode("utf-8")) if m else None,
        key_deserializer=lambda m: json.loads(m.decode("utf-8")) if m else None,
    )
    return consumer


def process_change_event(event):
    """Process a single Debezium change event."""
    if event is None:
        return  # Tombstone event (null value after a DELETE)

    # Debezium can emit events with or without the schema envelope depending
    # on value.converter.schemas.enable. This fallback handles both formats
    # so the consumer works regardless of connector configuration.
    payload = event.get("payload", event)

    op = payload.get("op")
    before = payload.get("before")
    after = payload.get("after")
    source = payload.get("source", {})

    # Reconstructing the fully-qualified table name from source metadata
    # enables a single consumer to handle events from multiple tables,
    # routing each to the correct target.
    table = f"{source.get('schema', '')}.{source.get('table', '')}"
    tx_id = source.get("txId")

    if op == "c":
        print(f"[INSERT] {table} tx={tx_id}: {after}")
        apply_insert(table, after)
    elif op == "u":
        print(f"[UPDATE] {table} tx={tx_id}: {before} → {after}")
        apply_update(table, before, after)
    elif op == "d":
        print(f"[DELETE] {table} tx={tx_id}: {before}")
        apply_delete(table, before)
    elif op == "r":
        print(f"[SNAPSHOT] {table}: {after}")
        apply_insert(table, after)


def apply_insert(table, row):
    """Apply INSERT to target system."""
    # Example: write to data warehouse, update cache, etc.
    pass


def apply_update(table, old_row, new_row):
    """Apply UPDATE to target system."""
    pass


def apply_delete(table, row):
    """Apply DELETE to target system."""
    pass


def run_consumer():
    """Main consumer loop with manual offset commits."""
    consumer = create_cdc_consumer(
        bootstrap_servers=["localhost:9092"],
        # Topic name follows Debezium convention: {topic.prefix}.{schema}.{table}
        topic="dbserver1.public.orders",
    )

    try:
        for message in consumer:
            process_change_event(message.value)
            # Committing per-message gives strongest at-least-once guarantee
            # but adds latency (~1 Kafka round-trip per event). For higher
            # throughput, batch commits every N messages or every T seconds,
            # accepting that a crash replays the uncommitted batch.
            consumer.commit()
    except KeyboardInterrupt:
        print("Shutting down...")
    finally:
        # close() triggers a consumer group rebalance so other consumers
        # in the group immediately pick up this consumer's partitions.
        consumer.close()
