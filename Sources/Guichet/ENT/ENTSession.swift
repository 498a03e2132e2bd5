import Foundation
import HTTPClient
import Logging

/// A signed-in session of the school's administrator account on the ENT, shared by the desk's requests.
///
/// entcore's rules it follows (its AuthController, CsrfFilter and UserAuthFilter):
///  - `POST /auth/login` (form `email` = the login, `password`) answers 302 with the cookies `oneSessionId`,
///    `authenticated` and `XSRF-TOKEN` on success, and 200 with the login page on failure;
///  - a secured POST needs the header `X-XSRF-TOKEN` equal to the `XSRF-TOKEN` cookie;
///  - an expired session: a GET gets 302 to `/auth/login…`, a POST 403 `{"error":"invalid.xsrf.token"}`. Either
///    leads to one new sign-in and one new try, never more;
///  - with MFA enforced for administrators, /directory routes answer 302 to `/auth/validate-mfa…`: reported as
///    `mfaRequired`, never worked around.
/// After one refused sign-in the session stops signing in (every call fails with `signInFailed`): entcore counts
/// failures per login and bans it after a few, even for a right password later. The refusal is remembered beside
/// the database (`ENTSignInMemory`), so other processes and restarts do not try again either, until the password
/// changes or `guichet ent check --retry`.
///
/// One request at a time (one libcurl handle, one cookie jar): calls wait for each other.
public final class ENTSession: @unchecked Sendable {
    public let settings: ENTSettings
    let logger: Logger
    /// Guards everything below (the handle is not thread-safe).
    private let lock = NSLock()
    private var client: HTTPClient?
    private var signedIn = false
    private var signInRefusal: String?
    /// The refusal file last read, by its identity and modification time, and what it said (Argon2id is slow
    /// enough not to verify it again at each call while nothing changed).
    private var remembered: (stamp: [Int], reason: String?)?
    /// When a card's look-up last went unanswered (see `Sheets.askENTForCard`).
    private var cardSilentSince: Date?
    /// Where a refused sign-in is remembered across processes; nil remembers it in this process only (tests).
    let memory: ENTSignInMemory?

    public init(settings: ENTSettings, logger: Logger = Logger(label: "guichet.ent"), memory: ENTSignInMemory? = nil) {
        self.settings = settings
        self.logger = logger
        self.memory = memory
    }

    /// Since when cards have not asked the ENT, after one of their look-ups went unanswered; nil once
    /// `settings.cardQuietSeconds` have passed (or none did).
    func cardSilence(now: Date) -> Date? {
        lock.withLock {
            guard let since = cardSilentSince, now.timeIntervalSince(since) < settings.cardQuietSeconds else { return nil }
            return since
        }
    }

    func noteCardSilence(at date: Date) { lock.withLock { cardSilentSince = date } }

    /// Forgets a refused sign-in, here and on file: `guichet ent check --retry`, once the password is fixed.
    public func forgetRefusal() throws {
        try lock.withLock {
            signInRefusal = nil
            try memory?.clear()
        }
    }

    /// Whether a sign-in was refused with this password, in this process or (with `memory`) in another one: then
    /// nothing more is tried.
    public var hasGivenUp: Bool { lock.withLock { refusalLocked() != nil } }

    /// Signs in now (again), whatever the current state: `guichet ent check`'s step.
    public func signIn(timeout: Double? = nil) throws {
        try lock.withLock {
            let client = try handle()
            try signInLocked(client, timeout: timeout ?? settings.timeoutSeconds)
        }
    }

    /// Sends one request to a secured route, signing in first when needed and once more when the session expired.
    /// `path` starts with "/" and carries its query, already escaped (see `escape`). `renewExpired: false` answers
    /// an expired-looking response as it is (the XSRF probe must see the ENT's 403, not a second sign-in).
    func send(
        _ method: String, _ path: String, form: [(String, String)]? = nil, timeout: Double? = nil,
        renewExpired: Bool = true
    ) throws -> HTTPClientResponse {
        try lock.withLock {
            let client = try handle()
            let wait = timeout ?? settings.timeoutSeconds
            if !signedIn { try signInLocked(client, timeout: wait) }
            var response = try perform(client, method, path, form: form, timeout: wait)
            if renewExpired && Self.sessionExpired(response, method: method) {
                logger.info("ENT: the session expired; signing in again (once)")
                signedIn = false
                try signInLocked(client, timeout: wait)
                response = try perform(client, method, path, form: form, timeout: wait)
                if Self.sessionExpired(response, method: method) {
                    throw ENTError.unreachable(
                        "the ENT refused the session right after a sign-in (HTTP \(response.status) on \(Self.bare(path)))")
                }
            }
            if Self.asksForMFA(response) { throw ENTError.mfaRequired }
            return response
        }
    }

    /// One value for a query string, percent-encoded by libcurl.
    func escape(_ value: String) -> String {
        lock.withLock { (try? handle())?.escape(value) ?? "" }
    }

    // MARK: Under the lock

