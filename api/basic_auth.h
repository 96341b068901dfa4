// Kafka Connect's BasicAuthSecurityRestExtension: HTTP basic authentication of every REST
// request against the credentials of a JAAS PropertyFileLoginModule, configured as Connect
// configures it:
//
//   rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension
//   KAFKA_OPTS=-Djava.security.auth.login.config=/etc/kafka/connect_jaas.conf   (environment)
//     or tributary.rest.jaas.config=/etc/kafka/connect_jaas.conf               (worker property)
//
//   connect_jaas.conf:  KafkaConnect {
//                         org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule
//                         required file="/etc/kafka/connect.password";
//                       };
//   connect.password:   user=password   (.properties)
//
// As Kafka: a request without valid credentials is answered 401 "User cannot access the
// resource."; POST /connectors/{n}/tasks (the internal task-config request) is exempt; the file
// is read once, at start. Ours alone: tributary.rest.health.unauthenticated=true lets GET /health
// through without credentials (load-balancer probes). Credentials are never logged.
//
// Threading: immutable after construction; authorized() may be called from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/config.h"

namespace tributary::api {

inline constexpr const char* kBasicAuthExtension =
    "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension";
inline constexpr const char* kPropertyFileLoginModule =
    "org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule";

/// One login module line of a JAAS configuration entry.
struct JaasModule {
  std::string class_name;
  std::string flag;  // required, requisite, sufficient, optional
  std::map<std::string, std::string> options;
};

/// Parses a JAAS configuration file's text (Java's ConfigFile syntax: entries
/// `Name { module flag key="value" ...; ... };`, // and /* */ comments). Returns the modules of
/// each entry by name. Throws std::invalid_argument naming `path` and the line on bad syntax.
std::map<std::string, std::vector<JaasModule>> parse_jaas_config(std::string_view text,
                                                                 const std::string& path);

class BasicAuth {
 public:
  /// From the worker config: nullopt unless rest.extension.classes names the basic-auth
  /// extension. Throws ConfigError naming the key or file when it cannot be set up (no JAAS file,
  /// no KafkaConnect entry, a login module other than PropertyFileLoginModule, no credentials
  /// file), so the worker never starts unprotected by mistake. `kafka_opts` is $KAFKA_OPTS.
  static std::optional<BasicAuth> from_worker_config(const ConfigMap& worker_props,
                                                     const char* kafka_opts);
  explicit BasicAuth(std::map<std::string, std::string> users, bool health_unauthenticated);

  /// Whether a request may pass: `authorization` is the Authorization header's value (empty when
  /// absent).
  bool authorized(std::string_view method, std::string_view path,
                  std::string_view authorization) const;

 private:
  std::map<std::string, std::string> users_;
  bool health_unauthenticated_;
};

}  // namespace tributary::api
