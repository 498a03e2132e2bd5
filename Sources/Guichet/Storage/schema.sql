-- The schema of a Guichet database after every migration of Schema.swift, as SQLite reports it (sqlite_master:
-- tables, indexes, triggers, views; each table followed by its own), for reading. Written, never edited:
-- GUICHET_WRITE_SCHEMA=1 swift test --filter SchemaFileTests (Tests/GuichetTests/SchemaFileTests.swift checks
-- it against a migrated empty database). The owners and invariants of each table: Schema.swift's header.

-- table account
CREATE TABLE "account" (
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

-- index account_by_alias
CREATE INDEX account_by_alias ON account(alias) WHERE alias IS NOT NULL;

-- index account_by_ent_id
CREATE UNIQUE INDEX account_by_ent_id ON account(ent_id);

-- index account_by_login
CREATE UNIQUE INDEX account_by_login ON account(login);

-- index account_by_sort_key
CREATE INDEX account_by_sort_key ON account(sort_key);

-- table account_class
CREATE TABLE account_class (
    class_key TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    account_id INTEGER NOT NULL,
    PRIMARY KEY (class_key, sort_key, account_id)
) WITHOUT ROWID;

-- table api_key
CREATE TABLE api_key (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT,
    revoked_at TEXT
);

-- table family_link
CREATE TABLE family_link (
    parent_id INTEGER NOT NULL REFERENCES account(id),
    child_id INTEGER NOT NULL REFERENCES account(id),
    seen_from TEXT NOT NULL CHECK (seen_from IN ('both','parent','child')),
    PRIMARY KEY (parent_id, child_id)
) WITHOUT ROWID;

-- index family_link_by_child
CREATE INDEX family_link_by_child ON family_link(child_id);

-- table grdb_migrations
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);

-- table import_run
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

-- table journal
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

-- index journal_by_at
CREATE INDEX journal_by_at ON journal(at);

-- trigger journal_no_delete
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
    WHEN OLD.seq >= coalesce((SELECT max(first_seq) FROM journal_anchor), 0)
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only: rows cannot be deleted (only guichet journal purge removes old days)'); END;

-- trigger journal_no_update
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only: rows cannot be changed'); END;

-- table journal_anchor
CREATE TABLE journal_anchor (
    first_seq INTEGER PRIMARY KEY,
    prev_hash TEXT NOT NULL,
    purged_at TEXT NOT NULL,
    before_day TEXT NOT NULL
);

-- trigger journal_anchor_forward
CREATE TRIGGER journal_anchor_forward BEFORE INSERT ON journal_anchor
    WHEN NEW.first_seq <= coalesce((SELECT max(first_seq) FROM journal_anchor), 1)
      OR NEW.first_seq > coalesce((SELECT max(seq) FROM journal), 0) + 1
    BEGIN SELECT RAISE(ABORT, 'a journal anchor must move forward, at most to the row after the last'); END;

-- trigger journal_anchor_no_delete
CREATE TRIGGER journal_anchor_no_delete BEFORE DELETE ON journal_anchor
    BEGIN SELECT RAISE(ABORT, 'journal anchors cannot be deleted'); END;

-- trigger journal_anchor_no_update
CREATE TRIGGER journal_anchor_no_update BEFORE UPDATE ON journal_anchor
    BEGIN SELECT RAISE(ABORT, 'journal anchors cannot be changed'); END;

-- table journal_keying
CREATE TABLE journal_keying (first_seq INTEGER NOT NULL);

-- trigger journal_keying_no_delete
CREATE TRIGGER journal_keying_no_delete BEFORE DELETE ON journal_keying
    BEGIN SELECT RAISE(ABORT, 'the journal keying point cannot be deleted'); END;

-- trigger journal_keying_no_update
CREATE TRIGGER journal_keying_no_update BEFORE UPDATE ON journal_keying
    BEGIN SELECT RAISE(ABORT, 'the journal keying point cannot be changed'); END;

-- table mail_batch
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

-- table mail_outbox
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

-- index mail_outbox_by_batch
CREATE INDEX mail_outbox_by_batch ON mail_outbox(batch_id);

-- index mail_outbox_due
CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);

-- trigger mail_outbox_final
CREATE TRIGGER mail_outbox_final BEFORE UPDATE ON mail_outbox
    WHEN OLD.state IN ('sent','failed','unknown')
    BEGIN SELECT RAISE(ABORT, 'a sent, failed or unknown e-mail is final: it is never sent again'); END;

-- table name_deletion
CREATE TABLE name_deletion (key TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (key, term)) WITHOUT ROWID;

-- table name_pair
CREATE TABLE name_pair (
    key TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    account_id INTEGER NOT NULL,
    PRIMARY KEY (key, sort_key, account_id)
) WITHOUT ROWID;

-- table name_sound
CREATE TABLE name_sound (code TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (code, term)) WITHOUT ROWID;

-- table name_vocabulary
CREATE TABLE name_vocabulary (term TEXT PRIMARY KEY) WITHOUT ROWID;

-- table renewal_code
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

-- index renewal_code_by_account
CREATE INDEX renewal_code_by_account ON renewal_code(account_id, id);

-- index renewal_code_live
CREATE UNIQUE INDEX renewal_code_live ON renewal_code(account_id) WHERE state = 'live';

-- table search_term
CREATE TABLE search_term (
    term TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    account_id INTEGER NOT NULL,
    PRIMARY KEY (term, sort_key, account_id)
) WITHOUT ROWID;

-- table staff
CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('agent','reviewer')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
, session_epoch INTEGER NOT NULL DEFAULT 0);
