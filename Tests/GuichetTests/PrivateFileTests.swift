import Foundation
import Testing
@testable import Guichet
#if canImport(Glibc)
    import Glibc
#endif

/// Issue 18, item 7: files written for a person are 0600 and never written through a symbolic link; CSV cells that a
/// spreadsheet would run as formulas are neutralised.
@Suite struct PrivateFileTests {
    @Test func outputFilesAre0600AndNeverFollowASymlink() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("export.csv").path
        umask(0o022)
        try PrivateFile.write(Array("a;b\n".utf8), to: out)
        #expect((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int) == 0o600)
        // An existing file readable by others is made private before it is written.
        chmod(out, 0o644)
        try PrivateFile.write(Array("c\n".utf8), to: out)
        #expect((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "c\n")
        // A link planted at the name: refused, and its target untouched.
        let target = folder.appendingPathComponent("victim").path
        try "precious".write(toFile: target, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("sheets.pdf").path
        symlink(target, link)
        #expect(throws: PrivateFile.Refused.self) { try PrivateFile.write(Array("x".utf8), to: link) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious")
    }

    private func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func names(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    private func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    @Test func anAtomicWriteIsPrivateWholeAndLeavesOnlyItsFile() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = folder.appendingPathComponent("guichet.sqlite3.key").path
        let bytes = (0..<32).map { UInt8($0 * 7 % 256) }
        try PrivateFile.writeAtomically(bytes, to: key, placement: .neverReplacing)
        #expect(try mode(key) == 0o600)
        #expect(FileManager.default.contents(atPath: key) == Data(bytes))
        #expect(try names(in: folder) == ["guichet.sqlite3.key"])
        // Replacing: a file readable by others gives way to a private one, and only the new bytes remain.
        let memory = folder.appendingPathComponent("guichet.sqlite3.ent-sign-in-refused").path
        try "{\"version\": 0}\n".write(toFile: memory, atomically: false, encoding: .utf8)
        chmod(memory, 0o644)
        try PrivateFile.writeAtomically(Array("{\"version\": 1}\n".utf8), to: memory, placement: .replacing)
        #expect(try mode(memory) == 0o600)
        #expect(try String(contentsOfFile: memory, encoding: .utf8) == "{\"version\": 1}\n")
        try PrivateFile.writeAtomically([], to: memory, placement: .replacing)
        #expect(FileManager.default.contents(atPath: memory) == Data())
        #expect(try names(in: folder) == ["guichet.sqlite3.ent-sign-in-refused", "guichet.sqlite3.key"])
    }

    @Test func neverReplacingRefusesAnExistingFileAndLeavesItAsItWas() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = folder.appendingPathComponent("guichet.sqlite3.key").path
        try PrivateFile.writeAtomically(Array(repeating: 1, count: 32), to: key, placement: .neverReplacing)
        var refusal: PrivateFile.Refused?
        do {
            try PrivateFile.writeAtomically(Array(repeating: 2, count: 32), to: key, placement: .neverReplacing)
        } catch {
            refusal = error
        }
        #expect(refusal?.alreadyExists == true)
        #expect(refusal?.path == key)
        #expect(refusal.map { "\($0)".contains("File exists") } == true, "\(String(describing: refusal))")
        #expect(FileManager.default.contents(atPath: key) == Data(repeating: 1, count: 32))
        #expect(try names(in: folder) == ["guichet.sqlite3.key"])
    }

    @Test func aFailedWriteLeavesNoTemporaryFileBehind() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // rename(2) cannot put a file over a folder that holds something: the temporary file must go.
        let occupied = folder.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: false)
        try "x".write(to: occupied.appendingPathComponent("inside"), atomically: false, encoding: .utf8)
        #expect(throws: PrivateFile.Refused.self) {
            try PrivateFile.writeAtomically(Array("secret".utf8), to: occupied.path, placement: .replacing)
        }
        // link(2) onto an existing folder is refused (EEXIST), as onto a file.
        #expect(throws: PrivateFile.Refused.self) {
            try PrivateFile.writeAtomically(Array("secret".utf8), to: occupied.path, placement: .neverReplacing)
        }
        #expect(try names(in: folder) == ["occupied"])
        // A folder that does not exist: nothing can be created, and the error names the file.
        let missing = folder.appendingPathComponent("missing/guichet.sqlite3.key").path
        do {
            try PrivateFile.writeAtomically([1], to: missing, placement: .neverReplacing)
            Issue.record("writing into a missing folder succeeded")
        } catch {
            #expect(error.path == missing && error.reason.hasPrefix("cannot be created"), "\(error)")
        }
        #expect(try names(in: folder) == ["occupied"])
    }

    @Test func csvCellsStartingAFormulaAreNeutralised() throws {
        for cell in ["=HYPERLINK(\"http://x\")", "+33 6", "-2+3", "@SUM(A1)", "\t=1"] {
            #expect(CSVCell.neutralised(cell) == "'" + cell)
        }
        #expect(CSVCell.neutralised("Zoé") == "Zoé" && CSVCell.neutralised("") == "")
        #expect(Journal.csvField("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0")
        let report = String(decoding: Mailing.reportCSV([]), as: UTF8.self)
        #expect(report.hasPrefix("\u{FEFF}\"login\""))
    }
}
