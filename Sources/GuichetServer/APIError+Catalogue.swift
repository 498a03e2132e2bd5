import Guichet

/// Every failure the API reports, with its stable code and default status. The kiosk words each code in French and
/// English (Kiosk/web/i18n); `hint` is the English sentence for logs and developers.
extension APIError {
    static let notSignedIn = APIError(401, "not-signed-in", hint: "Sign in first; the session is missing or has expired.")
    static let badCredentials = APIError(401, "bad-credentials", hint: "Wrong login or password.")
    static func tooManyAttempts(minutes: Int) -> APIError {
        APIError(
            429, "too-many-attempts", hint: "Too many failed sign-ins for this login; wait before trying again.",
            detail: "locked for \(minutes) more minute(s)")
    }
    static let signInBusy = APIError(
        503, "sign-in-busy", hint: "Too many sign-ins are being checked at once; try again in a few seconds.")
    static func badHost(_ host: String) -> APIError {
        APIError(
            421, "bad-host", hint: "This service does not answer to that host name; add it to [server] host_names.",
            detail: String(host.prefix(100)))
    }
    static let csrfMismatch = APIError(
        403, "csrf-mismatch", hint: "A state change needs the X-CSRF-Token header of this session.")
    static let forbidden = APIError(403, "forbidden", hint: "Your role does not allow this.")
    static func notFound(_ path: String) -> APIError { APIError(404, "not-found", hint: "No such resource.", detail: path) }
    static func accountNotFound(_ login: String) -> APIError {
        APIError(404, "account-not-found", hint: "No account has this login.", detail: login)
    }
    static func methodNotAllowed(_ allowed: [String]) -> APIError {
        APIError(
            405, "method-not-allowed", hint: "This resource does not accept this method.",
            detail: "allowed: " + allowed.joined(separator: ", "))
    }
    static func badRequest(_ detail: String) -> APIError {
        APIError(400, "bad-request", hint: "The request is malformed.", detail: detail)
    }
    static func badJSON(_ detail: String) -> APIError {
        APIError(400, "bad-json", hint: "The body is not the JSON expected.", detail: detail)
    }
    static func bodyTooLarge(_ detail: String) -> APIError {
        APIError(413, "body-too-large", hint: "The request body is too large.", detail: detail)
    }
    static let queryTooLong = APIError(400, "query-too-long", hint: "The search text is too long (200 characters at most).")
    static func badIDCheck(_ value: String) -> APIError {
        APIError(
            400, "bad-id-check", hint: "idCheck must be cni, passport, residence-permit, driving-licence, known or other.",
            detail: value)
    }
    static func badRecipient(_ detail: String) -> APIError {
        APIError(
            400, "bad-recipient", hint: "recipient must be \"self\" or the login of a parent linked to this account.",
            detail: detail)
    }
    static func badFilter(_ detail: String) -> APIError {
        APIError(400, "bad-filter", hint: "A search or batch filter, sort or page size is not valid.", detail: detail)
    }
    static let emptyBatch = APIError(400, "empty-batch", hint: "No account matches these filters; nothing was printed.")
    /// The sheet was produced and journalled, but CUPS refused it: the printer's own message is the detail.
    static func printFailed(_ detail: String) -> APIError {
        APIError(502, "print-failed", hint: "The printer did not accept the sheet (CUPS); nothing was printed.", detail: detail)
    }

    static func accountNotActivated(_ login: String) -> APIError {
        APIError(
            409, "account-not-activated",
            hint: "This account is not activated yet: print its activation sheet instead of a renewal code.", detail: login)
    }
    static func accountGone(_ login: String, since: String) -> APIError {
        APIError(
            409, "account-gone",
            hint:
                "This account is gone from the ENT's export: no sheet, e-mail or renewal code (a reviewer may still print, confirming).",
            detail: "\(login) since \(since.prefix(10))")
    }
    static func accountFederated(_ login: String, services: String) -> APIError {
        APIError(
            409, "account-federated",
            hint: "This account signs in through a federation: it has no login, no code and no renewal code.",
            detail: "\(login) signs in with \(services)")
    }
    static func renewalCodeNotLive(_ login: String) -> APIError {
        APIError(
            409, "renewal-code-not-live",
            hint: "This is not the account's live renewal code (replaced, used or expired): issue a new one.", detail: login)
    }
    /// A refused redemption: `renewal-code-wrong`, `-expired`, `-revoked`, `-consumed` or `-voided`.
    static func renewalRefused(_ reason: RenewalRefusal) -> APIError {
        let hints: [RenewalRefusal: String] = [
            .wrong: "No renewal code of this account matches.",
            .expired: "This renewal code has expired.",
            .revoked: "A newer renewal code replaced this one.",
            .consumed: "This renewal code was already used.",
            .voided: "Too many wrong attempts voided this renewal code."
        ]
        return APIError(403, "renewal-code-\(reason.rawValue)", hint: hints[reason] ?? "Refused.")
    }
    static let apiKeyMissing = APIError(401, "api-key-missing", hint: "Send the connector's key as Authorization: Bearer KEY.")
    static let apiKeyInvalid = APIError(401, "api-key-invalid", hint: "This API key is unknown.")
    static let apiKeyRevoked = APIError(401, "api-key-revoked", hint: "This API key was revoked; ask for a new one.")
    static func renewalSlipPrinted(_ login: String) -> APIError {
        APIError(
            409, "renewal-slip-printed", hint: "This code's slip was printed already; issue a new code for another slip.",
            detail: login)
    }

