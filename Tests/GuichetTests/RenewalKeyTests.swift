import Foundation
import GRDB
import GuichetCrypto
import TestSupport
import Testing
@testable import Guichet

/// Every way a code could be spelt in a file: as issued, in capitals, grouped, and as hex of its bytes.
func spellings(of code: String) -> [[UInt8]] {
    let texts = [code, code.uppercased(), code.grouped(by: 4), code.grouped(by: 4).uppercased()]
    let hex = [hexString(Array(code.utf8)), hexString(Array(code.utf8)).uppercased()]
    let utf16 = Array(code.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    return (texts + hex).map { Array($0.utf8) } + [utf16]
}

/// True when `needle` occurs in `haystack`.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count, let first = needle.first else { return false }
    var index = 0
    while index <= haystack.count - needle.count {
        if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
        index += 1
    }
    return false
}

@Suite struct RenewalKeyTests {
    @Test func noCodeIsWrittenToTheDatabaseOrItsWAL() throws {
        let f = try RenewalFixture()
        var issued: [String] = []
        for login in ["marc.gerard", "ines.gerard", "camille.martin", "marc.gerard"] {
            issued.append(try f.codes.issue(login: login, by: "agent", channel: .kiosk).code)
        }
        _ = f.refusal("ines.gerard", "dddddddd")
        _ = try f.codes.printSlip(
            login: "ines.gerard", code: issued[1], schoolName: "Lycée", entURL: "https://ent.example.org",
            by: "agent", channel: .kiosk)
        let files = [f.database.path, f.database.path + "-wal"]
        let walSize = (try FileManager.default.attributesOfItem(atPath: files[1])[.size] as? Int) ?? 0
        #expect(walSize > 0, "the writes should still be in the WAL for this test to look at it")
        // The search itself is checked on the WAL, which holds the renewal rows written above.
        let wal = Array(try Data(contentsOf: URL(fileURLWithPath: files[1])))
        let sanity = contains(wal, Array("renewal-issued".utf8))
        #expect(sanity, "the WAL should hold the journal rows of the issues")
        func leaks(_ file: String) throws -> [String] {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            return issued.filter { code in spellings(of: code).contains { contains(bytes, $0) } }
        }
        for file in files { #expect(try leaks(file) == [], "a code is in \(file)") }
        // After a checkpoint too: the main file then holds what the WAL held.
        try f.database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let main = Array(try Data(contentsOf: URL(fileURLWithPath: files[0])))
        let checkpointed = contains(main, Array("renewal-issued".utf8))
        #expect(checkpointed)
        #expect(try leaks(files[0]) == [])
    }

    @Test func theKeyFileIsCreatedPrivateAndReused() throws {
        let f = try RenewalFixture()
        let path = RenewalKey.path(besideDatabase: f.database.path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.size] as? Int) == 32)
        let issued = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        // Another process (a restart, the command line) reads the same key and so redeems the same code.
        let again = try RenewalCodes(database: f.database, now: f.clock.function)
        #expect(again.key.bytes == f.codes.key.bytes)
        #expect(try again.redeem(login: "marc.gerard", code: issued.code, by: "apikey:test") == "marc.gerard")
    }

    @Test func aKeyFileReadableByOthersOrOfTheWrongSizeIsRefused() throws {
        let f = try RenewalFixture()
        let path = RenewalKey.path(besideDatabase: f.database.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: RenewalError.self) { try RenewalCodes(database: f.database) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(throws: RenewalError.self) { try RenewalCodes(database: f.database) }
    }

    @Test func theSlipShowsTheLiveCodeAndIsJournalledWithoutIt() throws {
        let f = try RenewalFixture()
        let issued = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        let pdf = try f.codes.printSlip(
            login: "marc.gerard", code: issued.code.grouped(by: 4), schoolName: "Lycée Jean-Jaurès",
            entURL: "https://ent.example.org", by: "agent", channel: .kiosk)
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let text = try pdfText(pdf)
        for expected in ["Lycée Jean-Jaurès", "GÉRARD Marc", "marc.gerard", issued.code.grouped(by: 4), "https://ent.example.org"]
        {
            #expect(text.contains(expected), "the slip lacks \(expected)")
        }
        let last = try #require(try f.journal().last)
        #expect(last["action"] == "renewal-slip-printed" && last["target"] == "marc.gerard")
        #expect(text.contains("n° \(last["seq"] as Int64)"))
        #expect(!(last["details"] as String).contains(issued.code))
        // Once: the same live code's slip a second time is refused, and journals nothing more.
        let rows = try f.journal().count
        #expect(throws: RenewalError.slipAlreadyPrinted("marc.gerard")) {
            try f.codes.printSlip(
                login: "marc.gerard", code: issued.code, schoolName: "L", entURL: "u", by: "agent", channel: .kiosk)
        }
        #expect(try f.journal().count == rows)
        // Not the live code: refused, and counted as a guess (journalled); the code stays live below the limit.
        #expect(throws: RenewalError.notLive("marc.gerard")) {
            try f.codes.printSlip(
                login: "marc.gerard", code: "eeeeeeee", schoolName: "L", entURL: "u", by: "agent", channel: .kiosk)
        }
        #expect(try f.state(of: "marc.gerard") == ["live"])
        #expect(try f.journal().last?["action"] == "renewal-refused")
        f.clock.advance(24 * 3600)
        #expect(throws: RenewalError.notLive("marc.gerard")) {
            try f.codes.printSlip(
                login: "marc.gerard", code: issued.code, schoolName: "L", entURL: "u", by: "agent", channel: .kiosk)
        }
    }

    @Test func guessesOnTheSlipAreCountedAndTheLastAllowedOneVoidsTheCode() throws {
        let f = try RenewalFixture()
        let issued = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        for _ in 0..<5 {
            #expect(throws: RenewalError.notLive("marc.gerard")) {
                try f.codes.printSlip(
                    login: "marc.gerard", code: "eeeeeeee", schoolName: "L", entURL: "u", by: "agent", channel: .kiosk)
            }
        }
        #expect(try f.state(of: "marc.gerard") == ["voided"])
        // The right code no longer makes a slip: the guesses voided it.
        #expect(throws: RenewalError.notLive("marc.gerard")) {
            try f.codes.printSlip(
                login: "marc.gerard", code: issued.code, schoolName: "L", entURL: "u", by: "agent", channel: .kiosk)
        }
        // A new code gets its own slip, once.
        let next = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        _ = try f.codes.printSlip(
            login: "marc.gerard", code: next.code, schoolName: "L", entURL: "u", by: "agent", channel: .kiosk)
    }

    @Test func apiKeysAreShownOnceStoredHashedAndRevocable() throws {
        let f = try RenewalFixture()
        let key = try APIKeys.create(f.database, name: "ent-connector", by: "admin")
        #expect(key.hasPrefix("gk_") && key.count == 46)
        #expect(throws: APIKeyError(kind: .exists, name: "ENT-connector")) {
            try APIKeys.create(f.database, name: "ENT-connector", by: nil)
        }
        #expect(throws: APIKeyError(kind: .invalidName, name: "a b")) { try APIKeys.create(f.database, name: "a b", by: nil) }
        #expect(try APIKeys.check(f.database, presented: key) == .valid(name: "ent-connector"))
        #expect(try APIKeys.check(f.database, presented: key + "x") == .unknown)
        #expect(try APIKeys.check(f.database, presented: "") == .unknown)
        let stored = try f.database.writer.read { db in try String.fetchAll(db, sql: "SELECT key_hash FROM api_key") }
        #expect(stored == [hexString(Digest.sha256(Array(key.utf8)))])
        try APIKeys.revoke(f.database, name: "ent-connector", by: "admin")
        #expect(try APIKeys.check(f.database, presented: key) == .revoked(name: "ent-connector"))
        #expect(throws: APIKeyError(kind: .alreadyRevoked, name: "ent-connector")) {
            try APIKeys.revoke(f.database, name: "ent-connector", by: nil)
        }
        #expect(try APIKeys.list(f.database).map(\.name) == ["ent-connector"])
        #expect(try APIKeys.list(f.database).first?.revokedAt != nil)
        let actions = try f.journal().map { $0["action"] as String }
        #expect(actions.suffix(2) == ["api-key-created", "api-key-revoked"])
    }
}
