import Guichet

/// The one translation of the domain's failures into the API's (rule 9): the status from the error's kind, the hint
/// from the catalogue's entry for its code, the detail from the error. Called by the dispatcher's single catch only.
extension APIError {
    init(_ error: any DeskError) {
        // rule 9: an internal failure's detail is for the log (the dispatcher logs it), never for the answer.
        if error.kind == .internal { self = .internalError; return }
        self.init(error.kind.status, error.code, hint: Self.domainEntries[error.code]?.hint ?? "", detail: error.detail)
    }

    /// The catalogue's entry for every code a `DeskError` carries; `APIErrorCatalogueTests` checks each domain error's
    /// code is here with the status its kind gives.
    static let domainEntries: [String: APIError] = Dictionary(
        uniqueKeysWithValues: ([
            .accountNotFound(""), .accountNotActivated(""), .accountGone("", since: ""), .accountFederated("", services: ""),
            .badRecipient(""), .emptyBatch, .badFilter(""), .forbidden, .internalError, .renewalCodeNotLive(""),
            .renewalSlipPrinted(""),
            .noEmailAddress(""), .badEmailAddress(""), .nobodyToEmail(""), .deliveryNotFound(""), .mailBatchNotFound(""),
            .dayToCome(""), .nothingToSignOff(""), .alreadySignedOff(""), .journalBroken(""),
            .entForbidden, .entRefused, .entUnreachable, .entSignInFailed, .entMFARequired
        ] + RenewalRefusal.allCases.map(APIError.renewalRefused)).map { ($0.code, $0) })
}

extension DeskErrorKind {
    /// The HTTP status of each kind of failure.
    var status: Int {
        switch self {
        case .notFound: 404
        case .invalid: 400
        case .refused: 403
        case .conflict: 409
        case .upstream: 502
        case .internal: 500
        }
    }
}
