import HTTPServer

/// A route's access, stated in its handler's type: an open route's handler may see a session; a staff or reviewer
/// route's handler gets the signed-in session (checked, with its CSRF token on writes, before it runs); a connector
/// route's handler gets the name of the API key that was checked. A handler cannot be reached with the wrong kind of
/// caller, and none unwraps a session it was not promised.
struct Route: Sendable {
    typealias Open = @Sendable (GuichetService, Request, Session?) throws -> Response
    typealias Signed = @Sendable (GuichetService, Request, Session) throws -> Response
    typealias Connector = @Sendable (GuichetService, Request, String) throws -> Response

    enum Kind: Sendable {
        case open(Open)
        /// Any signed-in member of staff.
        case staff(Signed)
        /// A signed-in reviewer (the CPE, the principal).
        case reviewer(Signed)
        /// A connector with an API key (`Authorization: Bearer …`).
        case connector(Connector)
    }

    let kind: Kind

    static func open(_ handler: @escaping Open) -> Route { Route(kind: .open(handler)) }
    static func staff(_ handler: @escaping Signed) -> Route { Route(kind: .staff(handler)) }
    static func reviewer(_ handler: @escaping Signed) -> Route { Route(kind: .reviewer(handler)) }
    static func connector(_ handler: @escaping Connector) -> Route { Route(kind: .connector(handler)) }
}

extension GuichetService {
    /// The one route table. Static files of the kiosk page answer whatever GET this table does not.
    static func routes() -> Router<Route> {
        var r = Router<Route>()
        r.add("GET", "/healthz", Route.open { s, _, _ in try s.health() })
        r.add("GET", "/api/v1/config", Route.open { s, _, _ in s.kioskConfig() })
        r.add("GET", "/api/v1/session", Route.open { s, req, session in try s.currentSession(req, session) })
        r.add("POST", "/api/v1/session", Route.open { s, req, _ in try s.signIn(req) })
        r.add("DELETE", "/api/v1/session", Route.staff { s, req, session in try s.signOut(req, session) })
        r.add(
            "GET", "/api/v1/accounts", Route.staff { s, req, session in try s.searchAccounts(req, session) })
        r.add(
            "GET", "/api/v1/accounts/{login}", Route.staff { s, req, session in try s.account(req, session) }
        )
        r.add(
            "POST", "/api/v1/accounts/{login}/sheet",
            Route.staff { s, req, session in try s.printSheet(req, session) })
        r.add(
            "POST", "/api/v1/batches", Route.reviewer { s, req, session in try s.printBatch(req, session) })
        r.add(
            "POST", "/api/v1/batches/preview",
            Route.reviewer { s, req, session in try s.previewBatch(req, session) })
        r.add(
            "POST", "/api/v1/batches/csv",
            Route.reviewer { s, req, session in try s.exportBatch(req, session) })
        r.add("GET", "/api/v1/classes", Route.staff { s, req, _ in try s.listClasses(req) })
        r.add(
            "POST", "/api/v1/accounts/{login}/renewal-code",
            Route.staff { s, req, session in try s.issueRenewalCode(req, session) })
        r.add(
            "POST", "/api/v1/accounts/{login}/renewal-slip",
            Route.staff { s, req, session in try s.renewalSlip(req, session) })
        r.add("POST", "/api/v1/renewal-codes/redeem", .connector { s, req, connector in try s.redeemRenewalCode(req, connector) })
        r.add(
            "POST", "/api/v1/accounts/{login}/email",
            Route.staff { s, req, session in try s.emailSheet(req, session) })
        r.add(
            "GET", "/api/v1/deliveries/{id}",
            Route.staff { s, req, session in try s.deliveryStatus(req, session) })
        r.add(
            "POST", "/api/v1/mail-batches/preview",
            Route.reviewer { s, req, _ in try s.previewMailBatch(req) })
        r.add(
            "POST", "/api/v1/mail-batches",
            Route.reviewer { s, req, session in try s.queueMailBatch(req, session) })
        r.add("GET", "/api/v1/mail-batches/{id}", Route.reviewer { s, req, _ in try s.mailBatchStatus(req) })
        r.add(
            "GET", "/api/v1/mail-batches/{id}/report.csv",
            Route.reviewer { s, req, _ in try s.mailBatchReport(req) })
        r.add("GET", "/api/v1/journal", Route.reviewer { s, req, _ in try s.journalDay(req) })
        r.add(
            "GET", "/api/v1/journal/report",
            Route.reviewer { s, req, session in try s.journalReport(req, session) })
        r.add(
            "POST", "/api/v1/journal/signoff",
            Route.reviewer { s, req, session in try s.signOffDay(req, session) })
        return r
    }
}
