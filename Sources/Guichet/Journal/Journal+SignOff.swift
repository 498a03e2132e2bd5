import Foundation
import GRDB

/// A reviewer's "Valider la journée": the chain up to row `upTo` had hash `head` when `by` signed `day` off.
public struct SignOff: Sendable, Codable, Equatable {
    /// The sign-off's own journal row.
    public var seq: Int64
    public var at: String
    public var by: String?
    public var day: JournalDay
    public var upTo: Int64
    public var head: String
}

/// Why a day cannot be signed off; the service maps each to a stable API error.
public enum SignOffError: DeskError, Equatable, CustomStringConvertible {
    case dayToCome(JournalDay)
    case nothingToSignOff(JournalDay)
    case alreadySignedOff(SignOff)
    case broken(JournalError)

    public var description: String {
        switch self {
        case .dayToCome(let day): "\(day) has not come yet"
        case .nothingToSignOff(let day): "the journal has no entry up to the end of \(day)"
        case .alreadySignedOff(let s): "\(s.day) is already signed off up to row \(s.upTo) (by \(s.by ?? "?"), row \(s.seq))"
        case .broken(let error): "the journal is broken, it cannot be signed off: \(error)"
        }
    }

    public var code: String {
        switch self {
        case .dayToCome: "day-to-come"
        case .nothingToSignOff: "nothing-to-sign-off"
        case .alreadySignedOff: "already-signed-off"
        case .broken: "journal-broken"
        }
    }

    public var kind: DeskErrorKind {
        if case .dayToCome = self { return .invalid }
        return .conflict
    }

    public var detail: String {
        switch self {
        case .dayToCome(let day), .nothingToSignOff(let day): day.description
        case .alreadySignedOff(let s): "up to entry \(s.upTo), by \(s.by ?? "?") (entry \(s.seq))"
        case .broken(let error): error.description
        }
    }
}

extension Journal {
    /// The details of a sign-off row, in the format `verify` reads back.
    struct SignOffDetails: Codable {
        var day: String
        var upTo: Int64
        var head: String
    }

    /// Signs `day` off up to the last row written before its end (the whole day once it is over; so far, for today)
    /// and journals it. Verifies the whole chain first, inside the same transaction, so that nobody signs a broken
    /// chain and no row slips in between the check and the signature (the writer waits: once a day, about a second
    /// for a year of journal). Signing the same head twice is refused; a later head may be signed again.
    public static func signOff(
        _ database: GuichetDatabase, day: JournalDay, staff: String, channel: Channel,
        timeZone: TimeZone, now: Date = Date()
    ) throws -> SignOff {
        guard day <= JournalDay.of(now, in: timeZone) else { throw SignOffError.dayToCome(day) }
        return try database.writer.write { db in
            do { _ = try verify(db) } catch let error as JournalError { throw SignOffError.broken(error) }
            guard let head = try head(db, endOf: day, timeZone: timeZone) else { throw SignOffError.nothingToSignOff(day) }
            if let previous = try signOffs(db, day: day).last(where: { $0.upTo == head.seq }) {
                throw SignOffError.alreadySignedOff(previous)
            }
            let details = SignOffDetails(day: day.description, upTo: head.seq, head: head.hash)
            let seq = try append(
                db, JournalEntry(staff: staff, channel: channel, action: .reviewSignedOff, details: details), at: now)
            return SignOff(seq: seq, at: Timestamp.format(now), by: staff, day: day, upTo: head.seq, head: head.hash)
        }
    }

    /// The sign-offs recorded for `day`, oldest first.
    public static func signOffs(_ db: Database, day: JournalDay) throws -> [SignOff] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM journal WHERE action = ? AND json_valid(details) AND json_extract(details, '$.day') = ? ORDER BY seq
                """, arguments: [JournalAction.reviewSignedOff.rawValue, day.description]
        ).compactMap { r in
            let row = JournalRow(row: r)
            let d = row.detailsObject
            guard let upTo = d["upTo"]?.int64, let head = d["head"]?.text else { return nil }
            return SignOff(seq: row.seq, at: row.at, by: row.staff, day: day, upTo: upTo, head: head)
        }
    }
}
