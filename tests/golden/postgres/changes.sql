-- Streamed changes for the Debezium PostgreSQL golden files (see README.md).
-- Run by gen.sh as "debezium" on database "inventory" AFTER the connector finished its snapshot.
-- Each statement outside BEGIN/COMMIT is its own transaction. Deterministic: no now(), no random().
\set ON_ERROR_STOP 1

-- expect_error runs a statement that PostgreSQL itself rejects and reports the rejection as a
-- NOTICE (so the script goes on): UPDATE/DELETE on a table without a replica identity that is in a
-- publication publishing updates/deletes fails with SQLSTATE 55000.
CREATE FUNCTION pg_temp.expect_error(stmt text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RAISE NOTICE 'no error: %', stmt;
EXCEPTION WHEN others THEN
  RAISE NOTICE 'rejected as expected (SQLSTATE %): % -- %', SQLSTATE, SQLERRM, stmt;
END $$;

-- ---------------------------------------------------------------------------------------------
-- plain insert / update / delete
INSERT INTO customers (first_name, last_name, email) VALUES ('Kenneth', 'Anderson', 'kander@acme.com');
UPDATE customers SET first_name = 'Anne Marie' WHERE id = 4;
DELETE FROM customers WHERE id = 3;

-- all_types streamed: the same rows as in the snapshot, with new keys (id + 100)
INSERT INTO all_types SELECT id + 100, c_smallint, c_integer, c_bigint, c_real, c_double, c_boolean,
  c_varchar, c_char, c_text, c_numeric, c_numeric_var, c_date, c_time, c_time3, c_timetz,
  c_timestamp, c_timestamp3, c_timestamptz, c_interval, c_uuid, c_json, c_jsonb, c_bytea, c_enum,
  c_int_array, c_text_array, c_inet, c_money, c_citext
  FROM all_types WHERE id = 1;
INSERT INTO all_types (id) VALUES (102);
INSERT INTO all_types SELECT id + 100, c_smallint, c_integer, c_bigint, c_real, c_double, c_boolean,
  c_varchar, c_char, c_text, c_numeric, c_numeric_var, c_date, c_time, c_time3, c_timetz,
  c_timestamp, c_timestamp3, c_timestamptz, c_interval, c_uuid, c_json, c_jsonb, c_bytea, c_enum,
  c_int_array, c_text_array, c_inet, c_money, c_citext
  FROM all_types WHERE id BETWEEN 3 AND 8 ORDER BY id;
UPDATE all_types SET c_integer = -1, c_text = 'updated' WHERE id = 101;
DELETE FROM all_types WHERE id = 101;

INSERT INTO more_types SELECT id + 100, c_cidr, c_macaddr, c_hstore, c_ltree, c_bit1, c_bit, c_varbit,
  c_xml, c_point, c_oid, c_int8_array, c_numeric_array, c_bool_array, c_float8_array, c_uuid_array,
  c_date_array, c_serial, c_bigserial, c_domain, c_tsvector
  FROM more_types ORDER BY id;

INSERT INTO defaults_test (id, c_now) VALUES (2, '2020-01-02 03:04:05+00');
INSERT INTO defaults_test VALUES (3, NULL, 0, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- ---------------------------------------------------------------------------------------------
-- replica identity: INSERT, UPDATE of a non-key column, (ri_default/ri_full: UPDATE of the key), DELETE
INSERT INTO ri_default VALUES (2, 'b', 'ins');
UPDATE ri_default SET val = 'upd' WHERE id = 2;
UPDATE ri_default SET id = 3 WHERE id = 2;
DELETE FROM ri_default WHERE id = 3;

INSERT INTO ri_full VALUES (2, 'b', 'ins');
UPDATE ri_full SET val = 'upd' WHERE id = 2;
UPDATE ri_full SET id = 3 WHERE id = 2;
DELETE FROM ri_full WHERE id = 3;

INSERT INTO ri_full_no_pk VALUES (2, 'b', 'ins');
UPDATE ri_full_no_pk SET val = 'upd' WHERE id = 2;
DELETE FROM ri_full_no_pk WHERE id = 2;

INSERT INTO ri_nothing VALUES (2, 'b', 'ins');
SELECT pg_temp.expect_error($$UPDATE ri_nothing SET val = 'upd' WHERE id = 2$$);
SELECT pg_temp.expect_error($$DELETE FROM ri_nothing WHERE id = 2$$);

INSERT INTO ri_index VALUES (2, 'b', 'ins');
UPDATE ri_index SET val = 'upd' WHERE code = 'b';
UPDATE ri_index SET code = 'c' WHERE code = 'b';
DELETE FROM ri_index WHERE code = 'c';

INSERT INTO no_pk VALUES (2, 'b', 'ins');
SELECT pg_temp.expect_error($$UPDATE no_pk SET val = 'upd' WHERE id = 2$$);
SELECT pg_temp.expect_error($$DELETE FROM no_pk WHERE id = 2$$);

INSERT INTO composite_pk VALUES (2, 'y', 'ins');
UPDATE composite_pk SET v = 'upd' WHERE a = 2;
UPDATE composite_pk SET a = 3 WHERE a = 2;
DELETE FROM composite_pk WHERE a = 3;

-- ---------------------------------------------------------------------------------------------
-- TOAST: a second big row streamed, then updates that leave the big columns unchanged
INSERT INTO toast_test SELECT * FROM big_row(2);
UPDATE toast_test SET other = 1 WHERE id = 1;
UPDATE toast_test SET other = 2 WHERE id = 2;
-- changing one TOASTed column: the others stay "unchanged toast"
UPDATE toast_test SET t_text = 'now short' WHERE id = 2;
DELETE FROM toast_test WHERE id = 2;

UPDATE toast_full SET other = 1 WHERE id = 1;
DELETE FROM toast_full WHERE id = 1;

-- ---------------------------------------------------------------------------------------------
-- schema changes on customers
ALTER TABLE customers ADD COLUMN phone text;
INSERT INTO customers (first_name, last_name, email, phone) VALUES ('Phoebe', 'Phone', 'p@x.org', '+1 555 0100');
UPDATE customers SET last_name = 'Thomas-Updated' WHERE id = 1;
ALTER TABLE customers RENAME COLUMN last_name TO surname;
INSERT INTO customers (first_name, surname, email, phone) VALUES ('Rita', 'Renamed', 'r@x.org', '+1 555 0101');
ALTER TABLE customers DROP COLUMN phone;
INSERT INTO customers (first_name, surname, email) VALUES ('Dora', 'Dropped', 'd@x.org');
ALTER TABLE customers ADD COLUMN vip boolean NOT NULL DEFAULT false;
INSERT INTO customers (first_name, surname, email, vip) VALUES ('Victor', 'Vip', 'v@x.org', true);
UPDATE customers SET email = 'sally@acme.com' WHERE id = 1;

-- ---------------------------------------------------------------------------------------------
-- TRUNCATE
TRUNCATE trunc_test;
INSERT INTO trunc_test VALUES (3, 'after truncate');

-- ---------------------------------------------------------------------------------------------
-- a multi-statement transaction over two tables
BEGIN;
INSERT INTO customers (first_name, surname, email) VALUES ('Tx', 'One', 'tx1@x.org');
INSERT INTO customers (first_name, surname, email) VALUES ('Tx', 'Two', 'tx2@x.org');
INSERT INTO s2.widgets VALUES (2, 'tx');
UPDATE s2.widgets SET name = 'tx-upd' WHERE id = 1;
INSERT INTO "MixedCase" VALUES (2, 'tx');
COMMIT;

-- a multi-row INSERT in one statement
INSERT INTO s2.widgets VALUES (3, 'multi-a'), (4, 'multi-b');

-- a rolled-back transaction: produces nothing
BEGIN;
INSERT INTO customers (first_name, surname, email) VALUES ('Rolled', 'Back', 'rb@x.org');
INSERT INTO s2.widgets VALUES (99, 'rolled back');
ROLLBACK;

-- ---------------------------------------------------------------------------------------------
-- the end marker: gen.sh waits for this record
INSERT INTO zz_end_marker VALUES (1);
