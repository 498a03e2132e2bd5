/// A failure the desk can name: every error the domain throws at the service conforms, and the service turns it into
/// its answer in one place (GuichetServer's dispatcher), as hummingbird's `HTTPResponseError` does. The domain says
/// what went wrong (`code`, `kind`, `detail`) and knows no HTTP; the status and the hint live in the API's catalogue.
public protocol DeskError: Error, Sendable {
    /// Stable: the API's `code`, the kiosk's key in `Kiosk/web/i18n`, what tests and connectors compare.
    var code: String { get }
    /// What sort of failure, from which the service derives its status.
    var kind: DeskErrorKind { get }
    /// What exactly was wrong (a login, a day, the ENT's answer). Never a code, a password or a key. Ignored for
    /// `.internal`, whose detail is for the log only.
    var detail: String { get }
}

/// The sorts of failure the desk distinguishes.
public enum DeskErrorKind: Sendable, CaseIterable {
    /// What the request names does not exist (an account, a delivery, a batch).
    case notFound
    /// The request itself is wrong (a recipient who is not a linked parent, a day to come, a batch selecting nobody).
    case invalid
    /// Refused to this caller: a role, a wrong or spent renewal code, the ENT's permission check.
    case refused
    /// The request is well formed but the state of things forbids it now (gone, not activated, printed already).
    case conflict
    /// The ENT did not answer, or not as documented, or refused our administrator account.
    case upstream
    /// A bug or a broken installation (settings, key file): logged, answered without detail.
    case `internal`
}
