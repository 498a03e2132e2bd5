import Foundation
import GRDB
import Guichet
import Testing
@testable import GuichetServer

/// `guichet doctor`'s findings: plain sentences, a problem for what stops the desk, nothing written.
@Suite struct DoctorTests {
    func doctor(_ h: Harness, _ configure: (inout Doctor) -> Void = { _ in }) -> Doctor {
        var configuration = GuichetConfiguration()
        configuration.source = "/etc/guichet/guichet.toml"
        var d = Doctor(configuration: configuration, databasePath: h.database.path, kioskRoot: Harness.kioskRoot)
        d.freeBytes = { _ in 50 << 30 }
        d.printerStatus = { _ in (0, "printer accueil is idle.  enabled since Fri 20 Nov 2026 08:00:00 CET") }
        configure(&d)
        return d
    }

    func problems(_ findings: [Doctor.Finding]) -> [String] {
        findings.filter { $0.level == .problem }.map { "\($0.subject): \($0.message)" }
    }

    @Test func aHealthyInstallationHasNoProblem() throws {
        let h = try Harness()
        let findings = doctor(h) { $0.configuration.print.printer = "accueil" }.run()
        #expect(problems(findings).isEmpty, "\(findings)")
        #expect(
            findings.map(\.subject) == [
                "configuration", "listening", "kiosk page", "database", "journal", "renewal key", "journal key",
                "data", "printer", "disk"
            ])
        #expect(
            findings.first { $0.subject == "printer" }?.message
                == "printer accueil is idle.  enabled since Fri 20 Nov 2026 08:00:00 CET")
        #expect(
            findings.first { $0.subject == "journal" }?.message.hasPrefix(
                "\(try h.journalActions().count) entries, the hash chain verifies") == true)
    }

    @Test func staleDataIsAProblem() throws {
        let h = try Harness()
        let p = problems(doctor(h) { $0.now = Date().addingTimeInterval(10 * 86_400) }.run())
        #expect(p.count == 1 && p[0].hasPrefix("data: the ENT's data is 10 days old") && p[0].contains("[kiosk] stale_days = 3"))
    }

    @Test func aMissingDatabaseIsReportedAndNotCreated() throws {
        let h = try Harness()
        let path = h.folder.appendingPathComponent("absent.sqlite3").path
        let p = problems(doctor(h) { $0.databasePath = path }.run())
        #expect(
            p == ["database: no database at \(path): import the ENT's export first (guichet import, or drop it in the inbox)"])
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aBrokenJournalIsAProblem() throws {
        let h = try Harness()
        try h.database.writer.write { db in
            try db.execute(sql: "DROP TRIGGER journal_no_delete")
            try db.execute(sql: "DELETE FROM journal WHERE seq = 2")
        }
        let p = problems(doctor(h).run())
        #expect(
            p == [
                "journal: journal row 3 is bad: row 2 is missing (sequence jumps to 3); the journal was altered outside Guichet"
            ])
    }

    @Test func aPrinterCUPSDoesNotKnowOrHasStoppedIsAProblem() throws {
        let h = try Harness()
        let unknown = problems(
            doctor(h) {
                $0.configuration.print.printer = "hp"
                $0.printerStatus = { _ in (1, "lpstat: Invalid destination name in list \"hp\".\n") }
            }.run())
        #expect(unknown == ["printer: hp is not ready: lpstat: Invalid destination name in list \"hp\"."])
        let stopped = problems(
            doctor(h) {
                $0.configuration.print.printer = "hp"
                $0.printerStatus = { _ in (0, "printer hp disabled since Fri 20 Nov 2026 -\n\tPaused") }
            }.run())
        #expect(stopped == ["printer: hp is not ready: printer hp disabled since Fri 20 Nov 2026 - \tPaused"])
    }

    @Test func littleFreeDiskIsAProblemAndSomewhatLittleAWarning() throws {
        let h = try Harness()
        #expect(
            problems(doctor(h) { $0.freeBytes = { _ in 100 << 20 } }.run()) == [
                "disk: 100.0 MB free beside the database; backups and imports need room"
            ])
        #expect(doctor(h) { $0.freeBytes = { _ in 1 << 30 } }.run().first { $0.subject == "disk" }?.level == .warning)
    }

    @Test func plainHTTPBeyondLoopbackAndAMissingKioskPageAreProblems() throws {
        let h = try Harness()
        let p = problems(
            doctor(h) {
                $0.configuration.server.bind = "0.0.0.0"
                $0.kioskRoot = nil
            }.run())
        #expect(
            p.count == 2 && p[0].hasPrefix("listening: 0.0.0.0 is reachable from the network without [tls]")
                && p[1].hasPrefix("kiosk page:"))
    }

    @Test func refusedExportsInTheInboxAreAWarning() throws {
        let h = try Harness()
        let rejected = h.folder.appendingPathComponent("inbox/rejected")
        try FileManager.default.createDirectory(at: rejected, withIntermediateDirectories: true)
        FileManager.default.createFile(
            atPath: rejected.appendingPathComponent("2026-11-20T0300-export.csv").path, contents: Data())
        let finding = try #require(doctor(h).run().first { $0.subject == "inbox" })
        #expect(finding.level == .warning && finding.message.contains("1 refused export(s)"))
    }

    @Test func aRememberedRefusalOfTheENTSignInIsAWarningNamingItsFileAndTheRetry() throws {
        let h = try Harness()
        #expect(!doctor(h).run().contains { $0.subject == "ENT sign-in" })
        let memory = ENTSignInMemory(besideDatabase: h.database.path)
        try memory.remember(
            login: "guichet.admin", password: "wrong", reason: "auth.error.authenticationFailed",
            at: Date(timeIntervalSince1970: 1_796_000_000))
        let finding = try #require(doctor(h).run().first { $0.subject == "ENT sign-in" })
        #expect(finding.level == .warning)
        #expect(finding.message.contains(memory.path) && finding.message.contains("guichet ent check --retry"))
        #expect(finding.message.contains("auth.error.authenticationFailed"))
        #expect(!finding.message.contains("wrong"))
    }
}
