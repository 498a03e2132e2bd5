import Foundation

/// The desk's opening hours, "07:30-18:30": the journal review flags what happens outside them.
public struct OpeningHours: Sendable, Equatable, CustomStringConvertible {
    /// Minutes after midnight, local time; `opens < closes` (a desk does not open across midnight).
    public let opens: Int
    public let closes: Int

    public init(opens: Int, closes: Int) {
        precondition(0 <= opens && opens < closes && closes <= 24 * 60, "opening hours out of order")
        (self.opens, self.closes) = (opens, closes)
    }

    /// Reads "HH:MM-HH:MM"; nil when malformed, out of range, or closing before opening.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let opens = Self.minutes(parts[0]), let closes = Self.minutes(parts[1]),
              opens < closes else { return nil }
        self.init(opens: opens, closes: closes)
    }

    /// Whether a local time of day (minutes after midnight) falls within the hours.
    public func contains(minuteOfDay: Int) -> Bool { minuteOfDay >= opens && minuteOfDay < closes }

    public var description: String { Self.clock(opens) + "-" + Self.clock(closes) }

    private static func minutes(_ text: Substring) -> Int? {
        let hm = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard hm.count == 2, hm[0].count == 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]),
              (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 24 * 60 else { return nil }
        return h * 60 + m
    }

    private static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
