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
        return .json(SessionBody(csrfToken: session.csrfToken, staff: .init(name: session.staff.name, role: session.staff.role.rawValue)))
    }

    /// `POST /api/v1/session` `{"login", "password"}`: signs in, sets the HttpOnly SameSite=Strict cookie.
    func signIn(_ request: Request) throws -> Response {
        let credentials = try decodeBody(Credentials.self, from: request)
        let login = credentials.login.trimmingCharacters(in: .whitespaces)
        if let left = throttle.lockedFor(login) {
            throw APIError.tooManyAttempts(minutes: Int((left / 60).rounded(.up)))
        }
        guard let staff = try Staff.signIn(database, name: login, password: credentials.password, channel: .kiosk,
                                           remoteAddress: request.remoteAddress) else {
            throttle.recordFailure(login)
            if let left = throttle.lockedFor(login) { throw APIError.tooManyAttempts(minutes: Int((left / 60).rounded(.up))) }
            throw APIError.badCredentials
        }
        throttle.recordSuccess(login)
        let (token, session) = sessions.open(staff)
        var response = Response.json(SessionBody(csrfToken: session.csrfToken, staff: .init(name: staff.name, role: staff.role.rawValue)))
        response.headers.add("Set-Cookie", cookie(token, request: request, maxAge: nil))
        return response
    }

    /// `DELETE /api/v1/session`: signs out (the idle lock calls it too).
    func signOut(_ request: Request, _ session: Session) throws -> Response {
        // Journalled first: if the row cannot be written the session stays open, rather than ending unrecorded.
        try Staff.signOut(database, name: session.staff.name, reason: request.query("reason") == "idle" ? "idle-lock" : "sign-out", channel: .kiosk)
        sessions.close(request.cookies[Self.cookieName])
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
