import Foundation
import Guichet

/// The desk's opening hours, "07:30-18:30": the journal review flags what happens outside them.
public struct OpeningHours: Sendable, Equatable, CustomStringConvertible {
    /// Minutes after midnight, local time; `opens < closes` (a desk does not open across midnight).
    public let opens: Int
    public let closes: Int

    public init(opens: Int, closes: Int) {
        precondition(0 <= opens && opens < closes && closes <= 24 * 60, "opening hours out of order")
        (self.opens, self.closes) = (opens, closes)
    }

    /// Reads "HH:MM-HH:MM" with the journal review's own parser (one definition of opening hours); nil when
    /// malformed, out of range, or closing before opening.
    public init?(parsing text: String) {
        guard let hours = ReviewRules.openingHours(text) else { return nil }
        self.init(opens: hours.opensAt, closes: hours.closesAt)
    }

    /// Whether a local time of day (minutes after midnight) falls within the hours.
    public func contains(minuteOfDay: Int) -> Bool { minuteOfDay >= opens && minuteOfDay < closes }

    public var description: String { Self.clock(opens) + "-" + Self.clock(closes) }

    private static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
