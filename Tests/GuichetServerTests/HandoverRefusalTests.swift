import Foundation
import GRDB
import Guichet
import HTTPServer
import TestSupport
import Testing
@testable import GuichetServer

/// Accounts the desk hands nothing to: gone from the ENT's export (sheet, e-mail, renewal: 409 `account-gone`, a
/// reviewer may still print, confirming) and federated ones (no renewal: 409 `account-federated`).
@Suite struct HandoverRefusalTests {
    static let sheet = #"{"idCheck":"cni","recipient":"self"}"#

    static func harness() throws -> Harness {
        let h = try Harness { settings in
            settings.federatedProfiles = Federation([.relative: [.educonnect, .franceconnect]])
        }
        try h.database.writer.write { db in
            try db.execute(sql: "UPDATE account SET gone_since = '2026-03-01' WHERE login = 'zoe.gerard'")
        }
        return h
    }

    @Test func aGoneAccountGetsNoSheetNoEmailNoRenewal() throws {
        let h = try Self.harness()
        let (cookie, csrf) = try h.signIn()
        let before = try h.journalActions().count
        for path in ["sheet", "renewal-code", "email"] {
            let r = h.call(
                "POST", "/api/v1/accounts/zoe.gerard/\(path)", json: path == "sheet" ? Self.sheet : "{}", cookie: cookie,
                csrf: csrf)
            // Without [mail] the e-mail route answers 503 before looking at the account.
            if path == "email" { #expect(r.status == 503 || object(r)["code"] as? String == "account-gone"); continue }
            #expect(r.status == 409, "\(path)")
            #expect(object(r)["code"] as? String == "account-gone", "\(path)")
            #expect((object(r)["detail"] as? String)?.contains("2026-03-01") == true)
        }
        #expect(try h.journalActions().count == before)
    }

    @Test func anAgentCannotConfirmAGoneAccountsSheet() throws {
        let h = try Self.harness()
        let (cookie, csrf) = try h.signIn()
        let r = h.call(
            "POST", "/api/v1/accounts/zoe.gerard/sheet", json: #"{"idCheck":"cni","recipient":"self","confirmGone":true}"#,
            cookie: cookie, csrf: csrf)
        #expect(r.status == 403 && object(r)["code"] as? String == "forbidden")
        #expect(try !h.journalActions().contains("sheet-printed"))
    }

    @Test func aReviewerPrintsAGoneAccountsSheetConfirmingItAndTheJournalSaysSo() throws {
        let h = try Self.harness()
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        let r = h.call(
            "POST", "/api/v1/accounts/zoe.gerard/sheet", json: #"{"idCheck":"known","recipient":"self","confirmGone":true}"#,
            cookie: cookie, csrf: csrf)
        #expect(r.status == 200 && r.body.starts(with: Array("%PDF-".utf8)))
        let details = try h.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM journal WHERE action = 'sheet-printed' ORDER BY seq DESC LIMIT 1")
        }
        #expect(details?.contains(#""goneConfirmed":true"#) == true)
    }

    @Test func aFederatedAccountGetsNoRenewalCodeAndItsCardSaysWhatItSignsInWith() throws {
        let h = try Self.harness()
        let (cookie, csrf) = try h.signIn()
        let r = h.call("POST", "/api/v1/accounts/aissatou.ndiaye/renewal-code", json: "{}", cookie: cookie, csrf: csrf)
        #expect(r.status == 409 && object(r)["code"] as? String == "account-federated")
        let card = object(h.call("GET", "/api/v1/accounts/aissatou.ndiaye?reveal=code", cookie: cookie))
        let account = card["account"] as? [String: Any] ?? [:]
        #expect(account["federatedWith"] as? [String] == ["EduConnect", "FranceConnect"])
        #expect(account["hasActivationCode"] as? Bool == false && account["activationCode"] == nil)
        // The student is not federated: the card is as before.
        let student =
            object(h.call("GET", "/api/v1/accounts/nathanael.ndiaye", cookie: cookie))["account"] as? [String: Any] ?? [:]
        #expect(student["federatedWith"] is NSNull && student["hasActivationCode"] as? Bool == true)
    }

