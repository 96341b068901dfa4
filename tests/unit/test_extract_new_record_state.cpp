// Debezium's ExtractNewRecordState: envelope in -> row state out. The expected records follow
// Debezium 2.7's documentation ("New Record State Extraction") and its strategy classes: `after`
// for c/u/r; deletes and tombstones per delete.tombstone.handling.mode or the deprecated
// delete.handling.mode + drop.tombstones (default: both dropped); __deleted ("true"/"false",
// optional string) right after the row's fields in rewrite modes, then the add.fields in list
// order (optional copies of their envelope fields' schemas); add.headers as headers. The JSON is
// what Kafka's JsonConverter writes for those structs, written out by hand.
#include <gtest/gtest.h>

#include "transforms_test_util.h"
#include "worker/transform_chain.h"

namespace tributary::transforms {
namespace {

using test::make;
using test::registry;

SchemaPtr row_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("dbserver1.public.orders.Value")
                                 .optional()
                                 .field("id", schemas::int32())
                                 .field("status", schemas::string(true))
                                 .build();
  return s;
}

SchemaPtr source_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("io.debezium.connector.postgresql.Source")
                                 .field("version", schemas::string())
                                 .field("ts_ms", schemas::int64())
                                 .field("lsn", schemas::int64(true))
                                 .build();
  return s;
}

SchemaPtr tx_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("event.block")
                                 .version(1)
                                 .optional()
                                 .field("id", schemas::string())
                                 .field("total_order", schemas::int64())
                                 .field("data_collection_order", schemas::int64())
                                 .build();
  return s;
}

SchemaPtr envelope_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("dbserver1.public.orders.Envelope")
                                 .version(2)
                                 .field("before", row_schema())
                                 .field("after", row_schema())
                                 .field("source", source_schema())
                                 .field("transaction", tx_schema())
                                 .field("op", schemas::string())
                                 .field("ts_ms", schemas::int64(true))
                                 .build();
  return s;
}

Value row(int id, const char* status) {
  Struct s(row_schema());
  s.put("id", std::int32_t{id}).put("status", status);
  return std::move(s).build();
}

SourceRecord change(const char* op, Value before, Value after, bool in_tx = false) {
  SourceRecord r;
  r.topic = "dbserver1.public.orders";
  r.key_schema = SchemaBuilder::struct_().field("id", schemas::int32()).build();
  Struct key(r.key_schema);
  key.put("id", std::int32_t{1});
  r.key = std::move(key).build();
  r.value_schema = envelope_schema();
  Struct source(source_schema());
  source.put("version", "2.7.4.Final")
      .put("ts_ms", std::int64_t{1700000000000})
      .put("lsn", std::int64_t{123456});
  Value tx;
  if (in_tx) {
    Struct t(tx_schema());
    t.put("id", "571:123456")
        .put("total_order", std::int64_t{1})
        .put("data_collection_order", std::int64_t{1});
    tx = std::move(t).build();
  }
  Struct env(r.value_schema);
  env.put("before", std::move(before))
      .put("after", std::move(after))
      .put("source", std::move(source).build())
      .put("transaction", std::move(tx))
      .put("op", op)
      .put("ts_ms", std::int64_t{1700000000123});
  r.value = std::move(env).build();
  return r;
}

SourceRecord tombstone() {
  SourceRecord r = change("d", row(1, "new"), Value());
  r.value_schema = nullptr;
  r.value = Value();
  return r;
}

std::unique_ptr<Transformation> unwrap(const ConfigMap& props) {
  return make("io.debezium.transforms.ExtractNewRecordState", props);
}

std::string json(const SourceRecord& r, bool schemas = true) {
  return test::json(r.value_schema, r.value, schemas);
}

// The seed's configuration (section 6.1).
const ConfigMap kSeed{{"drop.tombstones", "false"},
                      {"delete.handling.mode", "rewrite"},
                      {"add.fields", "op,source.ts_ms"}};

