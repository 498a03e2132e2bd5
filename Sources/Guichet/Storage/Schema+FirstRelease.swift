import GRDB

extension Schema {
    /// Migrations v1-accounts to v4-journal-retention, each with its own SQL as released (a released migration never
    /// changes, whatever the live code that now owns its tables becomes).
    static func registerFirstRelease(_ migrator: inout DatabaseMigrator) {
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
            // The journal (Journal/): append-only, its UPDATE and DELETE refused by triggers.
            try db.execute(
                sql: """
                    CREATE TABLE journal (
                        seq INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        staff TEXT,
                        channel TEXT NOT NULL CHECK (channel IN ('kiosk','cli','api')),
                        action TEXT NOT NULL,
                        target TEXT,
                        details TEXT NOT NULL,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX journal_by_at ON journal(at);
                    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: rows cannot be changed'); END;
                    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: rows cannot be deleted'); END;
                    """)
        }
        migrator.registerMigration("v2-staff") { db in
            try db.execute(
                sql: """
                    CREATE TABLE staff (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        role TEXT NOT NULL CHECK (role IN ('agent','reviewer')),
                        password_hash TEXT NOT NULL,
                        disabled INTEGER NOT NULL DEFAULT 0,
                        created_at TEXT NOT NULL
                    );
                    """)
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
            try db.execute(
                sql: """
                    CREATE TABLE renewal_code (
                        id INTEGER PRIMARY KEY,
                        account_id INTEGER NOT NULL REFERENCES account(id),
                        mac TEXT NOT NULL,
                        issued_at TEXT NOT NULL,
                        issued_by TEXT NOT NULL,
                        expires_at TEXT NOT NULL,
                        state TEXT NOT NULL DEFAULT 'live'
                            CHECK (state IN ('live','redeemed','revoked','voided','expired')),
                        wrong_attempts INTEGER NOT NULL DEFAULT 0,
                        ended_at TEXT,
                        CHECK ((state = 'live') = (ended_at IS NULL))
                    );
                    CREATE UNIQUE INDEX renewal_code_live ON renewal_code(account_id) WHERE state = 'live';
                    CREATE INDEX renewal_code_by_account ON renewal_code(account_id, id);
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE api_key (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        key_hash TEXT NOT NULL UNIQUE,
                        created_at TEXT NOT NULL,
                        created_by TEXT,
                        revoked_at TEXT
                    );
                    """)
        }
        migrator.registerMigration("v4-journal-retention") { db in
            // The retention anchor, and a delete trigger that lets only anchored rows go (Journal+Retention).
            try db.execute(
                sql: """
                    CREATE TABLE journal_anchor (
                        first_seq INTEGER PRIMARY KEY,
                        prev_hash TEXT NOT NULL,
                        purged_at TEXT NOT NULL,
                        before_day TEXT NOT NULL
                    );
                    CREATE TRIGGER journal_anchor_no_update BEFORE UPDATE ON journal_anchor
                        BEGIN SELECT RAISE(ABORT, 'journal anchors cannot be changed'); END;
                    CREATE TRIGGER journal_anchor_no_delete BEFORE DELETE ON journal_anchor
                        BEGIN SELECT RAISE(ABORT, 'journal anchors cannot be deleted'); END;
                    CREATE TRIGGER journal_anchor_forward BEFORE INSERT ON journal_anchor
                        WHEN NEW.first_seq <= coalesce((SELECT max(first_seq) FROM journal_anchor), 1)
                          OR NEW.first_seq > coalesce((SELECT max(seq) FROM journal), 0) + 1
                        BEGIN SELECT RAISE(ABORT, 'a journal anchor must move forward, at most to the row after the last'); END;
                    DROP TRIGGER journal_no_delete;
                    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
                        WHEN OLD.seq >= coalesce((SELECT max(first_seq) FROM journal_anchor), 0)
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only: rows cannot be deleted (only guichet journal purge removes old days)'); END;
                    """)
        }
    }
}
