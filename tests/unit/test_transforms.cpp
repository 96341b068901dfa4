// Kafka's RegexRouter, InsertField and predicates, and the chain that runs them: record in ->
// record out. Expected topics follow java.util.regex.Matcher's documented matches() /
// replaceFirst() / appendReplacement() rules; expected JSON is what Kafka's JsonConverter writes
// for the struct InsertField documents (its fields appended after the originals, in the order
// topic, partition, offset, timestamp, static), written out by hand.
#include <gtest/gtest.h>

#include "transforms_test_util.h"
#include "worker/transform_chain.h"

namespace tributary::transforms {
namespace {

using test::json;
using test::make;
using test::registry;

std::string route(const std::string& regex, const std::string& replacement,
                  const std::string& topic) {
  auto t = make("org.apache.kafka.connect.transforms.RegexRouter",
                {{"regex", regex}, {"replacement", replacement}});
  SourceRecord r;
  r.topic = topic;
  EXPECT_TRUE(t->apply(r));
  return r.topic;
}

TEST(RegexRouter, RoutesWholeMatchesWithJavaReplacements) {
  // The seed's route: dbserver1.public.orders -> cdc.orders.
  EXPECT_EQ(route("dbserver1.public.(.*)", "cdc.$1", "dbserver1.public.orders"), "cdc.orders");
  // matches() needs the whole topic: a topic that only contains a match is left alone.
  EXPECT_EQ(route("public.(.*)", "cdc.$1", "dbserver1.public.orders"), "dbserver1.public.orders");
  // Named groups, ${name}, and $0.
  EXPECT_EQ(route(R"((?<db>[^.]+)\.(?<schema>[^.]+)\.(?<table>.+))", "${table}_$1_[$0]",
                  "dbserver1.public.orders"),
            "orders_dbserver1_[dbserver1.public.orders]");
  // "$10" with one group is group 1 then "0"; "\$" is a literal dollar.
  EXPECT_EQ(route("(a)b", "$10", "ab"), "a0");
  EXPECT_EQ(route("(a)b", R"(\$1-\\)", "ab"), "$1-\\");
  // An unmatched group appends nothing.
  EXPECT_EQ(route("(x)?ab", "[$1]", "ab"), "[]");
  // replaceFirst finds the first match from the start after matches() succeeded: with "a|ab",
  // matches() takes "ab" but the first match found is "a".
  EXPECT_EQ(route("a|ab", "X", "ab"), "Xb");
}

TEST(RegexRouter, BadRegexOrReplacementNamesTheKey) {
  auto bad = [](const ConfigMap& props) -> std::string {
    try {
      make("RegexRouter", props);
    } catch (const ConfigError& e) {
      return e.key() + " | " + e.what();
    }
    return "no error";
  };
  EXPECT_TRUE(bad({{"regex", "dbserver1.(.*"}, {"replacement", "$1"}})
                  .starts_with("regex | Invalid value dbserver1.(.* for configuration regex: "));
  EXPECT_EQ(bad({{"regex", "(a)"}, {"replacement", "$2"}}),
            "replacement | Invalid value $2 for configuration replacement: No group 2");
  EXPECT_EQ(bad({{"regex", "(a)"}, {"replacement", "${x}"}}),
            "replacement | Invalid value ${x} for configuration replacement: No group with name "
            "{x}");
  EXPECT_EQ(bad({{"replacement", "x"}}),
            "regex | Missing required configuration \"regex\" which has no default value.");
}

SchemaPtr row_schema() {
  return SchemaBuilder::struct_()
      .name("S")
      .version(2)
      .field("id", schemas::int32())
      .field("name", schemas::string(true))
      .build();
}

Value row(const SchemaPtr& s) {
  Struct st(s);
  st.put("id", std::int32_t{7}).put("name", "x");
  return std::move(st).build();
}

TEST(InsertField, AppendsTopicPartitionTimestampAndStaticFields) {
  auto t =
      make("org.apache.kafka.connect.transforms.InsertField$Value", {{"topic.field", "topic!"},
                                                                     {"partition.field", "part"},
                                                                     {"timestamp.field", "ts?"},
                                                                     {"static.field", "src"},
                                                                     {"static.value", "pg"}});
  const SchemaPtr in = row_schema();
  SourceRecord r;
  r.topic = "t1";
  r.value_schema = in;
  r.value = row(in);
  r.timestamp = 1700000000000;
  ASSERT_TRUE(t->apply(r));
  EXPECT_EQ(json(r.value_schema, r.value, true),
            R"({"schema":{"type":"struct","fields":[)"
            R"({"type":"int32","optional":false,"field":"id"},)"
            R"({"type":"string","optional":true,"field":"name"},)"
            R"({"type":"string","optional":false,"field":"topic"},)"
            R"({"type":"int32","optional":true,"field":"part"},)"
            R"({"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp",)"
            R"("version":1,"field":"ts"},)"
            R"({"type":"string","optional":true,"field":"src"}],"optional":false,"name":"S",)"
            R"("version":2},"payload":{"id":7,"name":"x","topic":"t1","part":null,)"
            R"("ts":1700000000000,"src":"pg"}})");
  // A record without a timestamp (as Debezium's are) gets null.
  SourceRecord r2;
  r2.topic = "t1";
  r2.kafka_partition = 3;
  r2.value_schema = in;
  r2.value = row(in);
  ASSERT_TRUE(t->apply(r2));
  EXPECT_EQ(r2.value_schema, r.value_schema);  // the derived schema is cached per input schema
  const auto& f = r2.value.as_struct().fields;
  EXPECT_EQ(f[3], Value(std::int32_t{3}));
  EXPECT_TRUE(f[4].is_null());
}

TEST(InsertField, KeySideSchemalessTombstonesAndErrors) {
  auto key = make("InsertField$Key", {{"topic.field", "t"}});
  SourceRecord r;
  r.topic = "orders";
  r.key_schema = row_schema();
  r.key = row(r.key_schema);
  ASSERT_TRUE(key->apply(r));
  EXPECT_EQ(r.key_schema->fields().back().name, "t");
  EXPECT_EQ(r.key.as_struct().fields.back(), Value("orders"));
  // Schemaless map values: the entries are added (or replaced).
  auto value = make("InsertField$Value",
                    {{"topic.field", "t"}, {"static.field", "a"}, {"static.value", "v"}});
  SourceRecord m;
  m.topic = "orders";
  m.value = Value(Value::MapEntries{{Value("a"), Value(std::int64_t{1})}});
  ASSERT_TRUE(value->apply(m));
  const auto& entries = m.value.as<Value::MapEntries>();
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].second, Value("v"));
  EXPECT_EQ(entries[1].second, Value("orders"));
  // A tombstone passes unchanged.
  SourceRecord tomb;
  tomb.topic = "orders";
  ASSERT_TRUE(value->apply(tomb));
  EXPECT_TRUE(tomb.value.is_null());
  EXPECT_EQ(tomb.value_schema, nullptr);
  // Kafka's errors: a primitive with a schema, a non-map without one, a taken name, an offset.
  auto message = [](Transformation& t, SourceRecord rec) -> std::string {
    try {
      t.apply(rec);
    } catch (const DataException& e) {
      return e.what();
    }
    return "no error";
  };
  SourceRecord prim;
  prim.value_schema = schemas::string();
  prim.value = Value("text");
  EXPECT_EQ(message(*value, prim),
            "Only Struct objects supported for [field insertion], found: java.lang.String");
  SourceRecord list;
  list.value = Value(Value::Array{Value(true)});
  EXPECT_EQ(message(*value, list),
            "Only Map objects supported in absence of schema for [field insertion], found: "
            "java.util.ArrayList");
  auto taken = make("InsertField$Value", {{"topic.field", "name"}});
  SourceRecord dup;
  dup.value_schema = row_schema();
  dup.value = row(dup.value_schema);
  EXPECT_EQ(message(*taken, dup), "Cannot create field because of field name duplication name");
  auto offset = make("InsertField$Value", {{"offset.field", "off"}});
  EXPECT_EQ(message(*offset, dup),
            "Only SinkRecord supported for [field insertion], found: "
            "org.apache.kafka.connect.source.SourceRecord");
}

