import HTTPServer

/// Who may call a route.
enum Access: Sendable {
    case open, staff, reviewer
    /// A connector with an API key (`Authorization: Bearer …`); build such routes with `Route.connector`.
    case apiKey
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
        r.add(
            "GET", "/api/v1/accounts", Route(access: .staff, handler: { s, req, session in try s.searchAccounts(req, session!) }))
        r.add(
            "GET", "/api/v1/accounts/{login}", Route(access: .staff, handler: { s, req, session in try s.account(req, session!) })
        )
        r.add(
            "POST", "/api/v1/accounts/{login}/sheet",
            Route(access: .staff, handler: { s, req, session in try s.printSheet(req, session!) }))
        r.add(
            "POST", "/api/v1/batches", Route(access: .reviewer, handler: { s, req, session in try s.printBatch(req, session!) }))
        r.add(
            "POST", "/api/v1/batches/preview",
            Route(access: .reviewer, handler: { s, req, session in try s.previewBatch(req, session!) }))
        r.add(
            "POST", "/api/v1/batches/csv",
            Route(access: .reviewer, handler: { s, req, session in try s.exportBatch(req, session!) }))
        r.add("GET", "/api/v1/classes", Route(access: .staff, handler: { s, req, _ in try s.listClasses(req) }))
        r.add(
            "POST", "/api/v1/accounts/{login}/renewal-code",
            Route(access: .staff, handler: { s, req, session in try s.issueRenewalCode(req, session!) }))
        r.add(
            "POST", "/api/v1/accounts/{login}/renewal-slip",
            Route(access: .staff, handler: { s, req, session in try s.renewalSlip(req, session!) }))
        r.add("POST", "/api/v1/renewal-codes/redeem", .connector { s, req, connector in try s.redeemRenewalCode(req, connector) })
        r.add(
            "POST", "/api/v1/accounts/{login}/email",
            Route(access: .staff, handler: { s, req, session in try s.emailSheet(req, session!) }))
        r.add(
            "GET", "/api/v1/deliveries/{id}",
            Route(access: .staff, handler: { s, req, session in try s.deliveryStatus(req, session!) }))
        r.add(
            "POST", "/api/v1/mail-batches/preview",
            Route(access: .reviewer, handler: { s, req, _ in try s.previewMailBatch(req) }))
        r.add(
            "POST", "/api/v1/mail-batches",
            Route(access: .reviewer, handler: { s, req, session in try s.queueMailBatch(req, session!) }))
        r.add("GET", "/api/v1/mail-batches/{id}", Route(access: .reviewer, handler: { s, req, _ in try s.mailBatchStatus(req) }))
        r.add(
            "GET", "/api/v1/mail-batches/{id}/report.csv",
            Route(access: .reviewer, handler: { s, req, _ in try s.mailBatchReport(req) }))
        r.add("GET", "/api/v1/journal", Route(access: .reviewer, handler: { s, req, _ in try s.journalDay(req) }))
        r.add(
            "GET", "/api/v1/journal/report",
            Route(access: .reviewer, handler: { s, req, session in try s.journalReport(req, session!) }))
        r.add(
            "POST", "/api/v1/journal/signoff",
            Route(access: .reviewer, handler: { s, req, session in try s.signOffDay(req, session!) }))
        return r
    }
}

extension Route {
    /// A route for connectors: the bearer key is checked before `handler` runs, which gets the key's name.
    static func connector(_ handler: @escaping @Sendable (GuichetService, Request, String) throws -> Response) -> Route {
        Route(access: .apiKey, handler: { s, req, _ in try handler(s, req, try s.authenticateConnector(req)) })
    }
}
