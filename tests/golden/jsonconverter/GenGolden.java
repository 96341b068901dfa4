// Writes golden outputs of Kafka's own converters for the cases that
// tests/unit/test_json_converter.cpp rebuilds in C++ (same names, same schemas, same values).
//
//   jsonconverter/<case>.schemas_true.json   JsonConverter.fromConnectData, schemas.enable=true
//   jsonconverter/<case>.schemas_false.json  the same with schemas.enable=false
//   simpleheaderconverter/<case>.txt         SimpleHeaderConverter.fromConnectHeader
//   stringconverter/<case>.txt               StringConverter.fromConnectData
//   javafloat/values.txt                     Double.toString / Float.toString (what Jackson
//                                            writes for float64 / float32) of edge-heavy values
//   java.version                             the JVM that produced the files (float text
//                                            differs between JDK <= 18 and JDK >= 19)
//
// Usage: java -Duser.timezone=UTC -cp <classes>:<kafka lib>/* GenGolden <tests/golden dir>
// (run through gen.sh). Our own program: it only calls Kafka's public converter API.
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.storage.StringConverter;

public final class GenGolden {
  /** One golden case: a schema (null = schemaless), a value, and extra converter config. */
  private record Case(String name, Schema schema, Object value, Map<String, String> config) {
    Case(String name, Schema schema, Object value) {
      this(name, schema, value, Map.of());
    }
  }

