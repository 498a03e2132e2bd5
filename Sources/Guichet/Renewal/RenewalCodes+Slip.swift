import Foundation
import GRDB
import GuichetCrypto

extension RenewalCodes {
    /// Renders the slip of `code`, which must be the live, unexpired code of `login` (the desk still holds it; the
    /// server cannot recall it). Journalled as printed — never with the code — in the same transaction, and the slip
    /// carries that journal row's number. A code that does not match is refused as `notLive`: this is not a
    /// redemption, so nothing is counted or consumed.
    public func printSlip(login: String, code typed: String, schoolName: String, entURL: String, by staff: String,
                          channel: Channel, timeZone: TimeZone = .current) throws -> [UInt8] {
        let code = RenewalSettings.normalise(typed)
        let date = wholeSeconds(now())
        return try database.writer.write { db in
            try Self.checkStaff(db, staff)
            let account = try Self.account(db, login)
            guard code.count <= Self.longestTypedCode,
                  let live = try Row.fetchOne(db, sql: """
                      SELECT mac, expires_at FROM renewal_code WHERE account_id = ? AND state = 'live'
                      """, arguments: [account.id]),
                  constantTimeEqual(Array((live["mac"] as String).utf8), Array(key.mac(login: account.login, code: code).utf8)),
                  !Self.isExpired(live["expires_at"], at: date),
                  let expiresAt = Timestamp.parse(live["expires_at"]) else {
                throw RenewalError.notLive(account.login)
            }
            let seq = try Journal.append(db, JournalEntry(staff: staff, channel: channel, action: .renewalSlipPrinted,
                                                          target: account.login,
                                                          details: ["expiresAt": Timestamp.format(expiresAt)]), at: date)
            return try RenewalSlip.render(.init(schoolName: schoolName, entURL: entURL, login: account.login,
                                                firstName: account.firstName, lastName: account.lastName, code: code,
                                                expiresAt: expiresAt, journalSeq: seq, timeZone: timeZone))
        }
    }
}
