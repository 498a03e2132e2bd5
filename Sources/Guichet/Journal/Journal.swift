import Foundation
import GRDB
import GuichetCrypto

/// The journal: one row per action, written in the same transaction as the action, append-only and hash-chained.
///
/// Format of a row (table `journal`):
///   seq        INTEGER, 1, 2, 3 … with no gap
///   at         UTC ISO 8601 time, "2026-11-21T08:30:00Z"
///   staff      who acted (a staff name, "system" for unattended jobs), or NULL
///   channel    kiosk | cli | api
///   action     a `JournalAction` raw value
///   target     the account's login the action was about, or NULL
///   details    JSON object, keys sorted; never a password, an activation or renewal code
///   prev_hash  the previous row's hash; for seq 1, 64 zeros
///   hash       lowercase hex SHA-256 of the canonical encoding below
/// Canonical encoding: "guichet-journal-v1" then, for seq, at, staff, channel, action, target, details and prev_hash in
/// that order, "\n" + the UTF-8 byte length + ":" + the value (NULL is written "-1:"). Lengths make it unambiguous.
///
/// The journal is valid if and only if: seq runs 1…n with no gap, each
/// row's prev_hash equals the hash of the row before it, and each row's hash equals the hash of its own encoding.
/// SQLite triggers refuse UPDATE and DELETE; someone who drops them and edits, deletes, inserts or reorders rows
/// breaks one of these rules at the first row touched, which `verify` names.
public enum Journal {
    public static let genesisHash = String(repeating: "0", count: 64)

    static func createTable(_ db: Database) throws {
        try db.execute(sql: """
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

    /// Appends one row inside the caller's write transaction and returns its sequence number.
    @discardableResult
    public static func append(_ db: Database, _ entry: JournalEntry, at date: Date = Date()) throws -> Int64 {
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (head?["seq"] ?? 0) + 1
        let previous: String = head?["hash"] ?? genesisHash
        let row = JournalRow(seq: seq, at: Timestamp.format(date), staff: entry.staff, channel: entry.channel.rawValue,
                             action: entry.action.rawValue, target: entry.target, details: entry.detailsJSON,
                             previousHash: previous, hash: "")
        try db.execute(sql: """
            INSERT INTO journal (seq, at, staff, channel, action, target, details, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [row.seq, row.at, row.staff, row.channel, row.action, row.target, row.details,
                             row.previousHash, row.computedHash()])
        return seq
    }

    /// Checks the whole chain; returns the number of rows, or throws naming the first bad row.
    public static func verify(_ db: Database) throws -> (count: Int, head: String) {
        var expectedSeq: Int64? = nil
        var previous = genesisHash
        var count = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM journal ORDER BY seq")
        while let r = try rows.next() {
            let row = JournalRow(row: r)
            if let expected = expectedSeq, row.seq != expected {
                throw JournalError.broken(seq: row.seq, reason: "row \(expected) is missing (sequence jumps to \(row.seq))")
            }
            if expectedSeq == nil, row.seq != 1 {
                throw JournalError.broken(seq: row.seq, reason: "the journal does not start at row 1")
            }
            if row.previousHash != previous {
                throw JournalError.broken(seq: row.seq, reason: row.seq == 1 ? "the first row does not start the chain"
                                          : "its previous hash does not match row \(row.seq - 1)")
            }
            if row.computedHash() != row.hash {
                throw JournalError.broken(seq: row.seq, reason: "its content does not match its hash (edited)")
            }
            previous = row.hash
            expectedSeq = row.seq + 1
            count += 1
        }
        return (count, previous)
    }
}

public enum JournalError: Error, CustomStringConvertible, Equatable {
    case broken(seq: Int64, reason: String)

    public var description: String {
        switch self {
        case .broken(let seq, let reason): "journal row \(seq) is bad: \(reason)"
        }
    }
}

/// A journal row as stored.
public struct JournalRow: Sendable, Codable, Equatable {
    public var seq: Int64
    public var at: String
    public var staff: String?
    public var channel: String
    public var action: String
    public var target: String?
    public var details: String
    public var previousHash: String
    public var hash: String

    init(seq: Int64, at: String, staff: String?, channel: String, action: String, target: String?, details: String,
         previousHash: String, hash: String) {
        (self.seq, self.at, self.staff, self.channel, self.action, self.target, self.details, self.previousHash, self.hash)
            = (seq, at, staff, channel, action, target, details, previousHash, hash)
    }

    init(row: Row) {
        self.init(seq: row["seq"], at: row["at"], staff: row["staff"], channel: row["channel"], action: row["action"],
                  target: row["target"], details: row["details"], previousHash: row["prev_hash"], hash: row["hash"])
    }

    /// SHA-256 of the canonical encoding (see `Journal`).
    func computedHash() -> String {
        var text = "guichet-journal-v1"
        for value in [String(seq), at, staff, channel, action, target, details, previousHash] as [String?] {
            if let value { text += "\n\(value.utf8.count):\(value)" } else { text += "\n-1:" }
        }
        return hexString(Digest.sha256(Array(text.utf8)))
    }
}