  private static final long DAY_MS = 86_400_000L;

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: GenGolden <tests/golden dir>");
      System.exit(2);
    }
    Path root = Paths.get(args[0]);
    int files = 0;
    Path json = root.resolve("jsonconverter");
    Files.createDirectories(json);
    for (Case c : jsonCases()) {
      for (boolean enable : new boolean[] {true, false}) {
        JsonConverter converter = new JsonConverter();
        Map<String, Object> config = new HashMap<>(c.config());
        config.put("schemas.enable", Boolean.toString(enable));
        converter.configure(config, false);
        byte[] bytes = converter.fromConnectData("topic", c.schema(), c.value());
        if (bytes == null) throw new IllegalStateException(c.name() + " produced a Kafka null");
        Files.write(json.resolve(c.name() + ".schemas_" + enable + ".json"), bytes);
        files++;
      }
    }
    Path header = root.resolve("simpleheaderconverter");
    Files.createDirectories(header);
    for (Case c : textCases()) {
      SimpleHeaderConverter converter = new SimpleHeaderConverter();
      converter.configure(Map.of());
      byte[] bytes = converter.fromConnectHeader("topic", "h", c.schema(), c.value());
      Files.write(header.resolve(c.name() + ".txt"), bytes);
      files++;
    }
    Path string = root.resolve("stringconverter");
    Files.createDirectories(string);
    for (Case c : textCases()) {
      if (c.value() instanceof byte[] || c.name().equals("bytes")) continue;  // Java prints [B@hash
      StringConverter converter = new StringConverter();
      converter.configure(Map.of(), false);
      byte[] bytes = converter.fromConnectData("topic", c.schema(), c.value());
      Files.write(string.resolve(c.name() + ".txt"), bytes);
      files++;
    }
    Path floats = root.resolve("javafloat");
    Files.createDirectories(floats);
    Files.write(floats.resolve("values.txt"), floatText().getBytes(StandardCharsets.UTF_8));
    files++;
    Files.write(root.resolve("java.version"),
        (System.getProperty("java.version") + "\n").getBytes(StandardCharsets.UTF_8));
    files++;
    System.out.println("wrote " + files + " golden files under " + root);
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  private static BigDecimal dec(String unscaled, int scale) {
    return new BigDecimal(new BigInteger(unscaled), scale);
  }

  private static <K, V> Map<K, V> map(Object... kv) {
    Map<K, V> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      @SuppressWarnings("unchecked") K k = (K) kv[i];
      @SuppressWarnings("unchecked") V v = (V) kv[i + 1];
      m.put(k, v);
    }
    return m;
  }

  private static String controlChars() {
    StringBuilder sb = new StringBuilder();
    for (char c = 0; c < 0x20; c++) sb.append(c);
    sb.append((char) 0x7f);
    return sb.toString();
  }

  // -------------------------------------------------------------------------------------------
  // JsonConverter cases

  private static List<Case> jsonCases() {
    List<Case> cases = new ArrayList<>();

    // Primitives.
    cases.add(new Case("boolean", Schema.BOOLEAN_SCHEMA, true));
    cases.add(new Case("int8", Schema.INT8_SCHEMA, (byte) -128));
    cases.add(new Case("int16", Schema.INT16_SCHEMA, (short) 32767));
    cases.add(new Case("int32", Schema.INT32_SCHEMA, Integer.MIN_VALUE));
    cases.add(new Case("int64", Schema.INT64_SCHEMA, Long.MAX_VALUE));
    cases.add(new Case("float32", Schema.FLOAT32_SCHEMA, 0.1f));
    cases.add(new Case("float64", Schema.FLOAT64_SCHEMA, 123456789.0));
    cases.add(new Case("float64_nan", Schema.FLOAT64_SCHEMA, Double.NaN));
    cases.add(new Case("string", Schema.STRING_SCHEMA, "hello"));
    cases.add(new Case("bytes", Schema.BYTES_SCHEMA, new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}));

    // Floating point text.
    cases.add(new Case("float32_array", SchemaBuilder.array(Schema.FLOAT32_SCHEMA).build(),
        Arrays.asList(0.1f, 1e10f, -0.0f, 0.0f, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 1e-5f, 123456789f, 1.0f, 100.0f, 1234567.0f, 1.0e7f, 0.001f,
            9.999e-4f, Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL, 3.14159f, 1.0f / 3,
            16777216f, 0.3f)));
    cases.add(new Case("float64_array", SchemaBuilder.array(Schema.FLOAT64_SCHEMA).build(),
        Arrays.asList(0.1, 1e10, -0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 1e-5, 123456789.0, 1.0, 1e7, 9999999.0, 0.001, 9.999e-4,
            1e21, 1e22, 1e23, Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL, 1.0 / 3,
            2.0 / 3, 100.0, 4.35, 0.3, 1e-7, -1.5e-300, 9007199254740993.0, 2.5e-5,
            123.456)));

    // Strings and names that need escaping.
    Schema weird = SchemaBuilder.struct().name("weird.\"Name\"")
        .field("we\"ird\\name\t", Schema.STRING_SCHEMA)
        .field("ctl", Schema.STRING_SCHEMA)
        .field("slash", Schema.STRING_SCHEMA)
        .field("unicode", Schema.STRING_SCHEMA)
        .build();
    cases.add(new Case("string_escapes", weird, new Struct(weird)
        .put("we\"ird\\name\t", "quote \" backslash \\ end")
        .put("ctl", controlChars())
        .put("slash", "a/b</script>")
        .put("unicode", "h\u00e9llo \u2713 \u65e5\u672c \uD83D\uDE00 \u2028\u2029 \u00ff")));

    cases.add(new Case("bytes_array", SchemaBuilder.array(Schema.BYTES_SCHEMA).build(),
        Arrays.asList(new byte[0], new byte[] {0}, new byte[] {(byte) 0xff, (byte) 0xfe},
            new byte[] {1, 2, 3}, new byte[] {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, 0x3e})));

    // Optional, null and defaults.
    cases.add(new Case("optional_null", Schema.OPTIONAL_STRING_SCHEMA, null));
    Schema optionals = SchemaBuilder.struct().name("opt.Nulls")
        .field("b", Schema.OPTIONAL_BOOLEAN_SCHEMA)
        .field("i8", Schema.OPTIONAL_INT8_SCHEMA)
        .field("i16", Schema.OPTIONAL_INT16_SCHEMA)
        .field("i32", Schema.OPTIONAL_INT32_SCHEMA)
        .field("i64", Schema.OPTIONAL_INT64_SCHEMA)
        .field("f32", Schema.OPTIONAL_FLOAT32_SCHEMA)
        .field("f64", Schema.OPTIONAL_FLOAT64_SCHEMA)
        .field("s", Schema.OPTIONAL_STRING_SCHEMA)
        .field("by", Schema.OPTIONAL_BYTES_SCHEMA)
        .field("arr", SchemaBuilder.array(Schema.INT32_SCHEMA).optional().build())
        .field("m", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).optional().build())
        .field("st", SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).optional().build())
        .build();
    cases.add(new Case("struct_optional_nulls", optionals, new Struct(optionals)));

    Schema inner = SchemaBuilder.struct().name("dflt.Inner").optional()
        .field("a", Schema.INT32_SCHEMA)
        .field("b", SchemaBuilder.string().optional().defaultValue("bee").build())
        .build();
    Schema defaults = SchemaBuilder.struct().name("dflt.Record")
        .field("req_int", SchemaBuilder.int32().defaultValue(42).build())
        .field("opt_str", SchemaBuilder.string().optional().defaultValue("dflt").build())
        .field("opt_bool", SchemaBuilder.bool().optional().defaultValue(true).build())
        .field("set_str", SchemaBuilder.string().optional().defaultValue("unused").build())
        .field("opt_f64", SchemaBuilder.float64().optional().defaultValue(2.5).build())
        .field("opt_bytes", SchemaBuilder.bytes().optional().defaultValue(new byte[] {1, 2}).build())
        .field("opt_arr", SchemaBuilder.array(Schema.INT32_SCHEMA).optional()
            .defaultValue(Arrays.asList(1, 2)).build())
        .field("opt_map", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).optional()
            .defaultValue(map("k", 1L)).build())
        .field("opt_struct", inner)
        .field("opt_dec", Decimal.builder(2).optional().defaultValue(dec("100", 2)).build())
        .build();
    Struct defaultsValue = new Struct(defaults).put("set_str", "given");
    cases.add(new Case("defaults", defaults, defaultsValue));
    // Same schema; every field with a default is null except the required one.
    Struct noReplace = new Struct(defaults).put("req_int", 1).put("set_str", "given");
    cases.add(new Case("defaults_noreplace", defaults, noReplace,
        Map.of("replace.null.with.default", "false")));
    cases.add(new Case("optional_default_top",
        SchemaBuilder.int32().optional().defaultValue(5).build(), null));
    cases.add(new Case("optional_default_top_noreplace",
        SchemaBuilder.int32().optional().defaultValue(5).build(), null,
        Map.of("replace.null.with.default", "false")));

    // Schema metadata: name, version, doc, parameters (insertion order), default.
    Schema meta = SchemaBuilder.int64().name("x.Y").version(3).doc("a \"doc\"\n")
        .parameter("b", "2").parameter("a", "1").defaultValue(7L).build();
    cases.add(new Case("schema_meta", meta, 5L));
    cases.add(new Case("empty_struct", SchemaBuilder.struct().name("x.Empty").build(),
        new Struct(SchemaBuilder.struct().name("x.Empty").build())));

    // Nested structs and arrays.
    Schema point = SchemaBuilder.struct().name("geo.Point")
        .field("x", Schema.FLOAT64_SCHEMA).field("y", Schema.FLOAT64_SCHEMA).build();
    Schema optPoint = SchemaBuilder.struct().name("geo.Point").optional()
        .field("x", Schema.FLOAT64_SCHEMA).field("y", Schema.FLOAT64_SCHEMA).build();
    Schema nested = SchemaBuilder.struct().name("geo.Shape").version(1).doc("A shape")
        .field("name", Schema.STRING_SCHEMA)
        .field("center", point)
        .field("vertices", SchemaBuilder.array(point).build())
        .field("maybe", optPoint)
        .field("labels", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build())
        .field("matrix", SchemaBuilder.array(SchemaBuilder.array(Schema.INT16_SCHEMA).build()).build())
        .build();
    cases.add(new Case("nested_struct", nested, new Struct(nested)
        .put("name", "tri")
        .put("center", new Struct(point).put("x", 0.5).put("y", -1.25))
        .put("vertices", Arrays.asList(new Struct(point).put("x", 0.0).put("y", 1.0),
            new Struct(point).put("x", 1e-9).put("y", 1e9)))
        .put("maybe", null)
        .put("labels", Arrays.asList("a", null, "c"))
        .put("matrix", Arrays.asList(Arrays.asList((short) 1, (short) 2), List.of()))));
    cases.add(new Case("array_int32", SchemaBuilder.array(Schema.INT32_SCHEMA).build(),
        Arrays.asList(1, -2, 3)));

    // Maps.
    cases.add(new Case("map_string_keys", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(),
        map("a", 1, "b", 2, "c\"q", 3)));
    cases.add(new Case("map_int_keys", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build(),
        map(1, "one", 2, "two", -3, "minus three")));
    cases.add(new Case("map_optional_values",
        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA).build(),
        map("a", null, "b", 2)));
    cases.add(new Case("map_null_key",
        SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.INT32_SCHEMA).build(),
        map(null, 1, "x", 2)));
    Schema keyStruct = SchemaBuilder.struct().name("k.Key").field("id", Schema.INT32_SCHEMA).build();
    cases.add(new Case("map_struct_keys",
        SchemaBuilder.map(keyStruct, SchemaBuilder.array(Schema.INT64_SCHEMA).build()).build(),
        map(new Struct(keyStruct).put("id", 1), Arrays.asList(1L, 2L),
            new Struct(keyStruct).put("id", 2), List.of())));
    cases.add(new Case("map_empty_int_keys",
        SchemaBuilder.map(Schema.INT64_SCHEMA, Schema.STRING_SCHEMA).build(), map()));

    // Decimals and the other logical types.
    Schema decimals = SchemaBuilder.struct().name("num.Decimals")
        .field("d2", Decimal.schema(2))
        .field("d2_neg", Decimal.schema(2))
        .field("d2_zero", Decimal.schema(2))
        .field("d2_m128", Decimal.schema(2))
        .field("d2_p128", Decimal.schema(2))
        .field("d2_big", Decimal.schema(2))
        .field("d10_tiny", Decimal.schema(10))
        .field("d8_small", Decimal.schema(8))
        .field("d0", Decimal.schema(0))
        .field("dneg_scale", Decimal.schema(-2))
        .field("d2_opt", Decimal.builder(2).optional().build())
        .field("d3_precision", Decimal.builder(3).optional()
            .parameter("connect.decimal.precision", "10").build())
        .build();
    Struct decimalValue = new Struct(decimals)
        .put("d2", dec("12345", 2))
        .put("d2_neg", dec("-12345", 2))
        .put("d2_zero", dec("0", 2))
        .put("d2_m128", dec("-128", 2))
        .put("d2_p128", dec("128", 2))
        .put("d2_big", dec("-123456789012345678901234567890", 2))
        .put("d10_tiny", dec("1", 10))
        .put("d8_small", dec("-12", 8))
        .put("d0", dec("1000", 0))
        .put("dneg_scale", dec("123", -2))
        .put("d3_precision", dec("9999999999", 3));
    cases.add(new Case("decimal_base64", decimals, decimalValue));
    cases.add(new Case("decimal_numeric", decimals, decimalValue, Map.of("decimal.format", "NUMERIC")));
    cases.add(new Case("decimal_top_numeric", Decimal.schema(4), dec("-5", 4),
        Map.of("decimal.format", "numeric")));

    Schema times = SchemaBuilder.struct().name("t.Times")
        .field("date", Date.SCHEMA)
        .field("time", Time.SCHEMA)
        .field("ts", Timestamp.SCHEMA)
        .field("date_before_epoch", Date.SCHEMA)
        .field("ts_opt", Timestamp.builder().optional().build())
        .field("date_opt", Date.builder().optional().build())
        .build();
    cases.add(new Case("logical_times", times, new Struct(times)
        .put("date", new java.util.Date(19000 * DAY_MS))
        .put("time", new java.util.Date(3723004L))
        .put("ts", new java.util.Date(1700000000123L))
        .put("date_before_epoch", new java.util.Date(-DAY_MS))));

    // A Debezium-like change event.
    cases.add(debeziumKey());
    cases.add(debeziumEnvelope());

    // Schemaless values.
    cases.add(new Case("schemaless_string", null, "hello"));
    cases.add(new Case("schemaless_int8", null, (byte) -5));
    cases.add(new Case("schemaless_int16", null, (short) 300));
    cases.add(new Case("schemaless_int32", null, 42));
    cases.add(new Case("schemaless_int64", null, 1234567890123L));
    cases.add(new Case("schemaless_float", null, 1.5f));
    cases.add(new Case("schemaless_double", null, 0.1));
    cases.add(new Case("schemaless_nan", null, Double.NaN));
    cases.add(new Case("schemaless_bool", null, false));
    cases.add(new Case("schemaless_bytes", null, new byte[] {1, 2, 3}));
    cases.add(new Case("schemaless_list", null,
        Arrays.asList(1, "two", null, true, 2.5, Arrays.asList(1L, 2L))));
    cases.add(new Case("schemaless_map", null,
        map("a", 1, "b", Arrays.asList("x", "y"), "c", null, "d", map("x", "y"))));
    cases.add(new Case("schemaless_map_mixed_keys", null, map(1, "one", "two", 2)));
    cases.add(new Case("schemaless_empty_map", null, map()));
    cases.add(new Case("schemaless_empty_list", null, List.of()));
    return cases;
  }

  private static Schema debeziumValueSchema() {
    return SchemaBuilder.struct().name("dbserver1.inventory.customers.Value").optional()
        .field("id", Schema.INT32_SCHEMA)
        .field("first_name", Schema.STRING_SCHEMA)
        .field("last_name", Schema.OPTIONAL_STRING_SCHEMA)
        .field("email", SchemaBuilder.string().doc("The customer's e-mail, \"primary\"").build())
        .field("balance", Decimal.builder(2).optional()
            .parameter("connect.decimal.precision", "10").build())
        .field("created_at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp")
            .version(1).optional().build())
        .field("status", SchemaBuilder.string().name("io.debezium.data.Enum").version(1)
            .parameter("allowed", "active,inactive").optional().defaultValue("active").build())
        .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
        .build();
  }

  private static Case debeziumKey() {
    Schema key = SchemaBuilder.struct().name("dbserver1.inventory.customers.Key")
        .field("id", Schema.INT32_SCHEMA).build();
    return new Case("debezium_key", key, new Struct(key).put("id", 1001));
  }

  private static Case debeziumEnvelope() {
    Schema value = debeziumValueSchema();
    Schema source = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
        .field("version", Schema.STRING_SCHEMA)
        .field("connector", Schema.STRING_SCHEMA)
        .field("name", Schema.STRING_SCHEMA)
        .field("ts_ms", Schema.INT64_SCHEMA)
        .field("snapshot", SchemaBuilder.string().name("io.debezium.data.Enum").version(1)
            .parameter("allowed", "true,last,false,incremental").optional().defaultValue("false")
            .build())
        .field("db", Schema.STRING_SCHEMA)
        .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
        .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
        .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
        .field("schema", Schema.STRING_SCHEMA)
        .field("table", Schema.STRING_SCHEMA)
        .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
        .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
        .field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
        .build();
    Schema block = SchemaBuilder.struct().name("event.block").version(1).optional()
        .field("id", Schema.STRING_SCHEMA)
        .field("total_order", Schema.INT64_SCHEMA)
        .field("data_collection_order", Schema.INT64_SCHEMA)
        .build();
    Schema envelope = SchemaBuilder.struct().name("dbserver1.inventory.customers.Envelope")
        .version(2)
        .field("before", value)
        .field("after", value)
        .field("source", source)
        .field("transaction", block)
        .field("op", Schema.STRING_SCHEMA)
        .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
        .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
        .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
        .build();
    Struct after = new Struct(value)
        .put("id", 1001)
        .put("first_name", "Sally")
        .put("last_name", "Thomas")
        .put("email", "sally.thomas@acme.com")
        .put("balance", dec("123456", 2))
        .put("created_at", 1700000000123456L)
        .put("tags", Arrays.asList("vip", "\u00e9t\u00e9"));
    Struct src = new Struct(source)
        .put("version", "2.7.3.Final")
        .put("connector", "postgresql")
        .put("name", "dbserver1")
        .put("ts_ms", 1700000000000L)
        .put("db", "postgres")
        .put("sequence", "[\"24023928\",\"24023928\"]")
        .put("ts_us", 1700000000000000L)
        .put("ts_ns", 1700000000000000000L)
        .put("schema", "inventory")
        .put("table", "customers")
        .put("txId", 555L)
        .put("lsn", 24023928L);
    Struct event = new Struct(envelope)
        .put("after", after)
        .put("source", src)
        .put("op", "c")
        .put("ts_ms", 1700000000456L)
        .put("ts_us", 1700000000456789L)
        .put("ts_ns", 1700000000456789012L);
    return new Case("debezium_envelope", envelope, event);
  }

  // -------------------------------------------------------------------------------------------
  // Float text: "d <raw bits hex> <Double.toString>" and "f <raw bits hex> <Float.toString>" for
  // powers of two, subnormals, short decimals, integers, neighbours of powers of two and ten, and
  // random bit patterns. A fixed seed keeps the file stable.

  private static String floatText() {
    Random r = new Random(20240611L);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 1600; i++) {
      double d;
      float f;
      switch (i % 8) {
        case 0:
          d = Math.scalb(1.0, r.nextInt(2098) - 1074);
          f = Math.scalb(1.0f, r.nextInt(277) - 149);
          break;
        case 1:
          d = Double.longBitsToDouble(r.nextLong() & 0x000FFFFFFFFFFFFFL);
          f = Float.intBitsToFloat(r.nextInt() & 0x007FFFFF);
          break;
        case 2: {
          int digits = 1 + r.nextInt(17);
          long m = (long) (r.nextDouble() * Math.pow(10, digits));
          int e = r.nextInt(60) - 30;
          d = Double.parseDouble(m + "E" + e);
          f = Float.parseFloat((m % 100000000) + "E" + (e % 20));
          break;
        }
        case 3: {
          long bits = Double.doubleToRawLongBits(Math.scalb(1.0, r.nextInt(200) - 100));
          d = Double.longBitsToDouble(bits + (r.nextInt(5) - 2));
          int fb = Float.floatToRawIntBits(Math.scalb(1.0f, r.nextInt(100) - 50));
          f = Float.intBitsToFloat(fb + (r.nextInt(5) - 2));
          break;
        }
        case 4:
          d = (double) (r.nextLong() >>> r.nextInt(64));
          f = (float) (r.nextLong() >>> r.nextInt(64));
          break;
        case 5: {
          long bits = Double.doubleToRawLongBits(Math.pow(10, r.nextInt(40) - 20));
          d = Double.longBitsToDouble(bits + (r.nextInt(7) - 3));
          int fb = Float.floatToRawIntBits((float) Math.pow(10, r.nextInt(20) - 10));
          f = Float.intBitsToFloat(fb + (r.nextInt(7) - 3));
          break;
        }
        case 6:
          d = Double.longBitsToDouble(r.nextLong() & 0x7FEFFFFFFFFFFFFFL);
          f = Float.intBitsToFloat(r.nextInt() & 0x7F7FFFFF);
          break;
        default:
          d = (r.nextInt(2000000) - 1000000) / 100.0;
          f = (r.nextInt(20000) - 10000) / 100.0f;
          break;
      }
      if (i % 3 == 0) {
        d = -d;
        f = -f;
      }
      sb.append("d ").append(Long.toHexString(Double.doubleToRawLongBits(d))).append(' ')
          .append(Double.toString(d)).append('\n');
      sb.append("f ").append(Integer.toHexString(Float.floatToRawIntBits(f))).append(' ')
          .append(Float.toString(f)).append('\n');
    }
    return sb.toString();
  }

  // -------------------------------------------------------------------------------------------
  // SimpleHeaderConverter / StringConverter cases

  private static List<Case> textCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("string", Schema.STRING_SCHEMA, "plain \"text\" \\ here"));
    cases.add(new Case("int32", Schema.INT32_SCHEMA, -42));
    cases.add(new Case("int64", Schema.INT64_SCHEMA, 1234567890123L));
    cases.add(new Case("float32", Schema.FLOAT32_SCHEMA, 0.1f));
    cases.add(new Case("float64", Schema.FLOAT64_SCHEMA, 1e10));
    cases.add(new Case("float64_nan", Schema.FLOAT64_SCHEMA, Double.NaN));
    cases.add(new Case("boolean", Schema.BOOLEAN_SCHEMA, true));
    cases.add(new Case("bytes", Schema.BYTES_SCHEMA, new byte[] {1, 2, 3, (byte) 0xff}));
    cases.add(new Case("decimal", Decimal.schema(2), dec("-12345", 2)));
    cases.add(new Case("decimal_tiny", Decimal.schema(9), dec("5", 9)));
    cases.add(new Case("date", Date.SCHEMA, new java.util.Date(19000 * DAY_MS)));
    cases.add(new Case("time", Time.SCHEMA, new java.util.Date(3723004L)));
    cases.add(new Case("timestamp", Timestamp.SCHEMA, new java.util.Date(1700000000123L)));
    cases.add(new Case("array", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build(),
        Arrays.asList("a", null, "q\"uote")));
    cases.add(new Case("map", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(),
        map("a", 1, "b", 2)));
    Schema s = SchemaBuilder.struct().name("h.S")
        .field("id", Schema.INT32_SCHEMA)
        .field("name", Schema.OPTIONAL_STRING_SCHEMA)
        .field("missing", Schema.OPTIONAL_STRING_SCHEMA)
        .field("dflt", SchemaBuilder.string().optional().defaultValue("d").build())
        .field("f", Schema.FLOAT64_SCHEMA)
        .field("list", SchemaBuilder.array(Schema.INT32_SCHEMA).build())
        .field("when", Timestamp.SCHEMA)
        .field("amount", Decimal.schema(2))
        .build();
    cases.add(new Case("struct", s, new Struct(s)
        .put("id", 7).put("name", "x\"y").put("f", 2.5).put("list", Arrays.asList(1, 2))
        .put("when", new java.util.Date(DAY_MS + 1)).put("amount", dec("150", 2))));
    return cases;
  }

  private GenGolden() {}
}
