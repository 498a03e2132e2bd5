import Foundation
import Guichet
import GuichetCrypto
import HTTPServer
import Logging

/// The service: one route table, one place where errors become HTTP, the security headers on every response.
/// `guichet serve` and the tests build it with the same `init` (a temporary database and port 0 in tests).
public final class GuichetService: Sendable {
    let database: GuichetDatabase
    let settings: ServerSettings
    let sessions: SessionStore
    let signInGuard: SignInGuard
    let passwordChecks: PasswordCheckGate
    let housekeeping: Housekeeping
    let staticFiles: StaticFiles
    let router: Router<Route>
    let logger: Logger
    let renewals: RenewalCodes
    /// Renewal codes made by the ENT itself, when `[ent] admin_login` is configured (then the local ones are not issued).
    let entRenewals: ENTRenewals?
    /// `GET /api/v1/config`'s answer, which depends on the settings alone: encoded and secured once.
    let configAnswer: Response
    /// `GET /healthz`'s answer, read from the database at most once a second (the daemon's constant route and the
    /// handler share it): whoever finds it stale reads it while the others wait, so a burst of polls costs one read.
    let healthAnswer = ConstantAnswer(keptFor: 1)
    /// The outbox's sending thread when `[mail]` is configured: `guichet serve` starts it with the daemon and stops
    /// it after the daemon (the message in hand is finished, so no row is left `sending`).
    public let mailSender: MailSender?

    static let cookieName = "guichet_session"

