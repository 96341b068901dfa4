#include "worker/worker_config.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace tributary {

const ConfigDef& worker_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    using CT = ConfigType;
    using I = Importance;
    d.define("bootstrap.servers", CT::List, "localhost:9092", I::High,
             "A list of host/port pairs used to establish the initial connection to the Kafka "
             "cluster.",
             "Common");
    d.define("group.id", CT::String, "", I::High,
             "A unique string that identifies the Connect cluster group this worker belongs to "
             "(used by distributed mode; recorded but unused in standalone).",
             "Common");
    d.define("key.converter", CT::Class, "org.apache.kafka.connect.json.JsonConverter", I::High,
             "Converter class for record keys; connectors may override it. Sub-keys "
             "`key.converter.*` configure it.",
             "Converters");
    d.define("value.converter", CT::Class, "org.apache.kafka.connect.json.JsonConverter", I::High,
             "Converter class for record values; connectors may override it. Sub-keys "
             "`value.converter.*` configure it.",
             "Converters");
    d.define("header.converter", CT::Class,
             "org.apache.kafka.connect.storage.SimpleHeaderConverter", I::Low,
             "HeaderConverter class for record headers.", "Converters");
    d.define("offset.storage.file.filename", CT::String, "", I::High,
             "File to store source offsets in (standalone). When empty, offsets go to "
             "`offset.storage.topic`.",
             "Offsets");
    d.define("offset.storage.topic", CT::String, "connect-offsets", I::High,
             "Kafka topic for source offsets, in Kafka Connect's format (used when "
             "`offset.storage.file.filename` is empty).",
             "Offsets");
    d.define("offset.storage.partitions", CT::Int, "25", I::Low,
             "Partitions of the offsets topic when Tributary creates it.", "Offsets",
             validators::at_least(1));
    d.define("offset.storage.replication.factor", CT::Short, "3", I::Low,
             "Replication factor of the offsets topic when Tributary creates it (-1: broker "
             "default).",
             "Offsets", validators::at_least(-1));
    d.define("config.storage.topic", CT::String, "connect-configs", I::Low,
             "Kafka topic for connector configs (distributed mode; standalone keeps configs in "
             "`config.storage.file.filename`).",
             "Configs");
    d.define("config.storage.file.filename", CT::String, "", I::Medium,
             "File where connectors created over REST are kept so that they survive a restart. "
             "Default: `<offset.storage.file.filename>.connectors.json`, or "
             "`tributary-connectors.json` in the working directory.",
             "Configs");
    d.define("status.storage.topic", CT::String, "connect-status", I::Low,
             "Kafka topic for connector and task statuses (distributed mode).", "Status");
    d.define("offset.flush.interval.ms", CT::Long, "60000", I::Low,
             "Interval at which to try committing offsets for tasks.", "Offsets",
             validators::at_least(1));
    d.define("offset.flush.timeout.ms", CT::Long, "5000", I::Low,
             "Maximum milliseconds to wait for records to flush and offsets to be committed "
             "before cancelling the commit.",
             "Offsets", validators::at_least(1));
    d.define("task.shutdown.graceful.timeout.ms", CT::Long, "5000", I::Low,
             "Time to wait for tasks to shut down gracefully (flush the producer, commit "
             "offsets).",
             "Common", validators::at_least(0));
    d.define("plugin.path", CT::List, "", I::Low,
             "Comma list of directories (or .so files) holding plugins.", "Common");
    d.define("listeners", CT::List, "http://:8083", I::Low,
             "REST listeners, a comma list of `http://host:port` and `https://host:port` (an "
             "empty host binds every interface; `127.0.0.1` keeps the API on this machine).",
             "REST");
    d.define("rest.extension.classes", CT::List, "", I::Low,
             "REST extensions. `org.apache.kafka.connect.rest.basic.auth.extension."
             "BasicAuthSecurityRestExtension` turns on basic authentication against the JAAS "
             "`KafkaConnect` entry's PropertyFileLoginModule file, the JAAS file given as in "
             "Connect by `KAFKA_OPTS=-Djava.security.auth.login.config=<file>` or by "
             "`tributary.rest.jaas.config`.",
             "REST");
    d.define("tributary.rest.jaas.config", CT::String, "", I::Low,
             "Tributary only. The JAAS configuration file for basic authentication (instead of "
             "`-Djava.security.auth.login.config` in `KAFKA_OPTS`).",
             "REST");
    d.define("tributary.rest.request.timeout.ms", CT::Long, "90000", I::Low,
             "Tributary only. How long a REST request that changes something (create, update, "
             "delete, pause, resume, stop, restart, offsets, validate) waits for the herder "
             "before it answers 500 `Request timed out` (the change may still complete). Kafka "
             "Connect's fixed 90 s. Reads (`GET`, `/health`, `/metrics`) never wait.",
             "REST", validators::at_least(1));
    d.define("tributary.rest.health.unauthenticated", CT::Boolean, "false", I::Low,
             "Tributary only. With basic authentication on, let `GET /health` through without "
             "credentials (for load-balancer and orchestrator probes).",
             "REST");
    // TLS of https listeners: Connect's ssl.* keys, or the same keys under listeners.https.
    // (all or nothing).
    d.define("ssl.keystore.type", CT::String, "JKS", I::Medium,
             "Keystore format: PKCS12, PEM, or JKS (read when the file is PKCS12, as Java's "
             "compatible JKS keystore does; a real JKS file is refused with the keytool command "
             "that converts it).",
             "REST TLS");
    d.define("ssl.keystore.location", CT::String, "", I::High,
             "Keystore file of https listeners: the server key and its certificate chain.",
             "REST TLS");
    d.define("ssl.keystore.password", CT::Password, "", I::High, "Password of the keystore file.",
             "REST TLS");
    d.define("ssl.key.password", CT::Password, "", I::High,
             "Password of the private key (PEM keystores: an encrypted key).", "REST TLS");
    d.define("ssl.keystore.certificate.chain", CT::Password, "", I::High,
             "PEM keystore given inline: the certificate chain.", "REST TLS");
    d.define("ssl.keystore.key", CT::Password, "", I::High,
             "PEM keystore given inline: the private key.", "REST TLS");
    d.define("ssl.truststore.type", CT::String, "JKS", I::Medium,
             "Truststore format: PKCS12, PEM, or JKS (read when the file is PKCS12).", "REST TLS");
    d.define("ssl.truststore.location", CT::String, "", I::High,
             "Truststore file: the CAs client certificates are checked against.", "REST TLS");
    d.define("ssl.truststore.password", CT::Password, "", I::High,
             "Password of the truststore file.", "REST TLS");
    d.define("ssl.truststore.certificates", CT::Password, "", I::High,
             "PEM truststore given inline.", "REST TLS");
    d.define("ssl.client.auth", CT::String, "none", I::Low,
             "Client certificates: none, requested, or required.", "REST TLS",
             validators::one_of({"none", "requested", "required"}));
    d.define("ssl.enabled.protocols", CT::List, "TLSv1.2,TLSv1.3", I::Medium,
             "TLS versions https listeners accept (TLSv1.2, TLSv1.3).", "REST TLS");
    d.define("ssl.cipher.suites", CT::List, "", I::Low,
             "Cipher suites by their IANA names, as Java names them (empty: OpenSSL's defaults).",
             "REST TLS");
    d.define("rest.advertised.host.name", CT::String, "", I::Low,
             "Host name reported as this worker's id.", "REST");
    d.define("rest.advertised.port", CT::Int, "0", I::Low,
             "Port reported as this worker's id (0: the listener's port).", "REST");
    d.define("config.providers", CT::List, "", I::Low,
             "Config providers (`file`, `directory`, `env`, or Kafka's class names in "
             "`config.providers.<p>.class`) usable as ${provider:[path:]key} in worker and "
             "connector configs; `config.providers.<p>.param.allowed.paths` and "
             "`config.providers.env.param.allowlist.pattern` as Kafka's.",
             "Common");
    d.define("exactly.once.source.support", CT::String, "disabled", I::High,
             "Exactly-once source support (distributed mode in Kafka Connect).", "Common",
             validators::one_of({"disabled", "preparing", "enabled"}));
    d.define("topic.creation.enable", CT::Boolean, "true", I::Low,
             "Whether connectors may create their topics per `topic.creation.*` (KIP-158).",
             "Common");
    d.define("tributary.producer.io.thread.nice", CT::Int, "10", I::Low,
             "Tributary only. Nice value (0-19) of each task producer's librdkafka broker threads "
             "(0: unchanged). librdkafka 2.0 polls without sleeping while an idempotent "
             "producer's five in-flight requests are outstanding; a lower priority lets the task "
             "threads and a co-located broker use that CPU instead.",
             "Common", validators::between(0, 19));
    return d;
  }();
  return def;
}

