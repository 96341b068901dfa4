// org.apache.kafka.connect.transforms.TimestampConverter$Key / $Value: one field (`field`), or
// the whole key or value, converted between a formatted string (`format`, SimpleDateFormat in
// UTC), a Unix number (`unix.precision`) and Connect's Date, Time and Timestamp. The source kind
// comes from the schema (Timestamp / Date / Time by name, else string or int64), or from the value
// when there is none. Everything passes through epoch milliseconds, as Kafka's java.util.Date.
#include <limits>

#include "java_date.h"
#include "transforms.h"
#include "tributary/civil.h"

namespace tributary::transforms {
namespace {

constexpr std::int64_t kDayMs = 86400000;

enum class Kind { String, Unix, Date, Time, Timestamp };
enum class Precision { Seconds, Millis, Micros, Nanos };

std::int64_t saturating_mul(std::int64_t v, std::int64_t by) {
  std::int64_t out;
  if (__builtin_mul_overflow(v, by, &out))
    return (v < 0) ? std::numeric_limits<std::int64_t>::min()
                   : std::numeric_limits<std::int64_t>::max();
  return out;
}

// Kafka's ConnectSchema.toString: Schema{name:TYPE} or Schema{TYPE}.
std::string schema_text(const Schema& s) {
  return "Schema{" + (s.name() ? *s.name() + ":" : std::string()) +
         std::string(connect_type_enum_name(s.type())) + "}";
}

Kind kind_of_schema(const Schema& s) {
  if (s.name() == logical::kTimestamp) return Kind::Timestamp;
  if (s.name() == logical::kDate) return Kind::Date;
  if (s.name() == logical::kTime) return Kind::Time;
  if (s.type() == Type::String) return Kind::String;
  if (s.type() == Type::Int64) return Kind::Unix;
  throw DataException("Schema " + schema_text(s) +
                      " does not correspond to a known timestamp type format");
}

[[noreturn]] void no_schema_type_for_date() {
  // What Kafka's JsonConverter says of the java.util.Date a schemaless conversion produces.
  throw DataException("Java class class java.util.Date does not have corresponding schema type.");
}

class TimestampConverter : public Transformation {
 public:
  explicit TimestampConverter(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    const Config c = checked_config(timestamp_converter_config_def(), props);
    field_ = c.get_string("field");
    const std::string type = c.get_string("target.type");
    target_ = type == "string" ? Kind::String
              : type == "unix" ? Kind::Unix
              : type == "Date" ? Kind::Date
              : type == "Time" ? Kind::Time
                               : Kind::Timestamp;
    const std::string p = c.get_string("unix.precision");
    precision_ = p == "seconds"        ? Precision::Seconds
                 : p == "microseconds" ? Precision::Micros
                 : p == "nanoseconds"  ? Precision::Nanos
                                       : Precision::Millis;
    replace_null_ = c.get_bool("replace.null.with.default");
    const std::string pattern = c.get_string("format");
    const bool blank = pattern.find_first_not_of(" \t\n\r\f\v") == std::string::npos;
    if (target_ == Kind::String && blank)
      invalid("format", pattern,
              "TimestampConverter requires format option to be specified when using string "
              "timestamps");
    if (!blank) {
      try {
        format_.emplace(pattern);
      } catch (const std::invalid_argument& e) {
        invalid("format", pattern,
                "TimestampConverter requires a SimpleDateFormat-compatible pattern for string "
                "timestamps: " +
                    pattern + " (" + e.what() + ")");
      }
    }
  }

  bool apply(SourceRecord& r) override {
    Value& v = value_of(r, side_);
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) {
      if (v.is_null() || field_.empty()) {
        v = convert_schemaless(v);
        return true;
      }
      auto* map = std::get_if<Value::MapEntries>(&v.storage());
      if (map == nullptr) require_failed("Map", v, "converting timestamp formats");
      map_put_converted(*map, field_, [this](const Value& x) { return convert_schemaless(x); });
      return true;
    }
    if (field_.empty()) {
      const Kind from = kind_of_schema(*schema);
      v = convert(v, from);
      schema = type_schema(schema->optional());
      return true;
    }
    if (!v.is_null() && !v.is_struct()) require_failed("Struct", v, "converting timestamp formats");
    const Plan& plan = cache_.get(schema, [this](const Schema& s) {
      Plan p;
      SchemaBuilder b = copy_schema_basics(s, Type::Struct);
      for (const Field& f : s.fields()) {
        if (f.name == field_) p.field = f.index;
        b.field(f.name, f.name == field_ ? type_schema(f.schema->optional()) : f.schema);
      }
      if (s.optional()) b.optional();
      p.schema = b.build();
      return p;
    });
    const SchemaPtr& updated = plan.schema;
    if (!v.is_null()) {
      std::vector<Value> fields = take_fields(v);
      if (replace_null_)
        for (const Field& f : schema->fields()) {
          Value& x = fields[static_cast<std::size_t>(f.index)];
          if (x.is_null()) x = get_or_default(f, x);
        }
      if (plan.field >= 0) {
        const auto i = static_cast<std::size_t>(plan.field);
        fields[i] = convert(fields[i], kind_of_schema(*schema->fields()[i].schema));
      }
      v = Value(std::make_shared<Value::StructData>(Value::StructData{updated, std::move(fields)}));
    }
    schema = updated;
    return true;
  }

