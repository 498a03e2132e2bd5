import Foundation
import GRDB

/// A calendar day at the school ("2026-11-21"). Rows store UTC instants; a day is the school's own midnight to
/// midnight, so it is turned into a range of instants in the school's time zone (23 or 25 hours on DST days).
public struct JournalDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    /// Parses "YYYY-MM-DD" strictly: a real date, four-digit year, two-digit month and day.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
            calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: y, month: m, day: d)
        else { return nil }
        (year, month, day) = (y, m, d)
    }

    init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// The day `date` falls on in `timeZone`.
    public static func of(_ date: Date, in timeZone: TimeZone) -> JournalDay {
        let c = calendar(timeZone).dateComponents([.year, .month, .day], from: date)
        return JournalDay(year: c.year!, month: c.month!, day: c.day!)
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = JournalDay(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a day YYYY-MM-DD"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public static func < (a: JournalDay, b: JournalDay) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// The school's midnight that starts this day.
    public func start(in timeZone: TimeZone) -> Date {
        // Midnight exists in every time zone a French school uses (DST changes at 02:00 or 03:00).
        Self.calendar(timeZone).date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// `[start, end)` as stored timestamps, which compare as text (fixed-width UTC ISO 8601).
    public func bounds(in timeZone: TimeZone) -> (start: String, end: String) {
        (Timestamp.format(start(in: timeZone)), Timestamp.format(adding(days: 1).start(in: timeZone)))
    }

    /// Months first, clamped to the month's end (31 March minus one month is 28 or 29 February), then days.
    public func adding(days: Int = 0, months: Int = 0) -> JournalDay {
        let calendar = Self.calendar(.gmt)
        var date = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        date = calendar.date(byAdding: .month, value: months, to: date)!
        date = calendar.date(byAdding: .day, value: days, to: date)!
        return JournalDay.of(date, in: .gmt)
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }
}

/// Which rows to read: a day or a range of days, one member of staff, one kind of action. Nil means any.
public struct JournalFilter: Sendable, Equatable {
    public var from: JournalDay?
    public var to: JournalDay?
    public var staff: String?
    public var action: String?

    public init(day: JournalDay? = nil, staff: String? = nil, action: String? = nil) {
        (from, to, self.staff, self.action) = (day, day, staff, action)
    }

    public init(from: JournalDay?, to: JournalDay?, staff: String? = nil, action: String? = nil) {
        (self.from, self.to, self.staff, self.action) = (from, to, staff, action)
    }
}

extension Journal {
    /// Calls `body` with each row the filter keeps, in seq order, without holding them all in memory.
    public static func forEach(
        _ db: Database, _ filter: JournalFilter, timeZone: TimeZone,
        _ body: (JournalRow) throws -> Void
    ) throws {
        var clauses: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let from = filter.from {
            clauses.append("at >= ?")
            arguments.append(from.bounds(in: timeZone).start)
        }
        if let to = filter.to {
            clauses.append("at < ?")
            arguments.append(to.bounds(in: timeZone).end)
        }
        if let staff = filter.staff {
            clauses.append("staff = ? COLLATE NOCASE")  // staff names are case-insensitive (table `staff`)
            arguments.append(staff)
        }
        if let action = filter.action {
            clauses.append("action = ?")
            arguments.append(action)
        }
        let sql =
            "SELECT * FROM journal" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) + " ORDER BY seq"
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        while let row = try rows.next() { try body(JournalRow(row: row)) }
    }

    /// The rows the filter keeps, in seq order.
    public static func rows(_ db: Database, _ filter: JournalFilter, timeZone: TimeZone) throws -> [JournalRow] {
        var all: [JournalRow] = []
        try forEach(db, filter, timeZone: timeZone) { all.append($0) }
        return all
    }

    /// The last row written before the end of `day` that is not itself a sign-off: the head a review of that day
    /// signs. Sign-offs are left out so that signing again with nothing new is recognised as the same signature
    /// (a sign-off is covered by the next one that signs a later row).
    public static func head(_ db: Database, endOf day: JournalDay, timeZone: TimeZone) throws -> JournalRow? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM journal WHERE at < ? AND action <> ? ORDER BY seq DESC LIMIT 1",
            arguments: [day.bounds(in: timeZone).end, JournalAction.reviewSignedOff.rawValue]
        ).map(JournalRow.init(row:))
    }
}