const ConfigDef& connector_common_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    using CT = ConfigType;
    using I = Importance;
    d.define("name", CT::String, std::nullopt, I::High,
             "Globally unique name to use for this connector.", "Common",
             validators::non_empty_string());
    d.define("connector.class", CT::String, std::nullopt, I::High,
             "Name or alias of the class for this connector.", "Common");
    d.define("tasks.max", CT::Int, "1", I::High,
             "Maximum number of tasks to use for this connector.", "Common",
             validators::at_least(1));
    d.define("key.converter", CT::Class, "", I::Low,
             "Converter class for keys; overrides the worker's.", "Common");
    d.define("value.converter", CT::Class, "", I::Low,
             "Converter class for values; overrides the worker's.", "Common");
    d.define("header.converter", CT::Class, "", I::Low,
             "HeaderConverter class; overrides the worker's.", "Common");
    d.define("transforms", CT::List, "", I::Low,
             "Aliases for the transformations to apply to records, in order.", "Transforms");
    d.define("predicates", CT::List, "", I::Low,
             "Aliases for the predicates used by transformations.", "Predicates");
    d.define("errors.retry.timeout", CT::Long, "0", I::Medium,
             "Maximum duration in milliseconds that a failed operation will be reattempted.",
             "Error Handling");
    d.define("errors.retry.delay.max.ms", CT::Long, "60000", I::Medium,
             "Maximum duration in milliseconds between consecutive retry attempts.",
             "Error Handling");
    d.define("errors.tolerance", CT::String, "none", I::Medium,
             "Behavior for tolerating errors during connector operation: 'none' fails the task, "
             "'all' skips problematic records.",
             "Error Handling", validators::one_of({"none", "all"}));
    d.define("errors.log.enable", CT::Boolean, "false", I::Medium,
             "Log the details of each error and failed record.", "Error Handling");
    d.define("errors.log.include.messages", CT::Boolean, "false", I::Medium,
             "Include the record in the error log.", "Error Handling");
    d.define("topic.creation.groups", CT::List, "", I::Low,
             "Groups of topic configurations (KIP-158) besides `default`.", "Topic Creation");
    d.define("exactly.once.support", CT::String, "requested", I::Medium,
             "Whether exactly-once delivery is required for this connector.", "Exactly Once",
             validators::one_of({"requested", "required"}));
    d.define("transaction.boundary", CT::String, "poll", I::Medium,
             "Transaction boundaries for exactly-once source connectors.", "Exactly Once",
             validators::one_of({"poll", "interval", "connector"}));
    return d;
  }();
  return def;
}

