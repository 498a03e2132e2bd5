import Foundation
import GRDB
import GuichetCrypto

extension RenewalCodes {
    /// Codes longer than this are refused unread: no real code comes near it, and the journal stays small.
    static let longestTypedCode = 64

    /// What the write transaction decided; a refusal is thrown only after it commits.
    private enum Outcome {
        case redeemed(String)
        case refused(RenewalRefusal)
    }

    /// Redeems `code` for `login`, exactly once: the check and the consumption are one write transaction, and the
    /// final UPDATE only succeeds on a row still live, so of two concurrent redemptions exactly one succeeds.
    /// Every outcome is journalled (with `client` as the actor); a refusal throws `RenewalError.refused` after the
    /// journal row (and any wrong-attempt count) is committed. Returns the account's login.
    @discardableResult
    public func redeem(login: String, code typed: String, by client: String, channel: Channel = .api) throws -> String {
        let code = RenewalSettings.normalise(typed)
        let date = wholeSeconds(now())
        let outcome: Outcome = try database.writer.write { db in
            let account: AccountRef
            do { account = try Self.account(db, login) } catch RenewalError.accountNotFound {
                try journalRefusal(
                    db, .wrong, login: nil, client: client, channel: channel, date: date,
                    extra: ["login": String(login.prefix(64)), "why": "unknown-account"])
                return .refused(.wrong)
            }
            let codes = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, mac, state, expires_at, wrong_attempts FROM renewal_code WHERE account_id = ? ORDER BY id DESC
                    """, arguments: [account.id])
            let matching = code.count <= Self.longestTypedCode ? match(code, account: account, among: codes) : nil
            if let row = matching {
                return try settle(db, row, account: account, client: client, channel: channel, date: date)
            }
            try wrongAttempt(
                db, account: account, live: codes.first { $0["state"] == "live" }, client: client,
                channel: channel, date: date)
            return .refused(.wrong)
        }
        switch outcome {
        case .redeemed(let login): return login
        case .refused(let reason): throw RenewalError.refused(reason)
        }
    }

    /// The row whose hash matches, comparing with every row in constant time (libsodium's `sodium_memcmp`), so the
    /// time taken does not depend on where the hashes differ.
    private func match(_ code: String, account: AccountRef, among rows: [Row]) -> Row? {
        let mac = Array(key.mac(login: account.login, code: code).utf8)
        var found: Row?
        for row in rows where constantTimeEqual(Array((row["mac"] as String).utf8), mac) {
            found = found ?? row
        }
        return found
    }

    /// The code matched `row`: redeem it if it is live and unexpired, else say why not.
    private func settle(
        _ db: Database, _ row: Row, account: AccountRef, client: String, channel: Channel,
        date: Date
    ) throws -> Outcome {
        let id: Int64 = row["id"]
        let state: String = row["state"]
        let refusal: RenewalRefusal
        switch state {
        case "live" where Self.isExpired(row["expires_at"], at: date):
            try db.execute(
                sql: "UPDATE renewal_code SET state = 'expired', ended_at = ? WHERE id = ?",
                arguments: [Timestamp.format(date), id])
            refusal = .expired
        case "live":
            try db.execute(
                sql: "UPDATE renewal_code SET state = 'redeemed', ended_at = ? WHERE id = ? AND state = 'live'",
                arguments: [Timestamp.format(date), id])
            // SQLite lets one writer in at a time, so the row read above is still live; the `state = 'live'` guard
            // keeps "exactly once" true even for a writer that did not read first (another tool on the file).
            guard db.changesCount == 1 else { refusal = .consumed; break }
            try Journal.append(
                db,
                JournalEntry(
                    staff: client, channel: channel, action: .renewalRedeemed,
                    target: account.login, details: ["expiresAt": row["expires_at"] as String]),
                at: date)
            return .redeemed(account.login)
        case "redeemed": refusal = .consumed
        case "revoked": refusal = .revoked
        case "voided": refusal = .voided
        default: refusal = .expired
        }
        try journalRefusal(db, refusal, login: account.login, client: client, channel: channel, date: date)
        return .refused(refusal)
    }

    /// A code that matches nothing: counted against the live code, which the last allowed attempt voids.
    func wrongAttempt(
        _ db: Database, account: AccountRef, live: Row?, client: String, channel: Channel,
        date: Date
    ) throws {
        guard let live else {
            return try journalRefusal(
                db, .wrong, login: account.login, client: client, channel: channel, date: date,
                extra: ["why": "no-live-code"])
        }
        let id: Int64 = live["id"]
        if Self.isExpired(live["expires_at"], at: date) {
            try db.execute(
                sql: "UPDATE renewal_code SET state = 'expired', ended_at = ? WHERE id = ?",
                arguments: [Timestamp.format(date), id])
            return try journalRefusal(
                db, .wrong, login: account.login, client: client, channel: channel, date: date,
                extra: ["why": "no-live-code"])
        }
        let attempts = (live["wrong_attempts"] as Int) + 1
        let voids = attempts >= settings.wrongAttemptsAllowed
        try db.execute(
            sql: "UPDATE renewal_code SET wrong_attempts = ?, state = ?, ended_at = ? WHERE id = ?",
            arguments: [attempts, voids ? "voided" : "live", voids ? Timestamp.format(date) : nil, id])
        try journalRefusal(
            db, .wrong, login: account.login, client: client, channel: channel, date: date,
            extra: ["attempt": String(attempts), "allowed": String(settings.wrongAttemptsAllowed)])
        if voids {
            try Journal.append(
                db,
                JournalEntry(
                    staff: client, channel: channel, action: .renewalVoided, target: account.login,
                    details: ["reason": "wrong-attempts", "attempts": String(attempts)]), at: date)
        }
    }

    private func journalRefusal(
        _ db: Database, _ reason: RenewalRefusal, login: String?, client: String,
        channel: Channel, date: Date, extra: [String: String] = [:]
    ) throws {
        var details = extra
        details["reason"] = reason.rawValue
        try Journal.append(
            db,
            JournalEntry(
                staff: client, channel: channel, action: .renewalRefused, target: login,
                details: details), at: date)
    }
}
