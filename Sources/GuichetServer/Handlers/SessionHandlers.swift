import Foundation
import Guichet
import HTTPServer

extension GuichetService {
    struct SessionBody: Encodable {
        struct Staff: Encodable {
            let name: String
            let role: String
        }
        let csrfToken: String
        let staff: Staff
    }

    struct Credentials: Decodable {
        let login: String
        let password: String
    }

    /// `GET /api/v1/session`: who is signed in here (the page calls it on load), or 401.
    func currentSession(_ request: Request, _ session: Session?) throws -> Response {
        guard let session else { throw APIError.notSignedIn }
        return .json(
            SessionBody(csrfToken: session.csrfToken, staff: .init(name: session.staff.name, role: session.staff.role.rawValue)))
    }

    /// `POST /api/v1/session` `{"login", "password"}`: signs in, sets the HttpOnly SameSite=Strict cookie.
    /// The throttle (`SignInGuard`) answers before any Argon2id work; the check waits for a place at the gate.
    func signIn(_ request: Request) throws -> Response {
        let credentials = try decodeBody(Credentials.self, from: request)
        let login = credentials.login.trimmingCharacters(in: .whitespaces)
        let address = request.remoteAddress
        if let wait = signInGuard.wait(address: address, login: login) {
            signInGuard.recordRefused(address: address, login: login)
            throw APIError.tooManyAttempts(minutes: Int((wait / 60).rounded(.up)))
        }
        guard
            let attempt = try passwordChecks.run(
                waiting: signInGuard.limits.checkWait,
                {
                    try Staff.checkSignIn(database, name: login, password: credentials.password)
                })
        else {
            throw APIError.signInBusy
        }
        guard let staff = attempt.member else {
            if signInGuard.recordFailure(address: address, login: login) {
                try Staff.journal(database, attempt, channel: .kiosk, remoteAddress: address)
            }
            if let wait = signInGuard.wait(address: address, login: login) {
                throw APIError.tooManyAttempts(minutes: Int((wait / 60).rounded(.up)))
            }
            throw APIError.badCredentials
        }
        try Staff.journal(database, attempt, channel: .kiosk, remoteAddress: address)
        signInGuard.recordSuccess(address: address, login: login)
        let (token, session) = sessions.open(staff, epoch: attempt.epoch)
        var response = Response.json(
            SessionBody(csrfToken: session.csrfToken, staff: .init(name: staff.name, role: staff.role.rawValue)))
        response.headers.add("Set-Cookie", cookie(token, request: request, maxAge: nil))
        return response
    }

    /// `DELETE /api/v1/session`: signs out (the idle lock calls it too, with `?reason=idle`).
    func signOut(_ request: Request, _ session: Session) throws -> Response {
        // Ended first, always: a sign-out whose row cannot be written (the database busy) must not leave the desk
        // open behind F5. The failure is still reported (the kiosk shows it and retries; a retry finds no session).
        // The row is then written by `tidy` within seconds.
        sessions.close(request.cookies[Self.cookieName])
        let reason = request.query("reason") == "idle" ? "idle-lock" : "sign-out"
        do {
            try Staff.signOut(database, name: session.staff.name, reason: reason, channel: .kiosk)
        } catch {
            housekeeping.deferSignOut(session.staff.name, reason)
            throw error
        }
        var response = Response(status: 204)
        response.headers.add("Set-Cookie", cookie("", request: request, maxAge: 0))
        return response
    }

    private func cookie(_ value: String, request: Request, maxAge: Int?) -> String {
        var c = "\(Self.cookieName)=\(value); Path=/; HttpOnly; SameSite=Strict"
        if let maxAge { c += "; Max-Age=\(maxAge)" }
        if request.isTLS { c += "; Secure" }
        return c
    }
}
