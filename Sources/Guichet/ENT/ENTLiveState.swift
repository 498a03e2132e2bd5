import Foundation
import GRDB

/// What the ENT says of an account at print time (`GET /directory/user/admin/list`, matched on the real login).
public struct ENTLiveState: Sendable, Equatable {
    /// The activation code the ENT holds now; nil once the account is activated.
    public let activationCode: String?
    /// Blocked by an administrator: no sheet is printed.
    public let blocked: Bool
    public let checkedAt: Date
}

/// The outcome of asking the ENT before printing: its answer, or why the sheet prints from the last import.
public enum ENTCheck: Sendable, Equatable {
    case checked(ENTLiveState)
    /// No answer within the live timeout, a refusal, or the ENT does not list the account: local data is used.
    case unavailable(String)

    /// What the `sheet-printed` row records: "checked", or "unavailable: ent-unreachable…".
    var journalValue: String {
        switch self {
        case .checked: "checked"
        case .unavailable(let why): "unavailable: " + why
        }
    }
}

extension Sheets {
    /// Asks the ENT for `login`'s state now, waiting `settings.liveTimeoutSeconds` (2 s) per call at most. Never
    /// throws for the ENT's sake: whatever goes wrong is `.unavailable`, and the sheet prints from local data.
    public static func askENT(_ database: GuichetDatabase, login: String, session: ENTSession, now: Date = Date()) -> ENTCheck {
        do {
            guard
                let names = try database.writer.read({ db in
                    try Row.fetchOne(db, sql: "SELECT first_name, last_name FROM account WHERE login = ?", arguments: [login])
                })
            else { return .unavailable("unknown locally") }
            guard
                let user = try session.user(
                    login: login, lastName: names["last_name"], firstName: names["first_name"],
                    timeout: session.settings.liveTimeoutSeconds)
            else {
                return .unavailable("not listed by the ENT's structures")
            }
            let code = (user.code ?? "").isEmpty ? nil : user.code
            return .checked(ENTLiveState(activationCode: code, blocked: user.blocked == true, checkedAt: now))
        } catch let error as ENTError {
            return .unavailable("\(error.code) (\(error.detail))")
        } catch {
            return .unavailable("\(error)")
        }
    }

    /// The ENT's state of each of `logins` (a batch of up to `batchLimit`), asked one after the other; once the ENT
    /// fails to answer, the rest are not asked (each would wait its timeout again) and print from local data.
    public static func askENT(_ database: GuichetDatabase, logins: [String], session: ENTSession, now: Date = Date()) -> [String:
        ENTCheck]
    {
        var answers: [String: ENTCheck] = [:]
        var gaveUp: String?
        for login in logins {
            if let gaveUp { answers[login] = .unavailable(gaveUp); continue }
            let answer = askENT(database, login: login, session: session, now: now)
            if case .unavailable(let why) = answer, why.hasPrefix("ent-") { gaveUp = why }
            answers[login] = answer
        }
        return answers
    }

    /// Batches up to this size are checked with the ENT before printing; larger ones print from the last import.
    public static let entCheckedBatchLimit = 50

    /// Journals that no sheet was printed because the ENT says the account is blocked.
    public static func journalBlocked(
        _ database: GuichetDatabase, login: String, staff: String, channel: Channel,
        now: Date = Date()
    ) throws {
        try database.writer.write { db in
            _ = try Journal.append(
                db,
                JournalEntry(
                    staff: staff, channel: channel, action: .sheetRefused, target: login,
                    details: ["reason": "blocked in the ENT"]), at: now)
        }
    }
}
