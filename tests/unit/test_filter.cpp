// Debezium's Filter and ContentBasedRouter with the conditions users write for jsr223.groovy and
// jsr223.graal.js. Expected outcomes follow Groovy's semantics as Debezium binds a record
// (`value.op` is Struct.get("op"); a missing field throws "<name> is not a valid field name"; a
// property of null throws "Cannot get property ... on null object"; a non-boolean result is an
// error) and graal.js's (a missing member reads as undefined), per Debezium 2.7's scripting
// transforms and their documentation.
#include <gtest/gtest.h>

#include "expr.h"
#include "transforms_test_util.h"
#include "worker/transform_chain.h"

namespace tributary::transforms {
namespace {

using test::make;
using test::registry;

SchemaPtr row_schema() {
  return SchemaBuilder::struct_()
      .name("dbserver1.public.orders.Value")
      .optional()
      .field("id", schemas::int32())
      .field("status", schemas::string(true))
      .field("amount", schemas::float64(true))
      .build();
}

SchemaPtr envelope_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("dbserver1.public.orders.Envelope")
                                 .version(2)
                                 .field("before", row_schema())
                                 .field("after", row_schema())
                                 .field("op", schemas::string())
                                 .field("ts_ms", schemas::int64(true))
                                 .build();
  return s;
}

Value row(int id, const char* status, double amount) {
  Struct s(envelope_schema()->field("after")->schema);
  s.put("id", std::int32_t{id}).put("status", status).put("amount", amount);
  return std::move(s).build();
}

SourceRecord change(const char* op, Value before, Value after,
                    const std::string& topic = "dbserver1.public.orders") {
  SourceRecord r;
  r.topic = topic;
  r.value_schema = envelope_schema();
  Struct env(r.value_schema);
  env.put("before", std::move(before))
      .put("after", std::move(after))
      .put("op", op)
      .put("ts_ms", std::int64_t{1700000000000});
  r.value = std::move(env).build();
  return r;
}

std::unique_ptr<Transformation> filter(const std::string& condition,
                                       const std::string& language = "jsr223.groovy",
                                       ConfigMap extra = {}) {
  extra["language"] = language;
  extra["condition"] = condition;
  return make("io.debezium.transforms.Filter", extra);
}

bool keeps(Transformation& t, SourceRecord r) {
  return t.apply(r);
}

std::string error_of(Transformation& t, SourceRecord r) {
  try {
    t.apply(r);
  } catch (const DataException& e) {
    return e.what();
  }
  return "no error";
}

TEST(DebeziumFilter, TheSeedsConditionKeepsOnlyCancelledOrderUpdates) {
  auto f = filter("value.op == 'u' && value.after.status == 'cancelled'");
  EXPECT_TRUE(keeps(*f, change("u", row(1, "new", 5), row(1, "cancelled", 5))));
  EXPECT_FALSE(keeps(*f, change("u", row(1, "new", 5), row(1, "shipped", 5))));
  EXPECT_FALSE(keeps(*f, change("c", Value(), row(1, "cancelled", 5))));
  // A delete has no `after`, but && stops at op == 'u'.
  EXPECT_FALSE(keeps(*f, change("d", row(1, "cancelled", 5), Value())));
}

TEST(DebeziumFilter, GroovyExpressionsUsersWrite) {
  const auto upd = change("u", row(1, "new", 5), row(2, "cancelled", 12.5));
  for (const char* yes : {"value.get('op') == 'u'",
                          "value?.after?.status == 'cancelled'",
                          "value.after.id > 1 && value.after.id <= 2",
                          "value.op in ['u', 'c']",
                          "value.after.amount >= 12.5 && value.after.amount < 13",
                          "value.after.id == 2L",
                          "topic.startsWith('dbserver1.') && topic.endsWith('.orders')",
                          "topic ==~ 'dbserver1\\\\.public\\\\..*'",
                          "topic =~ 'public'",
                          "valueSchema.name().endsWith('Envelope') && valueSchema.version() == 2",
                          "value.after.status.toUpperCase() == 'CANCELLED'",
                          "!(value.op == 'd')",
                          "value.before.status != value.after.status",
                          "value.ts_ms / 1000 == 1700000000",
                          "value.after.status.length() == 9 && value.after.status.contains('cel')",
                          "(value.op == 'c' || value.op == 'u') && value.after != null",
                          "value.before.id == 1 ? true : false",
                          "key == null",
                          "value['op'] == \"u\"",
                          "value.after.status.matches('can.*')",
                          "value.after.id + 1 == 3"}) {
    EXPECT_TRUE(keeps(*filter(yes), upd)) << yes;
  }
  for (const char* no : {"value.op == 'c'", "value.after.id != 2", "value.op in ['c', 'r']",
                         "topic ==~ 'public'", "value.after.amount > 100"}) {
    EXPECT_FALSE(keeps(*filter(no), upd)) << no;
  }
}

TEST(DebeziumFilter, EvaluationErrorsAreGroovys) {
  const auto del = change("d", row(1, "new", 5), Value());
  EXPECT_EQ(error_of(*filter("value.after.status == 'x'"), del),
            "Error while evaluating expression 'value.after.status == 'x'' for record on topic "
            "'dbserver1.public.orders': Cannot get property 'status' on null object (at position "
            "12)");
  EXPECT_EQ(error_of(*filter("value.nope == 1"), del),
            "Error while evaluating expression 'value.nope == 1' for record on topic "
            "'dbserver1.public.orders': nope is not a valid field name (at position 6)");
  EXPECT_EQ(error_of(*filter("value.op"), del),
            "Error while evaluating expression 'value.op' for record on topic "
            "'dbserver1.public.orders': Value 'd' returned by the expression is not a Boolean");
  // graal.js reads a missing member as undefined.
  EXPECT_TRUE(keeps(*filter("value.nope == null", "jsr223.graal.js"), del));
  EXPECT_TRUE(keeps(*filter("value.op === 'd' && value.before.id === 1", "jsr223.graal.js"), del));
}

TEST(DebeziumFilter, TopicRegexNullHandlingAndHeaders) {
  // Only topics matching topic.regex (as a whole) are evaluated; others pass untouched.
  auto f =
      filter("value.after.status == 'x'", "jsr223.groovy", {{"topic.regex", ".*\\.customers"}});
  EXPECT_TRUE(keeps(*f, change("d", row(1, "new", 5), Value())));  // would fail if evaluated
  EXPECT_FALSE(keeps(*f, change("c", Value(), row(1, "y", 5), "dbserver1.public.customers")));
  SourceRecord tomb;
  tomb.topic = "dbserver1.public.orders";
  EXPECT_TRUE(keeps(*filter("false"), tomb));  // null.handling.mode=keep (the default)
  EXPECT_FALSE(keeps(*filter("true", "jsr223.groovy", {{"null.handling.mode", "drop"}}), tomb));
  EXPECT_TRUE(
      keeps(*filter("value == null", "jsr223.groovy", {{"null.handling.mode", "evaluate"}}), tomb));
  auto r = change("c", Value(), row(1, "y", 5));
  r.headers.push_back(Header{"trace", schemas::string(), Value("old")});
  r.headers.push_back(Header{"trace", schemas::string(), Value("abc")});
  EXPECT_TRUE(keeps(*filter("headers.trace.value == 'abc'"), r));  // the last of that name
  EXPECT_TRUE(keeps(*filter("header.trace.schema.type() == 'STRING'"), r));
  EXPECT_TRUE(keeps(*filter("headers.missing == null"), r));
}

TEST(DebeziumFilter, BadConfigsNameTheKey) {
  auto error = [](const ConfigMap& config) -> std::string {
    auto errors = TransformChain::validate(config, registry());
    for (const auto& [k, v] : errors)
      if (!v.empty()) return k + " | " + v.front();
    return "no error";
  };
  auto with = [](const char* language, const char* condition) {
    return ConfigMap{{"transforms", "filter"},
                     {"transforms.filter.type", "io.debezium.transforms.Filter"},
                     {"transforms.filter.language", language},
                     {"transforms.filter.condition", condition}};
  };
  EXPECT_EQ(error(with("jsr223.groovy", "value.op == 'u' &&")),
            "transforms.filter.condition | Invalid value value.op == 'u' && for configuration "
            "transforms.filter.condition: Failed to parse expression 'value.op == 'u' &&': "
            "unexpected end of the condition at position 19");
  EXPECT_EQ(error(with("jsr223.groovy", "record.op == 'u'")),
            "transforms.filter.condition | Invalid value record.op == 'u' for configuration "
            "transforms.filter.condition: Failed to parse expression 'record.op == 'u'': unknown "
            "name 'record' (the names bound are key, value, keySchema, valueSchema, topic, "
            "header, headers) at position 1");
  EXPECT_EQ(error(with("groovy", "true")),
            "transforms.filter.language | Invalid value groovy for configuration "
            "transforms.filter.language: Value for option 'language' must begin with 'jsr223.', "
            "e.g. 'jsr223.groovy'");
  EXPECT_TRUE(error(with("jsr223.python", "True"))
                  .starts_with("transforms.filter.language | Invalid value jsr223.python"));
  auto bad_mode = with("jsr223.groovy", "true");
  bad_mode["transforms.filter.null.handling.mode"] = "skip";
  EXPECT_TRUE(error(bad_mode).starts_with("transforms.filter.null.handling.mode | "));
  EXPECT_EQ(error(with("jsr223.groovy", "value.op == 'u'")), "no error");
}

TEST(ContentBasedRouter, RoutesByTheExpressionsTopic) {
  auto t = make("io.debezium.transforms.ContentBasedRouter",
                {{"language", "jsr223.groovy"},
                 {"topic.expression",
                  "value.after?.status == 'cancelled' ? 'cancelled.' + value.after.id : null"}});
  auto r = change("u", row(1, "new", 5), row(7, "cancelled", 5));
  ASSERT_TRUE(t->apply(r));
  EXPECT_EQ(r.topic, "cancelled.7");
  auto other = change("u", row(1, "new", 5), row(7, "new", 5));
  ASSERT_TRUE(t->apply(other));
  EXPECT_EQ(other.topic, "dbserver1.public.orders");
}

}  // namespace
}  // namespace tributary::transforms
