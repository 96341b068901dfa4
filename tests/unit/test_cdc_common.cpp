// The pieces every Debezium-style connector shares (connectors/common). Their bytes in real
// events are checked against Debezium 2.7.4 by the PostgreSQL goldens; these tests pin the rules
// a second connector relies on.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "cdc_config.h"
#include "change_event_queue.h"
#include "debezium_events.h"
#include "struct_pool.h"
#include "table_filters.h"

namespace tributary::cdc {
namespace {

TEST(SnapshotMarker, FirstAndLastOfTheSnapshotWinOverTheTableMarkers) {
  EXPECT_STREQ(snapshot_marker(true, false, false, true), "first");
  EXPECT_STREQ(snapshot_marker(true, true, true, true), "first");  // a one-row snapshot
  EXPECT_STREQ(snapshot_marker(false, true, true, false), "last");
  EXPECT_STREQ(snapshot_marker(false, false, true, true), "last_in_data_collection");
  EXPECT_STREQ(snapshot_marker(false, false, false, true), "first_in_data_collection");
  EXPECT_STREQ(snapshot_marker(false, false, false, false), "true");
}

TEST(TransactionMetadata, CountsPerCollection) {
  TransactionCounts c;
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c.add("inventory.orders"), 1);
  EXPECT_EQ(c.add("inventory.customers"), 1);
  EXPECT_EQ(c.add("inventory.orders"), 2);
  EXPECT_EQ(c.total(), 3);
  ASSERT_EQ(c.collections().size(), 2u);
  EXPECT_EQ(c.collections()[0], (std::pair<std::string, std::int64_t>{"inventory.orders", 2}));
  auto partition = std::make_shared<const OffsetMap>(OffsetMap{{"server", "s"}});
  auto end = transaction_end_record("s.transaction", partition, OffsetMap{{"pos", 1}}, "0-1-7", c,
                                    1700000000000);
  EXPECT_EQ(end.topic, "s.transaction");
  const auto& v = end.value.as_struct().fields;
  EXPECT_TRUE(v[0] == Value("END"));
  EXPECT_TRUE(v[1] == Value("0-1-7"));
  EXPECT_TRUE(v[2] == Value(std::int64_t{3}));
  ASSERT_EQ(v[3].as<Value::Array>().size(), 2u);
  // listed in HashMap order (buckets 6 and 12 of 16), not in first-seen order
  EXPECT_TRUE(v[3].as<Value::Array>()[0].as_struct().fields[0] == Value("inventory.customers"));
  EXPECT_TRUE(v[3].as<Value::Array>()[1].as_struct().fields[0] == Value("inventory.orders"));
  auto begin = transaction_begin_record("s.transaction", partition, OffsetMap{}, "0-1-7", 5);
  EXPECT_TRUE(begin.value.as_struct().fields[2].is_null());  // event_count
  EXPECT_TRUE(begin.key.as_struct().fields[0] == Value("0-1-7"));
  const Value block = transaction_block("0-1-7", 3, 2);
  EXPECT_EQ(block.as_struct().schema->name(), std::optional<std::string>("event.block"));
}

TEST(TransactionMetadata, TransactionEndListsCollectionsInHashMapOrder) {
  // tests/golden/mysql/mariadb_default, transaction 0-1-71 (changes.sql lines 60-63): rows of
  // customers, orders, MixedCase, customers; Debezium's END lists customers, MixedCase, orders.
  TransactionCounts c;
  for (const char* t :
       {"inventory.customers", "inventory.orders", "inventory.MixedCase", "inventory.customers"})
    c.add(t);
  auto end = transaction_end_record("s.transaction", nullptr, OffsetMap{}, "0-1-71", c, 0);
  std::vector<std::pair<std::string, std::int64_t>> listed;
  for (const Value& col : end.value.as_struct().fields[3].as<Value::Array>())
    listed.emplace_back(col.as_struct().fields[0].as<std::string>(),
                        col.as_struct().fields[1].as<std::int64_t>());
  EXPECT_EQ(listed,
            (std::vector<std::pair<std::string, std::int64_t>>{
                {"inventory.customers", 2}, {"inventory.MixedCase", 1}, {"inventory.orders", 1}}));
}

TEST(Heartbeat, TopicIsThePrefixThenTheServerName) {
  auto rec = heartbeat_record("__debezium-heartbeat", "dbserver1", nullptr, OffsetMap{}, 42);
  EXPECT_EQ(rec.topic, "__debezium-heartbeat.dbserver1");
  EXPECT_TRUE(rec.key.as_struct().fields[0] == Value("dbserver1"));
  EXPECT_TRUE(rec.value.as_struct().fields[0] == Value(std::int64_t{42}));
  EXPECT_EQ(heartbeat_record("hb", "x", nullptr, OffsetMap{}, 0).topic, "hb.x");
}

TEST(Envelope, DebeziumFieldOrderAndTimes) {
  auto row = SchemaBuilder::struct_()
                 .optional()
                 .name("s.db.t.Value")
                 .field("id", schemas::int32())
                 .build();
  auto env = envelope_schema("s.db.t", row, schemas::string());
  std::vector<std::string> names;
  for (const auto& f : env->fields()) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"before", "after", "source", "transaction", "op",
                                             "ts_ms", "ts_us", "ts_ns"}));
  EXPECT_EQ(env->name(), std::optional<std::string>("s.db.t.Envelope"));
  EXPECT_EQ(env->version(), std::optional<int>(2));
  const Value v = envelope_value(env, Value(), Value(), Value("src"), 'c', 1'234'567'891);
  EXPECT_TRUE(v.as_struct().fields[4] == Value("c"));
  EXPECT_TRUE(v.as_struct().fields[5] == Value(std::int64_t{1234}));
  EXPECT_TRUE(v.as_struct().fields[6] == Value(std::int64_t{1234567}));
  EXPECT_EQ(sanitize_topic("a b/c.d-e_f$"), "a_b_c.d-e_f_");
}

