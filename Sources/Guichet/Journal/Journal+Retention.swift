import Foundation
import GRDB

/// What a purge did (also the details of its `journal-purged` row).
public struct JournalPurge: Sendable, Codable, Equatable {
    /// Days before this one were removed.
    public var before: String
    public var keepMonths: Int
    public var removed: Int
    /// The first row kept and the hash of the (removed) row before it: the anchor. Nil when nothing was removed.
    public var firstKeptSeq: Int64?
    public var anchorHash: String?
}

public struct JournalRetentionError: Error, CustomStringConvertible, Equatable, Sendable {
    public let keepMonths: Int
    public var description: String {
        "keep_months must be from \(Journal.keepMonthsAllowed.lowerBound) to \(Journal.keepMonthsAllowed.upperBound) (the CNIL's recommendation), not \(keepMonths)"
    }
}

extension Journal {
    /// The CNIL recommends keeping such access logs 6 to 12 months: less loses the evidence a complaint needs, more
    /// keeps personal data for nothing.
    public static let keepMonthsAllowed = 6...12

    /// Removes every whole day older than `keepMonths` months before today (in `timeZone`), re-anchors the chain
    /// and journals the purge, all in one transaction (see `Journal`'s header for the anchor and the trigger).
    /// A purge with nothing to remove is journalled too: it shows that retention runs.
    @discardableResult
    public static func purge(
        _ database: GuichetDatabase, keepMonths: Int, staff: String?, channel: Channel,
        timeZone: TimeZone, now: Date = Date()
    ) throws -> JournalPurge {
        guard keepMonthsAllowed.contains(keepMonths) else { throw JournalRetentionError(keepMonths: keepMonths) }
        let before = JournalDay.of(now, in: timeZone).adding(months: -keepMonths)
        let cutoff = before.bounds(in: timeZone).start
        return try database.writer.write { db in
            var purge = JournalPurge(before: before.description, keepMonths: keepMonths, removed: 0)
            // Rows go as a prefix of the chain: from the first row on or after the cut-off, everything is kept,
            // even a row whose clock ran backwards.
            let first = try Int64.fetchOne(db, sql: "SELECT min(seq) FROM journal")
            let headSeq = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM journal")
            if let first, let headSeq {
                let firstKept =
                    try Int64.fetchOne(db, sql: "SELECT min(seq) FROM journal WHERE at >= ?", arguments: [cutoff])
                    ?? headSeq + 1
                if firstKept > first {
                    let anchorHash = try String.fetchOne(
                        db, sql: "SELECT hash FROM journal WHERE seq = ?", arguments: [firstKept - 1])!
                    try db.execute(
                        sql: "INSERT INTO journal_anchor (first_seq, prev_hash, purged_at, before_day) VALUES (?, ?, ?, ?)",
                        arguments: [firstKept, anchorHash, Timestamp.format(now), before.description])
                    try db.execute(sql: "DELETE FROM journal WHERE seq < ?", arguments: [firstKept])
                    purge.removed = db.changesCount
                    purge.firstKeptSeq = firstKept
                    purge.anchorHash = anchorHash
                }
            }
            try append(db, JournalEntry(staff: staff, channel: channel, action: .journalPurged, details: purge), at: now)
            return purge
        }
    }
}
