// libFuzzer: Avro the worker reads from a topic and a registry — AvroDecoder (AvroData's
// toConnectSchema of a schema text, then toConnectData of the bytes). An input starting with '{'
// or '[' or '"' is "schema\ndata"; any other input is data in a fixed schema of every kind of
// field. Every failure must be an AvroSchemaError or std::invalid_argument, never a crash, a
// hang or an allocation the input does not pay for; whatever decodes must encode again.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "converters/avro_data.h"

namespace {
using namespace tributary;

std::unique_ptr<avro::AvroDecoder> fixed;
std::unique_ptr<avro::AvroEncoder> fixed_encoder;

SchemaPtr every_kind() {
  auto inner = SchemaBuilder::struct_()
                   .name("x.Inner")
                   .optional()
                   .field("s", schemas::string(true))
                   .field("l", schemas::int64())
                   .build();
  return SchemaBuilder::struct_()
      .name("x.All")
      .field("i8", schemas::int8())
      .field("i16", SchemaBuilder(Type::Int16).optional().default_value(std::int16_t{3}).build())
      .field("f32", schemas::float32(true))
      .field("f64", schemas::float64())
      .field("b", schemas::boolean(true))
      .field("bytes", schemas::bytes(true))
      .field("dec", schemas::decimal(3, true))
      .field("arr", SchemaBuilder::array(schemas::int32(true)).optional().build())
      .field("smap", SchemaBuilder::map(schemas::string(), schemas::string(true)).build())
      .field("imap", SchemaBuilder::map(schemas::int64(), inner).optional().build())
      .field("inner", inner)
      .build();
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto s = every_kind();
  fixed_encoder = std::make_unique<avro::AvroEncoder>(s);
  fixed = std::make_unique<avro::AvroDecoder>(fixed_encoder->schema_json());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  try {
    if (!in.empty() && (in[0] == '{' || in[0] == '[' || in[0] == '"')) {
      auto nl = in.find('\n');
      std::string schema(in.substr(0, nl));
      std::string_view bytes = nl == std::string_view::npos ? "" : in.substr(nl + 1);
      // Enums, fixed and unions are read (and written) differently under the AvroData flags.
      avro::AvroDataConfig config;
      config.enhanced_avro_schema_support = size % 2 == 1;
      config.generalized_sum_type_support = size % 4 == 3;
      avro::AvroDecoder dec(schema, config);
      Value v = dec.decode(bytes);
      std::string out;
      avro::AvroEncoder(dec.schema(), config).encode(v, out);
    } else {
      Value v = fixed->decode(in);
      std::string out;
      fixed_encoder->encode(v, out);
    }
  } catch (const avro::AvroSchemaError&) {
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
