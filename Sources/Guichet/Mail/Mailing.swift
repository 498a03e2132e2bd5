import Foundation
import GRDB
import Mail

/// Why a sheet cannot be queued for e-mail. Each case is a stable code the service maps to HTTP.
public enum MailingError: DeskError, Equatable, CustomStringConvertible {
    case accountNotFound(String)
    /// The account has no address on file: the desk never types one in.
    case noAddress(String)
    /// The address on file is not a plain `local@domain` (the ENT's data is wrong): nothing is sent.
    case badAddress(String)
    /// The filters select nobody with an address.
    case nobodyToSend(selected: Int)
    case deliveryNotFound(Int64)
    case batchNotFound(Int64)

    public var description: String {
        switch self {
        case .accountNotFound(let login): "no account has the login \(login)"
        case .noAddress(let login): "\(login) has no e-mail address on file"
        case .badAddress(let login): "the e-mail address on file for \(login) is not a plain address"
        case .nobodyToSend(let selected): "none of the \(selected) selected accounts has an e-mail address on file"
        case .deliveryNotFound(let id): "no e-mail has the delivery id \(id)"
        case .batchNotFound(let id): "no e-mail batch has the id \(id)"
        }
    }

    public var code: String {
        switch self {
        case .accountNotFound: "account-not-found"
        case .noAddress: "no-email-address"
        case .badAddress: "bad-email-address"
        case .nobodyToSend: "nobody-to-email"
        case .deliveryNotFound: "delivery-not-found"
        case .batchNotFound: "mail-batch-not-found"
        }
    }

    public var kind: DeskErrorKind {
        switch self {
        case .accountNotFound, .deliveryNotFound, .batchNotFound: .notFound
        case .noAddress, .badAddress: .conflict
        case .nobodyToSend: .invalid
        }
    }

    public var detail: String {
        switch self {
        case .accountNotFound(let login), .noAddress(let login), .badAddress(let login): login
        case .nobodyToSend: description
        case .deliveryNotFound(let id), .batchNotFound(let id): String(id)
        }
    }
}

/// A batch's selection before it is queued: what the confirmation says.
public struct MailBatchPreview: Sendable, Codable, Equatable {
    /// Accounts with an address, in batch order: each gets one e-mail.
    public let toSend: [String]
    /// Accounts the filters chose that have no address (or not a usable one): nothing is sent to them.
    public let withoutAddress: [String]
}

/// A batch once queued.
public struct MailBatchQueued: Sendable, Codable, Equatable {
    public let batch: Int64
    public let queued: Int
    public let withoutAddress: Int
    /// Its `mail-queued` journal row.
    public let journalSeq: Int64
}

/// Journal details of `mail-queued` at the desk, and of `mail-sent` / `mail-failed` (who acted is the row's staff,
/// for whom its target). Never a code: the code is only in the attached sheet.
struct MailJournalDetails: Encodable {
    let address: String
    let delivery: Int64
    var batch: Int64? = nil
    var attempts: Int? = nil
    var smtp: Int? = nil
    var messageId: String? = nil
    var error: String? = nil
    var state: String? = nil
}

/// Journal details of a batch's `mail-queued` row: the selection and every account queued.
struct MailBatchJournalDetails: Encodable {
    let batch: Int64
    let filter: BatchFilter
    let sort: [BatchSortKey]
    let count: Int
    let withoutAddress: Int
    let logins: [String]
}

/// Sending sheets by e-mail: queueing (here, in the transaction that journals it) and sending (`MailSender`).
public enum Mailing {
    /// Queues `login`'s sheet for its address on file, journals `mail-queued`, and returns the delivery id. Throws
    /// `Accounts.Refusal.gone` for an account gone from the export (read in the same transaction), before its address.
    public static func queueDesk(
        _ database: GuichetDatabase, login: String, staff: String, channel: Channel,
        now: Date = Date()
    ) throws -> Int64 {
        try database.writer.write { db in
            guard let (_, person) = try SheetPeople.load(login: login, db) else { throw MailingError.accountNotFound(login) }
            if let since = person.goneSince { throw Accounts.Refusal.gone(login: login, since: since) }
            let address = try usableAddress(person)
            let id = try insert(
                db, login: login, address: address, sheetNumber: "", batch: nil, staff: staff, channel: channel, now: now)
            let seq = try Journal.append(
                db,
                JournalEntry(
                    staff: staff, channel: channel, action: .mailQueued, target: login,
                    details: MailJournalDetails(address: address, delivery: id)), at: now)
            // The sheet carries the number of the row that asked for it, as a printed one does.
            try db.execute(sql: "UPDATE mail_outbox SET sheet_number = ? WHERE id = ?", arguments: [String(seq), id])
            return id
        }
    }