    /// `now` is the renewal codes' clock (tests move it); the renewal key beside the database is read or created here.
    public init(
        settings: ServerSettings, database: GuichetDatabase, logger: Logger = Logger(label: "guichet"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.settings = settings
        self.database = database
        self.logger = logger
        sessions = SessionStore(idleSeconds: settings.sessionIdleSeconds, maximumSeconds: settings.maximumSessionSeconds)
        var limits = SignInLimits()
        limits.pairFailures = settings.signInFailuresAllowed
        limits.addressFailures = settings.signInAddressFailuresAllowed
        limits.window = TimeInterval(settings.signInWindowSeconds)
        limits.concurrentChecks = settings.concurrentPasswordChecks
        limits.burstQuiet = TimeInterval(settings.signInBurstQuietSeconds)
        signInGuard = SignInGuard(limits: limits)
        passwordChecks = PasswordCheckGate(capacity: limits.concurrentChecks)
        housekeeping = Housekeeping()
        // The witness's second copy: the system journal (stderr under systemd), at most every 5 s.
        let announced = Housekeeping()
        database.witness.onHead { [logger] head in
            if announced.due(now: Date()) { logger.info("journal head \(head.seq) \(head.hash)") }
        }
        staticFiles = try StaticFiles(root: settings.kioskRoot)
        router = Self.routes()
        configAnswer = Self.kioskConfigAnswer(settings)
        renewals = try RenewalCodes(database: database, settings: settings.renewal, now: now)
        entRenewals = settings.ent.map {
            ENTRenewals(
                database: database,
                session: ENTSession(settings: $0, logger: logger, memory: ENTSignInMemory(besideDatabase: database.path)),
                now: now)
        }
        mailSender = settings.mail.map {
            MailSender(database: database, mail: $0, sheets: settings.sheetSettings, logger: logger)
        }
    }

    /// Starts libmicrohttpd on the configured address; stop the returned daemon to shut down gracefully.
    public func start() throws -> HTTPDaemon {
        var configuration = ServerConfiguration()
        configuration.bindAddress = settings.bindAddress
        configuration.port = settings.port
        configuration.threadPoolSize = settings.threads
        configuration.maxBodyBytes = settings.maxBodyBytes
        configuration.tls = settings.tls
        configuration.connectionTimeoutSeconds = settings.connectionTimeoutSeconds
        configuration.connectionLimit = settings.connectionLimit
        configuration.perAddressConnectionLimit = settings.perAddressConnectionLimit
        configuration.headerTimeoutSeconds = settings.headerTimeoutSeconds
        configuration.rejectionResponse = { status, reason in
            let error =
                status == 413
                ? APIError.bodyTooLarge(reason)
                : APIError(status, "bad-request", hint: "The request is malformed.", detail: reason)
            return Self.secured(Self.errorResponse(error), api: true)
        }
        // Answered by the daemon before the handler when the request is a plain GET from an evident host (see
        // `ConstantRoute`); every other request to these paths takes the handler, which checks it in full.
        configuration.constantRoutes = [
            ConstantRoute(
                path: "/api/v1/config", acceptsHost: Self.isEvidentHost, answer: ConstantAnswer(fixed: configAnswer)),
            // Housekeeping is due every 5 s; polls of a fresh answer never reach this closure, one a second does.
            ConstantRoute(path: "/healthz", acceptsHost: Self.isEvidentHost, answer: healthAnswer) { [self] in
                tidyIfDue()
                return try? health()
            }
        ]
        let logger = self.logger
        configuration.errorLog = { message in logger.warning("libmicrohttpd: \(message)") }
        return try HTTPDaemon(configuration: configuration) { [self] request in respond(to: request) }
    }

    /// Answers one request. Never throws: every failure becomes a JSON error here and nowhere else.
    public func respond(to request: Request) -> Response {
        tidyIfDue()
        let isAPI = Self.isAPI(request.path)
        var response: Response
        do {
            try checkHost(request.headers["host"])
            response = try route(request)
            // A prepared answer (`Response.prepared()`) was secured when it was built, once for many requests.
            if response.isPrepared { return response }
        } catch let error as APIError {
            response = Self.errorResponse(error)
            // RFC 6750 §3: a 401 for a bearer-token resource names the scheme.
            if error.status == 401 && error.code.hasPrefix("api-key-") {
                response.headers.add("WWW-Authenticate", #"Bearer realm="guichet""#)
            }
        } catch let error as any DeskError {
            if error.kind == .internal { logger.error("\(request.method) \(request.path) failed: \(error)") }
            response = Self.errorResponse(APIError(error))
        } catch  where GuichetDatabase.isBusy(error) {
            logger.warning("\(request.method) \(request.path): the database stayed locked by another process: \(error)")
            response = Self.errorResponse(.databaseBusy)
            response.headers.add("Retry-After", "5")
        } catch {
            logger.error("\(request.method) \(request.path) failed: \(error)")
            response = Self.errorResponse(.internalError)
        }
        return Self.secured(response, api: isAPI)
    }

    private func route(_ request: Request) throws -> Response {
        switch router.match(method: request.method, path: request.path) {
        case .found(let route, let parameters):
            var request = request
            request.pathParameters = parameters
            let session = try standingSession(request.cookies[Self.cookieName])
            switch route.kind {
            case .open(let handler):
                return try handler(self, request, session)
            case .connector(let handler):
                // Connectors send a bearer key, not a cookie, so there is no session and no CSRF token to check: a
                // browser cannot attach an Authorization header to a cross-origin request without a CORS preflight,
                // which this service never grants. The key is checked before the handler runs.
                return try handler(self, request, try authenticateConnector(request))
            case .staff(let handler), .reviewer(let handler):
                guard let session else { throw APIError.notSignedIn }
                if case .reviewer = route.kind, session.staff.role != .reviewer { throw APIError.forbidden }
                if ["POST", "PUT", "DELETE", "PATCH"].contains(request.method) {
                    let sent = Array((request.headers["x-csrf-token"] ?? "").utf8)
                    guard constantTimeEqual(sent, Array(session.csrfToken.utf8)) else { throw APIError.csrfMismatch }
                }
                return try handler(self, request, session)
            }
        case .methodNotAllowed(let allowed):
            if !Self.isAPI(request.path), let file = staticFiles.response(for: request.path, method: request.method) {
                return file
            }
            var response = Self.errorResponse(.methodNotAllowed(allowed))
            response.headers.add("Allow", allowed.joined(separator: ", "))
            return response
        case .notFound:
            if !Self.isAPI(request.path),
                let file = staticFiles.response(
                    for: request.path, method: request.method, ifNoneMatch: request.headers["if-none-match"])
            {
                return file
            }
            throw APIError.notFound(request.path)
        }
    }

    /// DNS rebinding: a page on the attacker's name, resolved to this PC, sends its name as `Host`. IP literals
    /// (any: the LAN address of the PC is not known here), `localhost` and the configured names pass; no Host at all
    /// (HTTP/1.0) passes too, since a browser always sends one.
    func checkHost(_ host: String?) throws {
        // The evident hosts (an IPv4 literal or localhost, with or without a port) read on their bytes, as the
        // constant routes read them (`isEvidentHost`, which accepts nothing this function refuses): the desk's every
        // request, without the Character-by-Character reading below (0.02M instructions per request, callgrind).
        if var evident = host, evident.withUTF8({ Self.isEvidentHost(UnsafeRawBufferPointer($0)) }) { return }
        guard let host = host?.lowercased(), !host.isEmpty else { return }
        var name = Substring(host)
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { throw APIError.badHost(host) }
            name = name[name.index(after: name.startIndex)..<close]
            guard name.contains(":"), name.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw APIError.badHost(host)
            }
            return
        }
        if let colon = name.lastIndex(of: ":") {
            guard name[name.index(after: colon)...].allSatisfy(\.isNumber) else { throw APIError.badHost(host) }
            name = name[..<colon]
        }
        let isIPv4 =
            name.split(separator: ".", omittingEmptySubsequences: false).count == 4
            && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
                !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber)
            }
        if isIPv4 || name == "localhost" || settings.hostNames.contains(String(name)) { return }
        throw APIError.badHost(host)
    }

    /// Whether `path` is under /api/ (or the health probe). Compared as UTF-8 bytes: as Characters, "/api/" followed by a
    /// combining mark would not start with "/api/" and would escape the API's no-store header.
    static func isAPI(_ path: String) -> Bool {
        path.utf8.starts(with: "/api/".utf8) || path == "/healthz"
    }

    static func errorResponse(_ error: APIError) -> Response {
        Response.json(error, status: error.status)
    }

    /// Headers every response carries: a strict CSP (no inline script or style), no framing, no sniffing, no
    /// referrer; `no-store` on the API (it shows personal data and codes). `frame-src blob:` is the one opening: the
    /// kiosk prints a sheet by loading the PDF it fetched (an object URL, `blob:` of this origin) into a frame of its
    /// own; `default-src 'self'` does not cover `blob:`, and without it the browser refuses that frame.
    static func secured(_ response: Response, api: Bool) -> Response {
        var r = response
        r.headers.remove("Content-Security-Policy")
        r.headers.append(contentsOf: securityHeaders)
        if api {
            r.headers.remove("Cache-Control")
            r.headers.add("Cache-Control", "no-store")
        } else if !r.headers.contains("Cache-Control") {
            r.headers.add("Cache-Control", "no-cache")
        }
        return r
    }

    /// Built once: every response appends these fields (see `secured`).
    private static let securityHeaders: HTTPHeaders = [
        "Content-Security-Policy":
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-src blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin"
    ]
}
