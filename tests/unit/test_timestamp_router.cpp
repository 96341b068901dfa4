// Kafka's TimestampRouter and the SimpleDateFormat patterns it formats with (UTC). Expected text
// written by hand from java.text.SimpleDateFormat's documentation: 1700000000123 ms since the
// epoch is Tuesday 2023-11-14 22:13:20.123 UTC, day 318 of the year.
#include <gtest/gtest.h>

#include "java_date.h"
#include "transforms_test_util.h"
#include "worker/transform_chain.h"

namespace tributary::transforms {
namespace {

constexpr std::int64_t kT = 1700000000123;

std::string fmt(const std::string& pattern, std::int64_t ms = kT) {
  return JavaDateFormat(pattern).format(ms);
}

TEST(JavaDateFormat, PatternsUsersWrite) {
  EXPECT_EQ(fmt("yyyyMMdd"), "20231114");
  EXPECT_EQ(fmt("yyyy-MM-dd'T'HH:mm:ss.SSSX"), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(fmt("EEE, d MMM yy hh:mm a"), "Tue, 14 Nov 23 10:13 PM");
  EXPECT_EQ(fmt("EEEE MMMM D u F"), "Tuesday November 318 2 2");
  EXPECT_EQ(fmt("'o''clock' k K z Z"), "o'clock 22 10 UTC +0000");
  EXPECT_EQ(fmt("yyyy-MM-dd HH:mm:ss.SSS", -1), "1969-12-31 23:59:59.999");
  EXPECT_EQ(fmt("y M d H m s S", 0), "1970 1 1 0 0 0 0");
  EXPECT_EQ(fmt("yyyy-MM-dd", 951782400000), "2000-02-29");  // a leap day
  auto error = [](const std::string& p) -> std::string {
    try {
      JavaDateFormat f(p);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error("yyyyMMdd-q"), "Illegal pattern character 'q'");
  EXPECT_EQ(error("'abc"), "Unterminated quote");
  EXPECT_EQ(error("YYYY-ww"), "pattern letter 'Y' (week-based, locale-dependent) is not supported");
}

TEST(TimestampRouter, TopicFromTheRecordsTimestamp) {
  auto router = [](const ConfigMap& props) {
    return test::make("org.apache.kafka.connect.transforms.TimestampRouter", props);
  };
  SourceRecord r;
  r.topic = "orders";
  r.timestamp = kT;
  ASSERT_TRUE(router({})->apply(r));
  EXPECT_EQ(r.topic, "orders-20231114");
  SourceRecord m;
  m.topic = "orders";
  m.timestamp = kT;
  ASSERT_TRUE(router({{"topic.format", "${timestamp}.${topic}"}, {"timestamp.format", "yyyy-MM"}})
                  ->apply(m));
  EXPECT_EQ(m.topic, "2023-11.orders");
  // Like Kafka's, it needs a timestamp, which Debezium's records do not carry.
  SourceRecord none;
  none.topic = "orders";
  try {
    router({})->apply(none);
    FAIL();
  } catch (const DataException& e) {
    EXPECT_STREQ(e.what(), "Timestamp missing on record to topic 'orders'");
  }
  auto errors = TransformChain::validate({{"transforms", "tr"},
                                          {"transforms.tr.type", "TimestampRouter"},
                                          {"transforms.tr.timestamp.format", "yyyy-qq"}},
                                         test::registry());
  ASSERT_EQ(errors.count("transforms.tr.timestamp.format"), 1U);
  EXPECT_EQ(errors["transforms.tr.timestamp.format"].front(),
            "Invalid value yyyy-qq for configuration transforms.tr.timestamp.format: Illegal "
            "pattern character 'q'");
}

}  // namespace
}  // namespace tributary::transforms
