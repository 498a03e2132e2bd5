import Foundation
import GRDB
import GuichetCrypto

/// The journal: one row per action, written in the same transaction as the action, append-only and hash-chained.
///
/// Format of a row (table `journal`, migration v1-journal; the DDL and triggers: `Storage/schema.sql`):
///   seq        INTEGER, consecutive with no gap (1, 2, 3 … until a purge; see the anchor below)
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
/// Retention anchor (table `journal_anchor`, migration v4-journal-retention, written only by `purge`): one row per
/// purge that removed rows, `(first_seq, prev_hash, purged_at, before_day)`: the first row kept and the hash of the
/// row just before it, which is gone. The purge's own journal row (action `journal-purged`, details `firstKeptSeq`,
/// `anchorHash`, `removed`, `before`) repeats both values inside the chain.
///
/// Sign-off (action `review-signed-off`, details `{"day", "upTo", "head"}`): a reviewer's statement that the chain up
/// to row `upTo` had hash `head`, the figures also written by hand on the printed daily report.
///
/// The journal is valid if and only if:
///   1. with no anchor, the first row is seq 1 with prev_hash 64 zeros; with anchors, the first row is the latest
///      anchor's first_seq (the greatest) and its prev_hash is that anchor's prev_hash, and a kept `journal-purged`
///      row names the same firstKeptSeq and anchorHash;
///   2. seq runs on from the first row with no gap, and each row's prev_hash equals the hash of the row before it;
///   3. each row's hash equals the hash of its own encoding;
///   4. each sign-off's `upTo` is below its own seq, and the row `upTo` has hash `head` (when `upTo` was purged, only
///      `upTo` = first_seq − 1 can still be checked, against the anchor's prev_hash).
///   5. rows from `journal_keying.first_seq` on carry an HMAC-SHA-256 under the journal key instead (`Journal+Key`), the
///      head of a non-empty journal is such a row, and a keying point inside the kept rows is a `journal-keyed` row;
///   6. the triggers on the journal's tables are exactly those the migrations wrote (`Journal+Protection`);
///   7. the head is at or past the head witnessed outside the database, with the witnessed hash (`JournalWitness`).
/// An empty journal with no anchor is valid. SQLite triggers refuse UPDATE, and DELETE of any row at or after the
/// latest anchor's first_seq, so the only way to delete rows is to first write an anchor past them, which is what
/// `purge` does in one transaction — chosen over dropping and re-creating the trigger inside the purge, because the
/// permission is then a row that stays (and that `verify` checks) rather than a window with no guard at all. The
/// anchor table refuses UPDATE and DELETE, and an anchor that does not move forward. Someone who drops the triggers
/// and edits, deletes, inserts or reorders rows breaks one of these rules at the first row touched, which `verify`
/// names. Without the key, a changed row cannot be sealed again (rule 5); cutting off the newest rows leaves a valid
/// shorter chain that only the witness (rule 7) and the sign-off's figures on paper show.
public enum Journal {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Appends one row inside the caller's write transaction and returns its sequence number.
    @discardableResult
    public static func append(_ db: Database, _ entry: JournalEntry, at date: Date = Date()) throws -> Int64 {
        // Statements prepared once per connection: every journalled request runs these two.
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1"))
        let seq: Int64
        let previous: String
        if let head {
            (seq, previous) = (head["seq"] as Int64 + 1, head["hash"])
        } else if let anchor = try Row.fetchOne(
            db, sql: "SELECT first_seq, prev_hash FROM journal_anchor ORDER BY first_seq DESC LIMIT 1")
        {
            // Only a purge leaves the table empty (it removed everything), and it appends its own row at once.
            (seq, previous) = (anchor["first_seq"], anchor["prev_hash"])
        } else {
            (seq, previous) = (1, genesisHash)
        }
        let row = JournalRow(
            seq: seq, at: Timestamp.format(date), staff: entry.staff, channel: entry.channel.rawValue,
            action: entry.action.rawValue, target: entry.target, details: entry.detailsJSON,
            previousHash: previous, hash: "")
        let keyedFrom = try keyedFromMigrated(db)
        // The key file is made with the first keyed row, never later (see `DatabaseSecret.journalKey`).
        let hash = try expectedHash(db, row, keyedFrom: keyedFrom, mayCreateKey: seq <= (keyedFrom ?? 0))
        try db.cachedStatement(
            sql: """
                INSERT INTO journal (seq, at, staff, channel, action, target, details, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            row.seq, row.at, row.staff, row.channel, row.action, row.target, row.details,
            row.previousHash, hash
        ])
        return seq
    }

    /// The newest row: the chain's head, or nil for an empty journal.
    public static func head(_ db: Database) throws -> JournalRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM journal ORDER BY seq DESC LIMIT 1").map(JournalRow.init(row:))
    }
}

public enum JournalError: Error, CustomStringConvertible, Equatable {
    case broken(seq: Int64, reason: String)
    /// An append-only trigger is missing or not the one Guichet wrote.
    case schema(String)
    /// The head disagrees with the witness kept outside the database.
    case witness(String)
    /// The journal key is missing or unreadable, so keyed rows can be neither written nor checked.
    case key(String)

    public var description: String {
        switch self {
        case .broken(let seq, let reason): "journal row \(seq) is bad: \(reason)"
        case .schema(let reason): "the journal's protection was tampered with: \(reason)"
        case .witness(let reason): "the journal disagrees with its witness: \(reason)"
        case .key(let reason): "the journal cannot be checked: \(reason)"
        }
    }
}
