import Foundation
import GRDB
@testable import Guichet

/// Journals for the journal's tests: a real one written by the real actions, raw rows of any kind at any time, and
/// copies with the triggers dropped, as someone tampering with the file would have them.
enum JournalFixture {
    static let paris = TimeZone(identifier: "Europe/Paris")!

    /// A journal of several hundred rows written by the actions themselves: old rows then a purge (so the chain
    /// starts at an anchor), an import, staff changes, sign-ins good and bad, searches, card views and code reveals,
    /// exports and sign-offs.
    static func real(searches: Int = 220) throws -> TemporaryDatabase {
        let t = try TemporaryDatabase()
        let old = Date().addingTimeInterval(-400 * 86_400)
        try t.database.writer.write { db in
            for i in 0..<20 {
                try Journal.append(
                    db, JournalEntry(staff: "ancien", channel: .kiosk, action: .search, details: ["query": "vieux \(i)"]),
                    at: old.addingTimeInterval(Double(i) * 60))
            }
        }
        try Journal.purge(t.database, keepMonths: 12, staff: "system", channel: .cli, timeZone: paris)
        try t.importCSV(ENTExport.family.text)
        try Staff.add(t.database, name: "agent", role: .agent, password: "agent-password-1", by: "admin")
        try Staff.add(t.database, name: "cpe", role: .reviewer, password: "reviewer-password-1", by: "admin")
        _ = try Staff.signIn(t.database, name: "agent", password: "agent-password-1", channel: .kiosk, remoteAddress: "127.0.0.1")
        _ = try Staff.signIn(t.database, name: "agent", password: "wrong", channel: .kiosk, remoteAddress: "127.0.0.1")
        let words = ["gérard", "zoé", "nathanael", "coeur", "martin", "n'diaye", "2nde 3", "camille", "ines", "lea"]
        let logins = ["zoe.gerard", "sophie.gerard", "nathanael.ndiaye", "aissatou.ndiaye", "lea.coeur", "helene.lefevre-coeur"]
        for i in 0..<searches {
            _ = try Search.journalled(
                SearchQuery(text: words[i % words.count]), in: t.database, staff: i % 3 == 0 ? "cpe" : "agent", channel: .kiosk)
            if i % 2 == 0 {
                _ = try Accounts.detail(
                    t.database, login: logins[i % logins.count], revealCode: i % 6 == 0, staff: "agent", channel: .kiosk)
            }
            if i % 50 == 49 {
                _ = try Journal.signOff(
                    t.database, day: JournalDay.of(Date(), in: paris), staff: "cpe", channel: .kiosk, timeZone: paris)
            }
        }
        try Journal.export(
            t.database, from: JournalDay("2020-01-01")!, to: JournalDay.of(Date(), in: paris), format: .csv,
            staff: "cpe", channel: .cli, timeZone: paris
        ) { _ in }
        try Staff.setPassword(t.database, name: "agent", password: "another-password-2", by: "admin")
        try Staff.disable(t.database, name: "agent", by: "admin")
        try Staff.signOut(t.database, name: "cpe", reason: "sign-out", channel: .kiosk)
        return t
    }