 private:
  SchemaPtr type_schema(bool optional) const {
    switch (target_) {
      case Kind::String: return schemas::string(optional);
      case Kind::Unix: return schemas::int64(optional);
      case Kind::Date: return schemas::date(optional);
      case Kind::Time: return schemas::time(optional);
      case Kind::Timestamp: return schemas::timestamp(optional);
    }
    return nullptr;
  }

  // The value as epoch milliseconds (Kafka's java.util.Date).
  std::int64_t to_raw(const Value& v, Kind from) const {
    switch (from) {
      case Kind::String: {
        if (!v.is<std::string>())
          throw DataException("Expected string timestamp to be a String, but found class " +
                              java_class_of(v));
        if (!format_)
          throw DataException(
              "TimestampConverter requires the format option to parse string timestamps");
        const auto ms = format_->parse(v.as<std::string>());
        if (!ms)
          throw DataException("Could not parse timestamp: value (" + v.as<std::string>() +
                              ") does not match pattern (" + format_->pattern() + ")");
        return *ms;
      }
      case Kind::Unix: {
        if (!v.is<std::int64_t>())
          throw DataException("Expected Unix timestamp to be a Long, but found class " +
                              java_class_of(v));
        const std::int64_t t = v.as<std::int64_t>();
        switch (precision_) {
          case Precision::Seconds: return saturating_mul(t, 1000);
          case Precision::Micros: return t / 1000;
          case Precision::Nanos: return t / 1000000;
          case Precision::Millis: return t;
        }
        return t;
      }
      case Kind::Date:
        if (!v.is<std::int32_t>())
          throw DataException("Expected Date to be a java.util.Date, but found class " +
                              java_class_of(v));
        return static_cast<std::int64_t>(v.as<std::int32_t>()) * kDayMs;
      case Kind::Time:
        if (!v.is<std::int32_t>())
          throw DataException("Expected Time to be a java.util.Date, but found class " +
                              java_class_of(v));
        return v.as<std::int32_t>();
      case Kind::Timestamp:
        if (!v.is<std::int64_t>())
          throw DataException("Expected Timestamp to be a java.util.Date, but found class " +
                              java_class_of(v));
        return v.as<std::int64_t>();
    }
    return 0;
  }

  Value to_type(std::int64_t ms) const {
    switch (target_) {
      case Kind::String: return Value(format_->format(ms));
      case Kind::Unix:
        switch (precision_) {
          case Precision::Seconds: return Value(ms / 1000);
          case Precision::Micros: return Value(saturating_mul(ms, 1000));
          case Precision::Nanos: return Value(saturating_mul(ms, 1000000));
          case Precision::Millis: return Value(ms);
        }
        return Value(ms);
      case Kind::Date: return Value(static_cast<std::int32_t>(civil::floor_div(ms, kDayMs)));
      case Kind::Time:
        return Value(static_cast<std::int32_t>(ms - civil::floor_div(ms, kDayMs) * kDayMs));
      case Kind::Timestamp: return Value(ms);
    }
    return Value();
  }

  Value convert(const Value& v, Kind from) const {
    if (v.is_null()) return Value();
    return to_type(to_raw(v, from));
  }

  // Without a schema the kind comes from the value: a Long is Unix time, a String is text.
  Value convert_schemaless(const Value& v) const {
    if (v.is_null()) return Value();
    Kind from;
    if (v.is<std::int64_t>()) {
      from = Kind::Unix;
    } else if (v.is<std::string>()) {
      from = Kind::String;
    } else {
      throw DataException("TimestampConverter does not support class " + java_class_of(v) +
                          " objects as timestamps");
    }
    // Kafka hands back a java.util.Date, which no converter can write without a schema.
    if (target_ == Kind::Date || target_ == Kind::Time || target_ == Kind::Timestamp) {
      to_raw(v, from);
      no_schema_type_for_date();
    }
    return convert(v, from);
  }

  Side side_;
  std::string field_;
  Kind target_ = Kind::Timestamp;
  Precision precision_ = Precision::Millis;
  bool replace_null_ = true;
  std::optional<JavaDateFormat> format_;
  // The converted schema, and the index of `field` in the input (-1: absent).
  struct Plan {
    SchemaPtr schema;
    int field = -1;
  };
  PerSchemaCache<Plan> cache_;
};

}  // namespace

const ConfigDef& timestamp_converter_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("field", ConfigType::String, "", Importance::High,
             "The field containing the timestamp, or empty if the entire value is a timestamp");
    d.define(choice("target.type", std::nullopt, {"string", "unix", "Date", "Time", "Timestamp"},
                    Importance::High,
                    "The desired timestamp representation: string, unix, Date, Time, or Timestamp",
                    /*case_insensitive=*/false));
    d.define("format", ConfigType::String, "", Importance::Medium,
             "A SimpleDateFormat-compatible format for the timestamp. Used to generate the output "
             "when type=string or used to parse the input if the input is a string.");
    d.define(choice("unix.precision", "milliseconds",
                    {"nanoseconds", "microseconds", "milliseconds", "seconds"}, Importance::Low,
                    "The desired Unix precision for the timestamp: seconds, milliseconds, "
                    "microseconds, or nanoseconds. Used to generate the output when type=unix or "
                    "used to parse the input if the input is a Long.Note: This SMT will cause "
                    "precision loss during conversions from, and to, values with sub-millisecond "
                    "components.",
                    /*case_insensitive=*/false));
    define_replace_null_with_default(d);
    return d;
  }();
  return def;
}

std::unique_ptr<Transformation> make_timestamp_converter(Side side) {
  return std::make_unique<TimestampConverter>(side);
}

}  // namespace tributary::transforms
