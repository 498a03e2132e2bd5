import GRDB

/// The secondary indexes of `account`. A large import drops them, inserts its rows, and builds them again: SQLite
/// then sorts each key once, instead of inserting a million keys at random into four B-trees (measured here: most
/// of the time of writing a million accounts). `create` must make exactly the indexes migration v9 made (its own
/// copy of this SQL; `SchemaUpgradeTests` compares the schema after a drop and create with `schema.sql`).
enum AccountIndexes {
    static let names = ["account_by_ent_id", "account_by_login", "account_by_alias", "account_by_sort_key"]

    static func create(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE UNIQUE INDEX account_by_ent_id ON account(ent_id);
                CREATE UNIQUE INDEX account_by_login ON account(login);
                CREATE INDEX account_by_alias ON account(alias) WHERE alias IS NOT NULL;
                CREATE INDEX account_by_sort_key ON account(sort_key);
                """)
    }

    static func drop(_ db: Database) throws {
        for name in names { try db.execute(sql: "DROP INDEX \(name)") }
    }
}