TEST(TableFilters, ContainerTableColumnAndKeyColumns) {
  TableFilters f({{"database.include.list", "inventory, shop.*"},
                  {"table.exclude.list", "inventory\\.audit.*"},
                  {"column.exclude.list", "inventory\\.customers\\.(ssn|card)"},
                  {"message.key.columns", "inventory\\.orders:customer_id,id; shop\\..*:sku"}},
                 "database");
  EXPECT_TRUE(f.table_included("inventory", "orders"));
  EXPECT_TRUE(f.table_included("shop_eu", "items"));
  EXPECT_FALSE(f.table_included("inventory2", "orders"));  // anchored
  EXPECT_FALSE(f.table_included("inventory", "audit_log"));
  EXPECT_FALSE(f.column_included("inventory.customers", "ssn"));
  EXPECT_TRUE(f.column_included("inventory.customers", "name"));
  EXPECT_EQ(f.key_columns("inventory.orders"),
            (std::optional<std::vector<std::string>>{{"customer_id", "id"}}));
  EXPECT_EQ(f.key_columns("shop.items"), (std::optional<std::vector<std::string>>{{"sku"}}));
  EXPECT_EQ(f.key_columns("inventory.customers"), std::nullopt);
  // The schema.* keys are not the database.* ones.
  EXPECT_TRUE(TableFilters({{"schema.include.list", "nothing"}}, "database")
                  .table_included("inventory", "orders"));
}

TEST(TableFilters, BadInputNamesTheKey) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"database.include.list", "a(b"},
                                                        {"table.include.list", "[x"},
                                                        {"column.exclude.list", "*"},
                                                        {"message.key.columns", "no_colon"}}) {
    try {
      TableFilters({{key, value}}, "database");
      FAIL() << key;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind(key + ":", 0), 0u) << e.what();
    }
  }
}

