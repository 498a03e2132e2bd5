import Foundation
import GuichetCrypto

/// How renewal codes are made and how long they live: the school's choice within the bounds below.
public struct RenewalSettings: Sendable, Equatable {
    /// The ENT's own alphabet for activation codes: no look-alikes (no i, l, o, q, u, 0, 1, 2).
    public static let alphabet = Array("abcdefghjkmnprstvwxyz3456789")
    /// 8 characters is the ENT's length (28^8 ≈ 3.8 × 10^11); longer codes trade reading time for margin.
    public static let lengths = 8...16

    /// Characters per code, in `lengths`.
    public let length: Int
    /// How long a code stays redeemable after it is issued.
    public let validity: TimeInterval
    /// Wrong attempts against one account that void its live code.
    public let wrongAttemptsAllowed: Int

    /// Throws when `length` is outside 8–16 or the validity is not between one minute and 30 days.
    public init(length: Int = 8, validity: TimeInterval = 24 * 3600, wrongAttemptsAllowed: Int = 5) throws {
        guard Self.lengths.contains(length) else {
            throw RenewalError.invalidSettings("the code length must be from 8 to 16 characters (not \(length))")
        }
        guard validity >= 60, validity <= 30 * 86_400 else {
            throw RenewalError.invalidSettings("the validity must be from 1 minute to 30 days (not \(Int(validity)) s)")
        }
        guard wrongAttemptsAllowed >= 1 else {
            throw RenewalError.invalidSettings("at least one wrong attempt must be allowed")
        }
        self.length = length
        self.validity = validity
        self.wrongAttemptsAllowed = wrongAttemptsAllowed
    }

    /// The defaults: 8 characters, 24 hours, 5 wrong attempts.
    public static var standard: RenewalSettings {
        // The default values are within the bounds: a failure here is a bug.
        try! RenewalSettings()
    }

    /// A fresh code: each character drawn independently and uniformly from `alphabet` by libsodium's
    /// `randombytes_uniform` ("a value between 0 and upper_bound (excluded) […] it does its best to guarantee a
    /// uniform distribution", i.e. without modulo bias).
    func newCode() -> String {
        SecureRandom.code(length: length, alphabet: Self.alphabet)
    }

    /// What a person typed, as stored codes are written: lower case, without the spaces or hyphens of grouping.
    public static func normalise(_ typed: String) -> String {
        String(typed.lowercased().filter { $0 != " " && $0 != "-" && $0 != "\u{00A0}" })
    }
}
