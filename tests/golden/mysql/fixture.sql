-- Fixture for the Debezium MySQL (on MariaDB) golden files (see README.md).
-- Run by gen.sh as "root" on database "inventory" (made by tests/env/mariadb.sh), BEFORE the
-- connector starts, so all of it is in the snapshot. The server's time zone is UTC.
-- Everything here is deterministic: no NOW(), no RAND(); TIMESTAMP columns always get explicit values.

-- The zero date '0000-00-00' and the zero TIMESTAMP need a permissive sql_mode (the default has
-- NO_ZERO_DATE and STRICT_TRANS_TABLES).
SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';

-- ---------------------------------------------------------------------------------------------
-- customers / orders: like Debezium's tutorial "inventory" database; customers gets schema
-- changes (ADD / DROP COLUMN) and a primary-key change in changes.sql
CREATE TABLE customers (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  first_name VARCHAR(255) NOT NULL,
  last_name VARCHAR(255) NOT NULL,
  email VARCHAR(255) NOT NULL UNIQUE KEY
) AUTO_INCREMENT = 1001;
INSERT INTO customers (first_name, last_name, email) VALUES
  ('Sally', 'Thomas', 'sally.thomas@acme.com'),
  ('George', 'Bailey', 'gbailey@foobar.com'),
  ('Edward', 'Walker', 'ed@walker.com'),
  ('Anne', 'Kretchmar', 'annek@noanswer.org');

CREATE TABLE orders (
  order_number INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_date DATE NOT NULL,
  purchaser INT NOT NULL,
  quantity INT NOT NULL,
  product_id INT NOT NULL,
  CONSTRAINT order_customer FOREIGN KEY (purchaser) REFERENCES customers (id)
) AUTO_INCREMENT = 10001;
INSERT INTO orders (order_date, purchaser, quantity, product_id) VALUES
  ('2016-01-16', 1001, 1, 102),
  ('2016-01-17', 1002, 2, 105),
  ('2016-02-19', 1002, 2, 106);

-- ---------------------------------------------------------------------------------------------
-- int_types: every integer type, signed and UNSIGNED, BOOL (= TINYINT(1)) and ZEROFILL
CREATE TABLE int_types (
  id INT NOT NULL PRIMARY KEY,
  c_tinyint TINYINT,
  c_utinyint TINYINT UNSIGNED,
  c_smallint SMALLINT,
  c_usmallint SMALLINT UNSIGNED,
  c_mediumint MEDIUMINT,
  c_umediumint MEDIUMINT UNSIGNED,
  c_int INT,
  c_uint INT UNSIGNED,
  c_bigint BIGINT,
  c_ubigint BIGINT UNSIGNED,
  c_bool BOOL,
  c_tinyint1 TINYINT(1),
  c_zerofill INT(5) UNSIGNED ZEROFILL
);
-- 1: maximum values (BIGINT UNSIGNED 2^64-1)
INSERT INTO int_types VALUES (1, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,
  9223372036854775807, 18446744073709551615, TRUE, 1, 42);
-- 2: minimum values
INSERT INTO int_types VALUES (2, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0,
  -9223372036854775808, 0, FALSE, 0, 0);
-- 3: NULL in every nullable column
INSERT INTO int_types (id) VALUES (3);
-- 4: BIGINT UNSIGNED just above 2^63 - 1; TINYINT(1) holding neither 0 nor 1
INSERT INTO int_types VALUES (4, -1, 1, -1, 1, -1, 1, -1, 1, -1, 9223372036854775808, TRUE, 5, 123456);

-- ---------------------------------------------------------------------------------------------
-- num_types: DECIMAL (narrow and wide), FLOAT, DOUBLE, BIT(1), BIT(10), BIT(64)
CREATE TABLE num_types (
  id INT NOT NULL PRIMARY KEY,
  c_dec DECIMAL(10,2),
  c_dec_wide DECIMAL(30,10),
  c_dec_int DECIMAL(5,0) UNSIGNED,
  c_float FLOAT,
  c_double DOUBLE,
  c_bit1 BIT(1),
  c_bit10 BIT(10),
  c_bit64 BIT(64)
);
INSERT INTO num_types VALUES (1, 12345678.91, 12345678901234567890.1234567890, 99999, 3.14,
  2.718281828459045, b'1', b'1010101010', b'1000000000000000000000000000000000000000000000000000000000000001');
