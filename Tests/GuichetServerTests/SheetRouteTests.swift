import Foundation
import GRDB
import Guichet
import HTTPServer
import TestSupport
import Testing
@testable import GuichetServer

/// The sheet and batch routes, in process: access, CSRF, validation, the journal row numbering the PDF, CUPS.
@Suite struct SheetRouteTests {
    static let body = #"{"idCheck":"cni","recipient":"aissatou.ndiaye"}"#

    func lastRow(_ h: Harness) throws -> Row {
        try h.database.writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM journal ORDER BY seq DESC LIMIT 1")! }
    }

    @Test func printingNeedsASessionAndTheCSRFToken() throws {
        let h = try Harness()
        #expect(h.call("POST", "/api/v1/accounts/nathanael.ndiaye/sheet", json: Self.body).status == 401)
        let (cookie, _) = try h.signIn()
        let forged = h.call("POST", "/api/v1/accounts/nathanael.ndiaye/sheet", json: Self.body, cookie: cookie, csrf: "forged")
        #expect(forged.status == 403 && object(forged)["code"] as? String == "csrf-mismatch")
        #expect(try !h.journalActions().contains("sheet-printed"))
    }

    @Test func theSheetIsAPDFNumberedByItsJournalRow() throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn()
        let r = h.call("POST", "/api/v1/accounts/nathanael.ndiaye/sheet", json: Self.body, cookie: cookie, csrf: csrf)
        #expect(r.status == 200)
        #expect(r.headers["content-type"] == "application/pdf")
        #expect(r.headers["cache-control"] == "no-store")
        #expect(r.body.starts(with: Array("%PDF-".utf8)))
        let row = try lastRow(h)
        #expect(row.text("action") == "sheet-printed" && row.text("target") == "nathanael.ndiaye" && row.text("staff") == "agent")
        #expect(
            row.text("details")
                == #"{"handover":"parent","idCheck":"cni","recipient":"aissatou.ndiaye","variant":"not-activated"}"#)
        let seq: Int64 = row["seq"]
        #expect(r.headers["x-guichet-sheet"] == String(seq))
        let text = try pdfText(r.body)
        #expect(
            text.contains("Fiche n° \(seq)") && text.contains("N'DIAYE Nathanaël") && text.contains("Aïssatou N'Diaye (parent)"))
        #expect(text.filter { !$0.isWhitespace }.contains("p3vt9dkm"))
    }

    @Test(arguments: [
        (#"{"idCheck":"library-card","recipient":"self"}"#, 400, "bad-id-check"),
        (#"{"idCheck":"cni","recipient":"zoe.gerard"}"#, 400, "bad-recipient"),
        (#"{"idCheck":"cni","recipient":"nobody"}"#, 400, "bad-recipient"),
        (#"{"idCheck":"cni"}"#, 400, "bad-json")
    ])
    func badRequestsAreRefusedAndJournalNothing(body: String, status: Int, code: String) throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn()
        let before = try h.journalActions().count
        let r = h.call("POST", "/api/v1/accounts/nathanael.ndiaye/sheet", json: body, cookie: cookie, csrf: csrf)
        #expect(r.status == status && object(r)["code"] as? String == code)
        #expect(try h.journalActions().count == before)
    }

    @Test func anUnknownAccountIs404() throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn()
        let r = h.call(
            "POST", "/api/v1/accounts/nobody/sheet", json: #"{"idCheck":"cni","recipient":"self"}"#, cookie: cookie, csrf: csrf)
        #expect(r.status == 404 && object(r)["code"] as? String == "account-not-found")
    }

    /// A real `lp` against a queue that does not exist: the failure CUPS gives the desk, answered and journalled.
    @Test(
        .enabled(if: CUPSPrinter.isInstalled, "lp is not installed (Debian cups-client): the CUPS failure path is not exercised"))
    func aCUPSFailureIs502AndJournalled() throws {
        let h = try Harness { $0.printer = "guichet-test-no-such-printer" }
        let (cookie, csrf) = try h.signIn()
        let r = h.call(
            "POST", "/api/v1/accounts/zoe.gerard/sheet", json: #"{"idCheck":"known","recipient":"self"}"#, cookie: cookie,
            csrf: csrf)
        #expect(r.status == 502 && object(r)["code"] as? String == "print-failed")
        #expect(!(object(r)["detail"] as? String ?? "").isEmpty)
        #expect(try h.journalActions().suffix(2) == ["sheet-printed", "print-failed"])
        let failed = try lastRow(h)
        let printed: String = try h.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT seq FROM journal WHERE action = 'sheet-printed'")!
        }
        #expect(failed.text("details").contains(#""sheet":"\#(printed)""#))
        #expect(failed.text("details").contains(#""printer":"guichet-test-no-such-printer""#))
    }

    @Test func batchesAreForReviewersOnly() throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn()
        let r = h.call("POST", "/api/v1/batches", json: #"{"perPage":8}"#, cookie: cookie, csrf: csrf)
        #expect(r.status == 403 && object(r)["code"] as? String == "forbidden")
    }

    @Test func aReviewerGetsTheBatchPDFAndOneJournalRowListingTheAccounts() throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        let preview = h.call(
            "POST", "/api/v1/batches/preview", json: #"{"filters":{"profiles":["student"]},"sort":["class"]}"#,
            cookie: cookie, csrf: csrf)
        #expect(object(preview)["count"] as? Int == 2)
        #expect(object(preview)["logins"] as? [String] == ["zoe.gerard", "nathanael.ndiaye"])
        let r = h.call(
            "POST", "/api/v1/batches", json: #"{"filters":{"profiles":["student"]},"sort":["class"],"perPage":8}"#,
            cookie: cookie, csrf: csrf)
        #expect(r.status == 200 && r.headers["content-type"] == "application/pdf" && r.headers["x-guichet-count"] == "2")
        let row = try lastRow(h)
        #expect(row.text("action") == "batch-printed" && row.text("staff") == "cpe")
        #expect(row.text("details").contains(#""logins":["zoe.gerard","nathanael.ndiaye"]"#))
        let text = try pdfText(r.body)
        #expect(text.contains("Fiche n° \(row["seq"] as Int64)-1") && text.contains("Fiche n° \(row["seq"] as Int64)-2"))
    }

    @Test func thePreviewNamesTheFirstAccountsWithTheirClass() throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        let r = h.call(
            "POST", "/api/v1/batches/preview", json: #"{"filters":{"levels":["1ERE"]},"sort":["profile"]}"#,
            cookie: cookie, csrf: csrf)
        #expect(r.status == 200 && object(r)["count"] as? Int == 2)
        let first = try #require(object(r)["first"] as? [[String: Any]])
        #expect(first.map { $0["login"] as? String } == ["nathanael.ndiaye", "aissatou.ndiaye"])
        #expect(first[0]["lastName"] as? String == "N'Diaye" && first[0]["firstName"] as? String == "Nathanaël")
        #expect(first[0]["profile"] as? String == "Student" && first[0]["class"] as? String == "1ERE G1")
    }

    @Test func aReviewerExportsTheSelectionAsCSVJournalledAsBatchExported() throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        let body = #"{"filters":{"classes":["1ERE G1"],"profiles":["student","relative"]},"sort":["profile"]}"#
        let r = h.call("POST", "/api/v1/batches/csv", json: body, cookie: cookie, csrf: csrf)
        #expect(r.status == 200 && r.headers["content-type"] == "text/csv; charset=utf-8" && r.headers["x-guichet-count"] == "2")
        #expect(r.headers["cache-control"] == "no-store")
        let lines = String(decoding: r.body, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("\u{FEFF}\"Nom\";\"Prénom\""))
        #expect(lines[1].contains(#""nathanael.ndiaye";"p3vt9dkm""#) && lines[2].contains(#""aissatou.ndiaye""#))
        let row = try lastRow(h)
        #expect(row.text("action") == "batch-exported" && row.text("staff") == "cpe")
        #expect(r.headers["x-guichet-journal"] == String(row["seq"] as Int64))
        #expect(row.text("details").contains(#""logins":["nathanael.ndiaye","aissatou.ndiaye"]"#))
    }

    @Test func exportingIsForReviewersWithTheCSRFTokenAndNeverEmpty() throws {
        let h = try Harness()
        let (agent, agentCSRF) = try h.signIn()
        #expect(h.call("POST", "/api/v1/batches/csv", json: "{}", cookie: agent, csrf: agentCSRF).status == 403)
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        let forged = h.call("POST", "/api/v1/batches/csv", json: "{}", cookie: cookie, csrf: "forged")
        #expect(forged.status == 403 && object(forged)["code"] as? String == "csrf-mismatch")
        let empty = h.call(
            "POST", "/api/v1/batches/csv", json: #"{"filters":{"classes":["6EME Z"]}}"#, cookie: cookie, csrf: csrf)
        #expect(empty.status == 400 && object(empty)["code"] as? String == "empty-batch")
        #expect(try !h.journalActions().contains("batch-exported"))
    }

    @Test func theClassesAreListedInSchoolOrderForAnySignedInStaff() throws {
        let h = try Harness()
        #expect(h.call("GET", "/api/v1/classes").status == 401)
        let (cookie, _) = try h.signIn()
        let r = h.call("GET", "/api/v1/classes", cookie: cookie)
        #expect(r.status == 200 && object(r)["classes"] as? [String] == ["2NDE 3", "1ERE G1"])
    }

    @Test(arguments: [
        (#"{"perPage":3}"#, "bad-filter"),
        (#"{"sort":["age"]}"#, "bad-filter"),
        (#"{"filters":{"profiles":["pupil"]}}"#, "bad-filter"),
        (#"{"filters":{"createdAfter":"01/02/2026"}}"#, "bad-filter"),
        (#"{"filters":{"classes":["6EME Z"]}}"#, "empty-batch")
    ])
    func badBatchesAre400(body: String, code: String) throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        let r = h.call("POST", "/api/v1/batches", json: body, cookie: cookie, csrf: csrf)
        #expect(r.status == 400 && object(r)["code"] as? String == code)
    }

    @Test func theCSPLetsThePageFrameItsOwnPDFAndNothingElse() throws {
        let h = try Harness()
        let csp = try #require(h.call("GET", "/").headers["content-security-policy"])
        #expect(csp.contains("frame-src blob:;") && csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'"))
    }
}

extension Row {
    /// A text column, typed (comparisons of untyped `row[...]` defeat the type checker inside #expect).
    func text(_ column: String) -> String { self[column] ?? "" }
}
