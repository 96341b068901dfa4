// Basic authentication as Kafka's BasicAuthSecurityRestExtension, and the JAAS file syntax,
// without a server (the e2e tests drive it with curl).
#include <gtest/gtest.h>

#include "api/basic_auth.h"

namespace tributary::api {
namespace {

std::string basic(const std::string& base64) {
  return "Basic " + base64;
}

TEST(BasicAuth, CredentialsAsKafkaChecksThem) {
  BasicAuth a({{"admin", "s3cret:with:colons"}, {"u", ""}}, false);
  // admin:s3cret:with:colons — the password is everything after the first colon.
  EXPECT_TRUE(a.authorized("GET", "/connectors", basic("YWRtaW46czNjcmV0OndpdGg6Y29sb25z")));
  EXPECT_TRUE(a.authorized("GET", "/", "basic YWRtaW46czNjcmV0OndpdGg6Y29sb25z"));  // any case
  // Unpadded base64 of "u:" (Java's decoder takes it) and padded.
  EXPECT_TRUE(a.authorized("GET", "/", basic("dTo")));
  EXPECT_TRUE(a.authorized("GET", "/", basic("dTo=")));
  for (const char* bad : {"", "Basic", "Basic ", "Bearer YWRtaW46", "Basic !!!!", "Basic Zm9v",
                          "Basic YWRtaW46d3Jvbmc=" /* admin:wrong */,
                          "Basic OnMzY3JldA==" /* :s3cret */, "Basic YQ" /* 1 char group */})
    EXPECT_FALSE(a.authorized("GET", "/", bad)) << bad;
  EXPECT_FALSE(a.authorized("GET", "/health", ""));
  EXPECT_FALSE(a.authorized("GET", "/", "Basic " + std::string(5000, 'A')));
  // The internal task-config request of distributed workers is exempt, as in Kafka.
  EXPECT_TRUE(a.authorized("POST", "/connectors/x/tasks", ""));
  EXPECT_TRUE(a.authorized("POST", "/connectors/x/tasks/", ""));
  EXPECT_FALSE(a.authorized("GET", "/connectors/x/tasks", ""));
  EXPECT_FALSE(a.authorized("POST", "/connectors/x/y/tasks", ""));
  EXPECT_FALSE(a.authorized("POST", "/connectors//tasks", ""));
  BasicAuth open_health({{"admin", "p"}}, true);
  EXPECT_TRUE(open_health.authorized("GET", "/health", ""));
  EXPECT_TRUE(open_health.authorized("HEAD", "/health?x=1", ""));
  EXPECT_FALSE(open_health.authorized("PUT", "/health", ""));
  EXPECT_FALSE(open_health.authorized("GET", "/healthz", ""));
}

TEST(Jaas, ParsesJavasConfigFileSyntax) {
  auto j = parse_jaas_config(R"(// comment
    KafkaConnect {
      org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule Required
        file="/etc/kafka/connect.password" debug=true; /* two modules */
      other.Module optional a="x\"y";
    };
    Other { m sufficient; };)",
                             "/j.conf");
  ASSERT_EQ(j.at("KafkaConnect").size(), 2u);
  EXPECT_EQ(j.at("KafkaConnect")[0].flag, "required");
  EXPECT_EQ(j.at("KafkaConnect")[0].options.at("file"), "/etc/kafka/connect.password");
  EXPECT_EQ(j.at("KafkaConnect")[0].options.at("debug"), "true");
  EXPECT_EQ(j.at("KafkaConnect")[1].options.at("a"), "x\"y");
  EXPECT_EQ(j.at("Other")[0].class_name, "m");
  for (const char* bad :
       {"KafkaConnect {", "KafkaConnect { m required }", "X { m maybe; };", "X { m required a=; };",
        "X { m required a=\"open; };", "/* open", "X { m required; }", "{ };"}) {
    try {
      parse_jaas_config(bad, "/j.conf");
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("/j.conf"), std::string::npos) << e.what();
    }
  }
}

TEST(BasicAuth, OffUnlessTheExtensionIsNamed) {
  EXPECT_FALSE(BasicAuth::from_worker_config({}, nullptr).has_value());
  EXPECT_THROW(BasicAuth::from_worker_config({{"rest.extension.classes", "com.x.Other"}}, nullptr),
               ConfigError);
  try {
    BasicAuth::from_worker_config({{"rest.extension.classes", kBasicAuthExtension}},
                                  "-Djava.security.auth.login.config=/nonexistent/jaas.conf");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "KAFKA_OPTS");
    EXPECT_NE(std::string(e.what()).find("/nonexistent/jaas.conf"), std::string::npos);
  }
}

}  // namespace
}  // namespace tributary::api
