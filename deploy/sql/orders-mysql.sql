-- The seed lesson's `orders` table (deploy/sql/orders.sql) in MySQL / MariaDB: the same columns
-- and types. MySQL has no REPLICA IDENTITY: binlog_row_image=FULL (tests/env/mariadb.sh) gives
-- UPDATE and DELETE events the whole old row.
CREATE TABLE orders (
    order_id   INT AUTO_INCREMENT PRIMARY KEY,
    customer   VARCHAR(100),
    amount     DECIMAL(10,2),
    status     VARCHAR(20),
    created_at DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6)
);
