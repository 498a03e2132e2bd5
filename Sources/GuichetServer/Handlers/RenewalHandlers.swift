import Foundation
import Guichet
import HTTPServer

extension GuichetService {
    struct IssuedCodeBody: Encodable {
        let code: String
        let expiresAt: String
        /// "ent": made by the ENT itself, redeemed on its login page; "guichet": Guichet's own, for a connector.
        let source: String
    }

    struct SlipRequest: Decodable {
        let code: String
    }

    struct RedeemRequest: Decodable {
        let login: String
        let code: String
    }

    struct RedeemedBody: Encodable {
        let login: String
    }

    /// `POST /api/v1/accounts/{login}/renewal-code` → 201 `{"code", "expiresAt"}`, shown once: no endpoint returns
    /// it again. 409 `account-not-activated` when the account still has its activation code.
    func issueRenewalCode(_ request: Request, _ session: Session) throws -> Response {
        let login = request.pathParameters["login"] ?? ""
        try refuseHandover(login, federatedToo: true)
        let source = entRenewals == nil ? "guichet" : "ent"
        let issued =
            if let entRenewals {
                try entRenewals.issue(login: login, by: session.staff.name, channel: .kiosk)
            } else {
                try renewals.issue(login: login, by: session.staff.name, channel: .kiosk)
            }
        var response = Response.json(
            IssuedCodeBody(code: issued.code, expiresAt: Timestamp.format(issued.expiresAt), source: source), status: 201)
        response.headers["Cache-Control"] = "no-store"
        return response
    }

    /// `POST /api/v1/accounts/{login}/renewal-slip {"code"}` → the one-time slip as application/pdf, for the code the
    /// kiosk still shows (it must be the account's live one: 409 `renewal-code-not-live` otherwise).
    func renewalSlip(_ request: Request, _ session: Session) throws -> Response {
        let login = request.pathParameters["login"] ?? ""
        let body = try decodeBody(SlipRequest.self, from: request)
        let pdf =
            if let entRenewals {
                try entRenewals.printSlip(
                    login: login, code: body.code, schoolName: settings.schoolName, entURL: settings.entURL,
                    by: session.staff.name, channel: .kiosk)
            } else {
                try renewals.printSlip(
                    login: login, code: body.code, schoolName: settings.schoolName, entURL: settings.entURL,
                    by: session.staff.name, channel: .kiosk)
            }
        var response = Response(status: 200, headers: ["Content-Type": "application/pdf"], body: pdf)
        // Not a file name with the code in it: the login only.
        response.headers["Content-Disposition"] = #"inline; filename="renouvellement-\#(Self.fileNameSafe(login)).pdf""#
        response.headers["Cache-Control"] = "no-store"
        return response
    }

    /// `POST /api/v1/renewal-codes/redeem {"login", "code"}` (connectors, bearer key) → 200 `{"login"}` once per code;
    /// 403 `renewal-code-wrong|expired|revoked|consumed|voided` otherwise.
    func redeemRenewalCode(_ request: Request, _ connector: String) throws -> Response {
        let body = try decodeBody(RedeemRequest.self, from: request)
        let login = try renewals.redeem(login: body.login, code: body.code, by: "apikey:" + connector, channel: .api)
        return .json(RedeemedBody(login: login))
    }

    /// The name of the connector whose key the request carries, or a 401.
    func authenticateConnector(_ request: Request) throws -> String {
        guard let header = request.headers["authorization"] else { throw APIError.apiKeyMissing }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.apiKeyMissing }
        switch try APIKeys.check(database, presented: parts[1].trimmingCharacters(in: .whitespaces)) {
        case .valid(let name): return name
        case .revoked: throw APIError.apiKeyRevoked
        case .unknown: throw APIError.apiKeyInvalid
        }
    }

    /// 409 `account-gone` for an account gone from the export; with `federatedToo`, 409 `account-federated` for a
    /// federated one (it has no password the ENT could renew).
    func refuseHandover(_ login: String, federatedToo: Bool) throws {
        try Accounts.checkHandover(database, login: login, federation: settings.federatedProfiles, federatedToo: federatedToo)
    }

    /// Letters, digits, '.', '-' and '_' of a login, for a download's name.
    static func fileNameSafe(_ login: String) -> String {
        String(
            login.unicodeScalars.filter {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-_".unicodeScalars.contains($0))
            }
            .map(Character.init))
    }
}
