import Foundation
import Guichet
import HTTPServer

extension GuichetService {
    /// `GET /api/v1/accounts?q=&profile=&class=&structure=&activated=&hasEmail=&gone=&limit=`, journalled.
    func searchAccounts(_ request: Request, _ session: Session) throws -> Response {
        let text = request.query("q") ?? ""
        guard text.count <= 200 else { throw APIError.queryTooLong }
        var query = SearchQuery(
            text: text, className: request.query("class").flatMap { $0.isEmpty ? nil : $0 },
            activated: try yesNo(request, "activated"), hasEmail: try yesNo(request, "hasEmail"),
            gone: try yesNo(request, "gone"))
        query.federation = settings.federatedProfiles
        // A cité scolaire's class is (structure, class), as in a batch: "STRUCTURE:2NDE 1" in `class`, or `structure`.
        query.structure = request.query("structure").flatMap { $0.isEmpty ? nil : $0 }
        query.schools = settings.structures
        if let profile = request.query("profile"), !profile.isEmpty {
            guard let p = Profile(option: profile) else {
                throw APIError.badRequest("profile must be student, relative, teacher, personnel or guest")
            }
            query.profile = p
        }
        if let limit = request.query("limit") {
            guard let n = Int(limit), (1...100).contains(n) else {
                throw APIError.badRequest("limit must be a whole number from 1 to 100")
            }
            query.limit = n
        }
        let result = try Search.journalled(query, in: database, staff: session.staff.name, channel: .kiosk)
        return result.response
    }

    struct AccountBody: Encodable {
        let account: AccountDetail
        let dataDate: String?
        /// With the ENT connection: the account's state in the ENT now, or why it could not be asked.
        let ent: ENTCardState?
    }

    /// `GET /api/v1/accounts/{login}[?reveal=code[&confirmGone=yes]]`: the card; the activation code only on reveal (journalled).
    /// With the ENT connection, the card also carries the ENT's state now (2 s at most, as before a sheet), so that
    /// the renewal offer follows an activation made since the export; not on reveal, and not for an account that
    /// is gone or federated (no renewal for them either way).
    /// A gone account's code is revealed only to a reviewer who adds `confirmGone=yes` (409 `account-gone` without,
    /// 403 for an agent who adds it), as its sheet is printed.
    func account(_ request: Request, _ session: Session) throws -> Response {
        let login = request.pathParameters["login"] ?? ""
        let reveal = request.query("reveal") == "code"
        let confirmGone = try yesNo(request, "confirmGone") == true
        if confirmGone && session.staff.role != .reviewer { throw APIError.forbidden }
        guard
            let detail = try Accounts.detail(
                database, login: login, revealCode: reveal, staff: session.staff.name, channel: .kiosk,
                federation: settings.federatedProfiles, allowGone: confirmGone)
        else {
            throw APIError.accountNotFound(login)
        }
        let dataDate = try database.status().dataDate
        var ent: ENTCardState?
        if !reveal, let entRenewals, detail.federatedWith == nil, detail.goneFromFeed == nil {
            ent = Sheets.askENTForCard(database, login: detail.login, session: entRenewals.session)
        }
        return .json(AccountBody(account: detail, dataDate: dataDate.map(Timestamp.format), ent: ent))
    }

    private func yesNo(_ request: Request, _ name: String) throws -> Bool? {
        switch request.query(name)?.lowercased() {
        case nil, "", "all": return nil
        case "yes", "true", "1": return true
        case "no", "false", "0": return false
        default: throw APIError.badRequest("\(name) must be yes or no")
        }
    }
}
