import Foundation
import GRDB
import GuichetCrypto

/// A checked sign-in: the member when accepted, else why not.
public struct SignInAttempt: Sendable {
    public let member: StaffMember?
    /// The member's session epoch at sign-in (see `Staff.standing`).
    public let epoch: Int64
    public let hashUpgraded: Bool
    public let failure: SignInFailure?
}

/// The details of a `sign-in-failed` row: a staff name as is; any other name only as a fingerprint and a length.
public struct SignInFailure: Sendable, Codable, Equatable {
    public var reason: String
    public var name: String?
    public var nameFingerprint: String?
    public var nameLength: Int?
    public var from: String?
}

struct SignInDetails: Encodable {
    let from: String
    let hashUpgraded: Bool?
}

/// One address's run of failed sign-ins, summarised in one `sign-in-failures` row when it ends.
public struct SignInBurst: Sendable, Codable, Equatable {
    public let from: String
    /// Failures checked (a wrong password, an unknown name) and attempts refused unchecked by the throttle.
    public var failures: Int
    public var refused: Int
    /// Distinct names tried, up to 256 (counted, never listed: the first failure's row shows how one looked).
    public var names: Int
    public let first: String
    public var last: String

    public init(from: String, failures: Int, refused: Int, names: Int, first: String, last: String) {
        (self.from, self.failures, self.refused, self.names, self.first, self.last) = (
            from, failures, refused, names, first, last
        )
    }
}

extension Staff {
    /// Checks a sign-in and journals it either way. Returns the member, or nil for a wrong name or password or a
    /// disabled account (the caller must not tell which).
    public static func signIn(
        _ database: GuichetDatabase, name: String, password: String, channel: Channel,
        remoteAddress: String
    ) throws -> StaffMember? {
        let attempt = try checkSignIn(database, name: name, password: password)
        try journal(database, attempt, channel: channel, remoteAddress: remoteAddress)
        return attempt.member
    }

    /// Checks a name and password without journalling (the service journals failures per burst). A hash made with
    /// older parameters is replaced by one at today's on success (`PasswordHash.needsRehash`).
    public static func checkSignIn(_ database: GuichetDatabase, name: String, password: String) throws -> SignInAttempt {
        let row = try database.writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT name, role, password_hash, disabled, created_at, session_epoch FROM staff WHERE name = ?",
                arguments: [name])
        }
        // Verify against a real hash even for an unknown name, so timing does not tell which names exist.
        let hash: String = row?["password_hash"] ?? dummyHash
        let passwordOK = PasswordHash.verify(password, hash: hash)
        let member = row.map {
            StaffMember(
                name: $0["name"], role: StaffRole(rawValue: $0["role"]) ?? .agent,
                disabled: $0["disabled"], createdAt: $0["created_at"])
        }
        guard let member, let row else {
            // Never the text typed: people type their password into the name field. A keyed fingerprint shows the
            // same mistyped name coming back, without letting anyone test guesses offline.
            let fingerprint = hexString(
                Array(
                    Digest.hmacSHA256(
                        key: try database.secret.nameKey(
                            create: try database.writer.read { try Journal.mayCreateKey($0) }),
                        message: Array(name.utf8)
                    ).prefix(8)))
            return SignInAttempt(
                member: nil, epoch: 0, hashUpgraded: false,
                failure: SignInFailure(
                    reason: "unknown-name", name: nil, nameFingerprint: fingerprint,
                    nameLength: name.count))
        }
        guard passwordOK, !member.disabled else {
            return SignInAttempt(
                member: nil, epoch: 0, hashUpgraded: false,
                failure: SignInFailure(reason: member.disabled ? "disabled" : "wrong-password", name: member.name))
        }
        var upgraded = false
        if PasswordHash.needsRehash(hash) {
            let fresh = try PasswordHash.hash(password)  // outside the write transaction, as in `add`
            try database.writer.write { db -> Void in
                // Only if nobody changed it meanwhile; the session epoch stays: it is the same password.
                try db.execute(
                    sql: "UPDATE staff SET password_hash = ? WHERE name = ? AND password_hash = ?",
                    arguments: [fresh, member.name, hash])
                upgraded = db.changesCount == 1
            }
        }
        return SignInAttempt(member: member, epoch: row["session_epoch"], hashUpgraded: upgraded, failure: nil)
    }

    /// Journals one checked attempt: `sign-in`, or `sign-in-failed` with what `SignInFailure` holds.
    public static func journal(
        _ database: GuichetDatabase, _ attempt: SignInAttempt, channel: Channel,
        remoteAddress: String
    ) throws {
        try database.writer.write { db in
            if let member = attempt.member {
                try Journal.append(
                    db,
                    JournalEntry(
                        staff: member.name, channel: channel, action: .signIn,
                        details: SignInDetails(from: remoteAddress, hashUpgraded: attempt.hashUpgraded ? true : nil)))
            } else if var failure = attempt.failure {
                failure.from = remoteAddress
                try Journal.append(db, JournalEntry(staff: nil, channel: channel, action: .signInFailed, details: failure))
            }
        }
    }

    /// Journals ended bursts of failed sign-ins, one `sign-in-failures` row each, in one transaction.
    public static func journal(_ database: GuichetDatabase, bursts: [SignInBurst], channel: Channel, at now: Date = Date()) throws
    {
        try database.writer.write { db in
            for burst in bursts {
                try Journal.append(
                    db, JournalEntry(staff: nil, channel: channel, action: .signInFailures, details: burst), at: now)
            }
        }
    }
}
