import Foundation
import GRDB
import GuichetCrypto

/// One-time renewal codes for activated accounts whose owner lost access to the e-mail on file.
///
/// Format (table `renewal_code`, migration v3-renewal), one row per code ever issued:
///   account_id      the account (never deleted, so the row always resolves)
///   mac             lowercase hex HMAC-SHA-256(key, "guichet-renewal-v1\n" + login + "\n" + code); see `RenewalKey`
///   issued_at, expires_at, ended_at   UTC ISO 8601; ended_at is set when the code leaves the live state
///   issued_by       the staff member who issued it
///   state           live | redeemed | revoked (a newer code replaced it) | voided (too many wrong attempts) |
///                   expired (noticed past its expiry)
///   wrong_attempts  wrong codes tried against this account while this code was live
/// A row is valid if and only if: its state is one of the above, ended_at is NULL exactly when it is live, and at
/// most one row per account is live (a partial unique index). The code itself is never stored, journalled or
/// logged: it exists in clear only in the value `issue` returns. The DDL: `Storage/schema.sql`.
public final class RenewalCodes: Sendable {
    public let database: GuichetDatabase
    public let settings: RenewalSettings
    let key: RenewalKey
    let now: @Sendable () -> Date

    /// `now` is the clock (a fixed or advancing one in tests). Reads the key beside the database, or creates it.
    public init(
        database: GuichetDatabase, settings: RenewalSettings = .standard,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.database = database
        self.settings = settings
        self.now = now
        key = try RenewalKey.loadOrCreate(at: RenewalKey.path(besideDatabase: database.path))
    }

    /// A code just issued: show it once, then forget it.
    public struct Issued: Sendable {
        public let login: String
        public let code: String
        public let expiresAt: Date
        /// The journal row that records the issue.
        public let journalSeq: Int64
    }

    /// Issues a code for the activated account `login`, revoking its live one, journalled in the same transaction.
    public func issue(login: String, by staff: String, channel: Channel) throws -> Issued {
        let code = settings.newCode()
        let issuedAt = wholeSeconds(now())
        let expiresAt = issuedAt.addingTimeInterval(settings.validity)
        return try database.writer.write { db in
            try Self.checkStaff(db, staff)
            let account = try Self.account(db, login)
            try Accounts.refuseGone(db, login: account.login)
            guard account.activated else { throw RenewalError.notActivated(account.login) }
            let replaced = try Self.endLive(db, accountID: account.id, at: issuedAt)
            try db.execute(
                sql: """
                    INSERT INTO renewal_code (account_id, mac, issued_at, issued_by, expires_at) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    account.id, key.mac(login: account.login, code: code), Timestamp.format(issuedAt),
                    staff, Timestamp.format(expiresAt)
                ])
            var details = ["expiresAt": Timestamp.format(expiresAt), "length": String(code.count)]
            if let replaced { details["replaced"] = replaced }
            let seq = try Journal.append(
                db,
                JournalEntry(
                    staff: staff, channel: channel, action: .renewalIssued,
                    target: account.login, details: details), at: issuedAt)
            return Issued(login: account.login, code: code, expiresAt: expiresAt, journalSeq: seq)
        }
    }

    /// Ends the account's live code, if any, as revoked (or expired, when it had run out); returns that state.
    private static func endLive(_ db: Database, accountID: Int64, at date: Date) throws -> String? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT id, expires_at FROM renewal_code WHERE account_id = ? AND state = 'live'",
                arguments: [accountID])
        else { return nil }
        let state = isExpired(row["expires_at"], at: date) ? "expired" : "revoked"
        try db.execute(
            sql: "UPDATE renewal_code SET state = ?, ended_at = ? WHERE id = ?",
            arguments: [state, Timestamp.format(date), row["id"] as Int64])
        return state
    }

    struct AccountRef {
        let id: Int64
        let login: String
        let activated: Bool
        let firstName: String
        let lastName: String
    }

    static func account(_ db: Database, _ login: String) throws -> AccountRef {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, login, activation_code, first_name, last_name FROM account WHERE login = ?
                    """, arguments: [login])
        else { throw RenewalError.accountNotFound(login) }
        // As everywhere in Guichet: an empty activation code in the ENT's export means the account is active.
        return AccountRef(
            id: row["id"], login: row["login"], activated: ((row["activation_code"] as String?) ?? "").isEmpty,
            firstName: row["first_name"], lastName: row["last_name"])
    }

    static func checkStaff(_ db: Database, _ name: String) throws {
        let disabled = try Bool.fetchOne(db, sql: "SELECT disabled FROM staff WHERE name = ?", arguments: [name])
        guard disabled == false else { throw RenewalError.staffNotAllowed(name) }
    }

    /// True when a code expiring at `expiresAt` is no longer valid at `date` (valid up to, not including, expiry).
    static func isExpired(_ expiresAt: String, at date: Date) -> Bool {
        guard let expiry = Timestamp.parse(expiresAt) else { return true }  // unreadable: never accept it
        return date >= expiry
    }

    /// Stored times have whole seconds: the expiry shown is then exactly the one enforced.
    func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
