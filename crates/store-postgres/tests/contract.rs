//! The storage contract, run against PostgreSQL (when `SENSATE_TEST_DATABASE_URL` is set).

use sensate_store_postgres::testing::TestDatabase;

sensate_store::contract_tests!(TestDatabase::fresh);
