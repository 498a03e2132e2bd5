import Foundation
import GRDB
import TestSupport
import Testing
@testable import Guichet

/// The ENT connection against the fake entcore (Tests/ent/fake_ent.py): sign-in, cookies, XSRF, renewal codes and
/// their refusals, session expiry, the ban, MFA, a slow or absent ENT.
@Suite(.serialized) struct ENTRenewalsTests {
    /// Local accounts matching the fake ENT's users, staff "agent", and the ENT's renewal codes over `ent`.
    struct Fixture {
        let temporary = try! TemporaryDatabase()
        let ent: FakeENT
        let session: ENTSession
        let renewals: ENTRenewals

        init(_ arguments: [String] = [], password: String = FakeENT.adminPassword, timeout: Double = 15, caBundle: String? = nil)
            throws
        {
            ent = try FakeENT(arguments)
            var export = ENTExport()
            export.add(id: "u-1", type: "Student", last: "Gérard", first: "Marc", login: "marc.gerard", alias: "marc.g")
            export.add(id: "u-2", type: "Student", last: "Gérard", first: "Zoé", login: "zoe.gerard", code: "ab3cd4ef")
            export.add(id: "u-3", type: "Relative", last: "Gérard", first: "Paul", login: "paul.gerard")
            export.add(id: "u-4", type: "Student", last: "Martin", first: "Léa", login: "lea.martin")
            try temporary.importCSV(export.text)
            try Staff.add(temporary.database, name: "agent", role: .agent, password: "agent-password-1", by: "test")
            var settings = try ENTSettings(
                url: ent.url, adminLogin: FakeENT.adminLogin, password: password,
                structureIDs: [FakeENT.structure], caBundle: caBundle)
            settings.timeoutSeconds = timeout
            session = ENTSession(settings: settings)
            renewals = ENTRenewals(database: temporary.database, session: session)
        }

        func journal() throws -> [Row] {
            try temporary.database.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM journal ORDER BY seq") }
        }

        func refusal(_ login: String) -> ENTError? {
            do { _ = try renewals.issue(login: login, by: "agent", channel: .cli); return nil } catch let error as ENTError {
                return error
            } catch { Issue.record("unexpected \(error)"); return nil }
        }
    }

