import Foundation
import GRDB

/// What the end-of-day review looks for, and in which time zone its days and hours are.
public struct ReviewRules: Sendable, Equatable {
    public var timeZone: TimeZone
    /// Opening hours, in minutes after the school's midnight: actions before `opensAt` or from `closesAt` on are
    /// flagged.
    public var opensAt: Int
    public var closesAt: Int
    /// A burst: more than `burstSheets` sheets by one agent within `burstMinutes` minutes.
    public var burstSheets: Int
    public var burstMinutes: Int

    public init(
        timeZone: TimeZone = TimeZone(identifier: "Europe/Paris")!, opensAt: Int = 7 * 60 + 30,
        closesAt: Int = 18 * 60 + 30, burstSheets: Int = 10, burstMinutes: Int = 10
    ) {
        (self.timeZone, self.opensAt, self.closesAt, self.burstSheets, self.burstMinutes) = (
            timeZone, opensAt, closesAt, burstSheets, burstMinutes
        )
    }

    /// Parses "07:30-18:30"; nil unless both times are valid and the first is earlier.
    public static func openingHours(_ text: String) -> (opensAt: Int, closesAt: Int)? {
        func minutes(_ t: Substring) -> Int? {
            let hm = t.trimmingCharacters(in: .whitespaces).split(separator: ":")
            guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m),
                h * 60 + m <= 24 * 60
            else { return nil }
            return h * 60 + m
        }
        let parts = text.split(separator: "-")
        guard parts.count == 2, let open = minutes(parts[0]), let close = minutes(parts[1]), open < close else { return nil }
        return (open, close)
    }
}

/// How the review classes actions: what hands a credential over (a sheet, a code shown or issued).
public enum ReviewCategory: String, Sendable, Codable {
    case sheet, code

    public static func of(_ raw: String) -> ReviewCategory? {
        switch JournalAction(rawValue: raw) {
        case .sheetPrinted, .batchPrinted: .sheet
        case .codeRevealed, .renewalIssued, .renewalSlipPrinted: .code
        default: nil
        }
    }
}

/// One day of the journal as the reviewer sees it: its entries, counts, what deserves a look, the chain's head and
/// the sign-offs already recorded.
public struct JournalReview: Sendable, Codable {
    public struct Entry: Sendable, Codable, Equatable {
        public var seq: Int64
        public var at: String
        public var staff: String?
        public var channel: String
        public var action: String
        public var target: String?
        public var details: [String: JSONValue]
    }

    public struct Count: Sendable, Codable, Equatable {
        /// A staff name or an action; nil for rows with no staff (a failed sign-in).
        public var name: String?
        public var count: Int
    }

    /// The last row written before the end of the day: what a sign-off signs.
    public struct Head: Sendable, Codable, Equatable {
        public var seq: Int64
        public var hash: String
        public var at: String
    }

    public var day: JournalDay
    public var timeZone: String
    public var staff: String?
    public var action: String?
    public var entries: [Entry]
    public var byStaff: [Count]
    public var byAction: [Count]
    public var flags: [ReviewFlag]
    public var head: Head?
    public var signOffs: [SignOff]

    /// Reads `day` (narrowed to one member of staff or one kind of action when asked) in one snapshot.
    public static func make(
        _ db: Database, day: JournalDay, staff: String? = nil, action: String? = nil,
        rules: ReviewRules
    ) throws -> JournalReview {
        let rows = try Journal.rows(db, JournalFilter(day: day, staff: staff, action: action), timeZone: rules.timeZone)
        let head = try Journal.head(db, endOf: day, timeZone: rules.timeZone)
        return JournalReview(
            day: day, timeZone: rules.timeZone.identifier, staff: staff, action: action,
            entries: rows.map {
                Entry(
                    seq: $0.seq, at: $0.at, staff: $0.staff, channel: $0.channel, action: $0.action,
                    target: $0.target, details: $0.detailsObject)
            },
            byStaff: counts(rows.map(\.staff)), byAction: counts(rows.map(\.action)),
            flags: try ReviewFlag.find(in: rows, db: db, rules: rules),
            head: head.map { Head(seq: $0.seq, hash: $0.hash, at: $0.at) },
            signOffs: try Journal.signOffs(db, day: day))
    }

    /// Most frequent first, then by name (French order: accents fold).
    static func counts(_ names: [String?]) -> [Count] {
        var tally: [String?: Int] = [:]
        for name in names { tally[name, default: 0] += 1 }
        return tally.map { Count(name: $0.key, count: $0.value) }.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            return ($0.name ?? "").compare($1.name ?? "", options: [.caseInsensitive, .diacriticInsensitive]) == .orderedAscending
        }
    }
}
