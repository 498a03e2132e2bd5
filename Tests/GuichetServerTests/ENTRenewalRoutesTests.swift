import Foundation
import Guichet
import HTTPServer
import TestSupport
import Testing
@testable import GuichetServer

/// `POST /api/v1/accounts/{login}/renewal-code` and its slip when `[ent] admin_login` is configured: the ENT makes
/// the code (the fake entcore of Tests/ent), the API answers `source: "ent"`, and the ENT's refusals are `ent-…`.
@Suite(.serialized) struct ENTRenewalRoutesTests {
    /// The service with the ENT connection, and local accounts that the fake ENT also knows.
    func harness(_ ent: FakeENT, password: String = FakeENT.adminPassword) throws -> Harness {
        let settings = try ENTSettings(
            url: ent.url, adminLogin: FakeENT.adminLogin, password: password, structureIDs: [FakeENT.structure])
        let h = try Harness { $0.ent = settings }
        let csv =
            Fixture.csv.replacingOccurrences(of: "\n\n", with: "\n") + #"""
                "u-1";"";"Student";"Gérard";"Marc";"marc.gerard";"marc.g";"";"";"Lycée Jean-Jaurès";"2NDE 3";"";"";"";"";""
                "u-5";"";"Student";"Petit";"Hugo";"hugo.petit";"";"";"";"Lycée Jean-Jaurès";"2NDE 3";"";"";"";"";""

                """#
        _ = try Importer.run(try ExportFile.parse(bytes: Array(csv.utf8), name: "more.csv"), into: h.database)
        return h
    }

    func issue(_ h: Harness, _ login: String) throws -> Response {
        let (cookie, csrf) = try h.signIn()
        return h.call("POST", "/api/v1/accounts/\(login)/renewal-code", cookie: cookie, csrf: csrf)
    }

    @Test func theCodeComesFromTheENTWithItsSourceAndPrintsOnce() throws {
        let ent = try FakeENT()
        let h = try harness(ent)
        let r = try issue(h, "marc.gerard")
        #expect(r.status == 201)
        #expect(r.headers["cache-control"] == "no-store")
        let body = object(r)
        #expect(body["source"] as? String == "ent")
        let code = try #require(body["code"] as? String)
        #expect(try ent.codes()["marc.gerard"] == code)
        #expect(object(h.call("GET", "/api/v1/config"))["renewalSource"] as? String == "ent")

        let (cookie, csrf) = try h.signIn()
        let slip = h.call(
            "POST", "/api/v1/accounts/marc.gerard/renewal-slip", json: #"{"code":"\#(code)"}"#, cookie: cookie, csrf: csrf)
        #expect(slip.status == 200 && slip.headers["content-type"] == "application/pdf")
        let text = try pdfText(slip.body)
        #expect(text.contains("page de connexion de l’ENT"))
        #expect(text.contains("deux fois"))
        let again = h.call(
            "POST", "/api/v1/accounts/marc.gerard/renewal-slip", json: #"{"code":"\#(code)"}"#, cookie: cookie, csrf: csrf)
        #expect(object(again)["code"] as? String == "renewal-code-not-live")
        #expect(try h.journalActions().filter { $0.hasPrefix("renewal-") } == ["renewal-issued", "renewal-slip-printed"])
    }

    @Test func theENTsRefusalsAreStableCodes() throws {
        let ent = try FakeENT()
        let h = try harness(ent)
        // Activated in the local export, but the ENT still has an activation code for it: the ENT decides.
        let refused = try issue(h, "zoe.gerard")
        #expect(refused.status == 409 && object(refused)["code"] as? String == "ent-refused")
        // Unknown to the administrator's structures.
        let forbidden = try issue(h, "nathanael.ndiaye")
        #expect(forbidden.status == 403 && object(forbidden)["code"] as? String == "ent-forbidden")
        #expect(try h.journalActions().filter { $0 == "renewal-issue-failed" }.count == 2)
    }

    @Test func aRefusedSignInIs502AndIsNotRetried() throws {
        let ent = try FakeENT()
        let h = try harness(ent, password: "not-the-password")
        for _ in 0..<3 {
            let r = try issue(h, "marc.gerard")
            #expect(r.status == 502 && object(r)["code"] as? String == "ent-sign-in-failed")
        }
        #expect(try ent.signIns() == 1)
    }

    @Test func anENTThatIsDownIs502Unreachable() throws {
        let h = try harness(try FakeENT(["--down"]))
        let r = try issue(h, "marc.gerard")
        #expect(r.status == 502 && object(r)["code"] as? String == "ent-unreachable")
    }

    @Test func withoutTheENTConnectionCodesAreGuichetsOwn() throws {
        let h = try Harness()
        let r = try issue(h, "zoe.gerard")
        #expect(r.status == 201 && object(r)["source"] as? String == "guichet")
        #expect(object(h.call("GET", "/api/v1/config"))["renewalSource"] as? String == "guichet")
    }

    func printSheet(_ h: Harness, _ login: String) throws -> Response {
        let (cookie, csrf) = try h.signIn()
        return h.call(
            "POST", "/api/v1/accounts/\(login)/sheet", json: #"{"idCheck":"cni","recipient":"self"}"#, cookie: cookie, csrf: csrf)
    }

    func lastSheetDetails(_ h: Harness) throws -> String {
        try h.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM journal WHERE action = 'sheet-printed' ORDER BY seq DESC LIMIT 1")
                ?? ""
        }
    }

    @Test func theSheetPrintsTheENTsStateOfNowAndSaysSo() throws {
        let ent = try FakeENT()
        let h = try harness(ent)
        // Activated in the last import, but the ENT holds an activation code for Zoé: the sheet shows the ENT's.
        let r = try printSheet(h, "zoe.gerard")
        #expect(r.status == 200)
        let text = try pdfText(r.body)
        #expect(text.replacingOccurrences(of: " ", with: "").contains("ab3cd4ef"))
        #expect(text.contains("vérifié auprès de l'ENT à"))
        #expect(try lastSheetDetails(h).contains(#""ent":"checked""#))
    }

    @Test func aBlockedAccountGetsNoSheet() throws {
        let ent = try FakeENT()
        let h = try harness(ent)
        let r = try withExtendedLifetime(ent) { try printSheet(h, "hugo.petit") }
        #expect(r.status == 409 && object(r)["code"] as? String == "ent-account-blocked")
        let actions = try h.journalActions()
        #expect(actions.last == "sheet-refused" && !actions.contains("sheet-printed"))
    }

    @Test func aSlowENTLeavesTheSheetToLocalDataWithinTwoSeconds() throws {
        let ent = try FakeENT(["--delay", "5"])
        let h = try harness(ent)
        let started = Date()
        let r = try withExtendedLifetime(ent) { try printSheet(h, "nathanael.ndiaye") }
        #expect(Date().timeIntervalSince(started) < 4.5)
        #expect(r.status == 200)
        let text = try pdfText(r.body)
        #expect(text.replacingOccurrences(of: " ", with: "").contains("p3vt9dkm"))
        #expect(!text.contains("vérifié auprès de l'ENT"))
        #expect(try lastSheetDetails(h).contains(#""ent":"unavailable: ent-unreachable (no answer in time"#))
    }

    @Test func aSmallBatchIsCheckedWithTheENTAndLeavesBlockedAccountsOut() throws {
        let ent = try FakeENT()
        let h = try harness(ent)
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        let r = withExtendedLifetime(ent) {
            h.call(
                "POST", "/api/v1/batches", json: #"{"filters":{"classes":["2NDE 3"]},"perPage":1}"#, cookie: cookie, csrf: csrf)
        }
        #expect(r.status == 200)
        let text = try pdfText(r.body)
        #expect(text.replacingOccurrences(of: " ", with: "").contains("ab3cd4ef"))  // Zoé's code, as the ENT has it now
        #expect(text.contains("vérifié auprès de l'ENT à"))
        #expect(!text.contains("PETIT"))  // Hugo is blocked in the ENT
        let details = try h.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM journal WHERE action = 'batch-printed'") ?? ""
        }
        #expect(details.contains(#""blockedInENT":["hugo.petit"]"#) && details.contains(#""ent":"checked""#))
    }
}