TEST(InsertField, SharedStructsAreCopiedNotEdited) {
  auto t = make("InsertField$Value", {{"topic.field", "t"}});
  SourceRecord a;
  a.topic = "a";
  a.value_schema = row_schema();
  a.value = row(a.value_schema);
  const Value shared = a.value;  // another record holding the same struct data
  ASSERT_TRUE(t->apply(a));
  EXPECT_EQ(shared.as_struct().fields.size(), 2U);
  EXPECT_EQ(shared.as_struct().fields[1], Value("x"));
  EXPECT_EQ(a.value.as_struct().fields.size(), 3U);
}

TEST(Predicates, TopicHeaderAndTombstoneGuardTheirTransforms) {
  const ConfigMap config{
      {"transforms", "route,mark,unmarked,hdr"},
      {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
      {"transforms.route.regex", "dbserver1\\.public\\.(.*)"},
      {"transforms.route.replacement", "cdc.$1"},
      // Runs on routed topics only (the predicate sees the topic the route step wrote).
      {"transforms.mark.type", "InsertField$Value"},
      {"transforms.mark.static.field", "routed"},
      {"transforms.mark.static.value", "yes"},
      {"transforms.mark.predicate", "isCdc"},
      // negate: runs on every record that is not a tombstone.
      {"transforms.unmarked.type", "InsertField$Value"},
      {"transforms.unmarked.topic.field", "topic"},
      {"transforms.unmarked.predicate", "tomb"},
      {"transforms.unmarked.negate", "true"},
      {"transforms.hdr.type", "InsertField$Value"},
      {"transforms.hdr.static.field", "traced"},
      {"transforms.hdr.static.value", "1"},
      {"transforms.hdr.predicate", "hasTrace"},
      {"predicates", "isCdc,tomb,hasTrace"},
      {"predicates.isCdc.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"},
      {"predicates.isCdc.pattern", "cdc\\..*"},
      {"predicates.tomb.type", "RecordIsTombstone"},
      {"predicates.hasTrace.type", "HasHeaderKey"},
      {"predicates.hasTrace.name", "trace-id"}};
  TransformChain chain(config, registry());
  auto field_names = [](const SourceRecord& r) {
    std::string out;
    for (const auto& f : r.value_schema->fields()) out += f.name + " ";
    return out;
  };
  SourceRecord a;
  a.topic = "dbserver1.public.orders";
  a.value_schema = row_schema();
  a.value = row(a.value_schema);
  a.headers.push_back(Header{"trace-id", schemas::string(), Value("abc")});
  ASSERT_TRUE(chain.apply(a));
  EXPECT_EQ(a.topic, "cdc.orders");
  EXPECT_EQ(field_names(a), "id name routed topic traced ");
  SourceRecord b;
  b.topic = "other.public.orders";
  b.value_schema = row_schema();
  b.value = row(b.value_schema);
  ASSERT_TRUE(chain.apply(b));
  EXPECT_EQ(b.topic, "other.public.orders");
  EXPECT_EQ(field_names(b), "id name topic ");
  SourceRecord tomb;
  tomb.topic = "dbserver1.public.orders";
  ASSERT_TRUE(chain.apply(tomb));
  EXPECT_EQ(tomb.topic, "cdc.orders");
  EXPECT_TRUE(tomb.value.is_null());
}

TEST(Predicates, ConfigErrorsNameTheFullKey) {
  auto errors = TransformChain::validate({{"transforms", "route"},
                                          {"transforms.route.type", "RegexRouter"},
                                          {"transforms.route.regex", "("},
                                          {"transforms.route.replacement", "x"}},
                                         registry());
  ASSERT_EQ(errors.count("transforms.route.regex"), 1U);
  EXPECT_TRUE(errors["transforms.route.regex"].front().starts_with(
      "Invalid value ( for configuration transforms.route.regex: must be a valid Java regular "
      "expression"))
      << errors["transforms.route.regex"].front();
  errors = TransformChain::validate({{"transforms", "r"},
                                     {"transforms.r.type", "RegexRouter"},
                                     {"transforms.r.replacement", "x"}},
                                    registry());
  EXPECT_EQ(errors["transforms.r.regex"].front(),
            "Missing required configuration \"transforms.r.regex\" which has no default value.");
  errors = TransformChain::validate({{"predicates", "p"},
                                     {"predicates.p.type", "TopicNameMatches"},
                                     {"predicates.p.pattern", "[a-"}},
                                    registry());
  ASSERT_EQ(errors.count("predicates.p.pattern"), 1U);
  errors = TransformChain::validate({{"predicates", "p"}, {"predicates.p.type", "HasHeaderKey"}},
                                    registry());
  ASSERT_EQ(errors.count("predicates.p.name"), 1U);
}

TEST(Predicates, ValidationReportsEveryFailingTransformAndASharedErrorOnce) {
  auto errors = TransformChain::validate({{"transforms", "a,b,ok"},
                                          {"transforms.a.type", "Cast$Value"},
                                          {"transforms.a.spec", "x:decimal"},
                                          {"transforms.b.type", "TimestampConverter$Value"},
                                          {"transforms.b.target.type", "string"},
                                          {"transforms.ok.type", "RegexRouter"},
                                          {"transforms.ok.regex", "x"},
                                          {"transforms.ok.replacement", "y"},
                                          {"predicates", "p"},
                                          {"predicates.p.type", "HasHeaderKey"}},
                                         registry());
  ASSERT_EQ(errors.size(), 3U);
  EXPECT_EQ(errors["transforms.a.spec"].size(), 1U);
  EXPECT_EQ(errors["transforms.b.format"].size(), 1U);
  EXPECT_EQ(errors["predicates.p.name"].size(), 1U);  // once, though each run builds it
}

}  // namespace
}  // namespace tributary::transforms
