-- Fixture for the Debezium PostgreSQL golden files (see README.md).
-- Run by gen.sh as the superuser "postgres" on database "inventory", BEFORE the connector starts.
-- Superuser-only parts come first (extensions, the FOR ALL TABLES publication); everything else runs
-- as "debezium" (SET ROLE), so the tables belong to the role the connector logs in as.
-- Everything here is deterministic: no now(), no random().
\set ON_ERROR_STOP 1

CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS ltree;

-- The connector runs with publication.autocreate.mode=disabled and uses this publication.
-- FOR ALL TABLES needs superuser; it also covers the tables created below and later.
CREATE PUBLICATION dbz_publication FOR ALL TABLES;

GRANT CREATE ON DATABASE inventory TO debezium;
SET ROLE debezium;

CREATE SCHEMA s2;

-- ---------------------------------------------------------------------------------------------
-- customers: the classic table; it gets schema changes (ADD / RENAME / DROP COLUMN) in changes.sql
CREATE TABLE customers (
  id serial PRIMARY KEY,
  first_name varchar(255) NOT NULL,
  last_name text,
  email text UNIQUE
);
INSERT INTO customers (first_name, last_name, email) VALUES
  ('Sally', 'Thomas', 'sally.thomas@acme.com'),
  ('George', 'Bailey', 'gbailey@foobar.com'),
  ('Edward', 'Walker', 'ed@walker.com'),
  ('Anne', 'Kretchmar', 'annek@noanswer.org');

-- ---------------------------------------------------------------------------------------------
-- all_types: one column per commonly used type
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

CREATE TABLE all_types (
  id integer PRIMARY KEY,
  c_smallint smallint,
  c_integer integer,
  c_bigint bigint,
  c_real real,
  c_double double precision,
  c_boolean boolean,
  c_varchar varchar(20),
  c_char char(3),
  c_text text,
  c_numeric numeric(10,2),
  c_numeric_var numeric,
  c_date date,
  c_time time,
  c_time3 time(3),
  c_timetz timetz,
  c_timestamp timestamp,
  c_timestamp3 timestamp(3),
  c_timestamptz timestamptz,
  c_interval interval,
  c_uuid uuid,
  c_json json,
  c_jsonb jsonb,
  c_bytea bytea,
  c_enum mood,
  c_int_array int[],
  c_text_array text[],
  c_inet inet,
  c_money money,
  c_citext citext
);

-- 1: ordinary values
INSERT INTO all_types VALUES (1,
  32767, 2147483647, 9223372036854775807, 3.14, 2.718281828459045, true,
  'hello', 'abc', 'Ünïcødé ✓ "quoted" back\slash tab	end',
  12345678.91, 3.14159265358979323846,
  '2024-02-29', '13:45:30.123456', '13:45:30.123', '13:45:30.5+02',
  '2024-02-29 13:45:30.123456', '2024-02-29 13:45:30.123', '2024-02-29 13:45:30.123456+02',
  '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  '{"b": 1,   "a": [1, 2, {"c": null}]}', '{"b": 1,   "a": [1, 2, {"c": null}]}',
  '\x00010203fffe', 'happy', '{1,2,3}', '{"a","b c","d,e"}',
  '192.168.1.10/24', 1234.56, 'CaseInsensitive');

-- 2: every column NULL except the key
INSERT INTO all_types (id) VALUES (2);

-- 3: NaN and positive infinities (numeric(10,2) holds NaN but not Infinity)
INSERT INTO all_types (id, c_real, c_double, c_numeric, c_numeric_var, c_date, c_timestamp,
                       c_timestamp3, c_timestamptz)
VALUES (3, 'NaN', 'NaN', 'NaN', 'NaN', 'infinity', 'infinity', 'infinity', 'infinity');
INSERT INTO all_types (id, c_real, c_double, c_numeric_var, c_date, c_timestamp, c_timestamp3,
                       c_timestamptz)
VALUES (4, 'Infinity', 'Infinity', 'Infinity', 'infinity', 'infinity', 'infinity', 'infinity');

-- 5: negative infinities
INSERT INTO all_types (id, c_real, c_double, c_numeric_var, c_date, c_timestamp, c_timestamp3,
                       c_timestamptz)
VALUES (5, '-Infinity', '-Infinity', '-Infinity', '-infinity', '-infinity', '-infinity',
        '-infinity');

