// Small Kafka helper for gen.sh (our own code; compiled against the cached Kafka 3.9.0 jars).
//   java Dump wait BOOTSTRAP TOPIC TIMEOUT_S     -> exits 0 once TOPIC holds at least one record
//   java Dump dump BOOTSTRAP OUTDIR              -> writes OUTDIR/<topic>.jsonl for every non-internal
//                                                   topic: every record, in offset order, as
//   {"topic":..,"partition":..,"key":<raw UTF-8 string or null>,"value":<raw UTF-8 string or null>,
//    "headers":[[k, v-or-null], ...]}
// Keys, values and header values are the record's bytes decoded as UTF-8 (the JsonConverter writes
// UTF-8) and put in a JSON string as they are, so the exact bytes can be recovered.
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public class Dump {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[1];
    if (args[0].equals("wait")) {
      System.exit(waitFor(bootstrap, args[2], Long.parseLong(args[3])) ? 0 : 1);
    } else if (args[0].equals("dump")) {
      dump(bootstrap, Path.of(args[2]));
    } else {
      throw new IllegalArgumentException("usage: Dump wait|dump ...");
    }
  }

  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static boolean waitFor(String bootstrap, String topic, long timeoutS) throws Exception {
    long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
      while (System.nanoTime() < deadline) {
        var parts = c.partitionsFor(topic, Duration.ofSeconds(5));
        if (parts != null && !parts.isEmpty()) {
          List<TopicPartition> tps = new ArrayList<>();
          parts.forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
          long n = 0;
          for (var e : c.endOffsets(tps).entrySet()) n += e.getValue();
          if (n > 0) return true;
        }
        Thread.sleep(500);
      }
    }
    return false;
  }

  static String str(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static void dump(String bootstrap, Path out) throws Exception {
    Files.createDirectories(out);
    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    TreeSet<String> topics;
    Map<String, TopicDescription> desc;
    try (Admin admin = Admin.create(ap)) {
      topics = new TreeSet<>(admin.listTopics().names().get());
      desc = admin.describeTopics(topics).allTopicNames().get();
    }
    JsonFactory jf = new JsonFactory();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
      for (String topic : topics) {
        List<TopicPartition> tps = new ArrayList<>();
        desc.get(topic).partitions().forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
        tps.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        Map<TopicPartition, Long> end = c.endOffsets(tps);
        long count = 0;
        try (OutputStream os = Files.newOutputStream(out.resolve(topic + ".jsonl"))) {
          for (TopicPartition tp : tps) {  // partitions one after the other, each in offset order
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long last = end.get(tp);
            while (c.position(tp) < last) {
              for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofSeconds(1))) {
                if (r.offset() >= last) continue;
                JsonGenerator g = jf.createGenerator(os);
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeStringField("topic", r.topic());
                g.writeNumberField("partition", r.partition());
                g.writeStringField("key", str(r.key()));
                g.writeStringField("value", str(r.value()));
                g.writeArrayFieldStart("headers");
                for (Header h : r.headers()) {
                  g.writeStartArray();
                  g.writeString(h.key());
                  g.writeString(str(h.value()));
                  g.writeEndArray();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.close();
                os.write('\n');
                count++;
              }
            }
          }
        }
        System.out.println("dump: " + topic + ": " + count + " records");
      }
    }
  }
}
