import Foundation
import Guichet
import HTTPServer
import Testing
import TestSupport
@testable import GuichetServer

/// `GET /api/v1/accounts/{login}` with the ENT connection: the card carries the account's state in the ENT now, so
/// that the desk's renewal offer follows an activation made since the export, and says why when the ENT could not
/// be asked (down, slow, the administrator's sign-in refused) rather than trusting the export silently.
@Suite(.serialized) struct ENTCardTests {
    /// The ENT-connected service of ENTRenewalRoutesTests, plus Inès: activation code in the export, activated in
    /// the ENT this morning.
    func harness(_ ent: FakeENT, password: String = FakeENT.adminPassword) throws -> Harness {
        let h = try ENTRenewalRoutesTests().harness(ent, password: password)
        let csv =
            Fixture.csv.replacingOccurrences(of: "\n\n", with: "\n") + #"""
                "u-1";"";"Student";"Gérard";"Marc";"marc.gerard";"marc.g";"";"";"Lycée Jean-Jaurès";"2NDE 3";"";"";"";"";""
                "u-5";"";"Student";"Petit";"Hugo";"hugo.petit";"";"";"";"Lycée Jean-Jaurès";"2NDE 3";"";"";"";"";""
                "u-9";"";"Student";"Gérard";"Inès";"ines.gerard";"";"zz9yy8xx";"";"Lycée Jean-Jaurès";"2NDE 3";"";"";"";"";""

                """#
        _ = try Importer.run(try ExportFile.parse(bytes: Array(csv.utf8), name: "ines.csv"), into: h.database)
        try ent.set([
            "users": [
                "ines.gerard": [
                    "id": "u-9", "type": "Student", "login": "ines.gerard", "firstName": "Inès", "lastName": "Gérard",
                    "structures": ["s-lycee"], "code": NSNull()
                ]
            ]
        ])
        return h
    }

    func card(_ h: Harness, _ login: String) throws -> (account: [String: Any], ent: [String: Any]?) {
        let (cookie, _) = try h.signIn()
        let r = h.call("GET", "/api/v1/accounts/\(login)", cookie: cookie)
        #expect(r.status == 200)
        let body = object(r)
        return (body["account"] as? [String: Any] ?? [:], body["ent"] as? [String: Any])
    }

    @Test func theCardCarriesTheENTsStateOfNow() throws {
        let ent = try FakeENT()
        let h = try harness(ent)
        // Activated since the export: the card says so, the renewal follows the ENT.
        let ines = try card(h, "ines.gerard")
        #expect(ines.account["activated"] as? Bool == false)
        #expect(ines.ent?["checked"] as? Bool == true && ines.ent?["activated"] as? Bool == true)
        #expect(ines.ent?["checkedAt"] is String && ines.ent?["blocked"] as? Bool == false)
        let (cookie, csrf) = try h.signIn()
        let issued = h.call("POST", "/api/v1/accounts/ines.gerard/renewal-code", cookie: cookie, csrf: csrf)
        #expect(issued.status == 201 && object(issued)["source"] as? String == "ent")
        // Activated in the export, still an activation code in the ENT; blocked in the ENT.
        #expect(try card(h, "zoe.gerard").ent?["activated"] as? Bool == false)
        #expect(try card(h, "hugo.petit").ent?["blocked"] as? Bool == true)
        // Not in the ENT's structures: said as such, not as the ENT being down.
        #expect(try card(h, "nathanael.ndiaye").ent?["code"] as? String == "ent-not-listed")
        // A reveal of the activation code does not wait for the ENT.
        let (revealCookie, _) = try h.signIn()
        let reveal = object(h.call("GET", "/api/v1/accounts/ines.gerard?reveal=code", cookie: revealCookie))
        #expect(reveal["ent"] == nil || reveal["ent"] is NSNull)
    }

    @Test func theCardSaysWhyTheENTCouldNotBeAsked() throws {
        let slow = try FakeENT()
        let h = try harness(slow)
        try slow.set(["delay": 3])
        let unanswered = try card(h, "ines.gerard")
        #expect(unanswered.ent?["checked"] as? Bool == false && unanswered.ent?["code"] as? String == "ent-unreachable")

        let refused = try FakeENT()
        let wrong = try harness(refused, password: "not-the-password")
        for _ in 0..<2 {
            #expect(try card(wrong, "ines.gerard").ent?["code"] as? String == "ent-sign-in-failed")
        }
        #expect(try refused.signIns() == 1)
    }
}
