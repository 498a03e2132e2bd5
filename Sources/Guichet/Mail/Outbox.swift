import Foundation
import GRDB

/// The outbox: one row per e-mail to send, from the desk or a batch, and what became of it.
///
/// Format (migration v6-mail; the DDL, with the trigger below: `Storage/schema.sql`):
///   mail_batch   id, queued_at, staff, channel, journal_seq (its `mail-queued` row), filter (JSON), selected (how
///                many accounts the filters chose), without_address (how many of them have no address: not queued)
///   mail_outbox  id (the delivery id), batch_id (NULL at the desk), login, address (the one on file when queued:
///                the message goes there and nowhere else), sheet_number ("1234" at the desk, "1234-17" in batch
///                1234), state, attempts, next_attempt_at, claimed_by/claimed_at (the sender process that marked the
///                row `sending`: "pid:token"), smtp_code, last_error, message_id, queued_at, finished_at, staff, channel
/// States: queued → sending → sent | failed | unknown, or sending → queued again after a temporary failure (4xx, relay
/// unreachable) with `next_attempt_at` pushed back exponentially, until `maxAttempts` makes it failed; or sending →
/// failed before the relay is contacted, `last_error` "cancelled: account-gone …", when the account left the export
/// after the message was queued (`MailSender` checks again at send time; no new state, so no migration).
///
/// A message is sent at most once if and only if: a sender marks its row `sending` (attempts + 1, claimed_by) in a
/// committed transaction BEFORE it talks to the relay, and only a row it found `queued` and due; it writes the outcome
/// after the relay answered; and a row found `sending` whose sender is gone (the process no longer runs, or the claim
/// is older than the SMTP timeout plus a margin) is never sent again but marked `unknown` and reported — the relay may
/// or may not have accepted it before the crash. A trigger refuses any change to a row once sent, failed or unknown.
enum Outbox {
    /// Fractional seconds: retries a fraction of a second apart (tests) must still sort in order.
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parseTime(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// One e-mail of the outbox, as the desk's card, the batch's progress and the CSV report show it.
public struct MailDelivery: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case queued, sending, sent, failed, unknown
    }

    public let id: Int64
    public let batch: Int64?
    public let login: String
    public let address: String
    public let state: State
    public let attempts: Int
    public let smtpCode: Int?
    public let error: String?
    public let messageID: String?
    public let queuedAt: String
    public let finishedAt: String?
    public let nextAttemptAt: String?
    /// Who queued it (a staff name, "system"…): only they and reviewers may follow it.
    public let staff: String?

    init(row: Row) {
        id = row["id"]
        batch = row["batch_id"]
        login = row["login"]
        address = row["address"]
        state = State(rawValue: row["state"]) ?? .unknown
        attempts = row["attempts"]
        smtpCode = row["smtp_code"]
        error = row["last_error"]
        messageID = row["message_id"]
        queuedAt = row["queued_at"]
        finishedAt = row["finished_at"]
        nextAttemptAt = state == .queued ? row["next_attempt_at"] : nil
        staff = row["staff"]
    }

    /// True once nothing more will happen to it.
    public var isFinal: Bool { [.sent, .failed, .unknown].contains(state) }
}
