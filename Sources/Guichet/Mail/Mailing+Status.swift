import Foundation
import GRDB

/// A batch's progress: how many of its messages are in each state.
public struct MailBatchStatus: Sendable, Codable, Equatable {
    public let batch: Int64
    public let queuedAt: String
    public let staff: String?
    public let journalSeq: Int64
    /// How many accounts the filters chose, and how many of them had no address (nothing queued for them).
    public let selected: Int
    public let withoutAddress: Int
    public let total: Int
    public let queued: Int
    public let sending: Int
    public let sent: Int
    public let failed: Int
    public let unknown: Int

    /// True once every message is sent, failed or unknown.
    public var done: Bool { queued + sending == 0 }
}

extension Mailing {
    /// One delivery (the desk's card polls it).
    public static func delivery(_ database: GuichetDatabase, id: Int64) throws -> MailDelivery {
        try database.writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM mail_outbox WHERE id = ?", arguments: [id]) else {
                throw MailingError.deliveryNotFound(id)
            }
            return MailDelivery(row: row)
        }
    }

    /// A batch's counts by state.
    public static func batchStatus(_ database: GuichetDatabase, id: Int64) throws -> MailBatchStatus {
        try database.writer.read { db in
            guard let batch = try Row.fetchOne(db, sql: "SELECT * FROM mail_batch WHERE id = ?", arguments: [id]) else {
                throw MailingError.batchNotFound(id)
            }
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT state, count(*) AS n FROM mail_outbox WHERE batch_id = ? GROUP BY state", arguments: [id])
            {
                counts[row["state"]] = row["n"]
            }
            return MailBatchStatus(
                batch: id, queuedAt: batch["queued_at"], staff: batch["staff"], journalSeq: batch["journal_seq"],
                selected: batch["selected"], withoutAddress: batch["without_address"],
                total: counts.values.reduce(0, +), queued: counts["queued"] ?? 0, sending: counts["sending"] ?? 0,
                sent: counts["sent"] ?? 0, failed: counts["failed"] ?? 0, unknown: counts["unknown"] ?? 0)
        }
    }

    /// Every message of a batch, in batch order.
    public static func deliveries(_ database: GuichetDatabase, batch id: Int64) throws -> [MailDelivery] {
        try database.writer.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM mail_batch WHERE id = ?", arguments: [id]) != nil else {
                throw MailingError.batchNotFound(id)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM mail_outbox WHERE batch_id = ? ORDER BY id", arguments: [id]).map(
                MailDelivery.init(row:))
        }
    }

    /// The per-message result of a batch as CSV, as the house writes CSV (UTF-8 with a BOM, `;`, every value quoted,
    /// LF): login, address, state, attempts, SMTP code, error, Message-ID, queued and finished times.
    public static func reportCSV(_ deliveries: [MailDelivery]) -> [UInt8] {
        func line(_ values: [String]) -> String {
            values.map { "\"" + CSVCell.neutralised($0).replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(
                separator: ";") + "\n"
        }
        var text =
            "\u{FEFF}"
            + line(["login", "address", "state", "attempts", "smtp_code", "error", "message_id", "queued_at", "finished_at"])
        for d in deliveries {
            text += line([
                d.login, d.address, d.state.rawValue, String(d.attempts), d.smtpCode.map(String.init) ?? "",
                (d.error ?? "").replacingOccurrences(of: "\n", with: " "), d.messageID ?? "", d.queuedAt, d.finishedAt ?? ""
            ])
        }
        return Array(text.utf8)
    }
}
