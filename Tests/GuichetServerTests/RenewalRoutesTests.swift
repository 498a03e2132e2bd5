import Foundation
import Guichet
import Testing
import HTTPServer
@testable import GuichetServer

/// The renewal routes in process: the desk's issue and slip (session + CSRF), the connectors' redeem (bearer key).
@Suite struct RenewalRoutesTests {
    /// The fixture's one activated account.
    static let activated = "zoe.gerard"

    func issue(_ h: Harness, _ login: String = activated) throws -> (code: String, response: Response) {
        let (cookie, csrf) = try h.signIn()
        let r = h.call("POST", "/api/v1/accounts/\(login)/renewal-code", cookie: cookie, csrf: csrf)
        return ((object(r)["code"] as? String) ?? "", r)
    }

    func redeem(_ h: Harness, key: String?, login: String = activated, code: String) -> Response {
        h.call(
            "POST", "/api/v1/renewal-codes/redeem", json: #"{"login":"\#(login)","code":"\#(code)"}"#,
            headers: key.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }

    @Test func issuingAnswers201WithTheCodeOnceAndNoStore() throws {
        let h = try Harness()
        let (code, r) = try issue(h)
        #expect(r.status == 201)
        #expect(r.headers["cache-control"] == "no-store")
        #expect(code.count == 8 && code.allSatisfy(RenewalSettings.alphabet.contains))
        let expiresAt = try #require(object(r)["expiresAt"] as? String)
        #expect(abs((Timestamp.parse(expiresAt)?.timeIntervalSinceNow ?? 0) - 24 * 3600) < 5)
        // No endpoint gives it back: not the card, not the journal.
        let (cookie, _) = try h.signIn()
        let card = h.call("GET", "/api/v1/accounts/\(Self.activated)?reveal=code", cookie: cookie)
        #expect(!String(decoding: card.body, as: UTF8.self).contains(code))
        #expect(try h.journalActions().contains("renewal-issued"))
    }

    @Test func aNotActivatedAccountIs409WithTheActivationSheetHint() throws {
        let h = try Harness()
        let r = try issue(h, "nathanael.ndiaye").response
        #expect(r.status == 409 && object(r)["code"] as? String == "account-not-activated")
        #expect((object(r)["hint"] as? String)?.contains("activation sheet") == true)
        #expect(try issue(h, "nobody.here").response.status == 404)
    }

    @Test func issuingNeedsASessionAndTheCSRFToken() throws {
        let h = try Harness()
        #expect(h.call("POST", "/api/v1/accounts/zoe.gerard/renewal-code").status == 401)
        let (cookie, _) = try h.signIn()
        let forged = h.call("POST", "/api/v1/accounts/zoe.gerard/renewal-code", cookie: cookie, csrf: "forged")
        #expect(forged.status == 403 && object(forged)["code"] as? String == "csrf-mismatch")
        // A connector's key is not a session.
        let key = try APIKeys.create(h.database, name: "ent", by: "test")
        let withKey = h.call("POST", "/api/v1/accounts/zoe.gerard/renewal-code", headers: [("Authorization", "Bearer \(key)")])
        #expect(withKey.status == 401)
    }

    @Test func theSlipIsAPDFOfTheLiveCodeOnly() throws {
        let h = try Harness()
        let (code, _) = try issue(h)
        let (cookie, csrf) = try h.signIn()
        let slip = h.call(
            "POST", "/api/v1/accounts/zoe.gerard/renewal-slip", json: #"{"code":"\#(code)"}"#, cookie: cookie, csrf: csrf)
        #expect(slip.status == 200 && slip.headers["content-type"] == "application/pdf")
        #expect(slip.headers["cache-control"] == "no-store")
        #expect(slip.headers["content-disposition"] == #"inline; filename="renouvellement-zoe.gerard.pdf""#)
        #expect(slip.body.starts(with: Array("%PDF-".utf8)))
        #expect(try h.journalActions().last == "renewal-slip-printed")
        let wrong = h.call(
            "POST", "/api/v1/accounts/zoe.gerard/renewal-slip", json: #"{"code":"aaaaaaaa"}"#, cookie: cookie, csrf: csrf)
        #expect(wrong.status == 409 && object(wrong)["code"] as? String == "renewal-code-not-live")
        #expect(
            h.call("POST", "/api/v1/accounts/zoe.gerard/renewal-slip", json: #"{"code":"\#(code)"}"#, cookie: cookie).status
                == 403)
    }

    @Test func redeemingNeedsAValidKey() throws {
        let h = try Harness()
        let (code, _) = try issue(h)
        let missing = redeem(h, key: nil, code: code)
        #expect(missing.status == 401 && object(missing)["code"] as? String == "api-key-missing")
        #expect(missing.headers["www-authenticate"] == #"Bearer realm="guichet""#)
        let bad = redeem(h, key: "gk_not-a-real-key", code: code)
        #expect(bad.status == 401 && object(bad)["code"] as? String == "api-key-invalid")
        let basic = h.call("POST", "/api/v1/renewal-codes/redeem", json: "{}", headers: [("Authorization", "Basic YTpi")])
        #expect(basic.status == 401)
        // A staff session is not a key either.
        let (cookie, csrf) = try h.signIn()
        #expect(
            h.call(
                "POST", "/api/v1/renewal-codes/redeem", json: #"{"login":"zoe.gerard","code":"\#(code)"}"#,
                cookie: cookie, csrf: csrf
            ).status == 401)
        let key = try APIKeys.create(h.database, name: "ent", by: "test")
        try APIKeys.revoke(h.database, name: "ent", by: "test")
        let revoked = redeem(h, key: key, code: code)
        #expect(revoked.status == 401 && object(revoked)["code"] as? String == "api-key-revoked")
        // Nothing above touched the code: a good key still redeems it.
        let good = try APIKeys.create(h.database, name: "ent-2", by: "test")
        #expect(redeem(h, key: good, code: code).status == 200)
    }

    @Test func redeemAnswersTheLoginOnceThenAStableRefusal() throws {
        let h = try Harness()
        let key = try APIKeys.create(h.database, name: "ent", by: "test")
        let (first, _) = try issue(h)
        let (second, _) = try issue(h)
        let revoked = redeem(h, key: key, code: first)
        #expect(revoked.status == 403 && object(revoked)["code"] as? String == "renewal-code-revoked")
        let wrong = redeem(h, key: key, code: "zzzzzzzz")
        #expect(wrong.status == 403 && object(wrong)["code"] as? String == "renewal-code-wrong")
        let ok = redeem(h, key: key, code: second.uppercased())
        #expect(ok.status == 200 && (object(ok) as? [String: String]) == ["login": "zoe.gerard"])
        let again = redeem(h, key: key, code: second)
        #expect(again.status == 403 && object(again)["code"] as? String == "renewal-code-consumed")
        let missingField = h.call(
            "POST", "/api/v1/renewal-codes/redeem", json: #"{"login":"zoe.gerard"}"#,
            headers: [("Authorization", "Bearer \(key)")])
        #expect(missingField.status == 400)
    }

    @Test func fiveWrongCodesVoidTheLiveOneOverTheAPI() throws {
        let h = try Harness()
        let key = try APIKeys.create(h.database, name: "ent", by: "test")
        let (code, _) = try issue(h)
        let codes = (0..<5).map { _ in object(redeem(h, key: key, code: "xxxxxxxx"))["code"] as? String }
        #expect(codes == Array(repeating: "renewal-code-wrong", count: 5))
        #expect(object(redeem(h, key: key, code: code))["code"] as? String == "renewal-code-voided")
        #expect(try h.journalActions().contains("renewal-voided"))
    }
}
