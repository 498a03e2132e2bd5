import GRDB

/// The database schema, as versioned migrations. A migration, once released, never changes: add a new one. What they
/// lead to is in `schema.sql` beside this file, for reading (written by `GUICHET_WRITE_SCHEMA=1 swift test --filter
/// SchemaFileTests`, checked by the same test). A migration never calls live code: one that changes data derived from
/// `account` sets `PRAGMA user_version = 1`, and `DerivedData` rebuilds it after migrating.
///
/// Tables and their owners:
/// - `account` (Accounts/, Import/): one row per ENT account ever imported; never deleted, only marked gone.
///   `sort_key` orders people as a French register does; `search_text` is " term term … ", the account's search terms;
///   `import_fingerprint` fingerprints the export row the last import read (NULL: compare the row in full). A change
///   to how the importer derives columns from a row must set it back to NULL.
/// - `search_term`, `name_pair`, `account_class`, `name_vocabulary`, `name_sound`, `name_deletion` (Search/SearchIndex): derived
///   from `account`, rebuilt at will; they hold nothing that `account` does not.
/// - `family_link` (Import/FamilyLinks): parent–child links rebuilt from the export's display names.
/// - `import_run` (Import/Importer): one row per successful import, with its diff.
/// - `journal` (Journal/): append-only; triggers refuse UPDATE, and DELETE except of rows a retention anchor let go.
/// - `journal_anchor` (Journal/Journal+Retention): one row per purge, where the chain now starts; never changed.
/// - `journal_keying` (Journal/Journal+Key): the first row sealed with the journal key; one row, never changed.
/// - `staff` (Staff/): the desk's personal accounts, Argon2id password hashes.
/// - `renewal_code`, `api_key` (Renewal/): keyed hashes of one-time renewal codes (never a code), and the hashed keys
///   of the connectors that redeem them.
/// - `mail_outbox`, `mail_batch` (Mail/Outbox): one row per e-mail to send and what became of it; batches queued.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-accounts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE account (
                        id INTEGER PRIMARY KEY,
                        ent_id TEXT UNIQUE,
                        siecle_id TEXT,
                        profile TEXT NOT NULL CHECK (profile IN ('Student','Relative','Teacher','Personnel','Guest')),
                        last_name TEXT NOT NULL,
                        first_name TEXT NOT NULL,
                        login TEXT NOT NULL UNIQUE,
                        alias TEXT,
                        activation_code TEXT,
                        functions TEXT NOT NULL DEFAULT '[]',
                        structures TEXT NOT NULL DEFAULT '[]',
                        classes TEXT NOT NULL DEFAULT '[]',
                        children_names TEXT NOT NULL DEFAULT '[]',
                        parents_names TEXT NOT NULL DEFAULT '[]',
                        email TEXT,
                        phone TEXT,
                        last_connection TEXT,
                        created_on TEXT,
                        first_seen TEXT NOT NULL,
                        last_seen TEXT NOT NULL,
                        gone_since TEXT,
                        activated_since TEXT,
                        sort_key TEXT NOT NULL,
                        search_text TEXT NOT NULL
                    );
                    CREATE INDEX account_by_alias ON account(alias) WHERE alias IS NOT NULL;
                    CREATE INDEX account_by_sort_key ON account(sort_key);

                    CREATE TABLE search_term (
                        term TEXT NOT NULL,
                        sort_key TEXT NOT NULL,
                        account_id INTEGER NOT NULL,
                        PRIMARY KEY (term, sort_key, account_id)
                    ) WITHOUT ROWID;

                    CREATE TABLE account_class (
                        class_key TEXT NOT NULL,
                        sort_key TEXT NOT NULL,
                        account_id INTEGER NOT NULL,
                        PRIMARY KEY (class_key, sort_key, account_id)
                    ) WITHOUT ROWID;

                    CREATE TABLE name_vocabulary (term TEXT PRIMARY KEY) WITHOUT ROWID;
                    CREATE TABLE name_vocabulary_reversed (term TEXT PRIMARY KEY) WITHOUT ROWID;

                    CREATE TABLE family_link (
                        parent_id INTEGER NOT NULL REFERENCES account(id),
                        child_id INTEGER NOT NULL REFERENCES account(id),
                        seen_from TEXT NOT NULL CHECK (seen_from IN ('both','parent','child')),
                        PRIMARY KEY (parent_id, child_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX family_link_by_child ON family_link(child_id);

                    CREATE TABLE import_run (
                        id INTEGER PRIMARY KEY,
                        imported_at TEXT NOT NULL,
                        file_name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        encoding TEXT NOT NULL,
                        data_date TEXT NOT NULL,
                        rows INTEGER NOT NULL,
                        diff TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v1-journal") { db in
            try Journal.createTable(db)
        }
        migrator.registerMigration("v2-staff") { db in
            try Staff.createTable(db)
        }
        migrator.registerMigration("v2-name-pairs") { db in
            try db.execute(
                sql: """
                    ALTER TABLE account ADD COLUMN name_words TEXT NOT NULL DEFAULT '[[],[]]';
                    CREATE TABLE name_pair (
                        key TEXT NOT NULL,
                        sort_key TEXT NOT NULL,
                        account_id INTEGER NOT NULL,
                        PRIMARY KEY (key, sort_key, account_id)
                    ) WITHOUT ROWID;
                    """)
            // The names' words and the index are derived data, rebuilt after migrating (DerivedData).
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v3-renewal") { db in
            try RenewalCodes.createTables(db)
        }
        migrator.registerMigration("v4-journal-retention") { db in
            try Journal.createAnchorTable(db)
        }
        migrator.registerMigration("v5-short-name-vocabulary") { db in
            // The vocabulary now holds names of 2 and 3 letters too (two typed prefixes are expanded through it).
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO name_vocabulary (term)
                        SELECT DISTINCT term FROM search_term WHERE length(term) BETWEEN 2 AND 3 AND instr(term, '.') = 0;
                    INSERT OR IGNORE INTO name_vocabulary_reversed (term)
                        SELECT guichet_reverse(term) FROM name_vocabulary WHERE length(term) BETWEEN 2 AND 3;
                    """)
        }
        migrator.registerMigration("v6-mail") { db in
            try Outbox.createTables(db)
        }
        migrator.registerMigration("v7-leaner-terms") { _ in
            // Recomputed the terms when logins stopped being indexed run together; v10 recomputes them again, so a
            // database older than both does it once.
        }
        migrator.registerMigration("v8-import-fingerprint") { db in
            // What the last import read of each account (Importer): a row read again unchanged is skipped whole.
            try db.execute(sql: "ALTER TABLE account ADD COLUMN import_fingerprint INTEGER")
        }
        migrator.registerMigration("v9-account-indexes") { db in
            // The same table, its unique constraints now named indexes, which a large import drops and builds again
            // once its rows are in (Importer): a sorted index build instead of a million inserts at random. SQLite's
            // way to change constraints: make the new table, copy, drop the old, rename (foreign keys are off
            // during migrations and checked after them).
            try db.execute(
                sql: """
                    CREATE TABLE account_rebuilt (
                        id INTEGER PRIMARY KEY,
                        ent_id TEXT,
                        siecle_id TEXT,
                        profile TEXT NOT NULL CHECK (profile IN ('Student','Relative','Teacher','Personnel','Guest')),
                        last_name TEXT NOT NULL,
                        first_name TEXT NOT NULL,
                        login TEXT NOT NULL,
                        alias TEXT,
                        activation_code TEXT,
                        functions TEXT NOT NULL DEFAULT '[]',
                        structures TEXT NOT NULL DEFAULT '[]',
                        classes TEXT NOT NULL DEFAULT '[]',
                        children_names TEXT NOT NULL DEFAULT '[]',
                        parents_names TEXT NOT NULL DEFAULT '[]',
                        email TEXT,
                        phone TEXT,
                        last_connection TEXT,
                        created_on TEXT,
                        first_seen TEXT NOT NULL,
                        last_seen TEXT NOT NULL,
                        gone_since TEXT,
                        activated_since TEXT,
                        sort_key TEXT NOT NULL,
                        search_text TEXT NOT NULL,
                        name_words TEXT NOT NULL DEFAULT '[[],[]]',
                        import_fingerprint INTEGER
                    );
                    INSERT INTO account_rebuilt SELECT * FROM account;
                    DROP TABLE account;
                    ALTER TABLE account_rebuilt RENAME TO account;
                    """)
            try AccountIndexes.create(db)
        }
        migrator.registerMigration("v10-no-whole-logins") { db in
            // Logins and aliases are indexed by their words only; near spellings no longer read names backwards.
            try db.execute(sql: "DROP TABLE name_vocabulary_reversed; UPDATE account SET import_fingerprint = NULL")
            // The terms and the index are derived data, rebuilt after migrating (DerivedData).
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v11-staff-sessions") { db in
            try Staff.addSessionEpoch(db)
        }
        migrator.registerMigration("v12-journal-keyed") { db in
            try Journal.createKeying(db)
        }
        migrator.registerMigration("v13-search-sound-alikes") { db in
            // Near spellings two letters away and French sound-alikes (Search/SearchIndex+Tolerance).
            try db.execute(
                sql: """
                    CREATE TABLE name_sound (code TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (code, term)) WITHOUT ROWID;
                    CREATE TABLE name_deletion (key TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (key, term)) WITHOUT ROWID;
                    """)
            // Filled from the vocabulary by the index's rebuild after migrating (DerivedData).
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        return migrator
    }
}