    static func badDay(_ detail: String) -> APIError {
        APIError(400, "bad-day", hint: "Give a day as YYYY-MM-DD.", detail: detail)
    }
    static func unknownAction(_ action: String) -> APIError {
        APIError(400, "unknown-action", hint: "No journal action has this name.", detail: action)
    }
    static func dayToCome(_ day: String) -> APIError {
        APIError(400, "day-to-come", hint: "A day that has not come cannot be signed off.", detail: day)
    }
    static func nothingToSignOff(_ day: String) -> APIError {
        APIError(409, "nothing-to-sign-off", hint: "The journal has no entry up to the end of this day.", detail: day)
    }
    static func alreadySignedOff(_ detail: String) -> APIError {
        APIError(409, "already-signed-off", hint: "This day is already signed off up to the same entry.", detail: detail)
    }
    static func journalBroken(_ detail: String) -> APIError {
        APIError(
            409, "journal-broken",
            hint: "The journal's chain does not verify; it cannot be signed off. Run guichet journal verify.", detail: detail)
    }
    /// Another process (an import) held the database's write lock past the service's busy timeout.
    static let databaseBusy = APIError(
        503, "database-busy", hint: "The database is busy with a long write (an import); try again in a few seconds.")
    static let mailNotConfigured = APIError(
        503, "mail-not-configured", hint: "Sending by e-mail is off: the configuration has no [mail] relay.")
    static func noEmailAddress(_ login: String) -> APIError {
        APIError(
            409, "no-email-address", hint: "This account has no e-mail address on file; the desk cannot type one in.",
            detail: login)
    }
    static func badEmailAddress(_ login: String) -> APIError {
        APIError(
            409, "bad-email-address", hint: "The e-mail address on file is not a plain address; nothing was sent.", detail: login)
    }
    static func nobodyToEmail(_ detail: String) -> APIError {
        APIError(
            400, "nobody-to-email", hint: "None of the accounts these filters select has an e-mail address; nothing was queued.",
            detail: detail)
    }
    static func deliveryNotFound(_ id: String) -> APIError {
        APIError(404, "delivery-not-found", hint: "No e-mail has this delivery id.", detail: id)
    }
    static func mailBatchNotFound(_ id: String) -> APIError {
        APIError(404, "mail-batch-not-found", hint: "No e-mail batch has this id.", detail: id)
    }

    /// The ENT's refusals (`ENTError`); the detail says what the ENT answered (never a code).
    static let entForbidden = APIError(
        403, "ent-forbidden", hint: "The ENT refused: this account is outside the structures the school administers.")
    static let entRefused = APIError(
        409, "ent-refused", hint: "The ENT refused: the account is not activated yet, or signs in through a federation.")
    static let entUnreachable = APIError(
        502, "ent-unreachable", hint: "The ENT did not answer in time, or not as expected.")
    static let entSignInFailed = APIError(
        502, "ent-sign-in-failed",
        hint: "The ENT refused the administrator account's sign-in; Guichet stopped trying (restart after fixing it).")
    static let entMFARequired = APIError(
        502, "ent-mfa-required", hint: "The ENT demands multi-factor authentication for the administrator account.")

    static func entAccountBlocked(_ login: String) -> APIError {
        APIError(409, "ent-account-blocked", hint: "The ENT says this account is blocked: no sheet was printed.", detail: login)
    }

    static let internalError = APIError(500, "internal", hint: "Something went wrong on the server; it was logged.")
}
