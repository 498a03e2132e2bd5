import Foundation
import Guichet
import HTTPServer
@testable import GuichetServer

/// Every JSON body the API decodes, through the service's own `decodeBody`: whatever arrives, the answer is the
/// decoded value or an `APIError` (a 4xx), never another error and never a crash.
final class FuzzJSON: @unchecked Sendable {
    static let shared = FuzzJSON()
    let service: GuichetService

    private init() {
        let folder = fuzzFolder("json")
        do {
            let database = try GuichetDatabase(path: folder.appendingPathComponent("json.sqlite3").path)
            service = try GuichetService(settings: ServerSettings(kioskRoot: folder.path), database: database)
        } catch {
            fatalError("cannot build the service: \(error)")
        }
    }

    func run(_ input: UnsafeRawBufferPointer) {
        let request = Request(
            method: "POST", path: "/api/v1/x", headers: ["Content-Type": "application/json"], body: Array(input))
        decode(GuichetService.Credentials.self, request)
        if let sheet = decode(GuichetService.SheetBody.self, request) {
            _ = IDCheck(rawValue: sheet.idCheck)
            _ = Recipient(sheet.recipient)
        }
        if let slip = decode(GuichetService.SlipRequest.self, request) { _ = RenewalSettings.normalise(slip.code) }
        if let redeem = decode(GuichetService.RedeemRequest.self, request) { _ = RenewalSettings.normalise(redeem.code) }
        if let signOff = decode(GuichetService.SignOffBody.self, request) { _ = JournalDay(signOff.day) }
        if let batch = decode(BatchBody.self, request) {
            do { _ = try batch.parsed() } catch let error as APIError {
                precondition((400..<500).contains(error.status), "batch filters answered \(error.status)")
            } catch {
                preconditionFailure("batch filters threw a non-API error: \(error)")
            }
        }
    }

    @discardableResult
    private func decode<T: Decodable>(_ type: T.Type, _ request: Request) -> T? {
        do {
            return try service.decodeBody(type, from: request)
        } catch let error as APIError {
            precondition(error.status == 400 && error.code == "bad-json", "decoding answered \(error.status) \(error.code)")
            _ = Response.json(error, status: error.status)  // the error body itself must encode
            return nil
        } catch {
            preconditionFailure("decodeBody threw a non-API error: \(error)")
        }
    }
}