    /// Appends a row of any action name (sheets and codes are journalled by other modules) at a given instant.
    @discardableResult
    static func appendRaw(
        _ db: Database, action: String, staff: String? = "agent", target: String? = nil,
        details: String = "{}", at: Date
    ) throws -> Int64 {
        let head = try Journal.head(db)
        let row = JournalRow(
            seq: (head?.seq ?? 0) + 1, at: Timestamp.format(at), staff: staff, channel: "kiosk",
            action: action, target: target, details: details,
            previousHash: head?.hash ?? Journal.genesisHash, hash: "")
        // Sealed as `Journal.append` seals (with the journal key): a raw row is a genuine one.
        try db.execute(
            sql: "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                row.seq, row.at, row.staff, row.channel, row.action, row.target, row.details,
                row.previousHash, try Journal.expectedHash(db, row, keyedFrom: Journal.keyedFrom(db), mayCreateKey: true)
            ])
        return row.seq
    }

    /// An in-memory copy of the database with the journal's triggers dropped.
    static func untriggeredCopy(of t: TemporaryDatabase) throws -> DatabaseQueue {
        var configuration = Configuration()
        let secret = t.database.secret
        configuration.prepareDatabase { db in Journal.installKey(db, secret: secret) }
        let copy = try DatabaseQueue(configuration: configuration)
        try t.database.writer.backup(to: copy)
        try copy.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete")
        }
        return copy
    }

    /// Recomputes prev_hash and hash of every row from `seq` on: what a forger who understood the chain and held the
    /// journal key would do after editing a row. Only a sign-off, the witness (or the paper) can then tell.
    static func rechain(_ db: Database, from seq: Int64) throws {
        var previous =
            try String.fetchOne(db, sql: "SELECT hash FROM journal WHERE seq = ?", arguments: [seq - 1]) ?? Journal.genesisHash
        for r in try Row.fetchAll(db, sql: "SELECT * FROM journal WHERE seq >= ? ORDER BY seq", arguments: [seq]) {
            var row = JournalRow(row: r)
            row.previousHash = previous
            previous = try Journal.expectedHash(db, row, keyedFrom: Journal.keyedFrom(db))
            try db.execute(
                sql: "UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?", arguments: [row.previousHash, previous, row.seq])
        }
    }

    /// Appends `count` search rows as a release before migration v12 wrote them: SHA-256 chained, straight into the
    /// table (today's `append` needs the keyed schema).
    static func insertUnkeyed(_ db: Database, count: Int) throws {
        var previous = Journal.genesisHash
        for i in 0..<count {
            let entry = JournalEntry(staff: "agent", channel: .kiosk, action: .search, details: ["q": "\(i)"])
            var row = JournalRow(
                seq: Int64(i + 1), at: Timestamp.format(Date()), staff: entry.staff, channel: entry.channel.rawValue,
                action: entry.action.rawValue, target: entry.target, details: entry.detailsJSON, previousHash: previous,
                hash: "")
            row.hash = row.computedHash()
            try db.execute(
                sql: "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [row.seq, row.at, row.staff, row.channel, row.action, row.target, row.details, previous, row.hash])
            previous = row.hash
        }
    }

    /// Turns the journal into one written before migration v12 and just migrated: an empty `journal_keying`, every
    /// row hashed with SHA-256 (the triggers are put back exactly as they were).
    static func makeUnkeyed(_ db: Database) throws {
        let triggers = try String.fetchAll(
            db, sql: "SELECT sql FROM sqlite_master WHERE name IN ('journal_no_update', 'journal_keying_no_delete')")
        try db.execute(
            sql: "DROP TRIGGER journal_keying_no_delete; DELETE FROM journal_keying; DROP TRIGGER journal_no_update")
        var previous: String? = nil
        for r in try Row.fetchAll(db, sql: "SELECT * FROM journal ORDER BY seq") {
            var row = JournalRow(row: r)
            row.previousHash = previous ?? row.previousHash
            previous = row.computedHash()
            try db.execute(
                sql: "UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?", arguments: [row.previousHash, previous, row.seq])
        }
        for trigger in triggers { try db.execute(sql: trigger) }
    }

    /// `verify`'s verdict: nil when the journal is valid.
    static func verdict(_ db: some DatabaseReader) throws -> JournalError? {
        do { _ = try db.read { db in try Journal.verify(db) }; return nil } catch let error as JournalError { return error }
    }

    static func count(_ t: TemporaryDatabase) throws -> Int {
        try t.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM journal") ?? 0 }
    }

    static func lastAction(_ t: TemporaryDatabase) throws -> String? {
        try t.database.writer.read { db in try String.fetchOne(db, sql: "SELECT action FROM journal ORDER BY seq DESC LIMIT 1") }
    }
}

/// A small seeded generator (SplitMix64): the property test replays the same tampering on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
