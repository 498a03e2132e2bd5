/// Why the ENT did not do what the desk asked. Each case has a stable code (the API's, the journal's) and never
/// carries a password or a code.
public enum ENTError: DeskError, Equatable, CustomStringConvertible {
    /// The ENT's 401: the account is outside the structures the school's administrator account administers (or is
    /// itself an administrator, or is unknown to the ENT: its permission check runs first).
    case forbidden(String)
    /// The ENT's 500 to a renewal code: the account is not activated yet, or signs in through a federation.
    case refused(String)
    /// No answer in time, a TLS failure, or an answer that is none of the ENT's documented ones.
    case unreachable(String)
    /// The administrator account's sign-in was refused. Guichet tries once and then stops (in every process: the
    /// refusal is kept beside the database) until the password changes or `guichet ent check --retry`, so that it
    /// never drives the account into the ENT's ban (entcore bans a login after a few failures).
    case signInFailed(String)
    /// The platform demands a second factor for administrators in this session: someone must act in the ENT.
    case mfaRequired

    /// `ent-forbidden`, `ent-refused`, `ent-unreachable`, `ent-sign-in-failed`, `ent-mfa-required`.
    public var code: String {
        switch self {
        case .forbidden: "ent-forbidden"
        case .refused: "ent-refused"
        case .unreachable: "ent-unreachable"
        case .signInFailed: "ent-sign-in-failed"
        case .mfaRequired: "ent-mfa-required"
        }
    }

    public var kind: DeskErrorKind {
        switch self {
        case .forbidden: .refused
        case .refused: .conflict
        case .unreachable, .signInFailed, .mfaRequired: .upstream
        }
    }

    /// What was refused or went wrong, for the journal and the API's `detail`.
    public var detail: String {
        switch self {
        case .forbidden(let s), .refused(let s), .unreachable(let s), .signInFailed(let s): s
        case .mfaRequired: "the ENT asks for multi-factor authentication (/auth/validate-mfa)"
        }
    }

    public var description: String { "\(code): \(detail)" }
}
