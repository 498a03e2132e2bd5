import Foundation
import GRDB
import GuichetCrypto

/// A journal row as stored (the format is in `Journal`). Encoded with the table's column names, so that an export
/// can be checked against the chain by whoever holds the journal key.
public struct JournalRow: Sendable, Codable, Equatable {
    public var seq: Int64
    public var at: String
    public var staff: String?
    public var channel: String
    public var action: String
    public var target: String?
    public var details: String
    public var previousHash: String
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case seq, at, staff, channel, action, target, details, previousHash = "prev_hash", hash
    }

    init(
        seq: Int64, at: String, staff: String?, channel: String, action: String, target: String?, details: String,
        previousHash: String, hash: String
    ) {
        (self.seq, self.at, self.staff, self.channel, self.action, self.target, self.details, self.previousHash, self.hash) = (
            seq, at, staff, channel, action, target, details, previousHash, hash
        )
    }

    init(row: Row) {
        self.init(
            seq: row["seq"], at: row["at"], staff: row["staff"], channel: row["channel"], action: row["action"],
            target: row["target"], details: row["details"], previousHash: row["prev_hash"], hash: row["hash"])
    }

    /// Always encodes `staff` and `target`, as null when absent: every row has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(at, forKey: .at)
        try c.encode(staff, forKey: .staff)
        try c.encode(channel, forKey: .channel)
        try c.encode(action, forKey: .action)
        try c.encode(target, forKey: .target)
        try c.encode(details, forKey: .details)
        try c.encode(previousHash, forKey: .previousHash)
        try c.encode(hash, forKey: .hash)
    }

    /// SHA-256 of the canonical encoding (see `Journal`): the hash of a row before the keying point.
    func computedHash() -> String {
        hexString(Digest.sha256(Array(canonicalText(version: 1).utf8)))
    }

    /// The canonical encoding: "guichet-journal-v1" (or -v2 for a keyed row) and the length-prefixed fields.
    func canonicalText(version: Int) -> String {
        var text = "guichet-journal-v\(version)"
        for value in [String(seq), at, staff, channel, action, target, details, previousHash] as [String?] {
            if let value { text += "\n\(value.utf8.count):\(value)" } else { text += "\n-1:" }
        }
        return text
    }

    /// The details as a JSON object (empty when they are not one, which only a tampered row can be).
    public var detailsObject: [String: JSONValue] {
        (try? JSONDecoder().decode([String: JSONValue].self, from: Data(details.utf8))) ?? [:]
    }
}

/// Any JSON value: the journal's details are free-form objects, shown as they are by the review.
public enum JSONValue: Codable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n): try c.encode(n)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The value as short text: strings as they are, numbers without a needless ".0", containers as JSON.
    public var text: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array, .object:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }

    public var int64: Int64? {
        switch self {
        case .number(let n) where n == n.rounded(): Int64(exactly: n)
        case .string(let s): Int64(s)
        default: nil
        }
    }
}
