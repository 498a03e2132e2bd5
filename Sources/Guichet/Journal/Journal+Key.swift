import Foundation
import GRDB
import GuichetCrypto

/// The journal's key: rows from `journal_keying.first_seq` on are sealed with HMAC-SHA-256 under a key kept outside
/// the database (`<database>.journal-key`, 32 bytes, mode 0600, made on the first keyed row), so that someone who
/// can write the database but not read that file cannot recompute the chain after editing it.
///
/// Format (migration v12-journal-keyed; DDL in `Storage/schema.sql`): table `journal_keying (first_seq)`, one row,
/// never changed, written by `writeKeyingPoint` right after migrating. A database created since has first_seq 1; an
/// older one is keyed from the row after its head at the upgrade, and that row is a `journal-keyed` row
/// (`{"fromSeq"}`) stating the point. Rows before it keep their SHA-256 hashes (`Journal`).
/// A keyed row's hash is the hex HMAC-SHA-256 of "guichet-journal-v2" and the same length-prefixed fields as v1.
///
/// Connections get the key through a SQL function, `guichet_journal_mac(text, may_create)`, installed by
/// `GuichetDatabase` on each connection (and by `DatabaseInspection` with a given key file): `Journal.append(db, …)`
/// keeps its signature, and a connection that has no key cannot seal or check a keyed row (it fails, naming why).
extension Journal {
    static let macFunction = "guichet_journal_mac"

    /// Writes the keying point once, after migration v12 made its empty table: not in the migration, because it
    /// needs today's `append` and key (a released migration never calls live code). One transaction holds the point
    /// and its `journal-keyed` row, so a crash leaves neither and the next open writes both; a no-op (and no write)
    /// once the point exists. Called by `GuichetDatabase` right after migrating.
    static func writeKeyingPoint(_ writer: any DatabaseWriter) throws {
        guard try writer.read({ try needsKeyingPoint($0) }) else { return }
        try writer.write { db in
            // Another process may have written it between the read and this write transaction.
            guard try needsKeyingPoint(db) else { return }
            let next = try nextSeq(db)
            try db.execute(sql: "INSERT INTO journal_keying (first_seq) VALUES (?)", arguments: [next])
            if next > 1 {
                // An existing journal: its next row states where the keyed chain starts.
                try append(db, JournalEntry(staff: "system", channel: .cli, action: .journalKeyed, details: ["fromSeq": next]))
            }
        }
    }

    /// The seq the next row gets: after the head, or where a purge left the chain, or 1.
    private static func nextSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(seq) FROM journal").map { $0 + 1 }
            ?? Int64.fetchOne(db, sql: "SELECT max(first_seq) FROM journal_anchor")
            ?? 1
    }

    /// Whether the key file may still be made: no keyed row was ever written, so the next row would be the first
    /// (`append`'s rule). Once one was, a missing key file is an error to report — the database was restored or
    /// copied without it — and never a reason to make a new key, for the chain or for anything derived from it.
    static func mayCreateKey(_ db: Database) throws -> Bool {
        guard let keyedFrom = try keyedFrom(db) else { return true }
        return try nextSeq(db) <= keyedFrom
    }

    private static func needsKeyingPoint(_ db: Database) throws -> Bool {
        try db.tableExists("journal_keying") && keyedFromMigrated(db) == nil
    }

    /// The first keyed row's seq; nil before migration v12 (no keying at all): for reading a database as it is,
    /// unmigrated (`verify` on a backup opened read only by `DatabaseInspection`).
    static func keyedFrom(_ db: Database) throws -> Int64? {
        guard try db.tableExists("journal_keying") else { return nil }
        return try keyedFromMigrated(db)
    }

    /// The first keyed row's seq in a database migrated past v12, where `journal_keying` always exists: what
    /// `append` asks on every row (`writeKeyingPoint` wrote the point before any row is appended after migrating),
    /// without asking SQLite's schema whether the table exists each time. Prepared once per connection.
    static func keyedFromMigrated(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT first_seq FROM journal_keying LIMIT 1"))
    }

    /// Installs `guichet_journal_mac` on `db`, with the key of `secret` (read, or created when `may_create` is true,
    /// on first use). An error inside the function aborts the statement that called it.
    static func installKey(_ db: Database, secret: DatabaseSecret) {
        db.add(
            function: DatabaseFunction(macFunction, argumentCount: 2, pure: false) { values in
                guard let text = String.fromDatabaseValue(values[0]) else { return nil }
                let mayCreate = Bool.fromDatabaseValue(values[1]) ?? false
                let key = try secret.journalKey(create: mayCreate)
                return hexString(Digest.hmacSHA256(key: key, message: Array(text.utf8)))
            })
    }

    /// The hash `row` must carry: keyed from `keyedFrom` on, SHA-256 before. The statement is prepared once per
    /// connection: every journalled request seals a row (preparing it each time was 0.06M instructions per search).
    static func expectedHash(_ db: Database, _ row: JournalRow, keyedFrom: Int64?, mayCreateKey: Bool = false) throws -> String {
        guard let keyedFrom, row.seq >= keyedFrom else { return row.computedHash() }
        do {
            return try String.fetchOne(
                db.cachedStatement(sql: "SELECT \(macFunction)(?, ?)"), arguments: [row.canonicalText(version: 2), mayCreateKey])!
        } catch let error as DatabaseError {
            throw JournalError.key(error.message ?? "\(error)")
        }
    }
}
