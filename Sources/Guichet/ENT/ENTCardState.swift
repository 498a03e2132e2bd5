import Foundation

/// What the desk's card says of the account in the ENT now: the ENT's answer (activated, blocked, when), or why it
/// could not be asked — the card then says it follows the export instead of trusting it silently.
public struct ENTCardState: Encodable, Sendable, Equatable {
    public let checked: Bool
    public let checkedAt: String?
    public let activated: Bool?
    public let blocked: Bool?
    /// Why the ENT was not asked or did not answer: `ent-unreachable`, `ent-sign-in-failed`, `ent-mfa-required`,
    /// `ent-forbidden`… or `ent-not-listed` (the ENT's structures do not list the account).
    public let code: String?
    public let detail: String?

    public init(_ check: ENTCheck) {
        switch check {
        case .checked(let live):
            self.init(
                checked: true, checkedAt: Timestamp.format(live.checkedAt), activated: live.activationCode == nil,
                blocked: live.blocked, code: nil, detail: nil)
        case .unavailable(let why):
            // askENT's reasons: "ent-… (detail)" for the ENT's errors, plain sentences for an unlisted account.
            let code =
                why.hasPrefix("ent-")
                ? String(why.prefix { $0 != " " })
                : why.hasPrefix("not listed") || why.hasPrefix("unknown locally") ? "ent-not-listed" : "ent-unreachable"
            self.init(checked: false, checkedAt: nil, activated: nil, blocked: nil, code: code, detail: why)
        }
    }

    private init(checked: Bool, checkedAt: String?, activated: Bool?, blocked: Bool?, code: String?, detail: String?) {
        self.checked = checked
        self.checkedAt = checkedAt
        self.activated = activated
        self.blocked = blocked
        self.code = code
        self.detail = detail
    }
}

extension Sheets {
    /// The card's look-up of `login` in the ENT (`askENT`, 2 s at most), except that after one went unanswered, cards
    /// do not ask again for `cardQuietSeconds`: at a desk that opens a card after another, each would wait its 2 s
    /// again while the ENT is silent. The card then says the ENT is unreachable, and since when.
    public static func askENTForCard(
        _ database: GuichetDatabase, login: String, session: ENTSession, now: Date = Date()
    ) -> ENTCardState {
        if let since = session.cardSilence(now: now) {
            return ENTCardState(
                .unavailable(
                    "ent-unreachable (not asked: no answer at \(Timestamp.format(since)); asked again "
                        + "\(Int(session.settings.cardQuietSeconds)) s after)"))
        }
        let check = askENT(database, login: login, session: session, now: now)
        if case .unavailable(let why) = check, why.hasPrefix("ent-unreachable") { session.noteCardSilence(at: now) }
        return ENTCardState(check)
    }
}
