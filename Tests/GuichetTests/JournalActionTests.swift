import Foundation
import GRDB
import Testing
@testable import Guichet

/// Every kind of action writes exactly one row, of its kind, in its own transaction; a failed action writes none.
@Suite struct JournalActionTests {
    let paris = JournalFixture.paris

    /// Runs `action` and returns how many rows it added and the last row's action.
    func rowsWritten(_ t: TemporaryDatabase, _ action: () throws -> Void) throws -> (added: Int, last: String?) {
        let before = try JournalFixture.count(t)
        try action()
        return (try JournalFixture.count(t) - before, try JournalFixture.lastAction(t))
    }

    /// Runs an action that must fail and returns how many rows it added (it must be 0).
    func rowsWrittenByFailure(_ t: TemporaryDatabase, _ action: () throws -> Void) throws -> Int {
        let before = try JournalFixture.count(t)
        #expect(throws: (any Error).self) { try action() }
        return try JournalFixture.count(t) - before
    }

    func ready() throws -> TemporaryDatabase {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        try Staff.add(t.database, name: "agent", role: .agent, password: "agent-password-1", by: "admin")
        return t
    }

    @Test(arguments: JournalAction.allCases)
    func everyActionKindWritesExactlyOneRow(_ kind: JournalAction) throws {
        let t = try ready()
        let db = t.database
        let today = JournalDay.of(Date(), in: paris)
        let codes = try RenewalCodes(database: db)
        let sheetSettings = SheetSettings(schoolName: "Lycée Jean-Jaurès", entURL: "https://ent.example.org")
        var classe = BatchFilter()
        classe.classes = ["2NDE 3"]
        nonisolated(unsafe) var issued: RenewalCodes.Issued?
        // What an action needs to have happened before it (not counted).
        let prepare: [JournalAction: () throws -> Void] = [
            .renewalSlipPrinted: { issued = try codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk) },
            .renewalRedeemed: { issued = try codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk) },
            .renewalRefused: { issued = try codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk) },
            .renewalVoided: {
                issued = try codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
                for _ in 0..<4 { _ = try? codes.redeem(login: "marc.gerard", code: "wrongcod", by: "apikey:test") }
            },
            .apiKeyRevoked: { _ = try APIKeys.create(db, name: "connector", by: "admin") },
            .mailSent: { _ = try Mailing.queueDesk(db, login: "sophie.gerard", staff: "agent", channel: .kiosk) },
            .mailFailed: { _ = try Mailing.queueDesk(db, login: "sophie.gerard", staff: "agent", channel: .kiosk) }
        ]
        // The relay is a stand-in here (MailSenderTests talks to a real one): accepted, or refused.
        struct Refused: Error {}
        let mailSettings = MailSettings(host: "127.0.0.1", port: 25, security: .none, fromAddress: "accueil@lycee.example.org")
        // The fifth wrong attempt is refused and voids the code: two facts, two rows.
        let expectedRows: [JournalAction: Int] = [.renewalVoided: 2]
        // One action per kind, run through the code that journals it. A dictionary rather than a switch: kinds that
        // other parts of Guichet add are reported missing here instead of breaking the build.
        let actions: [JournalAction: () throws -> Void] = [
            .importRun: { try t.importCSV(ENTExport.family.text) },
            .signIn: {
                _ = try Staff.signIn(db, name: "agent", password: "agent-password-1", channel: .kiosk, remoteAddress: "::1")
            },
            .signInFailed: { _ = try Staff.signIn(db, name: "agent", password: "nope", channel: .kiosk, remoteAddress: "::1") },
            .signOut: { try Staff.signOut(db, name: "agent", reason: "sign-out", channel: .kiosk) },
            .signInFailures: {
                try Staff.journal(
                    db,
                    bursts: [
                        SignInBurst(
                            from: "127.0.0.2", failures: 5, refused: 20, names: 1, first: "2026-11-21T08:00:00Z",
                            last: "2026-11-21T08:01:00Z")
                    ], channel: .kiosk)
            },
            .journalKeyed: {
                // A journal from before the key, just migrated to v12 (no point yet): its next row states the point.
                try db.writer.writeWithoutTransaction { db in try JournalFixture.makeUnkeyed(db) }
                try Journal.writeKeyingPoint(db.writer)
            },
            .databaseRestored: {
                let backup = t.folder.appendingPathComponent("backup.sqlite3").path
                _ = try Backup.take(db, to: backup)
                _ = try Backup.restore(from: backup, into: db.path, by: "admin")
            },
            .staffRoleChanged: { try Staff.setRole(db, name: "agent", role: .reviewer, by: "admin") },
            .search: { _ = try Search.journalled(SearchQuery(text: "gerard"), in: db, staff: "agent", channel: .kiosk) },
            .accountViewed: {
                _ = try Accounts.detail(db, login: "zoe.gerard", revealCode: false, staff: "agent", channel: .kiosk)
            },
            .codeRevealed: {
                _ = try Accounts.detail(db, login: "zoe.gerard", revealCode: true, staff: "agent", channel: .kiosk)
            },
            .staffAdded: { try Staff.add(db, name: "other", role: .agent, password: "other-password-1", by: "admin") },
            .staffDisabled: { try Staff.disable(db, name: "agent", by: "admin") },
            .staffPasswordChanged: { try Staff.setPassword(db, name: "agent", password: "new-password-22", by: "admin") },
            .journalExported: {
                try Journal.export(db, from: today, to: today, format: .json, staff: "cpe", channel: .cli, timeZone: self.paris) {
                    _ in
                }
            },
            .reviewSignedOff: { _ = try Journal.signOff(db, day: today, staff: "cpe", channel: .kiosk, timeZone: self.paris) },
            .journalPurged: { try Journal.purge(db, keepMonths: 6, staff: "system", channel: .cli, timeZone: self.paris) },
            .sheetPrinted: {
                _ = try Sheets.printAtDesk(
                    db, login: "zoe.gerard", idCheck: .passport, recipient: .owner, staff: "agent",
                    channel: .kiosk, settings: sheetSettings)
            },
            .batchPrinted: {
                _ = try Sheets.batch(
                    db, filter: classe, sort: [.class], perPage: .eight, staff: "cpe", channel: .cli,
                    settings: sheetSettings)
            },
            .batchExported: { _ = try Sheets.batchCSV(db, filter: classe, sort: [.class], staff: "cpe", channel: .cli) },
            .printFailed: {
                try Sheets.journalPrintFailure(
                    db, number: 1, login: "zoe.gerard", printer: "desk", error: "lp: no such printer",
                    staff: "agent", channel: .kiosk)
            },
            .renewalIssued: { _ = try codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk) },
            .renewalSlipPrinted: {
                _ = try codes.printSlip(
                    login: "marc.gerard", code: issued!.code, schoolName: "Lycée", entURL: "https://ent.example.org",
                    by: "agent", channel: .kiosk)
            },
            .renewalRedeemed: { _ = try codes.redeem(login: "marc.gerard", code: issued!.code, by: "apikey:test") },
            .renewalRefused: { _ = try? codes.redeem(login: "marc.gerard", code: "wrongcod", by: "apikey:test") },
            .renewalVoided: { _ = try? codes.redeem(login: "marc.gerard", code: "wrongcod", by: "apikey:test") },
            .apiKeyCreated: { _ = try APIKeys.create(db, name: "connector", by: "admin") },
            .apiKeyRevoked: { try APIKeys.revoke(db, name: "connector", by: "admin") },
            .mailQueued: { _ = try Mailing.queueDesk(db, login: "sophie.gerard", staff: "agent", channel: .kiosk) },
            .mailSent: {
                try MailSender(database: db, mail: mailSettings, sheets: sheetSettings, transport: { _ in 250 }).sendNext()
            },
            .mailFailed: {
                try MailSender(database: db, mail: mailSettings, sheets: sheetSettings, transport: { _ in throw Refused() })
                    .sendNext()
            },
            .renewalIssueFailed: {
                // Nothing listens on port 1 of loopback: the ENT is unreachable, which is journalled.
                let ent = try ENTSettings(url: "http://127.0.0.1:1", adminLogin: "adml", password: "p", structureIDs: ["s"])
                _ = try? ENTRenewals(database: db, session: ENTSession(settings: ent)).issue(
                    login: "marc.gerard", by: "agent", channel: .kiosk)
            },
            .sheetRefused: { try Sheets.journalBlocked(db, login: "marc.gerard", staff: "agent", channel: .kiosk) }
        ]
        guard let action = actions[kind] else {
            Issue.record("no one-row test for the action \(kind.rawValue): add it to this table")
            return
        }
        try prepare[kind]?()
        let written = try rowsWritten(t, action)
        let expected = expectedRows[kind] ?? 1
        #expect(written.added == expected, "\(kind.rawValue) wrote \(written.added) rows")
        #expect(written.last == kind.rawValue)
        #expect(try db.writer.read { db in try Journal.verify(db) }.signOffsChecked <= 1)
    }

    @Test func failedActionsWriteNoRow() throws {
        let t = try ready()
        let db = t.database
        let today = JournalDay.of(Date(), in: paris)
        var bad = ENTExport()
        bad.add(id: "new", type: "Student", last: "Neuf", first: "Paul", login: "paul.neuf")
        bad.add(id: "other", type: "Student", last: "Gérard", first: "Zoé", login: "zoe.gerard")
        #expect(try rowsWrittenByFailure(t) { try t.importCSV(bad.text) } == 0)
        #expect(
            try rowsWrittenByFailure(t) {
                try Staff.add(db, name: "agent", role: .agent, password: "agent-password-1", by: "admin")
            } == 0)
        #expect(
            try rowsWrittenByFailure(t) { try Staff.add(db, name: "weak", role: .agent, password: "short", by: "admin") } == 0)
        #expect(try rowsWrittenByFailure(t) { try Staff.disable(db, name: "nobody", by: "admin") } == 0)
        #expect(
            try rowsWrittenByFailure(t) { try Staff.setPassword(db, name: "nobody", password: "long-enough-pw", by: "admin") }
                == 0)
        struct DiskFull: Error {}
        #expect(
            try rowsWrittenByFailure(t) {
                try Journal.export(db, from: today, to: today, format: .csv, staff: "cpe", channel: .cli, timeZone: paris) { _ in
                    throw DiskFull()
                }
            } == 0)
        #expect(
            try rowsWrittenByFailure(t) { try Journal.purge(db, keepMonths: 3, staff: "system", channel: .cli, timeZone: paris) }
                == 0)
        #expect(
            try rowsWrittenByFailure(t) {
                _ = try Journal.signOff(db, day: today.adding(days: 1), staff: "cpe", channel: .kiosk, timeZone: paris)
            } == 0)
        _ = try Journal.signOff(db, day: today, staff: "cpe", channel: .kiosk, timeZone: paris)
        // The same head again: refused, and the refusal writes nothing.
        #expect(
            try rowsWrittenByFailure(t) {
                _ = try Journal.signOff(db, day: today, staff: "cpe", channel: .kiosk, timeZone: paris)
            } == 0)
        // A card that does not exist is no action: no row.
        let before = try JournalFixture.count(t)
        #expect(try Accounts.detail(db, login: "nobody", revealCode: true, staff: "agent", channel: .kiosk) == nil)
        #expect(try JournalFixture.count(t) == before)
    }

    @Test func aSignOffOfABrokenChainIsRefusedAndWritesNothing() throws {
        let t = try ready()
        try t.database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER journal_no_update; UPDATE journal SET staff = 'someone' WHERE seq = 1")
        }
        let before = try JournalFixture.count(t)
        #expect {
            _ = try Journal.signOff(
                t.database, day: JournalDay.of(Date(), in: paris), staff: "cpe", channel: .kiosk, timeZone: paris)
        } throws: { error in
            guard case SignOffError.broken(.broken(let seq, _)) = error else { return false }
            return seq == 1
        }
        #expect(try JournalFixture.count(t) == before)
    }
}
