// Debezium's outbox EventRouter: an outbox row's change event in -> the event out. Expected
// records follow Debezium 2.7's "Outbox Event Router" documentation and EventRouterDelegate:
// topic = route.topic.replacement applied to route.by.field's value (default
// outbox.event.<aggregatetype>), key = table.field.event.key's column, value = the payload column
// (or the envelope {payload, ...} when fields are placed there, its schema named
// <table schema prefix>.<route>.Value), header `id`, timestamp = the change's ts_ms; deletes,
// tombstones and (by default) updates dropped; JSON payloads expanded as JsonSchemaData infers.
#include <gtest/gtest.h>

#include "transforms_test_util.h"
#include "worker/transform_chain.h"

namespace tributary::transforms {
namespace {

using test::json;
using test::make;
using test::registry;

SchemaPtr json_schema() {
  static const SchemaPtr s =
      SchemaBuilder(Type::String).name("io.debezium.data.Json").version(1).build();
  return s;
}

SchemaPtr row_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("dbserver1.public.outbox.Value")
                                 .optional()
                                 .field("id", schemas::string())
                                 .field("aggregatetype", schemas::string())
                                 .field("aggregateid", schemas::string())
                                 .field("type", schemas::string())
                                 .field("payload", json_schema())
                                 .field("part", schemas::int32(true))
                                 .build();
  return s;
}

SchemaPtr envelope_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("dbserver1.public.outbox.Envelope")
                                 .field("before", row_schema())
                                 .field("after", row_schema())
                                 .field("op", schemas::string())
                                 .field("ts_ms", schemas::int64(true))
                                 .build();
  return s;
}

std::unique_ptr<Transformation> router(const ConfigMap& props) {
  return make("io.debezium.transforms.outbox.EventRouter", props);
}

SourceRecord change(const char* op, const std::string& payload, const char* type = "Order") {
  Struct row(row_schema());
  row.put("id", "5f1c0c0a-0000-4000-8000-000000000001")
      .put("aggregatetype", type)
      .put("aggregateid", "42")
      .put("type", "OrderCreated")
      .put("payload", payload)
      .put("part", std::int32_t{3});
  SourceRecord r;
  r.topic = "dbserver1.public.outbox";
  r.value_schema = envelope_schema();
  Struct env(r.value_schema);
  const bool del = std::string(op) == "d";
  Value row_value = std::move(row).build();
  env.put("before", del ? row_value : Value())
      .put("after", del ? Value() : row_value)
      .put("op", op)
      .put("ts_ms", std::int64_t{1700000000123});
  r.value = std::move(env).build();
  return r;
}

TEST(EventRouter, DefaultsRouteKeyPayloadAndIdHeader) {
  auto t = router({});
  auto r = change("c", R"({"orderId":42})");
  ASSERT_TRUE(t->apply(r));
  EXPECT_EQ(r.topic, "outbox.event.Order");
  EXPECT_EQ(r.key, Value("42"));
  EXPECT_EQ(r.key_schema, schemas::string());
  EXPECT_EQ(r.value, Value(R"({"orderId":42})"));
  EXPECT_EQ(r.value_schema, json_schema());  // the payload column's schema
  ASSERT_EQ(r.headers.size(), 1U);
  EXPECT_EQ(r.headers[0].key, "id");
  EXPECT_EQ(r.headers[0].value, Value("5f1c0c0a-0000-4000-8000-000000000001"));
  EXPECT_EQ(r.timestamp, 1700000000123);
  // A snapshot read is an event too.
  auto snap = change("r", "{}");
  ASSERT_TRUE(t->apply(snap));
  EXPECT_EQ(snap.topic, "outbox.event.Order");
}

TEST(EventRouter, TheSeedsConfigRoutesToAggregateTypeDotEvents) {
  auto t = router({{"table.field.event.key", "aggregateid"},
                   {"table.field.event.payload", "payload"},
                   {"route.by.field", "aggregatetype"},
                   {"route.topic.replacement", "${routedByValue}.events"}});
  auto r = change("c", "{}", "order");
  ASSERT_TRUE(t->apply(r));
  EXPECT_EQ(r.topic, "order.events");
}