    @Test func theRenewalCodeIsTheENTsOwnAndIsNeverStoredOrJournalled() throws {
        let f = try Fixture()
        let issued = try f.renewals.issue(login: "marc.gerard", by: "agent", channel: .cli)
        #expect(try f.ent.codes()["marc.gerard"] == issued.code)
        #expect(issued.code.count == 8)
        #expect(abs(issued.expiresAt.timeIntervalSinceNow - 24 * 3600) < 5)
        let row = try #require(try f.journal().last)
        #expect(row["action"] as String == "renewal-issued")
        #expect((row["details"] as String).contains(#""source":"ent""#))
        // The code is nowhere in the database file (nor its WAL).
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: f.temporary.path + suffix))) ?? Data()
            #expect(bytes.range(of: Data(issued.code.utf8)) == nil)
        }
        // The XSRF header went with the POST; one sign-in for two codes.
        _ = try f.renewals.issue(login: "marc.gerard", by: "agent", channel: .cli)
        let posts = try f.ent.log().filter { $0["path"] as? String == "/auth/generatePasswordRenewalCode" }
        #expect(posts.count == 2 && posts.allSatisfy { $0["xsrf"] as? Bool == true && $0["status"] as? Int == 200 })
        #expect(try f.ent.signIns() == 1)
    }

    @Test func theENTsRefusalsBecomeStableCodesAndJournalRows() throws {
        let f = try Fixture()
        #expect(f.refusal("zoe.gerard")?.code == "ent-refused")  // not activated: 500, empty body
        #expect(f.refusal("paul.gerard")?.code == "ent-refused")  // federated
        #expect(f.refusal("lea.martin")?.code == "ent-forbidden")  // another school's structure: 401
        let failed = try f.journal().filter { ($0["action"] as String) == "renewal-issue-failed" }
        #expect(failed.map { $0["target"] as String } == ["zoe.gerard", "paul.gerard", "lea.martin"])
        #expect((failed[2]["details"] as String).contains(#""error":"ent-forbidden""#))
        #expect(try f.ent.codes().isEmpty)
    }

    @Test func anExpiredSessionSignsInOnceMoreAndTheCodeIsMade() throws {
        let f = try Fixture()
        _ = try f.renewals.issue(login: "marc.gerard", by: "agent", channel: .cli)
        try f.ent.expireSessions()
        let second = try f.renewals.issue(login: "marc.gerard", by: "agent", channel: .cli)
        #expect(try f.ent.codes()["marc.gerard"] == second.code)
        #expect(try f.ent.signIns() == 2)
        // A GET after expiry: 302 to /auth/login, then a new sign-in and the answer.
        try f.ent.expireSessions()
        #expect(try f.session.users(structureID: FakeENT.structure, searchTerm: "gerard").count == 3)
        #expect(try f.ent.signIns() == 3)
    }

    @Test func aRefusedSignInIsTriedOnceAndNeverAgain() throws {
        let f = try Fixture(password: "wrong-password")
        #expect(f.refusal("marc.gerard")?.code == "ent-sign-in-failed")
        #expect(f.refusal("marc.gerard")?.code == "ent-sign-in-failed")
        #expect(f.refusal("marc.gerard")?.code == "ent-sign-in-failed")
        #expect(try f.ent.signIns() == 1)
        #expect(f.session.hasGivenUp)
        let rows = try f.journal().filter { ($0["action"] as String) == "renewal-issue-failed" }
        #expect(rows.count == 3 && rows.allSatisfy { ($0["details"] as String).contains("ent-sign-in-failed") })
    }

    @Test func aBannedAdministratorIsReportedAfterOneAttempt() throws {
        // entcore bans after maxRetry failures, then refuses even the right password (auth.error.ban).
        let f = try Fixture(["--max-retry", "2"])
        for _ in 0..<2 {
            let wrong = try ENTSettings(
                url: f.ent.url, adminLogin: FakeENT.adminLogin, password: "bad", structureIDs: [FakeENT.structure])
            #expect(throws: ENTError.self) { try ENTSession(settings: wrong).signIn() }
        }
        let error = f.refusal("marc.gerard")
        #expect(error?.code == "ent-sign-in-failed")
        #expect(error?.detail.contains("auth.error.ban") == true)
        #expect(try f.ent.signIns() == 3)
    }

    @Test func mfaDemandedIsReportedNotWorkedAround() throws {
        let f = try Fixture(["--mfa"])
        #expect(throws: ENTError.mfaRequired) { try f.session.users(structureID: FakeENT.structure, searchTerm: "gerard") }
        // Routes under /auth are exempt: renewal codes still work.
        #expect(try f.renewals.issue(login: "marc.gerard", by: "agent", channel: .cli).code.count == 8)
    }

    @Test func aSlowENTIsUnreachableWithinTheTimeout() throws {
        let f = try Fixture(["--delay", "4"], timeout: 1)
        let started = Date()
        #expect(f.refusal("marc.gerard")?.code == "ent-unreachable")
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(!f.session.hasGivenUp)  // a timeout is not a refused sign-in
    }

    @Test func anENTThatIsDownIsUnreachable() throws {
        let f = try Fixture(["--down"])
        #expect(f.refusal("marc.gerard")?.code == "ent-unreachable")
        #expect(try f.journal().last?["action"] as String? == "renewal-issue-failed")
    }

    @Test func theSlipOfAnENTCodePrintsOnceWithTheENTsFlow() throws {
        let f = try Fixture()
        let issued = try f.renewals.issue(login: "marc.gerard", by: "agent", channel: .cli)
        let pdf = try f.renewals.printSlip(
            login: "marc.gerard", code: issued.code, schoolName: "Lycée", entURL: "https://ent.example.org",
            by: "agent", channel: .cli)
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        #expect(throws: RenewalError.notLive("marc.gerard")) {
            try f.renewals.printSlip(
                login: "marc.gerard", code: issued.code, schoolName: "Lycée", entURL: "https://ent.example.org",
                by: "agent", channel: .cli)
        }
        #expect(try f.journal().last?["action"] as String? == "renewal-slip-printed")
    }

    @Test func theSettingsNeverPrintThePassword() throws {
        let settings = try ENTSettings(
            url: "https://ent.example.org", adminLogin: "adml", password: "s3cret-adml", structureIDs: ["s"])
        #expect(!"\(settings)".contains("s3cret") && !String(reflecting: settings).contains("s3cret"))
    }

    @Test func plainHTTPIsRefusedExceptToLoopback() throws {
        #expect(throws: ENTSettingsError.self) {
            try ENTSettings(url: "http://ent.example.org", adminLogin: "a", password: "p", structureIDs: ["s"])
        }
        #expect(throws: Never.self) {
            _ = try ENTSettings(url: "http://127.0.0.2:8080/", adminLogin: "a", password: "p", structureIDs: ["s"])
            _ = try ENTSettings(url: "http://[::1]:8080", adminLogin: "a", password: "p", structureIDs: ["s"])
            _ = try ENTSettings(url: "https://ent.example.org", adminLogin: "a", password: "p", structureIDs: ["s"])
        }
    }

    @Test func aCardAfterAnUnansweredOneDoesNotWaitForTheENTAgain() throws {
        let f = try Fixture(["--delay", "3"])
        let start = Date()
        let first = Sheets.askENTForCard(f.temporary.database, login: "marc.gerard", session: f.session, now: start)
        #expect(first.code == "ent-unreachable")
        // The ENT answers again; the next card, within the quiet time, does not ask (it would have waited 2 s).
        try f.ent.set(["delay": 0])
        let next = Sheets.askENTForCard(
            f.temporary.database, login: "marc.gerard", session: f.session, now: start.addingTimeInterval(5))
        #expect(next.code == "ent-unreachable" && next.detail?.contains("not asked") == true)
        // After it, cards ask again; sheets never stopped asking.
        let later = Sheets.askENTForCard(
            f.temporary.database, login: "marc.gerard", session: f.session, now: start.addingTimeInterval(31))
        #expect(later.checked && later.activated == true)
        #expect(try f.ent.log().filter { $0["path"] as? String == "/directory/user/admin/list" }.count == 1)
        let sheet = Sheets.askENT(
            f.temporary.database, login: "marc.gerard", session: f.session, now: start.addingTimeInterval(6))
        if case .checked = sheet {} else { Issue.record("the sheet's look-up did not ask the ENT: \(sheet)") }
    }
}
