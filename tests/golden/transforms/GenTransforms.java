// Runs the real Kafka 3.9.0 transforms (and Debezium 2.7.4's) on the records of cases.json and
// writes what comes out, for tests/unit/test_transform_golden.cpp to compare with ours.
//
// A case: {"name", "class", "config": {...}, "topic"?, "key"?, "value"?, "headers"?: [...],
// "timestamp"?, "converter"?: {...}}. "key", "value" and each header's value are Connect JSON
// envelopes ({"schema": ..., "payload": ...}) read with Kafka's JsonConverter (schemas.enable);
// a header is {"key": ..., "schema": ..., "payload": ...}. The output (<name>.out) is one line per
// part, each value written by JsonConverter with schemas.enable=true plus the case's "converter"
// config:
//   topic: <topic>
//   key: <json> | null
//   value: <json> | null
//   header <key>: <json> | null          (in order)
// or "dropped" when the transform returns null, "error: <message>" when apply throws, and
// "config error" when configure throws (the message is ours to word; only the failure is pinned).
//
// Usage (through gen.sh): java -Duser.timezone=UTC -cp <classes>:<jars> GenTransforms <dir>
// Our own program: it only calls Kafka's and Debezium's public API.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;

public final class GenTransforms {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: GenTransforms <tests/golden/transforms dir>");
      System.exit(2);
    }
    Path dir = Paths.get(args[0]);
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    JsonNode cases = MAPPER.readTree(dir.resolve("cases.json").toFile());
    int n = 0;
    for (JsonNode c : cases) {
      String name = c.get("name").asText();
      Files.write(out.resolve(name + ".out"), run(c).getBytes(StandardCharsets.UTF_8));
      n++;
    }
    System.out.println("wrote " + n + " golden files under " + out);
  }

  private static SchemaAndValue read(JsonConverter in, String topic, JsonNode envelope)
      throws Exception {
    if (envelope == null || envelope.isNull()) return new SchemaAndValue(null, null);
    com.fasterxml.jackson.databind.node.ObjectNode bare = MAPPER.createObjectNode();
    bare.set("schema", envelope.get("schema"));
    bare.set("payload", envelope.get("payload"));
    return in.toConnectData(topic, MAPPER.writeValueAsBytes(bare));
  }

  private static String text(JsonConverter out, String topic, SchemaAndValue sv) {
    byte[] bytes = out.fromConnectData(topic, sv.schema(), sv.value());
    return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String run(JsonNode c) throws Exception {
    String topic = c.has("topic") ? c.get("topic").asText() : "t";
    JsonConverter in = new JsonConverter();
    // Nulls stay null on the way in (the default replaces them only where a transform says so).
    in.configure(Map.of("schemas.enable", "true", "replace.null.with.default", "false"), false);
    SchemaAndValue key = read(in, topic, c.get("key"));
    SchemaAndValue value = read(in, topic, c.get("value"));
    ConnectHeaders headers = new ConnectHeaders();
    if (c.has("headers")) {
      for (JsonNode h : c.get("headers")) {
        SchemaAndValue hv = read(in, topic, h);
        headers.add(h.get("key").asText(), hv);
      }
    }
    Long timestamp = c.has("timestamp") ? c.get("timestamp").asLong() : null;
    SourceRecord record = new SourceRecord(Map.of(), Map.of(), topic, null, key.schema(),
        key.value(), value.schema(), value.value(), timestamp, headers);

    Map<String, Object> config = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = c.get("config").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      config.put(e.getKey(), e.getValue().asText());
    }
    Transformation<SourceRecord> t = (Transformation<SourceRecord>) Class.forName(
        c.get("class").asText()).getDeclaredConstructor().newInstance();
    try {
      t.configure(config);
    } catch (RuntimeException e) {
      return "config error\n";
    }
    SourceRecord result;
    try {
      result = t.apply(record);
    } catch (RuntimeException e) {
      return "error: " + e.getMessage() + "\n";
    }
    if (result == null) return "dropped\n";

    JsonConverter outConverter = new JsonConverter();
    Map<String, Object> outConfig = new HashMap<>();
    outConfig.put("schemas.enable", "true");
    if (c.has("converter")) {
      Iterator<Map.Entry<String, JsonNode>> ci = c.get("converter").fields();
      while (ci.hasNext()) {
        Map.Entry<String, JsonNode> e = ci.next();
        outConfig.put(e.getKey(), e.getValue().asText());
      }
    }
    outConverter.configure(outConfig, false);
    StringBuilder sb = new StringBuilder();
    sb.append("topic: ").append(result.topic()).append('\n');
    try {
      sb.append("key: ")
          .append(text(outConverter, topic, new SchemaAndValue(result.keySchema(), result.key())))
          .append('\n');
      sb.append("value: ")
          .append(text(outConverter, topic,
              new SchemaAndValue(result.valueSchema(), result.value())))
          .append('\n');
      for (Header h : result.headers()) {
        sb.append("header ").append(h.key()).append(": ")
            .append(text(outConverter, topic, new SchemaAndValue(h.schema(), h.value())))
            .append('\n');
      }
    } catch (RuntimeException e) {
      return "error: " + e.getMessage() + "\n";
    }
    return sb.toString();
  }
}
