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

// ---------------------------------------------------------------------------------------------
// replace.null.with.default (Kafka 3.9): the fields Kafka reads through Struct.get take their
// schema's default when null; set false, they stay null (Struct.getWithoutDefault). The values
// are checked directly: JsonConverter would write the default for a null either way.

SchemaPtr defaulted_schema() {
  static const SchemaPtr s =
      SchemaBuilder::struct_()
          .name("Row")
          .field("id", schemas::int32())
          .field("status",
                 SchemaBuilder(Type::String).optional().default_value(Value("new")).build())
          .field(
              "n",
              SchemaBuilder(Type::Int64).optional().default_value(Value(std::int64_t{7})).build())
          .build();
  return s;
}

// id 1, status and n null.
SourceRecord defaulted() {
  SourceRecord r;
  r.topic = "orders";
  r.value_schema = defaulted_schema();
  Struct s(defaulted_schema());
  s.put("id", std::int32_t{1});
  r.value = std::move(s).build();
  return r;
}

Value built(Struct& s) {
  return std::move(s).build();
}

const Value& field(const Value& v, const std::string& name) {
  const Value::StructData& s = v.as_struct();
  const Field* f = s.schema->field(name);
  EXPECT_NE(f, nullptr) << name;
  return s.fields[static_cast<std::size_t>(f->index)];
}

ConfigMap with(ConfigMap props, bool replace) {
  if (!replace) props["replace.null.with.default"] = "false";
  return props;
}

TEST(KafkaTransforms, ReplaceFieldReplaceNullWithDefault) {
  for (const bool replace : {true, false}) {
    auto r = defaulted();
    const Value before = r.value;  // shares the struct: it must stay as it was
    ASSERT_TRUE(make("ReplaceField$Value", with({{"renames", "status:state"}}, replace))->apply(r));
    EXPECT_EQ(field(r.value, "id"), Value(std::int32_t{1}));
    EXPECT_EQ(field(r.value, "state"), replace ? Value("new") : Value()) << replace;
    EXPECT_EQ(field(r.value, "n"), replace ? Value(std::int64_t{7}) : Value()) << replace;
    EXPECT_TRUE(field(before, "status").is_null());
  }
  // A set value is kept; a field dropped is not read.
  auto r = defaulted();
  r.value = built(Struct(defaulted_schema()).put("id", std::int32_t{2}).put("status", "old"));
  ASSERT_TRUE(make("ReplaceField$Value", {{"exclude", "n"}})->apply(r));
  EXPECT_EQ(field(r.value, "status"), Value("old"));
  EXPECT_EQ(r.value_schema->fields().size(), 2U);
}

TEST(KafkaTransforms, MaskFieldReplaceNullWithDefault) {
  for (const bool replace : {true, false}) {
    auto r = defaulted();
    const Value before = r.value;
    ASSERT_TRUE(make("MaskField$Value", with({{"fields", "status"}}, replace))->apply(r));
    // Kafka masks what Struct.get returned: the default "new" masks to "", a null stays null.
    EXPECT_EQ(field(r.value, "status"), replace ? Value("") : Value()) << replace;
    // Every field is read through Struct.get, masked or not.
    EXPECT_EQ(field(r.value, "n"), replace ? Value(std::int64_t{7}) : Value()) << replace;
    EXPECT_TRUE(field(before, "status").is_null());
    EXPECT_TRUE(field(before, "n").is_null());
  }
  auto r = defaulted();
  ASSERT_TRUE(make("MaskField$Value", {{"fields", "n"}, {"replacement", "42"}})->apply(r));
  EXPECT_EQ(field(r.value, "n"), Value(std::int64_t{42}));
  EXPECT_EQ(field(r.value, "status"), Value("new"));
}

TEST(KafkaTransforms, ValueToKeyReplaceNullWithDefault) {
  for (const bool replace : {true, false}) {
    auto r = defaulted();
    ASSERT_TRUE(make("ValueToKey", with({{"fields", "id,status"}}, replace))->apply(r));
    EXPECT_EQ(field(r.key, "id"), Value(std::int32_t{1}));
    EXPECT_EQ(field(r.key, "status"), replace ? Value("new") : Value()) << replace;
    EXPECT_TRUE(field(r.value, "status").is_null());  // the value is left as it was
  }
}

