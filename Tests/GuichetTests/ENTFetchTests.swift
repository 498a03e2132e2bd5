import Foundation
import GRDB
import TestSupport
import Testing
@testable import Guichet

/// `guichet ent fetch` and `guichet ent check` against the fake entcore.
@Suite(.serialized) struct ENTFetchTests {
    func session(_ ent: FakeENT, structures: [String] = [FakeENT.structure]) throws -> ENTSession {
        ENTSession(
            settings: try ENTSettings(
                url: ent.url, adminLogin: FakeENT.adminLogin, password: FakeENT.adminPassword,
                structureIDs: structures))
    }

    func logins(_ t: TemporaryDatabase) throws -> [String] {
        try t.database.writer.read { db in try String.fetchAll(db, sql: "SELECT login FROM account ORDER BY login") }
    }

    @Test func fetchImportsEveryStructuresExportAsOneImport() throws {
        let ent = try FakeENT(["--administers", "s-lycee,s-other"])
        let t = try TemporaryDatabase()
        let summary = try ENTFetch.run(
            session: try session(ent, structures: ["s-lycee", "s-other"]), into: t.database, staff: "ent-fetch")
        #expect(summary.added == 6)
        #expect(try logins(t) == ["guichet.adml", "hugo.petit", "lea.martin", "marc.gerard", "paul.gerard", "zoe.gerard"])
        // Read again: nothing changed, nobody gone.
        let again = try ENTFetch.run(
            session: try session(ent, structures: ["s-lycee", "s-other"]), into: t.database, staff: "ent-fetch")
        #expect(again.unchanged == 6 && again.goneFromFeed == 0)
    }

    @Test func aRefusedExportChangesNothing() throws {
        let ent = try FakeENT()  // administers s-lycee only
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        let before = try logins(t)
        #expect(throws: ENTError.self) {
            try ENTFetch.run(session: try session(ent, structures: ["s-lycee", "s-other"]), into: t.database, staff: "ent-fetch")
        }
        #expect(try logins(t) == before)
        let mfa = try FakeENT(["--mfa"])
        #expect(throws: ENTError.mfaRequired) {
            try ENTFetch.run(session: try session(mfa), into: t.database, staff: "ent-fetch")
        }
        #expect(try logins(t) == before)
    }

    @Test func checkSaysOneLinePerStep() throws {
        let ent = try FakeENT()
        let lines = try session(ent, structures: ["s-lycee", "s-other"]).check()
        #expect(lines.map(\.check) == ["reachable", "tls", "sign-in", "xsrf", "structure s-lycee", "structure s-other", "mfa"])
        #expect(lines.map(\.outcome) == [.ok, .skipped, .ok, .ok, .ok, .failed, .ok])

        let mfa = try FakeENT(["--mfa"])
        #expect(
            try session(mfa).check().last
                == ENTCheckLine(
                    check: "mfa", outcome: .failed,
                    detail:
                        "demanded for administrators: the ENT's /directory routes send to /auth/validate-mfa (renewal codes still work)"
                ))

        let wrong = try FakeENT()
        let refused = ENTSession(
            settings: try ENTSettings(
                url: wrong.url, adminLogin: FakeENT.adminLogin, password: "nope",
                structureIDs: [FakeENT.structure])
        ).check()
        #expect(refused.map(\.check) == ["reachable", "tls", "sign-in"] && refused.last?.outcome == .failed)

        let down = try FakeENT(["--down"])
        #expect(try session(down).check().map(\.outcome) == [.failed])
    }

    @Test func checkProvesXSRFWithAPostThatChangesNothing() throws {
        let ent = try FakeENT()
        let lines = try session(ent).check()
        let xsrf = try #require(lines.first { $0.check == "xsrf" })
        #expect(xsrf.outcome == .ok && xsrf.detail.hasPrefix("accepted"))
        // The probe is the renewal-code route with an empty login, sent with the token: refused before any write.
        let probes = try ent.log().filter { $0["path"] as? String == "/auth/generatePasswordRenewalCode" }
        #expect(probes.count == 1 && probes[0]["xsrf"] as? Bool == true && probes[0]["status"] as? Int == 401)
        #expect(try ent.codes().isEmpty)

        // A proxy in front of the ENT that drops the X-XSRF-TOKEN header: every renewal code would be refused.
        try ent.set(["strip_xsrf": true])
        let stripped = try #require(try session(ent).check().first { $0.check == "xsrf" })
        #expect(
            stripped
                == ENTCheckLine(
                    check: "xsrf", outcome: .failed, detail: "refused (invalid.xsrf.token): renewal codes will be refused"))
    }
}
