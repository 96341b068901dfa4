// AvroConverter: Connect data to Confluent's wire format (byte 0 = magic 0, bytes 1-4 = the
// registry's schema id big-endian, then the Avro binary), as
// io.confluent.connect.avro.AvroConverter writes it. The schema is AvroData's (avro_data.h),
// registered under the subject its subject name strategy gives, through RegistryClient
// (schema_registry.h).
//
// Steady state makes no registry call: each (topic, Connect schema) pair is cached with its
// encoder and id (the last one hit is checked first, then a map; schemas.cache.config bounds it),
// and each subject keeps the ids of the schema texts it registered (max.schemas.per.subject).
//
// Failures (see docs/COMPATIBILITY.md):
//   - 409 / 422 from the registry (an incompatible or invalid schema), another 4xx answer, a
//     value that does not fit: std::invalid_argument (AvroConversionError) naming the topic, the
//     subject, the registry's message and, for 409, the field changes from the latest registered
//     version — the task fails, or skips and counts the record under errors.tolerance=all, as
//     Connect's DataException;
//   - a registry that cannot be reached after the retries, or that refuses the credentials (401,
//     403): std::runtime_error, which fails the task even under errors.tolerance=all (Connect
//     would skip every record of the outage: data loss an operator did not ask for);
//   - interrupt() (the task is stopping): RegistryError{interrupted}.
//
// use.latest.version (with auto.register.schemas=false) writes each record in the subject's
// latest schema: the record is projected on it as Avro's schema resolution would read it (fields
// by name, a field the record lacks gets its default, numbers widen), and fails naming the
// field when that cannot be done (latest.compatibility.strict's check) or when the latest schema
// is not one AvroData would write (its layout could not be reproduced).
//
// Threading: one instance per task and role, used by the task thread; interrupt() from any thread.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "converters/avro_data.h"
#include "converters/schema_registry.h"
#include "tributary/config.h"
#include "tributary/converter.h"

namespace tributary::avro {

/// The keys of Confluent's AvroConverterConfig (AbstractKafkaSchemaSerDeConfig, AvroDataConfig,
/// SchemaRegistryClientConfig), with Confluent's names, defaults and documentation.
ConfigDef avro_converter_config_def();

/// A record the converter cannot write (tolerable: errors.tolerance=all skips it).
struct AvroConversionError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// Avro's schema resolution on Connect data: `value` of schema `from` as a value of `to` (fields
/// matched by name, missing ones from `to`'s defaults, int → long → float → double and
/// string ↔ bytes widened). Throws std::invalid_argument naming the field that cannot be carried
/// over. With a null `value`, only checks that the schemas allow it (for every value).
Value project_value(const Schema& from, const Value* value, const SchemaPtr& to,
                    const std::string& path = "");

/// What changed between two Avro schema texts, for messages: "R: added field 'f' (type, default
/// null); R: removed field 'g' (string, no default); R: field 'h' changed from int to string".
/// Records are matched by full name. Empty when nothing differs or a text is not JSON.
std::string describe_schema_changes(const std::string& old_schema, const std::string& new_schema);

enum class SubjectStrategy { TopicName, RecordName, TopicRecordName };

class AvroConverter : public Converter {
 public:
  AvroConverter();
  ~AvroConverter() override;

  /// Reads the keys of avro_converter_config_def(). Throws ConfigError naming the key.
  void configure(const ConfigMap& props, bool is_key) override;
  bool from_connect(std::string_view topic, const SchemaPtr& schema, const Value& value,
                    std::string& out) override;
  /// Confluent's toConnectData: the magic byte and id, the writer schema fetched by id (cached),
  /// AvroDecoder's Connect schema and value. Throws std::invalid_argument for bytes that are
  /// not this wire format or not a datum of their schema, RegistryError when the schema cannot
  /// be fetched.
  std::pair<SchemaPtr, Value> to_connect(std::string_view topic, const std::string* data) override;
  void interrupt() noexcept override;

  /// The subject a record of `topic` with this Avro schema is registered under.
  std::string subject_for(std::string_view topic, const std::string& avro_schema) const;
  /// Registry calls made so far (tests check the steady state makes none).
  std::size_t registry_calls() const { return registry_calls_; }

 private:
  struct Encoded {
    SchemaPtr schema;  // keeps the key's address alive while cached
    std::shared_ptr<AvroEncoder> encoder;
    int id = 0;
    SchemaPtr project_to;  // use.latest.version: the latest version's schema, when not `schema`
  };

  Encoded& entry_for(std::string_view topic, const SchemaPtr& schema);
  int schema_id(std::string_view topic, const std::string& subject, const std::string& text);
  // use.latest.version: the latest version of `subject`, and the schema to project records on
  // (null when it is the record's own).
  std::pair<int, SchemaPtr> latest_for(std::string_view topic, const std::string& subject,
                                       const std::string& text, const SchemaPtr& schema);
  [[noreturn]] void fail(std::string_view topic, const std::string& subject,
                         const std::string& text, const RegistryError& e);

  bool is_key_ = false;
  AvroDataConfig data_config_;
  SubjectStrategy strategy_ = SubjectStrategy::TopicName;
  bool auto_register_ = true;
  bool use_latest_ = false;
  bool latest_strict_ = true;
  std::size_t cache_capacity_ = 1000;
  std::size_t max_per_subject_ = 1000;
  std::unique_ptr<RegistryClient> client_;
  std::size_t registry_calls_ = 0;

  // (topic, schema address) -> encoder and id; `last_` is the entry hit last.
  std::unordered_map<std::string, Encoded> entries_;
  Encoded* last_ = nullptr;
  std::string last_topic_;
  std::string key_scratch_;
  // One encoder per Connect schema, shared by the topics that use it.
  std::unordered_map<const Schema*, std::shared_ptr<AvroEncoder>> encoders_;
  // Writer schemas by id (to_connect).
  std::unordered_map<int, std::shared_ptr<AvroDecoder>> decoders_;
  // subject -> schema text -> id.
  std::map<std::string, std::unordered_map<std::string, int>> ids_;
};

}  // namespace tributary::avro