INSERT INTO num_types VALUES (2, -99999999.99, -0.0000000001, 0, -3.4e38, -1.7976931348623157e308,
  b'0', b'0000000001', b'0');
INSERT INTO num_types (id) VALUES (3);
INSERT INTO num_types VALUES (4, 0, 100, 1, 1e-38, 4.9e-324, b'1', b'1111111111',
  b'1111111111111111111111111111111111111111111111111111111111111111');

-- ---------------------------------------------------------------------------------------------
-- str_types: character types in utf8mb4 and latin1, binary types, ENUM, SET, JSON
CREATE TABLE str_types (
  id INT NOT NULL PRIMARY KEY,
  c_char CHAR(5) CHARACTER SET utf8mb4,
  c_varchar VARCHAR(50) CHARACTER SET utf8mb4,
  c_text TEXT CHARACTER SET utf8mb4,
  c_char_latin1 CHAR(5) CHARACTER SET latin1,
  c_varchar_latin1 VARCHAR(50) CHARACTER SET latin1,
  c_text_latin1 TEXT CHARACTER SET latin1,
  c_binary BINARY(4),
  c_varbinary VARBINARY(10),
  c_blob BLOB,
  c_enum ENUM('small', 'medium', 'large'),
  c_set SET('a', 'b', 'c'),
  c_json JSON
) DEFAULT CHARSET = utf8mb4;
INSERT INTO str_types VALUES (1, 'ab', 'Ünïcødé ✓ 😀 "quoted" back\\slash', CONCAT('tab\tend line1\nline2\r\n', CHAR(1), CHAR(31)),
  'Ü', 'café', 'latin1 ÄÖÜ ß ÿ', 'ab', x'00010203fffe', x'deadbeef', 'medium', 'c,a',
  '{"b": 1,   "a": [1, 2, {"c": null}]}');
INSERT INTO str_types VALUES (2, '', '', '', '', '', '', '', '', '', 'small', '', '[]');
INSERT INTO str_types (id) VALUES (3);

-- ---------------------------------------------------------------------------------------------
-- time_types: DATE, TIME(0/3/6) (negative too), DATETIME(0/3/6), TIMESTAMP(6), YEAR
CREATE TABLE time_types (
  id INT NOT NULL PRIMARY KEY,
  c_date DATE,
  c_time TIME,
  c_time3 TIME(3),
  c_time6 TIME(6),
  c_datetime DATETIME,
  c_datetime3 DATETIME(3),
  c_datetime6 DATETIME(6),
  c_timestamp6 TIMESTAMP(6) NULL DEFAULT CURRENT_TIMESTAMP(6),
  c_year YEAR
);
INSERT INTO time_types VALUES (1, '2024-02-29', '13:45:30', '13:45:30.123', '13:45:30.123456',
  '2024-02-29 13:45:30', '2024-02-29 13:45:30.123', '2024-02-29 13:45:30.123456',
  '2024-02-29 13:45:30.123456', 2024);
-- minimum values, negative TIMEs, before 1970
INSERT INTO time_types VALUES (2, '1000-01-01', '-838:59:59', '-00:00:01.500', '-12:34:56.789012',
  '1000-01-01 00:00:00', '1900-01-01 00:00:00.001', '1900-01-01 00:00:00.000001',
  '1970-01-01 00:00:01', 1901);
-- maximum values
INSERT INTO time_types VALUES (3, '9999-12-31', '838:59:59', '23:59:59.999', '00:00:00.000001',
  '9999-12-31 23:59:59', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.999999',
  '2038-01-19 03:14:07.999999', 2155);
-- zero values (permissive sql_mode)
INSERT INTO time_types VALUES (4, '0000-00-00', '00:00:00', '00:00:00.000', '00:00:00.000000',
  '0000-00-00 00:00:00', '0000-00-00 00:00:00.000', '0000-00-00 00:00:00.000000',
  '0000-00-00 00:00:00', 0);
-- NULL in every nullable column (the TIMESTAMP explicitly, or it would get CURRENT_TIMESTAMP)
INSERT INTO time_types (id, c_timestamp6) VALUES (5, NULL);

