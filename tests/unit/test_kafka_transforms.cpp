// Kafka's field and header transforms: record in -> record out, per Kafka's documentation of
// each (org.apache.kafka.connect.transforms: ReplaceField, MaskField, ValueToKey, ExtractField,
// HoistField, SetSchemaMetadata, Flatten, HeaderFrom, InsertHeader, DropHeaders, Filter). The
// JSON is what Kafka's JsonConverter writes for the resulting schema and value, by hand.
#include <gtest/gtest.h>

#include "transforms_test_util.h"
#include "worker/transform_chain.h"

namespace tributary::transforms {
namespace {

using test::json;
using test::make;
using test::registry;

SchemaPtr abc() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("Row")
                                 .field("a", schemas::int32())
                                 .field("b", schemas::string(true))
                                 .field("c", schemas::string(true))
                                 .build();
  return s;
}

SourceRecord record() {
  SourceRecord r;
  r.topic = "orders";
  r.value_schema = abc();
  Struct s(abc());
  s.put("a", std::int32_t{1}).put("b", "bee").put("c", "sea");
  r.value = std::move(s).build();
  return r;
}

TEST(KafkaTransforms, ReplaceFieldExcludesIncludesAndRenames) {
  auto r = record();
  ASSERT_TRUE(make("ReplaceField$Value", {{"exclude", "b"}, {"renames", "c:cc,a:id"}})->apply(r));
  EXPECT_EQ(json(r.value_schema, r.value, true),
            R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,)"
            R"("field":"id"},{"type":"string","optional":true,"field":"cc"}],"optional":false,)"
            R"("name":"Row"},"payload":{"id":1,"cc":"sea"}})");
  auto inc = record();
  ASSERT_TRUE(make("ReplaceField$Value", {{"include", "a,c"}, {"exclude", "c"}})->apply(inc));
  EXPECT_EQ(json(inc.value_schema, inc.value), R"({"a":1})");  // exclude wins over include
  SourceRecord m;
  m.value = Value(Value::MapEntries{{Value("a"), Value(true)}, {Value("b"), Value(false)}});
  ASSERT_TRUE(make("ReplaceField$Value", {{"blacklist", "a"}, {"renames", "b:x"}})->apply(m));
  EXPECT_EQ(json(nullptr, m.value), R"({"x":false})");
  EXPECT_THROW(make("ReplaceField$Value", {{"renames", "nocolon"}}), ConfigError);
}

TEST(KafkaTransforms, MaskFieldEmptiesOrReplaces) {
  auto r = record();
  ASSERT_TRUE(make("MaskField$Value", {{"fields", "a,b"}})->apply(r));
  EXPECT_EQ(json(r.value_schema, r.value), R"({"a":0,"b":"","c":"sea"})");
  auto s = record();
  ASSERT_TRUE(make("MaskField$Value", {{"fields", "a,c"}, {"replacement", "9"}})->apply(s));
  EXPECT_EQ(json(s.value_schema, s.value), R"({"a":9,"b":"bee","c":"9"})");
  auto bad = record();
  EXPECT_THROW(make("MaskField$Value", {{"fields", "a"}, {"replacement", "x"}})->apply(bad),
               DataException);
}

TEST(KafkaTransforms, ValueToKeyExtractFieldAndHoistField) {
  auto r = record();
  ASSERT_TRUE(make("org.apache.kafka.connect.transforms.ValueToKey", {{"fields", "a"}})->apply(r));
  EXPECT_EQ(json(r.key_schema, r.key, true),
            R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,)"
            R"("field":"a"}],"optional":false},"payload":{"a":1}})");
  ASSERT_TRUE(make("ExtractField$Key", {{"field", "a"}})->apply(r));
  EXPECT_EQ(r.key, Value(std::int32_t{1}));
  EXPECT_EQ(r.key_schema, schemas::int32());
  auto missing = record();
  EXPECT_THROW(make("ValueToKey", {{"fields", "zz"}})->apply(missing), DataException);
  // ExtractField on a null value keeps it null with the field's schema.
  SourceRecord tomb;
  tomb.value_schema = abc();
  ASSERT_TRUE(make("ExtractField$Value", {{"field", "b"}})->apply(tomb));
  EXPECT_TRUE(tomb.value.is_null());
  EXPECT_EQ(tomb.value_schema, schemas::string(true));
  SourceRecord line;
  line.value_schema = schemas::string();
  line.value = Value("a line");
  ASSERT_TRUE(make("HoistField$Value", {{"field", "line"}})->apply(line));
  EXPECT_EQ(json(line.value_schema, line.value, true),
            R"({"schema":{"type":"struct","fields":[{"type":"string","optional":false,)"
            R"("field":"line"}],"optional":false},"payload":{"line":"a line"}})");
  SourceRecord schemaless;
  schemaless.value = Value(std::int64_t{5});
  ASSERT_TRUE(make("HoistField$Value", {{"field", "n"}})->apply(schemaless));
  EXPECT_EQ(json(nullptr, schemaless.value), R"({"n":5})");
}

