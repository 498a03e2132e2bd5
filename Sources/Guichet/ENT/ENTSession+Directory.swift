import Foundation
import HTTPClient

/// One row of `GET /directory/user/admin/list` (entcore's UserController): `login` is the alias when there is one,
/// `originalLogin` the real login; `code` the activation code, null once activated; `blocked` null unless set.
public struct ENTUser: Sendable, Decodable, Equatable {
    public let id: String
    public let type: String?
    public let login: String?
    public let originalLogin: String?
    public let code: String?
    public let blocked: Bool?
    public let lastLogin: String?
    public let email: String?

    /// The real login: `originalLogin`, else `login` (older platforms have no alias).
    public var realLogin: String { originalLogin ?? login ?? "" }
}

extension ENTSession {
    /// `POST /auth/generatePasswordRenewalCode` (form `login`, the real login) → the ENT's new code, which
    /// replaces the account's previous one. 401 → `forbidden`, 500 → `refused`.
    public func generateRenewalCode(login: String) throws -> String {
        let response = try send("POST", "/auth/generatePasswordRenewalCode", form: [("login", login)])
        switch response.status {
        case 200:
            struct Answer: Decodable { let renewalCode: String }
            guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)),
                !answer.renewalCode.isEmpty, answer.renewalCode.count <= 64
            else {
                throw ENTError.unreachable("the ENT's answer to generatePasswordRenewalCode has no renewalCode")
            }
            return answer.renewalCode
        case 401:
            throw ENTError.forbidden(
                "the ENT's administrator account does not administer \(login)'s structure (or it is unknown to the ENT, or an administrator)"
            )
        case 500: throw ENTError.refused("the ENT will not make a renewal code for \(login): not activated yet, or federated")
        default: throw ENTError.unreachable("the ENT answered HTTP \(response.status) to generatePasswordRenewalCode")
        }
    }

    /// `GET /directory/user/admin/list?structureId=…&searchTerm=…&searchType=displayName` (3 characters at least).
    public func users(structureID: String, searchTerm: String, timeout: Double? = nil) throws -> [ENTUser] {
        let path =
            "/directory/user/admin/list?structureId=\(escape(structureID))&searchTerm=\(escape(searchTerm))&searchType=displayName"
        let response = try send("GET", path, timeout: timeout)
        switch response.status {
        case 200:
            do { return try JSONDecoder().decode([ENTUser].self, from: Data(response.body)) } catch {
                throw ENTError.unreachable("the ENT's user list is not the JSON expected")
            }
        case 401: throw ENTError.forbidden("the ENT's administrator account does not administer the structure \(structureID)")
        default: throw ENTError.unreachable("the ENT answered HTTP \(response.status) to /directory/user/admin/list")
        }
    }

    /// The account `login` as the ENT has it now, looked up by name in the school's structures (the ENT has no
    /// look-up by login) and matched on the real login; nil when no structure lists it.
    public func user(login: String, lastName: String, firstName: String, timeout: Double? = nil) throws -> ENTUser? {
        // displayName search ignores accents, spaces, hyphens and apostrophes; the last name alone may be under 3.
        var term = lastName
        if term.count < 3 { term = lastName + " " + firstName }
        guard term.filter(\.isLetter).count >= 3 else { return nil }
        for structure in settings.structureIDs {
            if let found = try users(structureID: structure, searchTerm: term, timeout: timeout).first(where: {
                $0.realLogin == login
            }) {
                return found
            }
        }
        return nil
    }

    /// `GET /directory/export/users?format=csv&structureId=…`: the console's "Exporter des comptes" file, as bytes.
    public func exportCSV(structureID: String) throws -> [UInt8] {
        let response = try send(
            "GET", "/directory/export/users?format=csv&structureId=\(escape(structureID))",
            timeout: settings.exportTimeoutSeconds)
        switch response.status {
        case 200: return response.body
        case 401: throw ENTError.forbidden("the ENT's administrator account cannot export the structure \(structureID)")
        default: throw ENTError.unreachable("the ENT answered HTTP \(response.status) to the export of \(structureID)")
        }
    }
}
