//! The storage contract, run against SQLite.

use sensate_store_sqlite::testing::TestDatabase;

sensate_store::contract_tests!(TestDatabase::fresh);