TEST(KafkaTransforms, SetSchemaMetadataAndFlatten) {
  auto r = record();
  ASSERT_TRUE(
      make("SetSchemaMetadata$Value", {{"schema.name", "com.acme.Order"}, {"schema.version", "3"}})
          ->apply(r));
  EXPECT_EQ(*r.value_schema->name(), "com.acme.Order");
  EXPECT_EQ(*r.value_schema->version(), 3);
  EXPECT_EQ(r.value.as_struct().schema, r.value_schema);  // the struct carries the new schema
  EXPECT_THROW(make("SetSchemaMetadata$Value", {}), ConfigError);

  const SchemaPtr inner = SchemaBuilder::struct_().optional().field("d", schemas::string()).build();
  const SchemaPtr mid =
      SchemaBuilder::struct_().field("b", schemas::int32()).field("c", inner).build();
  const SchemaPtr top =
      SchemaBuilder::struct_().field("a", mid).field("e", schemas::int32()).build();
  Struct in(inner);
  in.put("d", "x");
  Struct m(mid);
  m.put("b", std::int32_t{1}).put("c", std::move(in).build());
  Struct t(top);
  t.put("a", std::move(m).build()).put("e", std::int32_t{2});
  SourceRecord f;
  f.value_schema = top;
  f.value = std::move(t).build();
  ASSERT_TRUE(make("Flatten$Value", {{"delimiter", "_"}})->apply(f));
  // a_c_d is optional: its parent struct c is.
  EXPECT_EQ(json(f.value_schema, f.value, true),
            R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,)"
            R"("field":"a_b"},{"type":"string","optional":true,"field":"a_c_d"},)"
            R"({"type":"int32","optional":false,"field":"e"}],"optional":false},)"
            R"("payload":{"a_b":1,"a_c_d":"x","e":2}})");
  SourceRecord nested;
  nested.value = Value(Value::MapEntries{
      {Value("a"), Value(Value::MapEntries{{Value("b"), Value(std::int64_t{1})}})},
      {Value("c"), Value("x")}});
  ASSERT_TRUE(make("Flatten$Value", {})->apply(nested));
  EXPECT_EQ(json(nullptr, nested.value), R"({"a.b":1,"c":"x"})");
}

TEST(KafkaTransforms, HeaderFromInsertHeaderDropHeadersAndFilter) {
  auto copy = record();
  ASSERT_TRUE(make("HeaderFrom$Value",
                   {{"fields", "a,b"}, {"headers", "row-id,bee"}, {"operation", "copy"}})
                  ->apply(copy));
  ASSERT_EQ(copy.headers.size(), 2U);
  EXPECT_EQ(copy.headers[0].key, "row-id");
  EXPECT_EQ(copy.headers[0].value, Value(std::int32_t{1}));
  EXPECT_EQ(copy.headers[0].schema, schemas::int32());
  EXPECT_EQ(copy.value_schema->fields().size(), 3U);
  auto move = record();
  ASSERT_TRUE(make("HeaderFrom$Value", {{"fields", "b"}, {"headers", "bee"}, {"operation", "move"}})
                  ->apply(move));
  EXPECT_EQ(json(move.value_schema, move.value), R"({"a":1,"c":"sea"})");
  EXPECT_THROW(
      make("HeaderFrom$Value", {{"fields", "a,b"}, {"headers", "x"}, {"operation", "copy"}}),
      ConfigError);

  auto r = record();
  ASSERT_TRUE(
      make("InsertHeader", {{"header", "source"}, {"value.literal", "tributary"}})->apply(r));
  ASSERT_TRUE(make("InsertHeader", {{"header", "n"}, {"value.literal", "42"}})->apply(r));
  ASSERT_TRUE(make("InsertHeader", {{"header", "source"}, {"value.literal", "again"}})->apply(r));
  ASSERT_EQ(r.headers.size(), 3U);
  EXPECT_EQ(r.headers[0].value, Value("tributary"));
  EXPECT_EQ(r.headers[1].value, Value(std::int8_t{42}));  // Values.parseString: the smallest int
  ASSERT_TRUE(make("DropHeaders", {{"headers", "source"}})->apply(r));
  ASSERT_EQ(r.headers.size(), 1U);
  EXPECT_EQ(r.headers[0].key, "n");

  TransformChain chain({{"transforms", "drop"},
                        {"transforms.drop.type", "org.apache.kafka.connect.transforms.Filter"},
                        {"transforms.drop.predicate", "isTemp"},
                        {"predicates", "isTemp"},
                        {"predicates.isTemp.type", "TopicNameMatches"},
                        {"predicates.isTemp.pattern", "tmp_.*"}},
                       registry());
  auto keep = record();
  EXPECT_TRUE(chain.apply(keep));
  auto tmp = record();
  tmp.topic = "tmp_orders";
  EXPECT_FALSE(chain.apply(tmp));
}

}  // namespace
}  // namespace tributary::transforms