TEST(ExtractNewRecordState, TheSeedsRewriteWithOpAndSourceTimestamp) {
  auto t = unwrap(kSeed);
  auto c = change("c", Value(), row(1, "new"));
  ASSERT_TRUE(t->apply(c));
  EXPECT_EQ(json(c), R"({"schema":{"type":"struct","fields":[)"
                     R"({"type":"int32","optional":false,"field":"id"},)"
                     R"({"type":"string","optional":true,"field":"status"},)"
                     R"({"type":"string","optional":true,"field":"__deleted"},)"
                     R"({"type":"string","optional":true,"field":"__op"},)"
                     R"({"type":"int64","optional":true,"field":"__source_ts_ms"}],)"
                     R"("optional":false,"name":"dbserver1.public.orders.Value"},)"
                     R"("payload":{"id":1,"status":"new","__deleted":"false","__op":"c",)"
                     R"("__source_ts_ms":1700000000000}})");
  auto d = change("d", row(1, "cancelled"), Value());
  ASSERT_TRUE(t->apply(d));
  EXPECT_EQ(json(d, false), R"({"id":1,"status":"cancelled","__deleted":"true","__op":"d",)"
                            R"("__source_ts_ms":1700000000000})");
  auto tomb = tombstone();
  EXPECT_TRUE(t->apply(tomb));  // drop.tombstones=false keeps the connector's tombstone
  EXPECT_EQ(json(tomb), "<null>");
  // The key is untouched.
  EXPECT_EQ(d.key.as_struct().fields[0], Value(std::int32_t{1}));
}

TEST(ExtractNewRecordState, DefaultsDropDeletesAndTombstones) {
  auto t = unwrap({});
  auto u = change("u", row(1, "new"), row(1, "paid"));
  ASSERT_TRUE(t->apply(u));
  // Debezium 2.7.4 rebuilds the `after` schema (tests/golden/transforms enrs_update_default):
  // the same name and fields, but required.
  EXPECT_TRUE(row_schema()->optional());
  EXPECT_FALSE(u.value_schema->optional());
  EXPECT_EQ(u.value_schema->name(), row_schema()->name());
  EXPECT_EQ(u.value_schema->fields().size(), row_schema()->fields().size());
  EXPECT_EQ(json(u, false), R"({"id":1,"status":"paid"})");
  auto d = change("d", row(1, "paid"), Value());
  EXPECT_FALSE(t->apply(d));
  auto tomb = tombstone();
  EXPECT_FALSE(t->apply(tomb));
  auto truncate = change("t", Value(), Value());
  EXPECT_FALSE(t->apply(truncate));
}

TEST(ExtractNewRecordState, DeleteTombstoneHandlingModes) {
  struct Case {
    const char* mode;
    bool delete_kept;
    bool delete_null_schema;  // a true tombstone (delete-to-tombstone)
    bool tombstone_kept;
  };
  for (const Case& k :
       {Case{"drop", false, false, false}, Case{"tombstone", true, false, false},
        Case{"rewrite", true, false, false}, Case{"rewrite-with-tombstone", true, false, true},
        Case{"delete-to-tombstone", true, true, false}}) {
    auto t = unwrap({{"delete.tombstone.handling.mode", k.mode},
                     {"drop.tombstones", "false"},  // ignored: the newer key wins
                     {"delete.handling.mode", "none"}});
    auto d = change("d", row(1, "gone"), Value());
    EXPECT_EQ(t->apply(d), k.delete_kept) << k.mode;
    if (k.delete_kept && std::string(k.mode) == "tombstone") {
      EXPECT_TRUE(d.value.is_null());
      EXPECT_EQ(d.value_schema, row_schema());  // null value, the row's schema
    }
    if (k.delete_null_schema) {
      EXPECT_TRUE(d.value.is_null());
      EXPECT_EQ(d.value_schema, nullptr);
    }
    if (std::string(k.mode).starts_with("rewrite")) {
      EXPECT_EQ(json(d, false), R"({"id":1,"status":"gone","__deleted":"true"})") << k.mode;
    }
    auto tomb = tombstone();
    EXPECT_EQ(t->apply(tomb), k.tombstone_kept) << k.mode;
  }
  // The deprecated pair: none keeps deletes as null values, drop.tombstones=false the tombstones.
  auto legacy = unwrap({{"delete.handling.mode", "none"}, {"drop.tombstones", "false"}});
  auto d = change("d", row(1, "gone"), Value());
  ASSERT_TRUE(legacy->apply(d));
  EXPECT_TRUE(d.value.is_null());
  auto tomb = tombstone();
  EXPECT_TRUE(legacy->apply(tomb));
}

