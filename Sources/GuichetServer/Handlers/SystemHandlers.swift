import Foundation
import Guichet
import HTTPServer

extension GuichetService {
    struct Health: Encodable, Equatable, Sendable {
        let status: String
        let dataDate: String?
        let accounts: Int
    }

    /// `GET /healthz`: 200 with the data's date and the account count (a monitoring probe; no personal data), as
    /// read at most a second ago: a probe polled by many clients costs one read a second, not one each.
    func health() throws -> Response {
        // Read once a second; encoded and prepared again only when it changed.
        try healthAnswer.get(
            reading: {
                let (date, count) = try database.status()
                return Health(status: "ok", dataDate: date.map(Timestamp.format), accounts: count)
            },
            make: { health in Self.secured(.json(health), api: true) })
    }

    struct KioskConfig: Encodable {
        let schoolName: String
        let entUrl: String
        let idleLockSeconds: Int
        let staleDataDays: Int
        /// Whether `[mail]` is configured: the card offers "Envoyer par e-mail" only then.
        let mailEnabled: Bool
        /// Seconds from a printed sheet to a desk cleared for the next person (0: never).
        let nextPersonSeconds: Int
        /// Profiles that sign in through a federation ("Relative"…): their result rows say so, not "Non activé".
        let federatedProfiles: [String]
        /// "ent" when renewal codes come from the ENT itself; "guichet" when they are Guichet's own (a connector
        /// on the ENT's side must redeem them: the kiosk says so).
        var renewalSource = "guichet"
    }

    /// `GET /api/v1/config`: what the kiosk page needs before sign-in (built once, by `init`).
    func kioskConfig() -> Response {
        configAnswer
    }

    static func kioskConfigAnswer(_ settings: ServerSettings) -> Response {
        secured(
            .json(
                KioskConfig(
                    schoolName: settings.schoolName, entUrl: settings.entURL,
                    idleLockSeconds: settings.idleLockSeconds, staleDataDays: settings.staleDataDays,
                    mailEnabled: settings.mail != nil, nextPersonSeconds: settings.nextPersonSeconds,
                    federatedProfiles: settings.federatedProfiles.services.keys.map(\.rawValue).sorted(),
                    renewalSource: settings.ent == nil ? "guichet" : "ent")), api: true
        ).prepared()
    }

    /// Decodes a JSON body, insisting on `Content-Type: application/json` (a cross-origin form cannot send it
    /// without a preflight, which this service never grants).
    func decodeBody<T: Decodable>(_ type: T.Type, from request: Request) throws -> T {
        let contentType = request.headers["content-type"]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            throw APIError(415, "unsupported-media-type", hint: "Send the body as application/json.", detail: contentType)
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(request.body))
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIError.badJSON("missing field \"\(key.stringValue)\"")
        } catch DecodingError.typeMismatch(_, let context) {
            throw APIError.badJSON("wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw APIError.badJSON("not valid JSON")
        }
    }
}
