-- Streamed changes for the Debezium MySQL (on MariaDB) golden files (see README.md).
-- Run by gen.sh as "root" on database "inventory" AFTER the connector finished its snapshot.
-- Autocommit: each statement outside BEGIN/COMMIT is its own transaction. Deterministic: no NOW(),
-- no RAND(); TIMESTAMP columns always get explicit values.

-- zero dates again need a permissive sql_mode
SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';

-- ---------------------------------------------------------------------------------------------
-- plain insert / update / delete, and a primary-key change
INSERT INTO customers (first_name, last_name, email) VALUES ('Kenneth', 'Anderson', 'kander@acme.com');
UPDATE customers SET first_name = 'Anne Marie' WHERE id = 1004;
DELETE FROM customers WHERE id = 1003;
UPDATE customers SET id = 1010 WHERE id = 1004;
INSERT INTO orders (order_date, purchaser, quantity, product_id) VALUES ('2024-02-29', 1001, 3, 107);
UPDATE orders SET quantity = 4 WHERE order_number = 10001;

-- ---------------------------------------------------------------------------------------------
-- the type tables streamed: the snapshot rows again with new keys (id + 100), one multi-row
-- INSERT ... SELECT per table (one binlog rows event: source.row counts 0, 1, ...)
INSERT INTO int_types SELECT id + 100, c_tinyint, c_utinyint, c_smallint, c_usmallint, c_mediumint,
  c_umediumint, c_int, c_uint, c_bigint, c_ubigint, c_bool, c_tinyint1, c_zerofill
  FROM int_types ORDER BY id;
INSERT INTO num_types SELECT id + 100, c_dec, c_dec_wide, c_dec_int, c_float, c_double, c_bit1,
  c_bit10, c_bit64 FROM num_types ORDER BY id;
INSERT INTO str_types SELECT id + 100, c_char, c_varchar, c_text, c_char_latin1, c_varchar_latin1,
  c_text_latin1, c_binary, c_varbinary, c_blob, c_enum, c_set, c_json FROM str_types ORDER BY id;
INSERT INTO time_types SELECT id + 100, c_date, c_time, c_time3, c_time6, c_datetime, c_datetime3,
  c_datetime6, c_timestamp6, c_year FROM time_types ORDER BY id;
INSERT INTO geo_types SELECT id + 100, c_geometry, c_point FROM geo_types ORDER BY id;
-- update (full before image: binlog_row_image=FULL) and delete of a streamed row
UPDATE int_types SET c_int = -1, c_ubigint = 18446744073709551614 WHERE id = 101;
DELETE FROM int_types WHERE id = 101;
UPDATE time_types SET c_time = '-00:00:01', c_date = '2000-01-01' WHERE id = 104;

-- defaults: a row of defaults, and a row with NULL in every nullable column
INSERT INTO defaults_test (id, c_ts, c_ts_now_nn) VALUES (2, '2020-01-02 03:04:05', '2020-01-02 03:04:05');
INSERT INTO defaults_test VALUES (3, NULL, 0, NULL, NULL, NULL, FALSE, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, '0000-00-00', NULL, NULL, NULL, '2020-01-02 03:04:05.678', NULL, '', '2020-01-02 03:04:05');

-- ---------------------------------------------------------------------------------------------
-- key cases: INSERT, UPDATE of a non-key column, UPDATE of the key, DELETE
INSERT INTO composite_pk VALUES (2, 'y', 'ins');
UPDATE composite_pk SET v = 'upd' WHERE a = 2;
UPDATE composite_pk SET a = 3 WHERE a = 2;
DELETE FROM composite_pk WHERE a = 3;

INSERT INTO no_pk VALUES (2, 'b', 'ins');
UPDATE no_pk SET val = 'upd' WHERE id = 2;
DELETE FROM no_pk WHERE id = 2;

INSERT INTO uk_only VALUES (2, 'b', 'ins');
UPDATE uk_only SET val = 'upd' WHERE code = 'b';
UPDATE uk_only SET code = 'c' WHERE code = 'b';
DELETE FROM uk_only WHERE code = 'c';

