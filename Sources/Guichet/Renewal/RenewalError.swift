import Foundation

/// Why a redemption was refused. Raw values are stable: the journal stores them and the API derives its codes
/// from them.
public enum RenewalRefusal: String, Sendable, Codable, CaseIterable {
    /// No code of this account matches (or no such account: a connector learns nothing more).
    case wrong
    /// The code matches, but its validity ran out.
    case expired
    /// The code matches, but a newer code replaced it.
    case revoked
    /// The code matches, but it was redeemed already.
    case consumed
    /// The code matches, but too many wrong attempts voided it.
    case voided
}

/// A renewal operation that could not be done. Never carries a code.
public enum RenewalError: DeskError, Equatable, CustomStringConvertible {
    case accountNotFound(String)
    /// Renewal codes are for activated accounts; the others get their activation sheet.
    case notActivated(String)
    /// The staff member named to act is unknown or disabled.
    case staffNotAllowed(String)
    case refused(RenewalRefusal)
    /// The code shown is not the account's live code (for a slip): it was replaced, used, or has expired.
    case notLive(String)
    /// The slip of the account's live code was printed already: a slip is made once, like the code is shown once.
    case slipAlreadyPrinted(String)
    case invalidSettings(String)
    case keyFile(String, String)

    public var description: String {
        switch self {
        case .accountNotFound(let login): "no account has the login \"\(login)\""
        case .notActivated(let login): "\"\(login)\" is not activated yet: print its activation sheet instead"
        case .staffNotAllowed(let name): "no active staff member is named \"\(name)\""
        case .refused(let reason): "renewal code refused: \(reason.rawValue)"
        case .notLive(let login): "this is not the live renewal code of \"\(login)\""
        case .slipAlreadyPrinted(let login): "the slip of \"\(login)\"'s live renewal code was printed already"
        case .invalidSettings(let why): why
        case .keyFile(let path, let why): "the renewal key file \(path) \(why)"
        }
    }

    /// The staff member's refusal answers as the API's `forbidden`; the settings and the key file are the
    /// installation's fault (`internal`: logged, never shown).
    public var code: String {
        switch self {
        case .accountNotFound: "account-not-found"
        case .notActivated: "account-not-activated"
        case .staffNotAllowed: "forbidden"
        case .refused(let reason): "renewal-code-\(reason.rawValue)"
        case .notLive: "renewal-code-not-live"
        case .slipAlreadyPrinted: "renewal-slip-printed"
        case .invalidSettings, .keyFile: "internal"
        }
    }

    public var kind: DeskErrorKind {
        switch self {
        case .accountNotFound: .notFound
        case .notActivated, .notLive, .slipAlreadyPrinted: .conflict
        case .staffNotAllowed, .refused: .refused
        case .invalidSettings, .keyFile: .internal
        }
    }

    /// The login concerned; nothing for a refusal (a connector learns nothing more) or a staff member's name.
    public var detail: String {
        switch self {
        case .accountNotFound(let login), .notActivated(let login), .notLive(let login), .slipAlreadyPrinted(let login): login
        case .staffNotAllowed, .refused, .invalidSettings, .keyFile: ""
        }
    }
}
