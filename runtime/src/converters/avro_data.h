// The Connect → Avro schema mapping of Confluent's AvroData (fromConnectSchema), as the compact
// JSON text Avro's Schema.toString() prints: the text AvroConverter registers, so it decides what
// the schema registry stores and which compatibility it computes. The rules, each with where it
// was read, are in docs/AVRODATA.md (§ numbers below refer to it).
//
// First piece of issue 13: the schema mapping. Values (Avro binary through a kept library) and the
// registry client come next.
//
// Threading: pure functions; any thread.
#pragma once

#include <stdexcept>
#include <string>

#include "tributary/data.h"

namespace tributary::avro {

/// AvroData's own settings (the converter's config keys of the same names).
struct AvroDataConfig {
  bool connect_meta_data = true;     // connect.meta.data: the connect.* properties (§3)
  bool scrub_invalid_names = false;  // scrub.invalid.names (§2.4)
};

/// A Connect schema Avro cannot express with these settings (an invalid name without
/// scrub.invalid.names, two different records of one full name).
struct AvroSchemaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The Avro schema text for `schema` (compact, Avro's key order, Jackson's number and string
/// formatting).
std::string avro_schema_json(const SchemaPtr& schema, const AvroDataConfig& config = {});

/// scrub.invalid.names applied to one name part: kept when it is [A-Za-z_][A-Za-z0-9_]*, else
/// URL-encoded (Java's URLEncoder), prefixed with 'x' when it starts with a digit, and every
/// remaining character outside [A-Za-z0-9_] replaced by '_' (§2.4).
std::string scrub_name(const std::string& part);

}  // namespace tributary::avro
