import Foundation
import Guichet
import TestSupport
import Testing
import HTTPServer
@testable import GuichetServer

/// The review API: reviewer only, the day's entries and flags, the report as a PDF, the sign-off.
@Suite struct JournalHandlersTests {
    var today: String { JournalDay.of(Date(), in: ReviewRules().timeZone).description }

    @Test func anAgentGets403AndNobodyGets401() throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn()
        for (method, target) in [("GET", "/api/v1/journal"), ("GET", "/api/v1/journal/report")] {
            #expect(object(h.call(method, target, cookie: cookie))["code"] as? String == "forbidden")
            #expect(h.call(method, target).status == 401)
        }
        let r = h.call("POST", "/api/v1/journal/signoff", json: #"{"day":"\#(today)"}"#, cookie: cookie, csrf: csrf)
        #expect(r.status == 403 && object(r)["code"] as? String == "forbidden")
        #expect(try !h.journalActions().contains("review-signed-off"))
    }

    @Test func aReviewerSeesTheDayItsCountsAndFlags() throws {
        let h = try Harness()
        _ = h.call("POST", "/api/v1/session", json: #"{"login":"agent","password":"wrong-password"}"#)
        let (agent, _) = try h.signIn()
        _ = h.call("GET", "/api/v1/accounts/aissatou.ndiaye?reveal=code", cookie: agent)
        _ = h.call("GET", "/api/v1/accounts/aissatou.ndiaye?reveal=code", cookie: agent)
        let (cookie, _) = try h.signIn("cpe", Harness.reviewerPassword)
        let r = h.call("GET", "/api/v1/journal?day=\(today)", cookie: cookie)
        #expect(r.status == 200 && r.headers["cache-control"] == "no-store")
        let body = object(r)
        #expect(body["day"] as? String == today && body["timeZone"] as? String == "Europe/Paris")
        let entries = try #require(body["entries"] as? [[String: Any]])
        #expect(
            entries.map { $0["action"] as? String } == [
                "import", "staff-added", "staff-added", "sign-in-failed", "sign-in",
                "code-revealed", "code-revealed", "sign-in"
            ])
        #expect((entries[3]["details"] as? [String: Any])?["reason"] as? String == "wrong-password")
        let byStaff = try #require(body["byStaff"] as? [[String: Any]])
        #expect(byStaff.first?["name"] as? String == "agent" && byStaff.first?["count"] as? Int == 3)
        let kinds = try #require(body["flags"] as? [[String: Any]]).compactMap { $0["kind"] as? String }
        #expect(kinds.contains("sign-in-failures") && kinds.contains("repeated-for-account"))
        #expect((body["head"] as? [String: Any])?["seq"] as? Int == 8)
    }

    @Test func filtersAndBadInputAreChecked() throws {
        let h = try Harness()
        let (cookie, _) = try h.signIn("cpe", Harness.reviewerPassword)
        let mine = object(h.call("GET", "/api/v1/journal?day=\(today)&staff=cpe&action=sign-in", cookie: cookie))
        #expect((mine["entries"] as? [Any])?.count == 1)
        #expect(object(h.call("GET", "/api/v1/journal?day=2026-13-01", cookie: cookie))["code"] as? String == "bad-day")
        #expect(
            object(h.call("GET", "/api/v1/journal?day=\(today)&action=dance", cookie: cookie))["code"] as? String
                == "unknown-action")
        #expect(h.call("GET", "/api/v1/journal?day=2001-01-01", cookie: cookie).status == 200)
    }

    @Test func theReportIsAPDFWithTheChainHead() throws {
        let h = try Harness()
        let (cookie, _) = try h.signIn("cpe", Harness.reviewerPassword)
        let r = h.call("GET", "/api/v1/journal/report?day=\(today)", cookie: cookie)
        #expect(r.status == 200 && r.headers["content-type"] == "application/pdf")
        #expect(r.headers["content-disposition"] == "inline; filename=\"journal-\(today).pdf\"")
        #expect(r.body.starts(with: Array("%PDF-".utf8)))
        let head = try h.database.writer.read { db in try Journal.head(db) }!
        let text = try pdfText(r.body)
        #expect(
            text.contains("entrée n° \(head.seq)") && text.contains(String(head.hash.prefix(8))) && text.contains("Signature"))
    }

    @Test func signingOffRecordsTheHeadOnceAndVerifies() throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        // No CSRF token:
        #expect(h.call("POST", "/api/v1/journal/signoff", json: #"{"day":"\#(today)"}"#, cookie: cookie).status == 403)
        let r = h.call("POST", "/api/v1/journal/signoff", json: #"{"day":"\#(today)"}"#, cookie: cookie, csrf: csrf)
        #expect(r.status == 201)
        let head = try h.database.writer.read { db in try Journal.head(db) }!
        #expect(object(r)["upTo"] as? Int == Int(head.seq) - 1 && object(r)["by"] as? String == "cpe")
        #expect(object(r)["seq"] as? Int == Int(head.seq) && head.action == "review-signed-off")
        let again = h.call("POST", "/api/v1/journal/signoff", json: #"{"day":"\#(today)"}"#, cookie: cookie, csrf: csrf)
        #expect(again.status == 409 && object(again)["code"] as? String == "already-signed-off")
        let tomorrow = JournalDay(today)!.adding(days: 1).description
        #expect(
            object(h.call("POST", "/api/v1/journal/signoff", json: #"{"day":"\#(tomorrow)"}"#, cookie: cookie, csrf: csrf))[
                "code"] as? String == "day-to-come")
        #expect(
            object(h.call("POST", "/api/v1/journal/signoff", json: #"{"day":"2001-01-01"}"#, cookie: cookie, csrf: csrf))["code"]
                as? String == "nothing-to-sign-off")
        #expect(
            object(h.call("POST", "/api/v1/journal/signoff", json: #"{"day":"hier"}"#, cookie: cookie, csrf: csrf))["code"]
                as? String == "bad-day")
        let review = object(h.call("GET", "/api/v1/journal?day=\(today)", cookie: cookie))
        #expect((review["signOffs"] as? [[String: Any]])?.count == 1)
        #expect(try h.database.writer.read { db in try Journal.verify(db) }.signOffsChecked == 1)
    }

    @Test func signOutIsJournalledBeforeTheSessionCloses() throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn()
        #expect(h.call("DELETE", "/api/v1/session", cookie: cookie, csrf: csrf).status == 204)
        #expect(try h.journalActions().suffix(1) == ["sign-out"])
        #expect(h.call("GET", "/api/v1/session", cookie: cookie).status == 401)
    }
}