TEST(EventRouter, DeletesTombstonesUpdatesAndNonEvents) {
  auto t = router({});
  auto d = change("d", "{}");
  EXPECT_FALSE(t->apply(d));
  SourceRecord tomb;
  tomb.topic = "dbserver1.public.outbox";
  EXPECT_FALSE(t->apply(tomb));
  auto u = change("u", "{}");
  EXPECT_FALSE(t->apply(u));  // warn (the default): logged and dropped
  auto fatal = router({{"table.op.invalid.behavior", "fatal"}});
  auto u2 = change("u", "{}");
  try {
    fatal->apply(u2);
    FAIL();
  } catch (const DataException& e) {
    EXPECT_STREQ(e.what(), "Unexpected update message received null, fail.");
  }
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
}

TEST(EventRouter, AdditionalFieldsInHeaderEnvelopeAndPartition) {
  auto t = router({{"table.fields.additional.placement",
                    "type:header:eventType,aggregatetype:envelope:at,part:partition"}});
  auto r = change("c", R"({"a":1})");
  ASSERT_TRUE(t->apply(r));
  EXPECT_EQ(r.kafka_partition, 3);
  ASSERT_EQ(r.headers.size(), 2U);
  EXPECT_EQ(r.headers[1].key, "eventType");
  EXPECT_EQ(r.headers[1].value, Value("OrderCreated"));
  EXPECT_EQ(json(r.value_schema, r.value, true),
            R"({"schema":{"type":"struct","fields":[)"
            R"({"type":"string","optional":false,"name":"io.debezium.data.Json","version":1,)"
            R"("field":"payload"},{"type":"string","optional":false,"field":"at"}],)"
            R"("optional":false,"name":"dbserver1.public.outbox.Order.Value"},)"
            R"("payload":{"payload":"{\"a\":1}","at":"Order"}})");
}

TEST(EventRouter, ExpandsJsonPayloadsAsJsonSchemaDataInfers) {
  auto t = router({{"table.expand.json.payload", "true"}});
  auto r = change("c", R"({"name":"x","n":1,"big":5000000000,"f":1.5,"tags":["a","b"],)"
                       R"("nested":{"b":true},"nil":null,"empty":[]})");
  ASSERT_TRUE(t->apply(r));
  EXPECT_EQ(json(r.value_schema, r.value, true),
            R"({"schema":{"type":"struct","fields":[)"
            R"({"type":"string","optional":true,"field":"name"},)"
            R"({"type":"int32","optional":true,"field":"n"},)"
            R"({"type":"int64","optional":true,"field":"big"},)"
            R"({"type":"double","optional":true,"field":"f"},)"
            R"({"type":"array","items":{"type":"string","optional":true},"optional":true,)"
            R"("field":"tags"},)"
            R"({"type":"struct","fields":[{"type":"boolean","optional":true,"field":"b"}],)"
            R"("optional":true,"name":"payload.nested","field":"nested"}],)"
            R"("optional":true,"name":"payload"},)"
            R"("payload":{"name":"x","n":1,"big":5000000000,"f":1.5,"tags":["a","b"],)"
            R"("nested":{"b":true}}})");
  // Not JSON: kept as it is.
  auto text = change("c", "not json");
  ASSERT_TRUE(t->apply(text));
  EXPECT_EQ(text.value, Value("not json"));
  // An empty payload may become a tombstone.
  auto empty = router({{"route.tombstone.on.empty.payload", "true"}});
  auto e = change("c", "  ");
  ASSERT_TRUE(empty->apply(e));
  EXPECT_TRUE(e.value.is_null());
  EXPECT_EQ(e.value_schema, nullptr);
  EXPECT_EQ(e.key, Value("42"));
}

TEST(EventRouter, MissingColumnsAndBadPlacementsAreNamed) {
  auto t = router({{"table.field.event.key", "aggregate_id"}});
  auto r = change("c", "{}");
  try {
    t->apply(r);
    FAIL();
  } catch (const DataException& e) {
    EXPECT_STREQ(e.what(), "aggregate_id is not a valid field name");
  }
  auto errors = TransformChain::validate(
      {{"transforms", "outbox"},
       {"transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter"},
       {"transforms.outbox.table.fields.additional.placement", "type:body"}},
      registry());
  ASSERT_EQ(errors.count("transforms.outbox.table.fields.additional.placement"), 1U);
  errors = TransformChain::validate(
      {{"transforms", "outbox"},
       {"transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter"},
       {"transforms.outbox.table.op.invalid.behavior", "ignore"}},
      registry());
  ASSERT_EQ(errors.count("transforms.outbox.table.op.invalid.behavior"), 1U);
}

}  // namespace
}  // namespace tributary::transforms
