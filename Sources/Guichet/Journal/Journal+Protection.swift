import Foundation
import GRDB

/// What `verify` checks beyond the rows: the keying point, the append-only triggers, and the head's witness.
extension Journal {
    /// Rule 5 (`Journal`): a non-empty journal's head is keyed (else every row could be recomputed without the
    /// key), and a keying point inside the kept journal is the `journal-keyed` row that states it.
    static func checkKeyingPoint(_ db: Database, _ keyedFrom: Int64?, firstSeq: Int64, headSeq: Int64, count: Int) throws {
        guard let keyedFrom, count > 0 else { return }
        guard keyedFrom <= headSeq else {
            throw JournalError.broken(
                seq: headSeq,
                reason: "the newest row is not sealed with the journal key (the keying point was moved past it to \(keyedFrom))")
        }
        guard keyedFrom > firstSeq else { return }
        let row = try Row.fetchOne(db, sql: "SELECT action, details FROM journal WHERE seq = ?", arguments: [keyedFrom])
        let details =
            (row?["details"] as String?).flatMap { try? JSONDecoder().decode([String: JSONValue].self, from: Data($0.utf8)) }
            ?? [:]
        guard row?["action"] == JournalAction.journalKeyed.rawValue, details["fromSeq"]?.int64 == keyedFrom else {
            throw JournalError.broken(
                seq: keyedFrom, reason: "the keyed chain starts here, but this is not the journal-keyed row that says so")
        }
    }

    /// Rule 6: the triggers that keep the journal append-only are the ones Guichet's migrations wrote, and no other
    /// trigger sits on its tables. Compared with the text the migrations write into an empty database (whitespace
    /// folded), up to the migration that made the newest of the journal's tables this database has.
    static func checkTriggers(_ db: Database) throws {
        var actual: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'") {
            if tables.contains(row["tbl_name"] as String) { actual[row["name"]] = folded(row["sql"]) }
        }
        let expected = try expectedTriggers(anchors: db.tableExists("journal_anchor"), keying: db.tableExists("journal_keying"))
        for (name, sql) in expected.sorted(by: { $0.key < $1.key }) {
            guard let found = actual[name] else { throw JournalError.schema("the trigger \(name) is missing") }
            guard found == sql else { throw JournalError.schema("the trigger \(name) was altered") }
        }
        if let extra = actual.keys.filter({ expected[$0] == nil }).sorted().first {
            throw JournalError.schema("an unknown trigger \(extra) sits on the journal's tables")
        }
    }

    private static let tables = ["journal", "journal_anchor", "journal_keying"]

    /// The migrations themselves, run on an empty database in memory: their SQL lives in them only, frozen. A later
    /// migration that rewrites one of these triggers must be named here too, as v4 is for `journal_no_delete`.
    private static func expectedTriggers(anchors: Bool, keying: Bool) throws -> [String: String] {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: keying ? "v12-journal-keyed" : anchors ? "v4-journal-retention" : "v1-journal")
        return try queue.read { db in
            var triggers: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'") {
                if tables.contains(row["tbl_name"] as String) { triggers[row["name"]] = folded(row["sql"]) }
            }
            return triggers
        }
    }

    private static func folded(_ sql: String?) -> String {
        (sql ?? "").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Rule 7: the head is not behind the head witnessed outside the database, and the witnessed row still has the
    /// witnessed hash (when a purge removed it, only the row just before the anchor can still be compared).
    static func check(_ witness: JournalWitness.Head, headSeq: Int64, firstSeq: Int64, anchorHash: String?, _ db: Database) throws
    {
        guard headSeq >= witness.seq else {
            throw JournalError.witness(
                "the journal ends at row \(headSeq), but row \(witness.seq) was witnessed: the newest rows were removed")
        }
        let actual: String?
        if witness.seq >= firstSeq {
            actual = try String.fetchOne(db, sql: "SELECT hash FROM journal WHERE seq = ?", arguments: [witness.seq])
        } else if witness.seq == firstSeq - 1 {
            actual = anchorHash
        } else {
            return
        }
        guard actual == witness.hash else {
            throw JournalError.witness(
                "row \(witness.seq) has another hash than the one witnessed (\(witness.hash.prefix(16))…): the chain was rewritten"
            )
        }
    }
}

extension GuichetDatabase {
    /// `Journal.verify` with this database's witness: read first, so that a commit between the two reads cannot
    /// make the witness look ahead of the rows.
    public func verifyJournal() throws -> JournalVerification {
        let head = try JournalWitness.lastHead(at: witness.path)
        return try writer.read { db in try Journal.verify(db, witness: head) }
    }

    /// Refuses a keyed journal whose key file is missing (a database restored or copied without it), naming the
    /// file: none of its rows can be checked, and none may be sealed under a new key. `guichet serve` asks before
    /// serving, rather than failing at the first request that journals.
    public func checkJournalKey() throws {
        guard try !writer.read({ try Journal.mayCreateKey($0) }) else { return }
        _ = try secret.journalKey(create: false)
    }
}