    /// This process's refusal, or the one on file when it was made with the password in force. The file is read
    /// again whenever it changed, so `guichet ent check --retry` in another process lets the service try again.
    private func refusalLocked() -> String? {
        if let signInRefusal { return signInRefusal }
        guard let memory else { return nil }
        var info = stat()
        guard stat(memory.path, &info) == 0 else {
            remembered = nil
            return nil
        }
        let stamp = [Int(info.st_ino), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_size)]
        if let remembered, remembered.stamp == stamp { return remembered.reason }
        guard let refusal = memory.refusal(login: settings.adminLogin, password: settings.password) else { return nil }
        let when = refusal.refusedAt.map(Timestamp.format) ?? "an unknown time"
        guard refusal.matches else {
            // The password (or the login) changed since: the refusal was for the old one.
            logger.notice("ENT: the administrator's password changed since the sign-in refused at \(when); trying again")
            try? memory.clear()
            remembered = nil
            return nil
        }
        let reason = "the ENT refused the sign-in of \(settings.adminLogin) at \(when) (\(refusal.reason)); " + Self.notAgain
        logger.error("ENT: \(reason)")
        remembered = (stamp, reason)
        return reason
    }

    private func handle() throws -> HTTPClient {
        if let client { return client }
        do {
            let created = try HTTPClient(caBundle: settings.caBundle)
            client = created
            return created
        } catch {
            throw ENTError.unreachable("libcurl: \(error)")
        }
    }

    private func signInLocked(_ client: HTTPClient, timeout: Double) throws {
        if let reason = refusalLocked() { throw ENTError.signInFailed(reason) }
        signedIn = false
        client.clearCookies()
        let form = client.formEncode([("email", settings.adminLogin), ("password", settings.password), ("callBack", "/")])
        let response: HTTPClientResponse
        do {
            response = try client.perform(
                HTTPClientRequest(
                    method: "POST", url: settings.baseURL + "/auth/login",
                    headers: ["Content-Type: application/x-www-form-urlencoded"],
                    form: form, timeoutSeconds: timeout))
        } catch {
            throw ENTError.unreachable(Self.describe(error))
        }
        let session = client.cookie(named: "oneSessionId") ?? ""
        let redirected = (301...303).contains(response.status)
        if redirected && !session.isEmpty {
            signedIn = true
            logger.info("ENT: signed in as \(settings.adminLogin)")
        } else if redirected || response.status == 200 {
            // The login page again (200), or a redirect without a session: the password, the ban, a blocked account.
            let what = "HTTP \(response.status)\(Self.pageHint(response))"
            let reason = "the ENT refused the sign-in of \(settings.adminLogin) (\(what)); " + Self.notAgain
            logger.error("ENT: \(reason)")
            if let memory {
                do {
                    try memory.remember(login: settings.adminLogin, password: settings.password, reason: what, at: Date())
                } catch {
                    logger.error("ENT: the refusal could not be remembered for other processes: \(error)")
                    signInRefusal = reason
                }
            } else {
                signInRefusal = reason
            }
            throw ENTError.signInFailed(reason)
        } else {
            throw ENTError.unreachable("the ENT answered HTTP \(response.status) to the sign-in")
        }
    }

    private func perform(
        _ client: HTTPClient, _ method: String, _ path: String, form: [(String, String)]?,
        timeout: Double
    ) throws -> HTTPClientResponse {
        var headers = ["Accept: application/json, text/csv;q=0.9, */*;q=0.1"]
        var body: String?
        if method != "GET" {
            // CsrfFilter: "X-XSRF-TOKEN" must equal the XSRF-TOKEN cookie of the session.
            if let token = client.cookie(named: "XSRF-TOKEN") { headers.append("X-XSRF-TOKEN: \(token)") }
            headers.append("Content-Type: application/x-www-form-urlencoded")
            body = client.formEncode(form ?? [])
        }
        do {
            return try client.perform(
                HTTPClientRequest(
                    method: method, url: settings.baseURL + path, headers: headers,
                    form: body, timeoutSeconds: timeout))
        } catch {
            throw ENTError.unreachable(Self.describe(error))
        }
    }

    static let notAgain =
        "Guichet will not try this password again, so as not to have the account banned: fix [ent] admin_password_file "
        + "(or the ent-admin-password credential), then run `guichet ent check --retry`"

    /// A GET sent to the login page, or a POST refused for its XSRF token: the session is gone.
    static func sessionExpired(_ response: HTTPClientResponse, method: String) -> Bool {
        if (300..<400).contains(response.status), let path = response.locationPath {
            return path.hasPrefix("/auth/login") || path.hasPrefix("/auth/openid") || path == "/"
        }
        return method != "GET" && response.status == 403 && response.text.contains("invalid.xsrf.token")
    }

    static func asksForMFA(_ response: HTTPClientResponse) -> Bool {
        (300..<400).contains(response.status) && (response.locationPath ?? "").hasPrefix("/auth/validate-mfa")
    }

    /// The message key entcore put in its login page, when one is there (`auth.error.ban`…), for the log.
    private static func pageHint(_ response: HTTPClientResponse) -> String {
        let text = response.text
        for key in [
            "auth.error.ban", "auth.error.blockedUser", "auth.error.blockedProfileType", "auth.error.authenticationFailed"
        ]
        where text.contains(key) { return ", " + key }
        return ""
    }

    static func describe(_ error: Error) -> String {
        guard let error = error as? HTTPClientError else { return "\(error)" }
        switch error.kind {
        case .tls: return "TLS: \(error.message)"
        case .timeout: return "no answer in time: \(error.message)"
        case .unreachable: return "cannot connect: \(error.message)"
        case .other: return error.message
        }
    }

    /// A path without its query (which may hold a name), for messages.
    static func bare(_ path: String) -> String { String(path.prefix { $0 != "?" }) }
}