    /// Who a batch would e-mail and who it would leave out, without queueing or journalling anything.
    public static func preview(_ database: GuichetDatabase, filter: BatchFilter, sort: [BatchSortKey]) throws -> MailBatchPreview
    {
        try database.writer.read { db in split(try BatchSelection.select(filter, sort: sort, db)) }
    }

    /// Queues one e-mail per selected account with an address, and one `mail-queued` row listing them, in one
    /// transaction. Gone accounts are in only when the filter asks for them (`gone` true or nil; false by default). Throws `nobodyToSend` (nothing journalled) when none has an address.
    public static func queueBatch(
        _ database: GuichetDatabase, filter: BatchFilter, sort: [BatchSortKey], staff: String,
        channel: Channel, now: Date = Date()
    ) throws -> MailBatchQueued {
        try database.writer.write { db in
            let members = try BatchSelection.select(filter, sort: sort, db)
            let preview = split(members)
            guard !preview.toSend.isEmpty else { throw MailingError.nobodyToSend(selected: members.count) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let filterJSON = String(decoding: try encoder.encode(filter), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO mail_batch (queued_at, staff, channel, journal_seq, filter, selected, without_address)
                    VALUES (?, ?, ?, 0, ?, ?, ?)
                    """,
                arguments: [Outbox.time(now), staff, channel.rawValue, filterJSON, members.count, preview.withoutAddress.count])
            let batch = db.lastInsertedRowID
            let seq = try Journal.append(
                db,
                JournalEntry(
                    staff: staff, channel: channel, action: .mailQueued,
                    details: MailBatchJournalDetails(
                        batch: batch, filter: filter, sort: sort, count: preview.toSend.count,
                        withoutAddress: preview.withoutAddress.count, logins: preview.toSend)), at: now)
            try db.execute(sql: "UPDATE mail_batch SET journal_seq = ? WHERE id = ?", arguments: [seq, batch])
            let addresses = Dictionary(
                members.compactMap { m in (try? usableAddress(m.person)).map { (m.person.login, $0) } },
                uniquingKeysWith: { a, _ in a })
            for (rank, login) in preview.toSend.enumerated() {
                _ = try insert(
                    db, login: login, address: addresses[login] ?? "", sheetNumber: "\(seq)-\(rank + 1)", batch: batch,
                    staff: staff, channel: channel, now: now)
            }
            return MailBatchQueued(
                batch: batch, queued: preview.toSend.count, withoutAddress: preview.withoutAddress.count, journalSeq: seq)
        }
    }

    /// The trimmed address on file, refused when absent or not plain: only that address is ever written to.
    static func usableAddress(_ person: Sheet.Person) throws -> String {
        let address = (person.email ?? "").trimmingCharacters(in: .whitespaces)
        guard !address.isEmpty else { throw MailingError.noAddress(person.login) }
        guard MailAddress(address).isPlain else { throw MailingError.badAddress(person.login) }
        return address
    }

    private static func split(_ members: [BatchMember]) -> MailBatchPreview {
        var send: [String] = [], without: [String] = []
        for m in members {
            if (try? usableAddress(m.person)) != nil { send.append(m.person.login) } else { without.append(m.person.login) }
        }
        return MailBatchPreview(toSend: send, withoutAddress: without)
    }

    private static func insert(
        _ db: Database, login: String, address: String, sheetNumber: String, batch: Int64?,
        staff: String, channel: Channel, now: Date
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO mail_outbox (batch_id, login, address, sheet_number, state, next_attempt_at, queued_at, staff, channel)
                VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)
                """, arguments: [batch, login, address, sheetNumber, Outbox.time(now), Outbox.time(now), staff, channel.rawValue])
        return db.lastInsertedRowID
    }
}