TEST(CdcConfig, SnapshotModesFoldOlderNamesAndNameTheKey) {
  const std::vector<std::string> mysql = {"initial",     "initial_only", "no_data",
                                          "when_needed", "always",       "recovery"};
  EXPECT_EQ(parse_snapshot_mode("schema_only", mysql), SnapshotMode::NoData);
  EXPECT_EQ(parse_snapshot_mode("NEVER", mysql), SnapshotMode::NoData);
  EXPECT_EQ(parse_snapshot_mode("schema_only_recovery", mysql), SnapshotMode::Recovery);
  EXPECT_EQ(parse_snapshot_mode("when_needed", mysql), SnapshotMode::WhenNeeded);
  try {
    parse_snapshot_mode("recovery", {"initial", "no_data"});
    FAIL() << "a mode the connector does not list was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("snapshot.mode: must be one of initial, no_data"),
              std::string::npos)
        << e.what();
  }
  ConfigDef d;
  define_flow_config(d, "MariaDB", "the binlog", "SQL run on each heartbeat.");
  d.define("snapshot.select.statement.overrides", ConfigType::List, "", Importance::Low, "", "S");
  EXPECT_EQ(check_queue_size(d, {}), std::nullopt);  // 8192 > 2048
  EXPECT_NE(check_queue_size(d, {{"max.queue.size", "100"}, {"max.batch.size", "100"}}),
            std::nullopt);
  const auto missing = check_select_overrides(
      d, {{"snapshot.select.statement.overrides", "db.a,db.b"},
          {"snapshot.select.statement.overrides.db.a", "SELECT * FROM db.a"}});
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].first, "snapshot.select.statement.overrides.db.b");
}

std::vector<SourceRecord> records(std::size_t n) {
  std::vector<SourceRecord> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i].topic = "t" + std::to_string(i);
  return out;
}

TEST(ChangeEventQueue, BoundsMergesAndHandsOverFailuresAfterTheQueuedBatches) {
  using namespace std::chrono_literals;
  ChangeEventQueue q;
  q.configure(2048, 8192, 0);
  EXPECT_EQ(q.read_ahead(), 1024);  // half a batch
  q.configure(10, 12, 100);
  EXPECT_EQ(q.read_ahead(), 2);  // within max.queue.size - max.batch.size
  EXPECT_FALSE(q.batch_full(1, 10));
  EXPECT_TRUE(q.batch_full(2, 10));
  EXPECT_TRUE(q.batch_full(1, 100));  // max.queue.size.in.bytes
  q.configure(4, 100, 0);             // read ahead 2
  q.push(records(2), 10);
  EXPECT_EQ(q.records(), 2u);
  EXPECT_EQ(q.bytes(), 10u);
  EXPECT_TRUE(q.batch_full(0, 0));
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(q.wait_for_room(50ms));  // full: waits, then says so
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 40ms);
  q.push(records(2), 10);
  q.push(records(1), 5);
  std::vector<SourceRecord> out;
  q.poll(out, 0ms);
  EXPECT_EQ(out.size(), 4u);  // whole batches up to max.batch.size 4
  EXPECT_EQ(q.records(), 1u);
  EXPECT_TRUE(q.wait_for_room(0ms));
  // A failure goes out after what was queued before it.
  q.fail(std::make_exception_ptr(std::runtime_error("lost")));
  out.clear();
  q.poll(out, 0ms);
  EXPECT_EQ(out.size(), 1u);
  out.clear();
  EXPECT_THROW(q.poll(out, 0ms), std::runtime_error);
}