-- ---------------------------------------------------------------------------------------------
-- a multi-statement transaction over three tables
BEGIN;
INSERT INTO customers (first_name, last_name, email) VALUES ('Tx', 'One', 'tx1@x.org');
INSERT INTO orders (order_date, purchaser, quantity, product_id) VALUES ('2024-03-01', 1001, 1, 101);
UPDATE MixedCase SET Val = 'tx-upd' WHERE Id = 1;
INSERT INTO customers (first_name, last_name, email) VALUES ('Tx', 'Two', 'tx2@x.org');
COMMIT;

-- a multi-row INSERT in one statement
INSERT INTO MixedCase VALUES (2, 'multi-a'), (3, 'multi-b');

-- a rolled-back transaction: nothing reaches the binlog
BEGIN;
INSERT INTO customers (first_name, last_name, email) VALUES ('Rolled', 'Back', 'rb@x.org');
INSERT INTO MixedCase VALUES (99, 'rolled back');
ROLLBACK;

-- ---------------------------------------------------------------------------------------------
-- TRUNCATE
TRUNCATE TABLE trunc_test;
INSERT INTO trunc_test VALUES (3, 'after truncate');

-- ---------------------------------------------------------------------------------------------
-- schema changes mid-stream
ALTER TABLE customers ADD COLUMN phone VARCHAR(20) NULL;
INSERT INTO customers (first_name, last_name, email, phone) VALUES ('Phoebe', 'Phone', 'p@x.org', '+1 555 0100');
UPDATE customers SET last_name = 'Thomas-Updated' WHERE id = 1001;
ALTER TABLE customers DROP COLUMN phone;
INSERT INTO customers (first_name, last_name, email) VALUES ('Dora', 'Dropped', 'd@x.org');
ALTER TABLE customers ADD COLUMN vip BOOL NOT NULL DEFAULT FALSE;
INSERT INTO customers (first_name, last_name, email, vip) VALUES ('Victor', 'Vip', 'v@x.org', TRUE);

RENAME TABLE rename_me TO renamed;
INSERT INTO renamed VALUES (2, 'after rename');

-- a table created mid-stream (its DDL is parsed from the binlog, not read by SHOW CREATE TABLE)
CREATE TABLE created_streaming (
  id INT NOT NULL PRIMARY KEY,
  c_json JSON,
  c_ubigint BIGINT UNSIGNED,
  c_ts TIMESTAMP(3) NULL DEFAULT CURRENT_TIMESTAMP(3),
  c_ts_now_nn TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  c_bool BOOL DEFAULT TRUE
);
INSERT INTO created_streaming VALUES (1, '{"k": [1, 2]}', 18446744073709551615, '2024-02-29 13:45:30.123',
  '2024-02-29 13:45:30', FALSE);
DROP TABLE created_streaming;

-- CREATE TABLE ... LIKE (a copy of the definition the connector holds, with the streamed BOOL) and
-- CREATE TABLE ... SELECT (the server logs it as a CREATE TABLE with the columns written out,
-- then the rows, in one transaction)
CREATE TABLE customers_like LIKE customers;
INSERT INTO customers_like SELECT * FROM customers WHERE id = 1001;
CREATE TABLE orders_ctas (note VARCHAR(10) DEFAULT 'ctas') AS SELECT order_number, purchaser FROM orders WHERE order_number <= 10002;

-- an online schema change as gh-ost / pt-online-schema-change run it: copy, ALTER the copy, fill it,
-- swap the names, drop the old table
CREATE TABLE _orders_gho LIKE orders;
ALTER TABLE _orders_gho ADD COLUMN note VARCHAR(20) NULL;
INSERT INTO _orders_gho (order_number, order_date, purchaser, quantity, product_id)
  SELECT order_number, order_date, purchaser, quantity, product_id FROM orders;
RENAME TABLE orders TO _orders_del, _orders_gho TO orders;
DROP TABLE _orders_del;
INSERT INTO orders (order_date, purchaser, quantity, product_id, note) VALUES ('2024-04-01', 1002, 2, 102, 'gh-ost');

-- ---------------------------------------------------------------------------------------------
-- the end marker: gen.sh waits for this record
INSERT INTO zz_end_marker VALUES (1);