-- 6: before 1970 and minimum values, negative numerics, many digits
INSERT INTO all_types VALUES (6,
  -32768, -2147483648, -9223372036854775808, -3.4028235e38, -1.7976931348623157e308, false,
  '', '  ', '',
  -99999999.99, -12345678901234567890.123456789012345678901234567890,
  '1900-01-01', '00:00:00', '00:00:00.001', '00:00:00-11:30',
  '1900-01-01 00:00:00.000001', '1900-01-01 00:00:00.001', '1900-01-01 00:00:00+00',
  '-1 year -2 mons +3 days -04:05:06.789', '00000000-0000-0000-0000-000000000000',
  '[]', '{}', '\x', 'sad', '{}', '{}',
  '::1', -92233720368547758.08, '');

-- 7: after 2038, tiny and exact values, array NULL elements
INSERT INTO all_types VALUES (7,
  0, 0, 0, 1.17549435e-38, 4.9e-324, NULL,
  'twenty chars 1234567', 'x', E'line1\nline2\r\n\u0001\u001f',
  0.01, 0.000000000000000000000000000001,
  '2100-12-31', '23:59:59.999999', '23:59:59.999', '23:59:59.999999-14',
  '2100-12-31 23:59:59.999999', '2100-12-31 23:59:59.999', '2100-12-31 23:59:59.999999+14',
  '0', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '"just a string"', '12.50', '\xdeadbeef', 'ok', '{NULL,-1,2147483647}', '{NULL,"","NULL"}',
  '10.0.0.1', 0, 'ÄÖÜ😀');

-- 8: 24:00:00, 1e20 numeric, year 0001, integer-valued numerics
INSERT INTO all_types (id, c_numeric, c_numeric_var, c_date, c_time, c_timestamp, c_timestamptz,
                       c_interval)
VALUES (8, 100, 100000000000000000000, '0001-01-01', '24:00:00', '0001-01-01 00:00:00',
        '0001-01-01 00:00:00+00', '-178000000 years');

-- ---------------------------------------------------------------------------------------------
-- more_types: less common types (kept apart from all_types)
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TABLE more_types (
  id integer PRIMARY KEY,
  c_cidr cidr,
  c_macaddr macaddr,
  c_hstore hstore,
  c_ltree ltree,
  c_bit1 bit(1),
  c_bit bit(3),
  c_varbit varbit(10),
  c_xml xml,
  c_point point,
  c_oid oid,
  c_int8_array bigint[],
  c_numeric_array numeric[],
  c_bool_array boolean[],
  c_float8_array double precision[],
  c_uuid_array uuid[],
  c_date_array date[],
  c_serial smallserial,
  c_bigserial bigserial,
  c_domain posint,
  c_tsvector tsvector
);
INSERT INTO more_types VALUES (1,
  '10.1.0.0/16', '08:00:2b:01:02:03', 'a=>1, "b c"=>NULL', 'Top.Science.Astronomy',
  B'1', B'101', B'1011', '<a x="1">t</a>', '(1.5,-2.25)', 42,
  '{1,-9223372036854775808}', '{1.5,-2,NaN}', '{true,false,NULL}', '{1.5,NaN,Infinity}',
  '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{2024-01-01,1900-01-01}', DEFAULT, DEFAULT,
  7, 'a fat cat');
INSERT INTO more_types (id) VALUES (2);

-- ---------------------------------------------------------------------------------------------
-- defaults: column defaults show up in the Connect schemas
CREATE TABLE defaults_test (
  id integer PRIMARY KEY,
  c_int integer DEFAULT 42,
  c_int_nn integer NOT NULL DEFAULT -7,
  c_text text DEFAULT 'it''s',
  c_bool boolean NOT NULL DEFAULT true,
  c_numeric numeric(5,2) DEFAULT 1.50,
  c_date date DEFAULT '2020-01-02',
  c_ts timestamp DEFAULT '2020-01-02 03:04:05.678',
  c_enum mood DEFAULT 'ok',
  c_real real DEFAULT 1.5,
  c_expr text DEFAULT lower('ABC'),
  c_now timestamptz DEFAULT now()
);
INSERT INTO defaults_test (id, c_now) VALUES (1, '2020-01-02 03:04:05+00');