TEST(KafkaTransforms, ExtractFieldReplaceNullWithDefault) {
  for (const bool replace : {true, false}) {
    auto r = defaulted();
    ASSERT_TRUE(make("ExtractField$Value", with({{"field", "status"}}, replace))->apply(r));
    EXPECT_EQ(r.value, replace ? Value("new") : Value()) << replace;
    EXPECT_EQ(r.value_schema, defaulted_schema()->field("status")->schema);
  }
  // A null value stays null, with the field's schema, whatever the flag.
  SourceRecord tomb;
  tomb.value_schema = defaulted_schema();
  ASSERT_TRUE(make("ExtractField$Value", {{"field", "status"}})->apply(tomb));
  EXPECT_TRUE(tomb.value.is_null());
}

TEST(KafkaTransforms, SetSchemaMetadataReplaceNullWithDefault) {
  for (const bool replace : {true, false}) {
    auto r = defaulted();
    const Value before = r.value;
    ASSERT_TRUE(
        make("SetSchemaMetadata$Value", with({{"schema.name", "Renamed"}}, replace))->apply(r));
    EXPECT_EQ(*r.value_schema->name(), "Renamed");
    EXPECT_EQ(r.value.as_struct().schema, r.value_schema);
    EXPECT_EQ(field(r.value, "status"), replace ? Value("new") : Value()) << replace;
    EXPECT_EQ(field(r.value, "n"), replace ? Value(std::int64_t{7}) : Value()) << replace;
    EXPECT_TRUE(field(before, "status").is_null());
    EXPECT_EQ(*before.as_struct().schema->name(), "Row");
  }
}

TEST(KafkaTransforms, HeaderFromReplaceNullWithDefault) {
  for (const bool replace : {true, false}) {
    auto copy = defaulted();
    ASSERT_TRUE(
        make("HeaderFrom$Value",
             with({{"fields", "status"}, {"headers", "st"}, {"operation", "copy"}}, replace))
            ->apply(copy));
    ASSERT_EQ(copy.headers.size(), 1U);
    EXPECT_EQ(copy.headers[0].value, replace ? Value("new") : Value()) << replace;
    EXPECT_EQ(copy.headers[0].schema, defaulted_schema()->field("status")->schema);
    // `copy` leaves the value as it was: its null stays null.
    EXPECT_TRUE(field(copy.value, "status").is_null());

    auto move = defaulted();
    ASSERT_TRUE(make("HeaderFrom$Value",
                     with({{"fields", "n"}, {"headers", "n"}, {"operation", "move"}}, replace))
                    ->apply(move));
    ASSERT_EQ(move.headers.size(), 1U);
    EXPECT_EQ(move.headers[0].value, replace ? Value(std::int64_t{7}) : Value()) << replace;
    // `move` copies the kept fields through Struct.get.
    EXPECT_EQ(move.value_schema->fields().size(), 2U);
    EXPECT_EQ(field(move.value, "status"), replace ? Value("new") : Value()) << replace;
  }
}

// ---------------------------------------------------------------------------------------------
// ExtractField's field.syntax.version V2 (Kafka 3.9's SingleFieldPath).

SchemaPtr envelope_schema() {
  static const SchemaPtr row =
      SchemaBuilder::struct_()
          .name("Row")
          .optional()
          .field("id", schemas::int32())
          .field("status",
                 SchemaBuilder(Type::String).optional().default_value(Value("new")).build())
          .build();
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("Envelope")
                                 .field("before", row)
                                 .field("after", row)
                                 .field("op", schemas::string())
                                 .build();
  return s;
}

// before null, after {id: 5, status: null}, op "c".
SourceRecord envelope() {
  SourceRecord r;
  r.value_schema = envelope_schema();
  Struct after(envelope_schema()->field("after")->schema);
  after.put("id", std::int32_t{5});
  r.value = built(Struct(envelope_schema()).put("after", std::move(after).build()).put("op", "c"));
  return r;
}

Value map(std::vector<std::pair<std::string, Value>> entries) {
  Value::MapEntries m;
  for (auto& [k, v] : entries) m.emplace_back(Value(k), std::move(v));
  return Value(std::move(m));
}

