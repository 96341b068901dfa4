import java.time.Instant;
import java.util.*;
import org.apache.kafka.connect.data.*;
import io.debezium.config.Configuration;
import io.debezium.connector.SnapshotRecord;
import io.debezium.connector.mysql.*;
import io.debezium.relational.TableId;

public class SourceAndOffsets {
    static void printSchema(Schema s, String indent) {
        System.out.println(indent + "schema name=" + s.name() + " type=" + s.type() + " optional=" + s.isOptional() + " version=" + s.version());
        int i = 0;
        for (org.apache.kafka.connect.data.Field f : s.fields()) {
            Schema fs = f.schema();
            System.out.println(indent + "  [" + (i++) + "] " + f.name() + " : " + fs.type() + (fs.isOptional() ? " (optional)" : " (required)")
                + (fs.name() != null ? " logical=" + fs.name() : "")
                + (fs.parameters() != null ? " params=" + fs.parameters() : "")
                + (fs.defaultValue() != null ? " default=" + fs.defaultValue() : ""));
        }
    }
    static void show(String label, MySqlOffsetContext ctx, boolean withStruct) {
        System.out.println("--- " + label);
        System.out.println("  offset = " + new TreeMap<>(ctx.getOffset()));
        if (withStruct) System.out.println("  source = " + ctx.getSourceInfo());
    }
    public static void main(String[] a) {
        Configuration base = Configuration.create()
            .with("topic.prefix", "dbserver1")
            .with("database.hostname", "localhost")
            .with("database.user", "u")
            .with("database.server.id", 184054)
            .build();
        MySqlConnectorConfig cfg = new MySqlConnectorConfig(base);
        System.out.println("SourceInfoStructMaker = " + cfg.getSourceInfoStructMaker().getClass().getName());
        printSchema(cfg.getSourceInfoStructMaker().schema(), "");
        System.out.println("snapshot field schema params: " + cfg.getSourceInfoStructMaker().schema().field("snapshot").schema().parameters());
        System.out.println("Module.name=" + io.debezium.connector.mysql.Module.name() + " version=" + io.debezium.connector.mysql.Module.version());
        System.out.println("MySqlPartition source partition = " + new MySqlPartition("dbserver1", "db").getSourcePartition());
        System.out.println("Effective runtime topic.naming.strategy default (MySqlConnectorConfig.TOPIC_NAMING_STRATEGY) = " + MySqlConnectorConfig.TOPIC_NAMING_STRATEGY.defaultValueAsString());

        TableId t = new TableId("inventory", null, "customers");
        // ---- snapshot lifecycle
        MySqlOffsetContext ctx = MySqlOffsetContext.initial(cfg);
        show("initial (MySqlOffsetContext.initial)", ctx, false);
        ctx.preSnapshotStart();
        ctx.setBinlogStartPoint("mysql-bin.000003", 154L);
        ctx.setCompletedGtidSet("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
        ctx.markSnapshotRecord(SnapshotRecord.FIRST);
        ctx.event(t, Instant.ofEpochSecond(1700000000L));
        show("snapshot running, first record (after SHOW MASTER STATUS)", ctx, true);
        ctx.markSnapshotRecord(SnapshotRecord.TRUE);
        show("snapshot running, middle record", ctx, false);
        ctx.preSnapshotCompletion();
        ctx.markSnapshotRecord(SnapshotRecord.LAST);
        show("snapshot last record (offset recomputed after preSnapshotCompletion)", ctx, true);
        ctx.postSnapshotCompletion();
        show("after postSnapshotCompletion", ctx, false);

        // ---- streaming, non-GTID
        Configuration txcfg = base.edit().with("provide.transaction.metadata", true).build();
        MySqlConnectorConfig cfg2 = new MySqlConnectorConfig(txcfg);
        MySqlOffsetContext s = new MySqlOffsetContext.Loader(cfg2).load(Map.of("file", "mysql-bin.000003", "pos", 154L));
        show("loaded from {file,pos} (streaming start)", s, false);
        s.setBinlogServerId(223344L);
        s.setEventPosition(154L, 65L);   // QUERY BEGIN event
        s.getSource().setSourceTime(Instant.ofEpochMilli(1700000001000L));
        s.startNextTransaction();
        s.getTransactionContext().beginTransaction(s.getTransactionId());
        s.setBinlogThread(7L);
        s.completeEvent();
        show("after BEGIN (non-GTID, provide.transaction.metadata=true); txId=" + s.getTransactionId(), s, false);
        s.setEventPosition(219L, 50L);   // TABLE_MAP
        s.completeEvent();
        s.setEventPosition(269L, 100L);  // WRITE_ROWS with 3 rows
        s.setRowNumber(0, 3); s.event(t, Instant.ofEpochMilli(1700000001000L));
        s.getTransactionContext().event(t);
        show("row 0 of 3 in WRITE_ROWS", s, true);
        s.setRowNumber(2, 3); s.event(t, Instant.ofEpochMilli(1700000001000L));
        show("row 2 of 3 (last row)", s, false);
        s.changeEventCompleted();
        s.completeEvent();
        s.setEventPosition(369L, 31L);   // XID
        s.getTransactionContext().endTransaction();
        s.commitTransaction();
        s.setBinlogThread(-1L);
        s.completeEvent();
        show("after COMMIT (XID)", s, true);

        // ---- streaming, GTID
        MySqlOffsetContext g = new MySqlOffsetContext.Loader(cfg).load(Map.of("file", "mysql-bin.000003", "pos", 400L,
            "gtids", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"));
        show("loaded with gtids", g, false);
        g.setBinlogServerId(223344L);
        g.setEventPosition(400L, 79L);
        g.startGtid("3e11fa47-71ca-11e1-9e33-c80aa9429562:6", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-6");
        g.completeEvent();
        g.setEventPosition(479L, 80L);
        g.startNextTransaction();
        g.getSource().setSourceTime(Instant.ofEpochMilli(1700000002000L));
        g.completeEvent();
        g.setEventPosition(559L, 100L);
        g.setRowNumber(0, 1); g.event(t, Instant.ofEpochMilli(1700000002000L));
        g.setQuery("INSERT INTO customers VALUES (1)");
        show("GTID txn, row event (txId=" + g.getTransactionId() + ")", g, true);
        g.changeEventCompleted(); g.completeEvent();
        g.setEventPosition(659L, 31L);
        g.commitTransaction(); g.completeEvent();
        show("GTID txn committed", g, false);

        // loader with event/row/snapshot keys
        MySqlOffsetContext r = new MySqlOffsetContext.Loader(cfg).load(Map.of("file", "f.000001", "pos", 4L, "event", 2L, "row", 1, "snapshot", true));
        show("loaded {file,pos,event=2,row=1,snapshot=true}", r, false);
        try { new MySqlOffsetContext.Loader(cfg).load(Map.of("pos", 4L)); } catch (Exception e) { System.out.println("load without file -> " + e.getClass().getName() + ": " + e.getMessage()); }
    }
}