namespace {
// The ssl.* keys librdkafka knows. The worker's other ssl.* keys are Java's (keystore and
// truststore types, truststore files, protocols, client auth) and configure the https REST
// listeners; librdkafka refuses them, so they never reach it.
bool librdkafka_ssl_key(const std::string& k) {
  static const std::set<std::string, std::less<>> kKeys = {"ssl.key.location",
                                                           "ssl.key.password",
                                                           "ssl.key.pem",
                                                           "ssl.certificate.location",
                                                           "ssl.certificate.pem",
                                                           "ssl.ca.location",
                                                           "ssl.ca.pem",
                                                           "ssl.ca.certificate.stores",
                                                           "ssl.crl.location",
                                                           "ssl.keystore.location",
                                                           "ssl.keystore.password",
                                                           "ssl.providers",
                                                           "ssl.engine.location",
                                                           "ssl.engine.id",
                                                           "ssl.endpoint.identification.algorithm",
                                                           "ssl.cipher.suites",
                                                           "ssl.curves.list",
                                                           "ssl.sigalgs.list"};
  return kKeys.count(k) > 0;
}
}  // namespace

ConfigMap WorkerConfig::client_props() const {
  ConfigMap out;
  out["bootstrap.servers"] = bootstrap_servers;
  std::string protocol;
  if (auto it = props.find("security.protocol"); it != props.end()) protocol = it->second;
  std::transform(protocol.begin(), protocol.end(), protocol.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  const bool tls = protocol == "SSL" || protocol == "SASL_SSL";
  for (const auto& [k, v] : props) {
    if (k.rfind("security.", 0) == 0 || k.rfind("sasl.", 0) == 0 || k == "client.dns.lookup")
      out[k] = v;
    else if (tls && k.rfind("ssl.", 0) == 0 && librdkafka_ssl_key(k))
      out[k] = v;
  }
  // Java's PEM truststore is librdkafka's CA file.
  if (tls && !out.count("ssl.ca.location")) {
    auto type = props.find("ssl.truststore.type");
    auto loc = props.find("ssl.truststore.location");
    if (type != props.end() && type->second == "PEM" && loc != props.end())
      out["ssl.ca.location"] = loc->second;
  }
  return out;
}

ConfigMap WorkerConfig::producer_props(const ConfigMap& connector_config) const {
  ConfigMap out = client_props();
  // Defaults close to Kafka Connect's producer: batching on, Java's key partitioning.
  out["linger.ms"] = "5";
  out["partitioner"] = "murmur2_random";
  out["message.timeout.ms"] = "120000";  // Java's delivery.timeout.ms default
  // Records waiting for Kafka are bounded in bytes (buffer.memory), so a slow broker
  // back-pressures the task instead of growing the worker (librdkafka allows 1 GB). 16 MB, half
  // of Java's default: the same throughput in tests/bench/run_postgres.sh, and a worker streaming
  // at the broker's limit peaks at 46 MB RSS instead of 70 MB.
  out["queue.buffering.max.kbytes"] = "16384";
  for (const auto& [k, v] : with_prefix_stripped(props, "producer.")) out[k] = v;
  for (const auto& [k, v] : with_prefix_stripped(connector_config, "producer.override."))
    out[k] = v;
  // Java's buffer.memory (bytes) is librdkafka's queue.buffering.max.kbytes.
  if (auto it = out.find("buffer.memory"); it != out.end()) {
    if (auto bytes = parse_long(it->second); bytes && *bytes > 0)
      out["queue.buffering.max.kbytes"] = std::to_string(std::max<std::int64_t>(1, *bytes / 1024));
  }
  out["enable.idempotence"] = "true";
  out["acks"] = "all";
  return out;
}

WorkerConfig parse_worker_config(const ConfigMap& props) {
  const auto& def = worker_config_def();
  auto errors = def.validate(props);
  for (const auto& [key, errs] : errors)
    if (!errs.empty()) throw ConfigError(key, errs.front());
  Config c(def, props);
  WorkerConfig w;
  w.props = props;
  auto bs = c.get_list("bootstrap.servers");
  for (size_t i = 0; i < bs.size(); ++i) w.bootstrap_servers += (i ? "," : "") + bs[i];
  auto listeners = c.get_list("listeners");
  w.listeners = listeners.empty() ? "http://:8083" : listeners.front();
  w.advertised_host = c.get_string("rest.advertised.host.name");
  w.advertised_port = c.get_int("rest.advertised.port");
  w.plugin_path = c.get_list("plugin.path");
  w.offset_file = c.get_string("offset.storage.file.filename");
  w.offset_topic = c.get_string("offset.storage.topic");
  w.offset_topic_partitions = c.get_int("offset.storage.partitions");
  w.offset_topic_replication = c.get_int("offset.storage.replication.factor");
  w.config_file = c.get_string("config.storage.file.filename");
  if (w.config_file.empty())
    w.config_file =
        w.offset_file.empty() ? "tributary-connectors.json" : w.offset_file + ".connectors.json";
  w.offset_flush_interval = std::chrono::milliseconds(c.get_long("offset.flush.interval.ms"));
  w.offset_flush_timeout = std::chrono::milliseconds(c.get_long("offset.flush.timeout.ms"));
  w.graceful_shutdown = std::chrono::milliseconds(c.get_long("task.shutdown.graceful.timeout.ms"));
  w.rest_request_timeout =
      std::chrono::milliseconds(c.get_long("tributary.rest.request.timeout.ms"));
  w.topic_creation_enable = c.get_bool("topic.creation.enable");
  w.producer_io_thread_nice = c.get_int("tributary.producer.io.thread.nice");
  return w;
}

}  // namespace tributary