Value extract_schemaless(const std::string& path, Value value) {
  SourceRecord r;
  r.value = std::move(value);
  EXPECT_TRUE(
      make("ExtractField$Value", {{"field", path}, {"field.syntax.version", "V2"}})->apply(r));
  return r.value;
}

TEST(KafkaTransforms, ExtractFieldV2NestedWithSchema) {
  auto r = envelope();
  ASSERT_TRUE(make("ExtractField$Value", {{"field", "after.id"}, {"field.syntax.version", "V2"}})
                  ->apply(r));
  EXPECT_EQ(r.value, Value(std::int32_t{5}));
  EXPECT_EQ(r.value_schema, schemas::int32());

  // The version is case-insensitive; the leaf takes its default per replace.null.with.default.
  auto d = envelope();
  ASSERT_TRUE(
      make("ExtractField$Value", {{"field", "after.status"}, {"field.syntax.version", "v2"}})
          ->apply(d));
  EXPECT_EQ(d.value, Value("new"));
  auto nd = envelope();
  ASSERT_TRUE(make("ExtractField$Value", {{"field", "after.status"},
                                          {"field.syntax.version", "V2"},
                                          {"replace.null.with.default", "false"}})
                  ->apply(nd));
  EXPECT_TRUE(nd.value.is_null());

  // A null intermediate struct gives null, under the leaf's schema.
  auto b = envelope();
  ASSERT_TRUE(make("ExtractField$Value", {{"field", "before.id"}, {"field.syntax.version", "V2"}})
                  ->apply(b));
  EXPECT_TRUE(b.value.is_null());
  EXPECT_EQ(b.value_schema, schemas::int32());

  // So does a null value.
  SourceRecord tomb;
  tomb.value_schema = envelope_schema();
  ASSERT_TRUE(make("ExtractField$Value", {{"field", "after.id"}, {"field.syntax.version", "V2"}})
                  ->apply(tomb));
  EXPECT_TRUE(tomb.value.is_null());
  EXPECT_EQ(tomb.value_schema, schemas::int32());

  // A path the schema does not have: Kafka's "Unknown field: <path>"; a step into a non-struct:
  // ConnectSchema.field's message.
  auto missing = envelope();
  try {
    make("ExtractField$Value", {{"field", "after.zz"}, {"field.syntax.version", "V2"}})
        ->apply(missing);
    ADD_FAILURE() << "no exception";
  } catch (const DataException& e) {
    EXPECT_STREQ(e.what(), "Unknown field: after.zz");
  }
  auto deep = envelope();
  try {
    make("ExtractField$Value", {{"field", "op.x"}, {"field.syntax.version", "V2"}})->apply(deep);
    ADD_FAILURE() << "no exception";
  } catch (const DataException& e) {
    EXPECT_STREQ(e.what(), "Cannot look up fields on non-struct type");
  }
}

TEST(KafkaTransforms, ExtractFieldV2Schemaless) {
  const Value value = map(
      {{"after", map({{"id", Value(std::int64_t{5})}})}, {"before", Value()}, {"op", Value("c")}});
  EXPECT_EQ(extract_schemaless("after.id", value), Value(std::int64_t{5}));
  EXPECT_TRUE(extract_schemaless("after.zz", value).is_null());
  EXPECT_TRUE(extract_schemaless("before.id", value).is_null());  // null intermediate
  EXPECT_TRUE(extract_schemaless("nope.id", value).is_null());    // missing intermediate
  try {
    extract_schemaless("op.x", value);
    ADD_FAILURE() << "no exception";
  } catch (const DataException& e) {
    EXPECT_STREQ(e.what(),
                 "Only Map objects supported in absence of schema for [nested field access], "
                 "found: java.lang.String");
  }
}

