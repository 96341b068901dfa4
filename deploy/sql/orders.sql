-- The seed lesson's orders table (Exercise 1), used by deploy/quickstart.sh and the seed's
-- end-to-end test (tests/e2e/test_postgres_seed.py).
CREATE TABLE orders (
    order_id   SERIAL PRIMARY KEY,
    customer   VARCHAR(100),
    amount     NUMERIC(10,2),
    status     VARCHAR(20),
    created_at TIMESTAMP DEFAULT NOW()
);
ALTER TABLE orders REPLICA IDENTITY FULL;
