import GRDB

/// The database schema, as versioned migrations (v1 to v4 in `Schema+FirstRelease.swift`). A migration, once
/// released, never changes: add a new one. What they lead to is in `schema.sql` beside this file, for reading (written
/// by `GUICHET_WRITE_SCHEMA=1 swift test --filter SchemaFileTests`, checked by the same test; `SchemaUpgradeTests`
/// checks that older databases reach it too). A migration never calls live code, only its own SQL text: live code
/// changes after release, and a migration that called it would then no longer do what it did when it shipped. One
/// that changes data derived from `account` sets `PRAGMA user_version = 1`, and `DerivedData` rebuilds it after
/// migrating; rows that need today's code (the journal's keying point) are written after migrating by their owner.
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
        registerFirstRelease(&migrator)
        migrator.registerMigration("v5-short-name-vocabulary") { db in
            // The vocabulary now holds names of 2 and 3 letters too (two typed prefixes are expanded through it): the
            // vocabulary is derived data, rebuilt after migrating (DerivedData).
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v6-mail") { db in
            // The outbox (Mail/Outbox): a trigger keeps a sent, failed or unknown e-mail final.
            try db.execute(
                sql: """
                    CREATE TABLE mail_batch (
                        id INTEGER PRIMARY KEY,
                        queued_at TEXT NOT NULL,
                        staff TEXT,
                        channel TEXT NOT NULL,
                        journal_seq INTEGER NOT NULL,
                        filter TEXT NOT NULL,
                        selected INTEGER NOT NULL,
                        without_address INTEGER NOT NULL
                    );
                    CREATE TABLE mail_outbox (
                        id INTEGER PRIMARY KEY,
                        batch_id INTEGER REFERENCES mail_batch(id),
                        login TEXT NOT NULL,
                        address TEXT NOT NULL CHECK (address <> ''),
                        sheet_number TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('queued','sending','sent','failed','unknown')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at TEXT NOT NULL,
                        claimed_by TEXT,
                        claimed_at TEXT,
                        smtp_code INTEGER,
                        last_error TEXT,
                        message_id TEXT,
                        queued_at TEXT NOT NULL,
                        finished_at TEXT,
                        staff TEXT,
                        channel TEXT NOT NULL
                    );
                    CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);
                    CREATE INDEX mail_outbox_by_batch ON mail_outbox(batch_id);
                    CREATE TRIGGER mail_outbox_final BEFORE UPDATE ON mail_outbox
                        WHEN OLD.state IN ('sent','failed','unknown')
                        BEGIN SELECT RAISE(ABORT, 'a sent, failed or unknown e-mail is final: it is never sent again'); END;
                    """)
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
            try db.execute(
                sql: """
                    CREATE UNIQUE INDEX account_by_ent_id ON account(ent_id);
                    CREATE UNIQUE INDEX account_by_login ON account(login);
                    CREATE INDEX account_by_alias ON account(alias) WHERE alias IS NOT NULL;
                    CREATE INDEX account_by_sort_key ON account(sort_key);
                    """)
        }
        migrator.registerMigration("v10-no-whole-logins") { db in
            // Logins and aliases are indexed by their words only; near spellings no longer read names backwards.
            try db.execute(sql: "DROP TABLE name_vocabulary_reversed; UPDATE account SET import_fingerprint = NULL")
            // The terms and the index are derived data, rebuilt after migrating (DerivedData).
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v11-staff-sessions") { db in
            // A counter that ends a member's sessions when it moves (Staff).
            try db.execute(sql: "ALTER TABLE staff ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v12-journal-keyed") { db in
            // The table only: its one row is written after migrating by `Journal.writeKeyingPoint`, which needs
            // today's `Journal.append` and the journal key (a migration never calls live code).
            try db.execute(
                sql: """
                    CREATE TABLE journal_keying (first_seq INTEGER NOT NULL);
                    CREATE TRIGGER journal_keying_no_update BEFORE UPDATE ON journal_keying
                        BEGIN SELECT RAISE(ABORT, 'the journal keying point cannot be changed'); END;
                    CREATE TRIGGER journal_keying_no_delete BEFORE DELETE ON journal_keying
                        BEGIN SELECT RAISE(ABORT, 'the journal keying point cannot be deleted'); END;
                    """)
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
        migrator.registerMigration("v14-fewer-deletion-keys") { db in
            // Names of 7 or 8 letters lose their double deletions in name_deletion (NearSpelling.deletionKeys): the
            // index's rebuild after migrating writes today's rows (DerivedData).
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        return migrator
    }
}
