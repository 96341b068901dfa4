// A client of the Confluent Schema Registry REST API (also served by Apicurio Registry at
// /apis/ccompat/v7): register a schema under a subject, look one up, read the latest version, read
// a schema by id. Configured with the keys of Confluent's SchemaRegistryClientConfig /
// AbstractKafkaSchemaSerDeConfig (see avro_converter.h for the ConfigDef):
//
//   schema.registry.url            comma-separated base URLs; a request that cannot reach one URL
//                                  (connection refused, timeout, 5xx) moves to the next, round
//                                  robin, as Confluent's RestService does
//   basic.auth.credentials.source  URL (user info in the URL) | USER_INFO (basic.auth.user.info) |
//                                  SASL_INHERIT (refused: there is no SASL JAAS config here)
//   schema.registry.ssl.*          TLS for https URLs (common/tls.h); the host name is checked
//                                  unless schema.registry.ssl.endpoint.identification.algorithm=""
//   max.retries, retries.wait.ms, retries.max.wait.ms
//                                  retries of 408 / 429 / 5xx answers and unreachable registries,
//                                  with exponential backoff and full jitter (Confluent 7.5+)
//   http.connect.timeout.ms, http.read.timeout.ms
//
// Every call blocks the calling thread (a task thread, in from_connect) at most for its deadline;
// interrupt() from any thread ends it at once (it then throws RegistryError with interrupted=true).
// The HTTP is Boost.Beast over Asio, run for short slices so the interrupt is seen within 50 ms.
//
// Threading: one client per converter, used by that converter's (task) thread; interrupt() may be
// called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tributary/config.h"

namespace tributary::avro {

/// A registry call that failed. `status` is the HTTP status (0: no answer — unreachable, timed
/// out or interrupted); `error_code` the body's error_code (Confluent's 40401, 42201, 409...).
struct RegistryError : std::runtime_error {
  RegistryError(const std::string& what, int status, int error_code, bool interrupted = false)
      : std::runtime_error(what),
        status(status),
        error_code(error_code),
        interrupted(interrupted) {}
  int status;
  int error_code;
  bool interrupted;
  /// No answer, or an answer worth retrying (408, 429, 5xx).
  bool retriable() const {
    return !interrupted && (status == 0 || status == 408 || status == 429 || status >= 500);
  }
};

struct RegistrySettings {
  std::vector<std::string> urls;
  std::string user_info;  // "user:password" for HTTP basic auth; empty: none
  ConfigMap ssl_props;    // the converter's props, read for schema.registry.ssl.* when https
  bool verify_host_name = true;
  std::chrono::milliseconds connect_timeout{60000};
  std::chrono::milliseconds read_timeout{60000};
  int max_retries = 3;
  std::chrono::milliseconds retry_wait{1000};
  std::chrono::milliseconds retry_max_wait{20000};
  bool normalize = false;  // normalize.schemas: ?normalize=true on register and lookup

  /// Reads the keys above from a converter's props. Throws ConfigError naming the key.
  static RegistrySettings from(const ConfigMap& props);
};

struct RegisteredSchema {
  int id = 0;
  int version = 0;
  std::string schema;  // the registry's text of the schema
};

class RegistryClient {
 public:
  explicit RegistryClient(RegistrySettings settings);
  ~RegistryClient();
  RegistryClient(const RegistryClient&) = delete;
  RegistryClient& operator=(const RegistryClient&) = delete;

  /// POST /subjects/{subject}/versions: the schema's id (registering it when new).
  int register_schema(const std::string& subject, const std::string& avro_schema);
  /// POST /subjects/{subject}: the id and version of an already registered schema (404 when it
  /// is not registered under the subject).
  RegisteredSchema lookup(const std::string& subject, const std::string& avro_schema);
  /// GET /subjects/{subject}/versions/latest.
  RegisteredSchema latest(const std::string& subject);
  /// GET /schemas/ids/{id}: the schema text.
  std::string schema_by_id(int id);

  /// Any thread: ends the current and every later call with RegistryError{interrupted}.
  void interrupt() noexcept;
  /// The URLs, with any user info removed (for messages).
  std::string describe() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Percent-encodes a path segment (subject names may hold any character).
std::string url_path_segment(const std::string& s);

}  // namespace tributary::avro
