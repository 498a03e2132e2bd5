import Foundation
import GRDB

/// Something in a day's journal that deserves a look: not an accusation, a pointer to rows.
public struct ReviewFlag: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Two or more sheets or codes for one account in the day.
        case repeatedForAccount = "repeated-for-account"
        /// Actions before opening or after closing time.
        case outsideHours = "outside-hours"
        /// More than N sheets in M minutes by one agent.
        case burst
        /// Failed sign-ins, grouped by the name tried.
        case signInFailures = "sign-in-failures"
        /// A sheet or a code for a teacher's or a staff member's ENT account.
        case staffAccount = "staff-account"
    }

    public var kind: Kind
    /// Who acted (several names joined with ", " when several agents did).
    public var staff: String?
    /// The account concerned (for sign-in failures: the name tried).
    public var target: String?
    public var count: Int
    /// The first and last instants involved.
    public var from: String
    public var to: String
    public var seqs: [Int64]
    /// The account's profile for `staffAccount` (Teacher, Personnel).
    public var profile: String?

    init(_ kind: Kind, _ rows: [JournalRow], staff: String? = nil, target: String? = nil, profile: String? = nil) {
        let names = Set(rows.compactMap(\.staff)).sorted()
        self.kind = kind
        self.staff = staff ?? (names.isEmpty ? nil : names.joined(separator: ", "))
        self.target = target
        self.count = rows.count
        self.from = rows.first?.at ?? ""
        self.to = rows.last?.at ?? ""
        self.seqs = rows.map(\.seq)
        self.profile = profile
    }

    /// Actions that run unattended at night by design (the nightly import, the retention purge): never "outside hours".
    static let scheduled: Set<String> = [JournalAction.importRun.rawValue, JournalAction.journalPurged.rawValue]

    /// Every flag of a day's rows (in seq order), ordered by their first row.
    static func find(in rows: [JournalRow], db: Database, rules: ReviewRules) throws -> [ReviewFlag] {
        var flags: [ReviewFlag] = []
        let handedOver = rows.filter { ReviewCategory.of($0.action) != nil }

        // Several sheets or codes for one account.
        for (target, group) in Dictionary(grouping: handedOver.filter { $0.target != nil }, by: { $0.target! })
        where group.count >= 2 {
            flags.append(ReviewFlag(.repeatedForAccount, group, target: target))
        }

        // Sheets or codes for staff accounts: the profile is read from `account`, where accounts are never deleted.
        let targets = Set(handedOver.compactMap(\.target))
        if !targets.isEmpty {
            let profiles = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT login, profile FROM account WHERE profile IN ('Teacher','Personnel') AND login IN (\(Array(repeating: "?", count: targets.count).joined(separator: ",")))
                        """, arguments: StatementArguments(Array(targets))
                ).map { ($0["login"] as String, $0["profile"] as String) })
            for (target, group) in Dictionary(
                grouping: handedOver.filter { $0.target.map { profiles[$0] != nil } ?? false }, by: { $0.target! })
            {
                flags.append(ReviewFlag(.staffAccount, group, target: target, profile: profiles[target]))
            }
        }

        // Outside opening hours, grouped by who acted.
        let calendar = JournalDay.calendar(rules.timeZone)
        let outside = rows.filter { row in
            guard !scheduled.contains(row.action), let instant = Timestamp.parse(row.at) else { return false }
            let c = calendar.dateComponents([.hour, .minute], from: instant)
            let minute = c.hour! * 60 + c.minute!
            return minute < rules.opensAt || minute >= rules.closesAt
        }
        for (_, group) in Dictionary(grouping: outside, by: { $0.staff ?? "" }) {
            flags.append(ReviewFlag(.outsideHours, group))
        }

        // Bursts: mark every sheet that lies in some window of M minutes holding more than N of the agent's sheets,
        // then report each run of marked sheets once.
        let window = TimeInterval(rules.burstMinutes * 60)
        for (staff, group) in Dictionary(
            grouping: handedOver.filter { ReviewCategory.of($0.action) == .sheet && $0.staff != nil }, by: { $0.staff! })
        {
            let times = group.map { Timestamp.parse($0.at)?.timeIntervalSince1970 ?? 0 }
            var marked = Array(repeating: false, count: group.count)
            var end = 0
            for start in group.indices {
                end = max(end, start)
                while end + 1 < group.count && times[end + 1] - times[start] <= window { end += 1 }
                if end - start + 1 > rules.burstSheets { for i in start...end { marked[i] = true } }
            }
            var run: [JournalRow] = []
            for (i, row) in group.enumerated() {
                if marked[i] { run.append(row) }
                if (!marked[i] || i == group.count - 1) && !run.isEmpty {
                    flags.append(ReviewFlag(.burst, run, staff: staff))
                    run = []
                }
            }
        }

        // Failed sign-ins, by the name tried (an unknown name by its fingerprint), and their bursts' summaries.
        let failures = rows.filter {
            $0.action == JournalAction.signInFailed.rawValue || $0.action == JournalAction.signInFailures.rawValue
        }
        func nameTried(_ row: JournalRow) -> String {
            let details = row.detailsObject
            if let name = details["name"]?.text { return name }
            if let fingerprint = details["nameFingerprint"]?.text { return "#" + fingerprint }
            return ""
        }
        for (name, group) in Dictionary(grouping: failures, by: nameTried) {
            flags.append(ReviewFlag(.signInFailures, group, target: name.isEmpty ? nil : name))
        }

        return flags.sorted { ($0.seqs.first ?? 0, $0.kind.rawValue) < ($1.seqs.first ?? 0, $1.kind.rawValue) }
    }
}
