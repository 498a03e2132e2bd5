import Foundation
import GRDB

/// What `verify` found in a valid journal.
public struct JournalVerification: Sendable, Equatable, Codable {
    /// Rows kept (after purges, fewer than `headSeq`).
    public var count: Int
    /// The last row's seq and hash (0 and 64 zeros for an empty journal).
    public var headSeq: Int64
    public var head: String
    /// The first row kept: 1, or the latest anchor's first_seq.
    public var firstSeq: Int64
    public var signOffsChecked: Int
}

extension Journal {
    /// The latest anchor (the greatest first_seq), if any purge removed rows.
    static func latestAnchor(_ db: Database) throws -> (firstSeq: Int64, previousHash: String)? {
        try Row.fetchOne(db, sql: "SELECT first_seq, prev_hash FROM journal_anchor ORDER BY first_seq DESC LIMIT 1")
            .map { ($0["first_seq"], $0["prev_hash"]) }
    }

    /// Checks the rules of `Journal`'s header in one pass over the rows, then the anchor's purge row and the
    /// sign-offs; throws naming the first bad row.
    public static func verify(_ db: Database, witness: JournalWitness.Head? = nil) throws -> JournalVerification {
        let anchor = try latestAnchor(db)
        let keyedFrom = try keyedFrom(db)
        var expectedSeq = anchor?.firstSeq ?? 1
        var previous = anchor?.previousHash ?? genesisHash
        var count = 0
        var signOffs: [(seq: Int64, upTo: Int64?, head: String?)] = []
        var anchorConfirmed = false
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM journal ORDER BY seq")
        while let r = try rows.next() {
            let row = JournalRow(row: r)
            if row.seq != expectedSeq {
                let reason =
                    count > 0
                    ? "row \(expectedSeq) is missing (sequence jumps to \(row.seq))"
                    : anchor == nil
                        ? "the journal does not start at row 1"
                        : "the journal should start at row \(expectedSeq), where the last purge anchored it"
                throw JournalError.broken(seq: row.seq, reason: reason)
            }
            if row.previousHash != previous {
                let reason =
                    count > 0
                    ? "its previous hash does not match row \(row.seq - 1)"
                    : anchor == nil
                        ? "the first row does not start the chain"
                        : "its previous hash does not match the purge's anchor"
                throw JournalError.broken(seq: row.seq, reason: reason)
            }
            if try expectedHash(db, row, keyedFrom: keyedFrom) != row.hash {
                throw JournalError.broken(seq: row.seq, reason: "its content does not match its hash (edited)")
            }
            if row.action == JournalAction.reviewSignedOff.rawValue {
                let details = row.detailsObject
                signOffs.append((row.seq, details["upTo"]?.int64, details["head"]?.text))
            } else if let anchor, row.action == JournalAction.journalPurged.rawValue {
                let details = row.detailsObject
                if details["firstKeptSeq"]?.int64 == anchor.firstSeq && details["anchorHash"]?.text == anchor.previousHash {
                    anchorConfirmed = true
                }
            }
            previous = row.hash
            expectedSeq = row.seq + 1
            count += 1
        }
        if let anchor, !anchorConfirmed {
            throw JournalError.broken(
                seq: anchor.firstSeq,
                reason: count == 0
                    ? "the journal is empty, but a purge anchored it here"
                    : "no purge entry records the anchor the journal starts from")
        }
        let first = anchor?.firstSeq ?? 1
        for signOff in signOffs {
            try checkSignOff(db, signOff, firstSeq: first, anchorHash: anchor?.previousHash)
        }
        let headSeq = count == 0 ? 0 : expectedSeq - 1
        let head = count == 0 ? genesisHash : previous
        try checkKeyingPoint(db, keyedFrom, firstSeq: first, headSeq: headSeq, count: count)
        try checkTriggers(db)
        if let witness { try check(witness, headSeq: headSeq, firstSeq: first, anchorHash: anchor?.previousHash, db) }
        return JournalVerification(count: count, headSeq: headSeq, head: head, firstSeq: first, signOffsChecked: signOffs.count)
    }

    /// Rule 4: the row a sign-off names still has the hash the reviewer signed.
    private static func checkSignOff(
        _ db: Database, _ signOff: (seq: Int64, upTo: Int64?, head: String?),
        firstSeq: Int64, anchorHash: String?
    ) throws {
        guard let upTo = signOff.upTo, let head = signOff.head, upTo >= 1, upTo < signOff.seq else {
            throw JournalError.broken(seq: signOff.seq, reason: "this sign-off does not name an earlier row and its hash")
        }
        let actual: String?
        if upTo >= firstSeq {
            actual = try String.fetchOne(db, sql: "SELECT hash FROM journal WHERE seq = ?", arguments: [upTo])
        } else if upTo == firstSeq - 1 {
            actual = anchorHash
        } else {
            return  // purged past: the purge entry stands for it
        }
        guard actual == head else {
            throw JournalError.broken(
                seq: signOff.seq,
                reason: "this sign-off signed row \(upTo) with hash \(head.prefix(16))…, which no longer matches the chain")
        }
    }
}