-- ---------------------------------------------------------------------------------------------
-- replica identity cases: each gets INSERT / UPDATE / DELETE in changes.sql
CREATE TABLE ri_default (id integer PRIMARY KEY, code text NOT NULL, val text);
CREATE TABLE ri_full (id integer PRIMARY KEY, code text NOT NULL, val text);
ALTER TABLE ri_full REPLICA IDENTITY FULL;
CREATE TABLE ri_full_no_pk (id integer, code text NOT NULL, val text);
ALTER TABLE ri_full_no_pk REPLICA IDENTITY FULL;
CREATE TABLE ri_nothing (id integer PRIMARY KEY, code text NOT NULL, val text);
ALTER TABLE ri_nothing REPLICA IDENTITY NOTHING;
CREATE TABLE ri_index (id integer, code text NOT NULL, val text);
CREATE UNIQUE INDEX ri_index_code ON ri_index (code);
ALTER TABLE ri_index REPLICA IDENTITY USING INDEX ri_index_code;
CREATE TABLE no_pk (id integer, code text NOT NULL, val text);
INSERT INTO ri_default VALUES (1, 'a', 'snap');
INSERT INTO ri_full VALUES (1, 'a', 'snap');
INSERT INTO ri_full_no_pk VALUES (1, 'a', 'snap');
INSERT INTO ri_nothing VALUES (1, 'a', 'snap');
INSERT INTO ri_index VALUES (1, 'a', 'snap');
INSERT INTO no_pk VALUES (1, 'a', 'snap');

-- composite primary key declared in an order different from the column order
CREATE TABLE composite_pk (a integer, b text, v text, PRIMARY KEY (b, a));
INSERT INTO composite_pk VALUES (1, 'x', 'snap');

-- ---------------------------------------------------------------------------------------------
-- TOAST: large values stored out of line (STORAGE EXTERNAL: no compression, so > 2 kB goes to
-- the TOAST table); changes.sql updates only "other", and pgoutput then sends these columns as
-- "unchanged toast" with no value.
CREATE TABLE toast_test (
  id integer PRIMARY KEY,
  other integer,
  t_text text,
  t_varchar varchar(20000),
  t_bytea bytea,
  t_json json,
  t_jsonb jsonb,
  t_text_array text[],
  t_int_array int[],
  t_small text
);
ALTER TABLE toast_test ALTER COLUMN t_text SET STORAGE EXTERNAL,
                       ALTER COLUMN t_varchar SET STORAGE EXTERNAL,
                       ALTER COLUMN t_bytea SET STORAGE EXTERNAL,
                       ALTER COLUMN t_json SET STORAGE EXTERNAL,
                       ALTER COLUMN t_jsonb SET STORAGE EXTERNAL,
                       ALTER COLUMN t_text_array SET STORAGE EXTERNAL,
                       ALTER COLUMN t_int_array SET STORAGE EXTERNAL;

-- deterministic ~10 kB strings: 320 md5 hex digests
CREATE FUNCTION big_text(seed integer) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT string_agg(md5((seed * 1000 + i)::text), '' ORDER BY i) FROM generate_series(1, 320) i $$;
CREATE FUNCTION big_row(rid integer) RETURNS toast_test LANGUAGE sql IMMUTABLE AS $$
  SELECT rid, 0, big_text(rid), big_text(rid + 1), decode(big_text(rid + 2), 'hex'),
         json_build_object('k', big_text(rid + 3)), jsonb_build_object('k', big_text(rid + 4)),
         ARRAY[big_text(rid + 5), 'second'], (SELECT array_agg(i) FROM generate_series(1, 3000) i),
         'small'
$$;
INSERT INTO toast_test SELECT * FROM big_row(1);

-- TOAST under REPLICA IDENTITY FULL (old row values are logged in full)
CREATE TABLE toast_full (id integer PRIMARY KEY, other integer, t_text text);
ALTER TABLE toast_full ALTER COLUMN t_text SET STORAGE EXTERNAL;
ALTER TABLE toast_full REPLICA IDENTITY FULL;
INSERT INTO toast_full VALUES (1, 0, big_text(50));

-- ---------------------------------------------------------------------------------------------
-- TRUNCATE target
CREATE TABLE trunc_test (id integer PRIMARY KEY, val text);
INSERT INTO trunc_test VALUES (1, 'one'), (2, 'two');

-- a table in another schema and one with a quoted mixed-case name
CREATE TABLE s2.widgets (id integer PRIMARY KEY, name text);
INSERT INTO s2.widgets VALUES (1, 'snap');
CREATE TABLE "MixedCase" ("Id" integer PRIMARY KEY, "Val" text);
INSERT INTO "MixedCase" VALUES (1, 'snap');

-- an empty table in the snapshot
CREATE TABLE empty_table (id integer PRIMARY KEY);

-- written last by changes.sql: gen.sh waits for its record
CREATE TABLE zz_end_marker (id integer PRIMARY KEY);

RESET ROLE;