    @Test func aParentsSheetHandedToTheStudentForTheParentsIsJournalledAsSuch() throws {
        let h = try Self.harness()
        let (cookie, csrf) = try h.signIn()
        let r = h.call(
            "POST", "/api/v1/accounts/aissatou.ndiaye/sheet", json: #"{"idCheck":"known","recipient":"nathanael.ndiaye"}"#,
            cookie: cookie, csrf: csrf)
        #expect(r.status == 200)
        let details = try h.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM journal WHERE action = 'sheet-printed' ORDER BY seq DESC LIMIT 1")
        }
        #expect(details?.contains(#""handover":"student-for-parents""#) == true)
        #expect(details?.contains(#""recipient":"nathanael.ndiaye""#) == true)
        let text = try pdfText(r.body).replacingOccurrences(of: "\n", with: " ")
        #expect(text.contains("remise à l'élève Nathanaël N'Diaye pour ses parents"))
        #expect(text.contains("Nathanaël N'Diaye (élève, pour ses parents)"))
    }

    @Test func batchesLeaveGoneAccountsOutUnlessAsked() throws {
        let h = try Self.harness()
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        func logins(_ filters: String) -> [String] {
            let r = h.call("POST", "/api/v1/batches/preview", json: #"{"filters":\#(filters)}"#, cookie: cookie, csrf: csrf)
            return object(r)["logins"] as? [String] ?? []
        }
        #expect(!logins("{}").contains("zoe.gerard"))
        #expect(logins(#"{"includeGone":true}"#).contains("zoe.gerard"))
        #expect(logins(#"{"gone":true}"#) == ["zoe.gerard"])
        // Federated parents are neither activated nor not: the "non activés" filter leaves them out.
        #expect(logins(#"{"activated":false}"#) == ["nathanael.ndiaye"])
    }

    @Test func aGoneAccountsCodeIsRefusedToAnAgentAndRevealedToAReviewerWhoConfirms() throws {
        let h = try Self.harness()
        // Nathanaël N'Diaye left the export with his activation code.
        try h.database.writer.write { db in
            try db.execute(sql: "UPDATE account SET gone_since = '2026-03-02' WHERE login = 'nathanael.ndiaye'")
        }
        let (cookie, _) = try h.signIn()
        let refused = h.call("GET", "/api/v1/accounts/nathanael.ndiaye?reveal=code", cookie: cookie)
        #expect(refused.status == 409 && object(refused)["code"] as? String == "account-gone")
        let forbidden = h.call("GET", "/api/v1/accounts/nathanael.ndiaye?reveal=code&confirmGone=yes", cookie: cookie)
        #expect(forbidden.status == 403 && object(forbidden)["code"] as? String == "forbidden")
        #expect(try !h.journalActions().contains("code-revealed"))
        // The card itself is still shown, without its code.
        let card = object(h.call("GET", "/api/v1/accounts/nathanael.ndiaye", cookie: cookie))["account"] as? [String: Any] ?? [:]
        #expect(card["goneFromFeed"] as? String == "2026-03-02" && card["activationCode"] == nil)
        let (reviewer, _) = try h.signIn("cpe", Harness.reviewerPassword)
        let shown = object(h.call("GET", "/api/v1/accounts/nathanael.ndiaye?reveal=code&confirmGone=yes", cookie: reviewer))
        #expect((shown["account"] as? [String: Any])?["activationCode"] as? String == "p3vt9dkm")
        let details = try h.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM journal WHERE action = 'code-revealed' ORDER BY seq DESC LIMIT 1")
        }
        #expect(details == #"{"goneConfirmed":true}"#)
    }
}

/// The kiosk learns the federated profiles before sign-in, to badge result rows "Connexion fédérée".
@Suite struct FederatedConfigTests {
    @Test func theKioskConfigListsTheFederatedProfiles() throws {
        let h = try HandoverRefusalTests.harness()
        #expect(object(h.call("GET", "/api/v1/config"))["federatedProfiles"] as? [String] == ["Relative"])
    }
}
