/// Every failure the API reports, with its stable code and default status. The kiosk words each code in French and
/// English (Kiosk/web/i18n); `hint` is the English sentence for logs and developers.
extension APIError {
    static let notSignedIn = APIError(401, "not-signed-in", hint: "Sign in first; the session is missing or has expired.")
    static let badCredentials = APIError(401, "bad-credentials", hint: "Wrong login or password.")
    static func tooManyAttempts(minutes: Int) -> APIError {
        APIError(429, "too-many-attempts", hint: "Too many failed sign-ins for this login; wait before trying again.",
                 detail: "locked for \(minutes) more minute(s)")
    }
    static let csrfMismatch = APIError(403, "csrf-mismatch", hint: "A state change needs the X-CSRF-Token header of this session.")
    static let forbidden = APIError(403, "forbidden", hint: "Your role does not allow this.")
    static func notFound(_ path: String) -> APIError { APIError(404, "not-found", hint: "No such resource.", detail: path) }
    static func accountNotFound(_ login: String) -> APIError {
        APIError(404, "account-not-found", hint: "No account has this login.", detail: login)
    }
    static func methodNotAllowed(_ allowed: [String]) -> APIError {
        APIError(405, "method-not-allowed", hint: "This resource does not accept this method.",
                 detail: "allowed: " + allowed.joined(separator: ", "))
    }
    static func badRequest(_ detail: String) -> APIError { APIError(400, "bad-request", hint: "The request is malformed.", detail: detail) }
    static func badJSON(_ detail: String) -> APIError { APIError(400, "bad-json", hint: "The body is not the JSON expected.", detail: detail) }
    static func bodyTooLarge(_ detail: String) -> APIError { APIError(413, "body-too-large", hint: "The request body is too large.", detail: detail) }
    static let queryTooLong = APIError(400, "query-too-long", hint: "The search text is too long (200 characters at most).")
    static func badDay(_ detail: String) -> APIError { APIError(400, "bad-day", hint: "Give a day as YYYY-MM-DD.", detail: detail) }
    static func unknownAction(_ action: String) -> APIError {
        APIError(400, "unknown-action", hint: "No journal action has this name.", detail: action)
    }
    static func dayToCome(_ day: String) -> APIError { APIError(400, "day-to-come", hint: "A day that has not come cannot be signed off.", detail: day) }
    static func nothingToSignOff(_ day: String) -> APIError {
        APIError(409, "nothing-to-sign-off", hint: "The journal has no entry up to the end of this day.", detail: day)
    }
    static func alreadySignedOff(_ detail: String) -> APIError {
        APIError(409, "already-signed-off", hint: "This day is already signed off up to the same entry.", detail: detail)
    }
    static func journalBroken(_ detail: String) -> APIError {
        APIError(409, "journal-broken", hint: "The journal's chain does not verify; it cannot be signed off. Run guichet journal verify.", detail: detail)
    }
    static let internalError = APIError(500, "internal", hint: "Something went wrong on the server; it was logged.")
}
