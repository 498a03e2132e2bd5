import Foundation
@testable import Guichet
import Testing
@testable import GuichetServer

/// `[ent]`'s administrator connection: its keys, the password file's mode, https or loopback only.
@Suite struct ConfigurationENTTests {
    func withPasswordFile(mode: Int, _ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-entconf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ent-password").path
        try "adml-s3cret\nignored second line\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, mode_t(mode))
        try body(file)
    }

    func settings(_ text: String) throws -> ENTSettings? {
        try GuichetConfiguration.parse(text, file: "g.toml").serverSettings(kioskRoot: "/tmp").ent
    }

    @Test func theConnectionKeysBecomeTheENTSettings() throws {
        try withPasswordFile(mode: 0o640) { (file: String) throws in
            let ent = try #require(
                try settings(
                    """
                    [ent]
                    url = "https://ent.lycee.example.org/"
                    admin_login = "guichet.adml"
                    admin_password_file = "\(file)"
                    structure_ids = ["4f2c-11", "8a9b-22"]
                    code_validity_hours = 1
                    ca_bundle = "/etc/guichet/ent-ca.pem"
                    """))
            #expect(ent.baseURL == "https://ent.lycee.example.org")
            #expect(ent.adminLogin == "guichet.adml" && ent.password == "adml-s3cret")
            #expect(
                ent.structureIDs == ["4f2c-11", "8a9b-22"] && ent.codeValidity == 3600
                    && ent.caBundle == "/etc/guichet/ent-ca.pem")
        }
        #expect(try settings("[ent]\nurl = \"https://ent.example.org\"") == nil)
    }

    @Test func aPasswordFileOthersCanReadIsRefused() throws {
        try withPasswordFile(mode: 0o644) { (file: String) throws in
            do {
                _ = try settings("[ent]\nadmin_login = \"a\"\nadmin_password_file = \"\(file)\"\nstructure_ids = [\"s\"]")
            } catch let error as ConfigurationErrors {
                #expect(error.description.contains("g.toml line 3: [ent] admin_password_file"))
                #expect(error.description.contains("mode 644"))
                return
            }
            Issue.record("a password file of mode 0644 was accepted")
        }
    }

    @Test func plainHTTPOnlyToLoopbackAndNothingHalfSet() throws {
        try withPasswordFile(mode: 0o600) { (file: String) throws in
            let keys = "admin_login = \"a\"\nadmin_password_file = \"\(file)\"\nstructure_ids = [\"s\"]"
            #expect(throws: ConfigurationErrors.self) { try settings("[ent]\nurl = \"http://ent.example.org\"\n" + keys) }
            #expect(try settings("[ent]\nurl = \"http://127.0.0.1:8081\"\n" + keys)?.baseURL == "http://127.0.0.1:8081")
            #expect(throws: ConfigurationErrors.self) { try settings("[ent]\nadmin_login = \"a\"") }
            #expect(throws: ConfigurationErrors.self) { try settings("[ent]\nstructure_ids = []") }
            #expect(throws: ConfigurationErrors.self) { try settings("[ent]\nstructure_ids = [\"a b\"]") }
        }
    }
}
