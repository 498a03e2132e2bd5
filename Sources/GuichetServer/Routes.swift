import HTTPServer

/// Who may call a route.
enum Access: Sendable {
    case open, staff, reviewer
}

struct Route: Sendable {
    let access: Access
    let handler: @Sendable (GuichetService, Request, Session?) throws -> Response
}

extension GuichetService {
    /// The one route table. Static files of the kiosk page answer whatever GET this table does not.
    static func routes() -> Router<Route> {
        var r = Router<Route>()
        r.add("GET", "/healthz", Route(access: .open, handler: { s, _, _ in try s.health() }))
        r.add("GET", "/api/v1/config", Route(access: .open, handler: { s, _, _ in s.kioskConfig() }))
        r.add("GET", "/api/v1/session", Route(access: .open, handler: { s, req, session in try s.currentSession(req, session) }))
        r.add("POST", "/api/v1/session", Route(access: .open, handler: { s, req, _ in try s.signIn(req) }))
        r.add("DELETE", "/api/v1/session", Route(access: .staff, handler: { s, req, session in try s.signOut(req, session!) }))
        r.add("GET", "/api/v1/accounts", Route(access: .staff, handler: { s, req, session in try s.searchAccounts(req, session!) }))
        r.add("GET", "/api/v1/accounts/{login}", Route(access: .staff, handler: { s, req, session in try s.account(req, session!) }))
        r.add("GET", "/api/v1/journal", Route(access: .reviewer, handler: { s, req, _ in try s.journalDay(req) }))
        r.add("GET", "/api/v1/journal/report", Route(access: .reviewer, handler: { s, req, session in try s.journalReport(req, session!) }))
        r.add("POST", "/api/v1/journal/signoff", Route(access: .reviewer, handler: { s, req, session in try s.signOffDay(req, session!) }))
        return r
    }
}