TEST(KafkaTransforms, ExtractFieldV2BacktickedNames) {
  // A backticked step may hold dots.
  const Value dotted = map({{"a.b", map({{"c", Value(std::int64_t{1})}})},
                            {"a", map({{"b.c", Value(std::int64_t{2})}})}});
  EXPECT_EQ(extract_schemaless("`a.b`.c", dotted), Value(std::int64_t{1}));
  EXPECT_EQ(extract_schemaless("a.`b.c`", dotted), Value(std::int64_t{2}));
  EXPECT_TRUE(extract_schemaless("a.b.c", dotted).is_null());
  // "\`" before a dot is a literal backtick and the step goes on; any other backtick (and any
  // backslash) is part of the name.
  EXPECT_EQ(extract_schemaless("`x\\`.y`", map({{"x`.y", Value(true)}})), Value(true));
  EXPECT_EQ(extract_schemaless("`x`y`", map({{"x`y", Value(true)}})), Value(true));
  EXPECT_EQ(extract_schemaless("`x\\`y`", map({{"x\\`y", Value(true)}})), Value(true));
  EXPECT_EQ(extract_schemaless("x`y", map({{"x`y", Value(true)}})), Value(true));
  // A trailing dot is an empty last step.
  EXPECT_EQ(extract_schemaless("a.", map({{"a", map({{"", Value(true)}})}})), Value(true));

  // With a schema: a field whose name holds a dot.
  const SchemaPtr inner = SchemaBuilder::struct_().field("c", schemas::string()).build();
  const SchemaPtr top = SchemaBuilder::struct_().field("a.b", inner).build();
  SourceRecord r;
  r.value_schema = top;
  r.value = built(Struct(top).put("a.b", built(Struct(inner).put("c", "x"))));
  ASSERT_TRUE(
      make("ExtractField$Value", {{"field", "`a.b`.c"}, {"field.syntax.version", "V2"}})->apply(r));
  EXPECT_EQ(r.value, Value("x"));
  EXPECT_EQ(r.value_schema, schemas::string());
  // A whole path in backticks is one step.
  SourceRecord one;
  one.value_schema = top;
  one.value = built(Struct(top).put("a.b", built(Struct(inner).put("c", "x"))));
  ASSERT_TRUE(
      make("ExtractField$Value", {{"field", "`a.b`"}, {"field.syntax.version", "V2"}})->apply(one));
  EXPECT_EQ(one.value_schema, inner);
}

TEST(KafkaTransforms, ExtractFieldV2RejectsIncompleteBackticks) {
  const std::vector<std::pair<std::string, int>> bad = {
      {"`after.id", 0},                    // never closed
      {"a.`b", 2},                         // never closed, after a step
      {"`a\\`", 0},                        // the closing backtick is escaped
      {"`a`b.c", 0},                       // a backtick not followed by a dot does not close
      {"`a`.`", 4},     {"\u00e9.`x", 2},  // Java's position: UTF-16 units, not bytes
  };
  for (const auto& [path, at] : bad) {
    try {
      make("ExtractField$Value", {{"field", path}, {"field.syntax.version", "V2"}});
      ADD_FAILURE() << path;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), "field");
      EXPECT_EQ(std::string(e.what()),
                "Invalid value " + path +
                    " for configuration field: Incomplete backtick pair in "
                    "path: [" +
                    path + "], consider adding a backslash before backtick at position " +
                    std::to_string(at) + " to escape it");
    }
  }
  // The same paths are plain names under V1.
  EXPECT_NO_THROW(make("ExtractField$Value", {{"field", "`after.id"}}));
  try {
    make("ExtractField$Value", {{"field", "a"}, {"field.syntax.version", "V3"}});
    ADD_FAILURE() << "V3 accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "field.syntax.version");
  }
}

TEST(KafkaTransforms, ExtractFieldV1TakesDotsLiterally) {
  // V1 (the default): the whole `field` names a top-level field.
  auto r = envelope();
  EXPECT_THROW(make("ExtractField$Value", {{"field", "after.id"}})->apply(r), DataException);
  const SchemaPtr top = SchemaBuilder::struct_().field("after.id", schemas::int32()).build();
  SourceRecord flat;
  flat.value_schema = top;
  flat.value = built(Struct(top).put("after.id", std::int32_t{9}));
  ASSERT_TRUE(make("ExtractField$Value", {{"field", "after.id"}, {"field.syntax.version", "V1"}})
                  ->apply(flat));
  EXPECT_EQ(flat.value, Value(std::int32_t{9}));
  SourceRecord schemaless;
  schemaless.value =
      map({{"after.id", Value(std::int64_t{3})}, {"after", map({{"id", Value(std::int64_t{4})}})}});
  ASSERT_TRUE(make("ExtractField$Value", {{"field", "after.id"}})->apply(schemaless));
  EXPECT_EQ(schemaless.value, Value(std::int64_t{3}));
}

}  // namespace
}  // namespace tributary::transforms
