import Foundation
import GRDB
import GuichetCrypto

extension RenewalCodes {
    /// Renders the slip of `code`, which must be the live, unexpired code of `login` (the desk still holds it; the
    /// server cannot recall it), once: a slip is made once, as the code is shown once. Journalled as printed — never
    /// with the code — in the same transaction, and the slip carries that journal row's number. A code that does not
    /// match the live one is a guess: counted against the live code like a wrong redemption (the last allowed guess
    /// voids it) and journalled, so the slip endpoint is no oracle for codes.
    public func printSlip(
        login: String, code typed: String, schoolName: String, entURL: String, by staff: String,
        channel: Channel, timeZone: TimeZone = .current
    ) throws -> [UInt8] {
        let code = RenewalSettings.normalise(typed)
        let date = wholeSeconds(now())
        // The guess's count must be committed even though the call fails: the transaction returns the refusal.
        let outcome: Result<[UInt8], RenewalError> = try database.writer.write { db in
            try Self.checkStaff(db, staff)
            let account = try Self.account(db, login)
            guard
                let live = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, mac, issued_at, expires_at, wrong_attempts FROM renewal_code WHERE account_id = ? AND state = 'live'
                        """, arguments: [account.id]),
                !Self.isExpired(live["expires_at"], at: date),
                let expiresAt = Timestamp.parse(live["expires_at"])
            else {
                return .failure(.notLive(account.login))
            }
            guard code.count <= Self.longestTypedCode,
                constantTimeEqual(Array((live["mac"] as String).utf8), Array(key.mac(login: account.login, code: code).utf8))
            else {
                try wrongAttempt(db, account: account, live: live, client: staff, channel: channel, date: date)
                return .failure(.notLive(account.login))
            }
            // Printed already: a slip row after the account's latest issue (the live code's own). Both reads start
            // at the live code's `issued_at` (its issue row has that time), so they range over `journal_by_at` from
            // there instead of scanning the whole journal.
            let issuedAt: String = live["issued_at"]
            let printed =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM journal WHERE at >= ? AND action = ? AND target = ? AND seq >
                            (SELECT COALESCE(MAX(seq), 0) FROM journal WHERE at >= ? AND action = ? AND target = ?))
                        """,
                    arguments: [
                        issuedAt, JournalAction.renewalSlipPrinted.rawValue, account.login,
                        issuedAt, JournalAction.renewalIssued.rawValue, account.login
                    ]) ?? false
            if printed { return .failure(.slipAlreadyPrinted(account.login)) }
            let seq = try Journal.append(
                db,
                JournalEntry(
                    staff: staff, channel: channel, action: .renewalSlipPrinted,
                    target: account.login,
                    details: ["expiresAt": Timestamp.format(expiresAt)]), at: date)
            return .success(
                try RenewalSlip.render(
                    .init(
                        schoolName: schoolName, entURL: entURL, login: account.login,
                        firstName: account.firstName, lastName: account.lastName, code: code,
                        expiresAt: expiresAt, journalSeq: seq, timeZone: timeZone)))
        }
        return try outcome.get()
    }
}