// Batches the worker is done with go back to the reader (SourceTask::recycle), one at a time.
TEST(ChangeEventQueue, SpentBatchesGoBackToTheReaderOneAtATime) {
  ChangeEventQueue q;
  q.configure(4, 100, 0);
  std::vector<SourceRecord> none;
  q.recycle(none);
  std::vector<SourceRecord> out;
  q.take_spent(out);
  EXPECT_TRUE(out.empty());  // nothing was recycled
  auto a = records(3), b = records(2);
  q.recycle(a);
  q.recycle(b);
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(b.size(), 2u);  // one is kept already: the caller frees this one
  out = records(1);
  q.take_spent(out);  // only into an empty batch
  EXPECT_EQ(out.size(), 1u);
  out.clear();
  q.take_spent(out);
  EXPECT_EQ(out.size(), 3u);
  out.clear();
  q.take_spent(out);
  EXPECT_TRUE(out.empty());
  q.recycle(b);  // taken: room again
  EXPECT_TRUE(b.empty());
  q.close();
  auto c = records(1);
  q.recycle(c);  // closed: nothing more is kept
  EXPECT_EQ(c.size(), 1u);
}

// A reader and a task thread as a connector runs them: every record reaches the task once, and
// the records the task hands back are freed on the reader's thread.
TEST(ChangeEventQueue, RecycledRecordsAreFreedOnTheReaderThread) {
  using namespace std::chrono_literals;
  constexpr int kRecords = 20000;
  std::mutex mu;
  std::map<std::thread::id, int> freed_on;
  // Declared after what the records' deleters use: records still in it are freed before those.
  ChangeEventQueue q;
  q.configure(64, 256, 0);
  auto make = [&](int i) {
    SourceRecord r;
    r.source_partition = PartitionPtr(new OffsetMap{{"i", i}}, [&](const OffsetMap* m) {
      std::lock_guard lk(mu);
      ++freed_on[std::this_thread::get_id()];
      delete m;
    });
    return r;
  };
  std::thread::id reader_id;
  std::atomic<bool> task_done{false};
  std::thread reader([&] {
    reader_id = std::this_thread::get_id();
    std::vector<SourceRecord> batch;
    for (int i = 0; i < kRecords;) {
      while (!q.wait_for_room(100ms)) {
      }
      for (int k = 0; k < 16 && i < kRecords; ++k) batch.push_back(make(i++));
      q.push(std::move(batch), 0);
      batch.clear();
      q.take_spent(batch);
      batch.clear();  // the spent records are freed here
    }
    q.end();
    // What is still handed back after the last push is freed here too.
    for (bool last = false; !last;) {
      last = task_done.load();
      for (int k = 0; k < 2; ++k) {
        q.take_spent(batch);
        batch.clear();
      }
      std::this_thread::sleep_for(1ms);
    }
  });
  int seen = 0, next = 0;
  bool in_order = true;
  std::vector<SourceRecord> out;
  while (seen < kRecords) {
    out.clear();
    q.poll(out, 100ms);
    for (const auto& r : out) in_order = in_order && (*r.source_partition)["i"] == next++;
    seen += static_cast<int>(out.size());
    q.recycle(out);
    out.clear();  // what the queue did not keep (one kept already) is freed here, as the worker
                  // does
  }
  task_done = true;
  reader.join();
  EXPECT_EQ(seen, kRecords);
  EXPECT_TRUE(in_order);
  std::lock_guard lk(mu);
  int total = 0;
  for (const auto& [id, n] : freed_on) total += n;
  EXPECT_EQ(total, kRecords);
  EXPECT_GT(freed_on[reader_id], kRecords / 2);  // most, on the thread that built them
}