TEST(ExtractNewRecordState, AddFieldsRenamesTransactionAndMissingFields) {
  auto t = unwrap(
      {{"add.fields", "source.ts_ms:event_ts, lsn,id,ts_ms,nope"}, {"add.fields.prefix", "meta_"}});
  auto snap = change("r", Value(), row(1, "new"));  // no transaction block while snapshotting
  ASSERT_TRUE(t->apply(snap));
  // lsn is looked up in source; id in transaction (null here); nope is nowhere: not added.
  EXPECT_EQ(json(snap, false),
            R"({"id":1,"status":"new","meta_event_ts":1700000000000,"meta_lsn":123456,)"
            R"("meta_id":null,"meta_ts_ms":1700000000123})");
  auto tx = change("c", Value(), row(2, "new"), true);
  ASSERT_TRUE(t->apply(tx));
  EXPECT_EQ(tx.value.as_struct().fields[4], Value("571:123456"));
  const auto& f = tx.value_schema->fields();
  ASSERT_EQ(f.size(), 6U);
  EXPECT_TRUE(f[4].schema->optional());  // transaction.id is required there, optional here
  EXPECT_EQ(f[4].name, "meta_id");
}

TEST(ExtractNewRecordState, AddHeadersRouteByFieldAndNonEnvelopes) {
  auto t = unwrap({{"add.headers", "op,source.lsn,transaction.id"},
                   {"route.by.field", "status"},
                   {"delete.tombstone.handling.mode", "rewrite-with-tombstone"}});
  auto u = change("u", row(1, "new"), row(1, "cancelled"), true);
  ASSERT_TRUE(t->apply(u));
  EXPECT_EQ(u.topic, "cancelled");
  ASSERT_EQ(u.headers.size(), 3U);
  EXPECT_EQ(u.headers[0].key, "__op");
  EXPECT_EQ(u.headers[0].value, Value("u"));
  EXPECT_TRUE(u.headers[0].schema->optional());
  EXPECT_EQ(u.headers[1].key, "__source_lsn");
  EXPECT_EQ(u.headers[1].value, Value(std::int64_t{123456}));
  EXPECT_EQ(u.headers[2].key, "__transaction_id");
  // A delete routes by its `before` row; a blank value leaves the topic alone.
  auto d = change("d", row(1, "archived"), Value());
  ASSERT_TRUE(t->apply(d));
  EXPECT_EQ(d.topic, "archived");
  auto blank = change("c", Value(), row(1, " "));
  ASSERT_TRUE(t->apply(blank));
  EXPECT_EQ(blank.topic, "dbserver1.public.orders");
  // A tombstone gets only the op header, "d".
  auto tomb = tombstone();
  ASSERT_TRUE(t->apply(tomb));
  ASSERT_EQ(tomb.headers.size(), 1U);
  EXPECT_EQ(tomb.headers[0].value, Value("d"));
  // Heartbeats and other records without an envelope pass unchanged, without headers.
  SourceRecord hb;
  hb.topic = "__debezium-heartbeat.dbserver1";
  hb.value_schema = SchemaBuilder::struct_()
                        .name("io.debezium.connector.common.Heartbeat")
                        .field("ts_ms", schemas::int64())
                        .build();
  Struct beat(hb.value_schema);
  beat.put("ts_ms", std::int64_t{1});
  hb.value = std::move(beat).build();
  ASSERT_TRUE(t->apply(hb));
  EXPECT_EQ(hb.topic, "__debezium-heartbeat.dbserver1");
  EXPECT_TRUE(hb.headers.empty());
  EXPECT_EQ(json(hb, false), R"({"ts_ms":1})");
}

TEST(ExtractNewRecordState, BadOptionsNameTheKey) {
  auto errors = TransformChain::validate({{"transforms", "unwrap"},
                                          {"transforms.unwrap.type", "ExtractNewRecordState"},
                                          {"transforms.unwrap.delete.handling.mode", "keep"}},
                                         registry());
  ASSERT_EQ(errors.count("transforms.unwrap.delete.handling.mode"), 1U);
  errors = TransformChain::validate({{"transforms", "unwrap"},
                                     {"transforms.unwrap.type", "ExtractNewRecordState"},
                                     {"transforms.unwrap.delete.tombstone.handling.mode", "soft"}},
                                    registry());
  ASSERT_EQ(errors.count("transforms.unwrap.delete.tombstone.handling.mode"), 1U);
  errors = TransformChain::validate({{"transforms", "unwrap"},
                                     {"transforms.unwrap.type", "ExtractNewRecordState"},
                                     {"transforms.unwrap.add.fields", "a:b:c"}},
                                    registry());
  ASSERT_EQ(errors.count("transforms.unwrap.add.fields"), 1U);
  EXPECT_EQ(errors["transforms.unwrap.add.fields"].front(),
            "Invalid value a:b:c for configuration transforms.unwrap.add.fields: Unexpected field "
            "name: a:b:c");
}

}  // namespace
}  // namespace tributary::transforms
