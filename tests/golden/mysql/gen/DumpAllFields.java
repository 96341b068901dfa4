import java.lang.reflect.*;
import java.util.*;
import java.util.stream.*;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Connector;
import io.debezium.config.Field;
import io.debezium.config.EnumeratedValue;

/** Dumps every static io.debezium.config.Field constant declared in the connector config class hierarchy
 *  (plus extra classes), and whether it is part of the connector's advertised ConfigDef. */
public class DumpAllFields {
    static String esc(Object o) {
        if (o == null) return "";
        return String.valueOf(o).replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
    }
    static List<Class<?>> enums = new ArrayList<>();
    static void collectEnums(Class<?> c) {
        for (Class<?> n : c.getDeclaredClasses()) { if (n.isEnum()) enums.add(n); collectEnums(n); }
    }
    static List<String> literals(Class<?> e) {
        List<String> l = new ArrayList<>();
        for (Object x : e.getEnumConstants())
            l.add((x instanceof EnumeratedValue ? ((EnumeratedValue) x).getValue() : ((Enum<?>) x).name()).toLowerCase());
        return l;
    }
    static String orderedAllowed(Field f) {
        if (f.allowedValues() == null || f.allowedValues().isEmpty()) return "";
        Set<String> s = f.allowedValues().stream().map(String::valueOf).collect(Collectors.toSet());
        List<String> hits = new ArrayList<>();
        for (Class<?> e : enums) { List<String> l = literals(e); if (new HashSet<>(l).equals(s)) hits.add(e.getName() + "=" + l); }
        if (hits.isEmpty()) return "unordered:" + new TreeSet<>(s);
        return String.join(" | ", new LinkedHashSet<>(hits));
    }
    public static void main(String[] a) throws Exception {
        Connector conn = (Connector) Class.forName(a[0]).getDeclaredConstructor().newInstance();
        ConfigDef def = conn.config();
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c = Class.forName(a[1]); c != null && c != Object.class; c = c.getSuperclass()) classes.add(c);
        for (int i = 2; i < a.length; i++) classes.add(Class.forName(a[i]));
        for (Class<?> c : classes) collectEnums(c);
        enums.add(Class.forName("io.debezium.jdbc.TemporalPrecisionMode"));
        System.out.println(String.join("\t", "name","inConfigDef","declaringClass","constant","type","default","importance","required","allowedValues(declaration order)","description"));
        Map<String, String> seen = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            for (java.lang.reflect.Field jf : c.getDeclaredFields()) {
                if (!Modifier.isStatic(jf.getModifiers()) || jf.getType() != Field.class) continue;
                jf.setAccessible(true);
                Field f = (Field) jf.get(null);
                if (f == null) continue;
                String key = f.name();
                boolean dup = seen.containsKey(key);
                Object dv = f.defaultValue();
                String dflt; if (dv == null) dflt = "<null>"; else { try { dflt = ConfigDef.convertToString(ConfigDef.parseType(key, dv, f.type()), f.type()); } catch (Exception ex) { dflt = String.valueOf(dv) + " (unparsed:" + ex.getClass().getSimpleName() + ")"; } }
                System.out.println(String.join("\t", esc(key) + (dup ? " (shadowed-by " + seen.get(key) + ")" : ""),
                    String.valueOf(def.configKeys().containsKey(key)), c.getSimpleName(), jf.getName(), esc(f.type()), esc(dflt),
                    esc(f.importance()), String.valueOf(f.isRequired()), esc(orderedAllowed(f)), esc(f.description())));
                if (!dup) seen.put(key, c.getSimpleName() + "." + jf.getName());
            }
        }
    }
}
