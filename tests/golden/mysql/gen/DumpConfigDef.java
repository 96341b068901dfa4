import java.util.*;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Connector;
import io.debezium.config.Field;
import io.debezium.config.Configuration;

public class DumpConfigDef {
    static String esc(Object o) {
        if (o == null) return "";
        String s = String.valueOf(o);
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
    }
    static String allowed(Field f) {
        if (f == null) return "";
        if (f.allowedValues() != null) return String.valueOf(new ArrayList<>(f.allowedValues()));
        return "";
    }
    static String recValues(Field f) {
        if (f == null || f.recommender() == null) return "";
        try { return String.valueOf(f.recommender().validValues(f, Configuration.empty())); }
        catch (Throwable t) { return "ERR:" + t; }
    }
    public static void main(String[] a) throws Exception {
        Connector c = (Connector) Class.forName(a[0]).getDeclaredConstructor().newInstance();
        Field.Set all = (Field.Set) Class.forName(a[1]).getField("ALL_FIELDS").get(null);
        System.err.println("version=" + c.version());
        ConfigDef def = c.config();
        System.out.println("#groups\t" + esc(def.groups()));
        System.out.println(String.join("\t", "idx","name","type","default","importance","group","orderInGroup","width","displayName",
            "kafkaValidator","dbzAllowedValues","dbzRecommender","dbzRecommenderValidValues","dbzRequired","dependents","documentation"));
        int i = 0;
        for (ConfigDef.ConfigKey k : def.configKeys().values()) {
            String dflt;
            if (k.defaultValue == ConfigDef.NO_DEFAULT_VALUE) dflt = "<NO_DEFAULT>";
            else if (k.defaultValue == null) dflt = "<null>";
            else dflt = ConfigDef.convertToString(k.defaultValue, k.type);
            Field f = all.fieldWithName(k.name);
            System.out.println(String.join("\t",
                String.valueOf(i++), esc(k.name), esc(k.type), esc(dflt), esc(k.importance), esc(k.group),
                String.valueOf(k.orderInGroup), esc(k.width), esc(k.displayName),
                esc(k.validator == null ? "" : k.validator.toString()),
                esc(allowed(f)),
                esc(f == null || f.recommender() == null ? "" : f.recommender().getClass().getName()),
                esc(recValues(f)),
                esc(f == null ? "<not in ALL_FIELDS>" : String.valueOf(f.isRequired())),
                esc(k.dependents), esc(k.documentation)));
        }
        // Fields in ALL_FIELDS but not in ConfigDef
        for (Field f : all) {
            if (def.configKeys().containsKey(f.name())) continue;
            Object dv = f.defaultValue();
            System.out.println(String.join("\t", "NOT_IN_CONFIGDEF", esc(f.name()), esc(f.type()),
                esc(dv == null ? "<null>" : ConfigDef.convertToString(dv, f.type())), esc(f.importance()),
                esc(f.group() == null ? "" : f.group().getGroup()), esc(f.group() == null ? "" : f.group().getPositionInGroup()),
                esc(f.width()), esc(f.displayName()), "", esc(allowed(f)),
                esc(f.recommender() == null ? "" : f.recommender().getClass().getName()), esc(recValues(f)),
                esc(f.isRequired()), esc(f.dependents()), esc(f.description())));
        }
    }
}