TEST(ChangeEventQueue, CloseAndWakeEndTheWaitsAtOnce) {
  using namespace std::chrono_literals;
  ChangeEventQueue q;
  q.configure(4, 100, 0);
  q.push(records(2), 0);  // full
  std::thread waker([&] {
    std::this_thread::sleep_for(50ms);
    q.wake_reader();
  });
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(q.wait_for_room(10s));  // woken, still full
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  waker.join();
  std::vector<SourceRecord> out;
  q.poll(out, 0ms);
  ChangeEventQueue empty;
  empty.configure(4, 100, 0);
  std::thread closer([&] {
    std::this_thread::sleep_for(50ms);
    empty.close();
  });
  t0 = std::chrono::steady_clock::now();
  out.clear();
  empty.poll(out, 10s);
  EXPECT_TRUE(out.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  closer.join();
  t0 = std::chrono::steady_clock::now();
  empty.poll(out, 10s);  // closed stays closed
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

SchemaPtr row_schema(const std::string& name) {
  return SchemaBuilder::struct_()
      .name(name)
      .field("id", schemas::int64())
      .field("s", schemas::string(true))
      .build();
}

// A record as a connector builds it: key, and an envelope holding a row and a source struct.
SourceRecord pooled_record(StructPool* pool, const SchemaPtr& row, const SchemaPtr& env,
                           std::int64_t id, const std::string& s) {
  SourceRecord r;
  auto after = make_struct(pool, row, 2);
  after->fields[0] = Value(id);
  assign_text(after->fields[1], s);
  auto key = make_struct(pool, row, 2);
  key->fields[0] = Value(id);
  key->fields[1] = Value();
  r.key = Value(std::move(key));
  r.value =
      envelope_value(env, Value(), Value(std::move(after)), Value(), 'c', 1000, Value(), pool);
  return r;
}

TEST(StructPool, SpentStructsComeBackWithTheirBuffers) {
  const SchemaPtr row = row_schema("r");
  const SchemaPtr source = row_schema("src");
  const SchemaPtr env = envelope_schema("t", row, source);
  StructPool pool;
  SourceRecord r = pooled_record(&pool, row, env, 1, std::string(40, 'a'));
  const Value::StructData* after =
      r.value.as_struct().fields[1].as<std::shared_ptr<Value::StructData>>().get();
  const char* text = r.value.as_struct().fields[1].as_struct().fields[1].as<std::string>().data();
  const Value::StructData* envelope = &r.value.as_struct();
  pool.recycle(r);
  EXPECT_EQ(pool.size(), 3U);  // the key, the envelope and the row in it
  EXPECT_TRUE(r.key.is_null());
  EXPECT_TRUE(r.value.is_null());
  // The next record gets the same structs, and the row's string its buffer.
  SourceRecord n = pooled_record(&pool, row, env, 2, std::string(30, 'b'));
  EXPECT_EQ(pool.size(), 0U);
  EXPECT_EQ(&n.value.as_struct(), envelope);
  const Value& after2 = n.value.as_struct().fields[1];
  // (the row struct was taken last of the two of its schema: it is the first handed out)
  EXPECT_EQ(after2.as<std::shared_ptr<Value::StructData>>().get(), after);
  // Every field was assigned: nothing of the first record is left.
  EXPECT_EQ(after2.as_struct().fields[0], Value(std::int64_t{2}));
  EXPECT_EQ(after2.as_struct().fields[1], Value(std::string(30, 'b')));
  EXPECT_EQ(n.key.as_struct().fields[0], Value(std::int64_t{2}));
  EXPECT_TRUE(n.key.as_struct().fields[1].is_null());
  EXPECT_TRUE(n.value.as_struct().fields[0].is_null());
  EXPECT_EQ(n.value.as_struct().fields[4], Value(std::string("c")));
  EXPECT_EQ(after2.as_struct().fields[1].as<std::string>().data(), text);
  // The same as a record built without a pool.
  SourceRecord fresh = pooled_record(nullptr, row, env, 2, std::string(30, 'b'));
  EXPECT_EQ(n.key, fresh.key);
  EXPECT_EQ(n.value, fresh.value);
}

TEST(StructPool, StructsHeldElsewhereAreLeftAlone) {
  const SchemaPtr row = row_schema("r");
  const SchemaPtr env = envelope_schema("t", row, row_schema("src"));
  StructPool pool;
  SourceRecord r = pooled_record(&pool, row, env, 1, "x");
  const Value kept_row = r.value.as_struct().fields[1];  // a transform kept the row
  SourceRecord tomb;
  tomb.key = r.key;  // a tombstone shares the key
  pool.recycle(r);
  EXPECT_EQ(pool.size(), 1U);  // only the envelope
  EXPECT_EQ(kept_row.as_struct().fields[0], Value(std::int64_t{1}));
  EXPECT_FALSE(r.key.is_null());  // left to be freed with the record
  SourceRecord n = pooled_record(&pool, row, env, 5, "y");
  EXPECT_EQ(kept_row.as_struct().fields[0], Value(std::int64_t{1}));  // untouched
  EXPECT_EQ(kept_row.as_struct().fields[1], Value(std::string("x")));
  EXPECT_EQ(tomb.key.as_struct().fields[0], Value(std::int64_t{1}));
}

TEST(StructPool, BoundedInStructsAndShapes) {
  StructPool pool(4);
  const SchemaPtr row = row_schema("r");
  const SchemaPtr env = envelope_schema("t", row, row_schema("src"));
  for (int i = 0; i < 3; ++i) {
    SourceRecord r = pooled_record(nullptr, row, env, i, "x");
    pool.recycle(r);
  }
  EXPECT_EQ(pool.size(), 4U);  // 9 offered, 4 kept
  // A reused struct has the fields asked for, whatever it had.
  EXPECT_EQ(pool.acquire(row, 7)->fields.size(), 7U);
  EXPECT_EQ(pool.size(), 3U);
  // More shapes than it keeps buckets for: it starts again rather than grow.
  StructPool shapes;
  std::vector<SchemaPtr> keep_alive;
  for (int i = 0; i < 40; ++i) {
    keep_alive.push_back(row_schema("r" + std::to_string(i)));
    SourceRecord r;
    r.value = Value(make_struct(nullptr, keep_alive.back(), 2));
    shapes.recycle(r);
    EXPECT_LE(shapes.size(), 16U);
  }
  EXPECT_GE(shapes.size(), 1U);
  // A struct of an unknown shape is a fresh one of null fields.
  auto s = shapes.acquire(row_schema("new"), 3);
  EXPECT_EQ(s->fields.size(), 3U);
  for (const Value& f : s->fields) EXPECT_TRUE(f.is_null());
}

// assign_fields() gives a copy of the source whatever the destination held: each type over each
// other type, a longer and a shorter destination; a string of the same type keeps its buffer.
TEST(StructPool, AssignFieldsCopiesWhateverTheDestinationHeld) {
  const auto inner = std::make_shared<Value::StructData>();
  const std::vector<Value> kinds = {Value(),
                                    Value(true),
                                    Value(std::int8_t{3}),
                                    Value(std::int16_t{-4}),
                                    Value(std::int32_t{5}),
                                    Value(std::int64_t{-6}),
                                    Value(1.5f),
                                    Value(2.5),
                                    Value(std::string(40, 's')),
                                    Value(Bytes{1, 2}),
                                    Value(Value::Array{Value(std::int32_t{1})}),
                                    Value(inner)};
  // The same types with other values.
  const std::vector<Value> others = {Value(),
                                     Value(false),
                                     Value(std::int8_t{-3}),
                                     Value(std::int16_t{4}),
                                     Value(std::int32_t{-5}),
                                     Value(std::int64_t{6}),
                                     Value(-1.5f),
                                     Value(-2.5),
                                     Value(std::string(30, 't')),
                                     Value(Bytes{3}),
                                     Value(Value::Array{}),
                                     Value(std::make_shared<Value::StructData>())};
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    std::vector<Value> same(2, others[k]);
    const std::vector<Value> want(2, kinds[k]);
    assign_fields(same, want);
    EXPECT_EQ(same, want) << k;
  }
  for (const Value& from : kinds) {
    for (std::size_t extra : {0U, 2U}) {
      std::vector<Value> src(3, from);
      src[1] = Value(std::string("short"));
      std::vector<Value> dst;
      for (const Value& held : kinds) dst.push_back(held);
      dst.resize(extra == 0 ? 1 : kinds.size() + extra);
      const std::vector<Value> again = src;
      assign_fields(dst, src);
      EXPECT_EQ(dst, src);
      // Same types again: strings assigned in place.
      std::vector<Value> strings(3, Value(std::string(40, 'x')));
      const char* buffer = strings[0].as<std::string>().data();
      assign_fields(strings, again);
      EXPECT_EQ(strings, again);
      if (from.is<std::string>()) {
        EXPECT_EQ(strings[0].as<std::string>().data(), buffer);
      }
    }
  }
}

// A record that fails half-built leaves the batch; a finished one stays.
TEST(RecordShells, AnUnfinishedRecordLeavesTheBatch) {
  std::vector<SourceRecord> out(2);
  try {
    out.emplace_back().topic = "half";
    UnfinishedRecord unfinished(out);
    throw std::runtime_error("a column that does not decode");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(out.size(), 2U);
  {
    out.emplace_back().topic = "whole";
    UnfinishedRecord unfinished(out);
    unfinished.done();
  }
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out.back().topic, "whole");
}

// Spent records come back as shells: what the caller does not set is cleared, what it sets keeps
// its buffer (the topic) and its shared pointers (no reference count changes when the same).
TEST(RecordShells, ShellsClearWhatTheCallerDoesNotSetAndKeepWhatItDoes) {
  RecordShells shells;
  std::vector<SourceRecord> out;
  // No shells yet: fresh records.
  SourceRecord& fresh = shells.emplace(out);
  EXPECT_TRUE(fresh.topic.empty());
  EXPECT_FALSE(fresh.source_partition);
  const auto partition = std::make_shared<const OffsetMap>(OffsetMap{{"server", "s"}});
  const SchemaPtr row = row_schema("r");
  std::vector<SourceRecord> spent(2);
  for (SourceRecord& r : spent) {
    r.source_partition = partition;
    r.source_offset = OffsetMap{{"pos", 4}};
    r.topic = std::string(40, 't');
    r.kafka_partition = 3;
    r.key_schema = row;
    r.key = Value(std::int64_t{1});
    r.value_schema = row;
    r.value = Value(std::string("v"));
    r.timestamp = 99;
    r.headers.push_back(Header{"h", nullptr, Value()});
  }
  const char* topic_buffer = spent[0].topic.data();
  out.clear();  // (as pushed to the queue)
  shells.refill(out, spent);
  EXPECT_TRUE(spent.empty());
  SourceRecord& r = shells.emplace(out);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_TRUE(r.source_offset.is_null());
  EXPECT_FALSE(r.kafka_partition.has_value());
  EXPECT_FALSE(r.timestamp.has_value());
  EXPECT_TRUE(r.headers.empty());
  // Kept for the caller to set: the same pointers and the topic's buffer.
  EXPECT_EQ(r.source_partition, partition);
  const long before = partition.use_count();
  share(r.source_partition, partition);
  EXPECT_EQ(partition.use_count(), before);
  share(r.key_schema, SchemaPtr());
  EXPECT_FALSE(r.key_schema);
  r.topic.assign("db.server.schema.table.of.38.chars");
  EXPECT_EQ(r.topic.data(), topic_buffer);
  // The second shell, then fresh records again.
  shells.emplace(out);
  SourceRecord& third = shells.emplace(out);
  EXPECT_FALSE(third.source_partition);
  EXPECT_TRUE(third.topic.empty());
  // The next refill hands back the last shells' vector for the next batch.
  std::vector<SourceRecord> next_spent(1);
  std::vector<SourceRecord> next_out;
  shells.refill(next_out, next_spent);
  EXPECT_TRUE(next_out.empty());
  EXPECT_GE(next_out.capacity(), 2U);
}

}  // namespace
}  // namespace tributary::cdc