-- ---------------------------------------------------------------------------------------------
-- geo_types: GEOMETRY and POINT
CREATE TABLE geo_types (
  id INT NOT NULL PRIMARY KEY,
  c_geometry GEOMETRY,
  c_point POINT
);
INSERT INTO geo_types VALUES (1, ST_GeomFromText('LINESTRING(0 0,1 1,2 0)'), POINT(1.5, -2.25));
INSERT INTO geo_types VALUES (2, ST_GeomFromText('POINT(3 4)', 4326), ST_GeomFromText('POINT(0 0)'));
INSERT INTO geo_types (id) VALUES (3);

-- ---------------------------------------------------------------------------------------------
-- defaults_test: column defaults of several types show up in the Connect schemas
CREATE TABLE defaults_test (
  id INT NOT NULL PRIMARY KEY,
  c_int INT DEFAULT 42,
  c_int_nn INT NOT NULL DEFAULT -7,
  c_ubigint BIGINT UNSIGNED DEFAULT 18446744073709551615,
  c_varchar VARCHAR(20) DEFAULT 'it''s',
  c_char CHAR(3) DEFAULT 'ab',
  c_bool BOOL NOT NULL DEFAULT TRUE,
  c_dec DECIMAL(5,2) DEFAULT 1.50,
  c_double DOUBLE DEFAULT 1.5,
  c_bit1 BIT(1) DEFAULT b'1',
  c_bit10 BIT(10) DEFAULT b'101',
  c_enum ENUM('x', 'y') DEFAULT 'y',
  c_set SET('a', 'b') DEFAULT 'a,b',
  c_date DATE DEFAULT '2020-01-02',
  c_zero_date DATE NOT NULL DEFAULT '0000-00-00',
  c_time TIME(3) DEFAULT '-01:02:03.5',
  c_datetime DATETIME(3) DEFAULT '2020-01-02 03:04:05.678',
  c_ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP,
  c_ts_nn TIMESTAMP(3) NOT NULL DEFAULT '2020-01-02 03:04:05.678',
  c_year YEAR DEFAULT 2024,
  c_blob_nn VARBINARY(4) NOT NULL DEFAULT 'ab',
  c_ts_now_nn TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO defaults_test (id, c_ts, c_ts_now_nn) VALUES (1, '2020-01-02 03:04:05', '2020-01-02 03:04:05');

-- ---------------------------------------------------------------------------------------------
-- key cases: each gets INSERT / UPDATE / (key change) / DELETE in changes.sql
-- composite primary key declared in an order different from the column order
CREATE TABLE composite_pk (a INT NOT NULL, b VARCHAR(10) NOT NULL, v VARCHAR(10), PRIMARY KEY (b, a));
INSERT INTO composite_pk VALUES (1, 'x', 'snap');
-- no primary key and no unique index
CREATE TABLE no_pk (id INT, code VARCHAR(10) NOT NULL, val VARCHAR(10));
INSERT INTO no_pk VALUES (1, 'a', 'snap');
-- no primary key, but a unique index on a NOT NULL column
CREATE TABLE uk_only (id INT, code VARCHAR(10) NOT NULL, val VARCHAR(10), UNIQUE KEY uk_code (code));
INSERT INTO uk_only VALUES (1, 'a', 'snap');

-- a mixed-case table name (MariaDB on Linux keeps the case: lower_case_table_names=0)
CREATE TABLE MixedCase (Id INT NOT NULL PRIMARY KEY, Val VARCHAR(10));
INSERT INTO MixedCase VALUES (1, 'snap');

-- TRUNCATE target
CREATE TABLE trunc_test (id INT NOT NULL PRIMARY KEY, val VARCHAR(20));
INSERT INTO trunc_test VALUES (1, 'one'), (2, 'two');

-- RENAME TABLE target
CREATE TABLE rename_me (id INT NOT NULL PRIMARY KEY, val VARCHAR(20));
INSERT INTO rename_me VALUES (1, 'snap');

-- written last by changes.sql: gen.sh waits for its record (empty in the snapshot: no topic yet)
CREATE TABLE zz_end_marker (id INT NOT NULL PRIMARY KEY);
