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

    @Test func theSystemdCredentialComesBeforeThePasswordFile() throws {
        try withPasswordFile(mode: 0o600) { (file: String) throws in
            let configuration = try GuichetConfiguration.parse(
                "[ent]\nadmin_login = \"a\"\nadmin_password_file = \"\(file)\"\nstructure_ids = [\"s\"]", file: "g.toml")
            let credentials = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("credentials")
            try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
            // A command run by hand (no credentials), or a unit passing other credentials: the file.
            #expect(try configuration.entSettings(credentialsDirectory: nil)?.password == "adml-s3cret")
            #expect(try configuration.entSettings(credentialsDirectory: credentials.path)?.password == "adml-s3cret")

            // The unit's credential wins, even when the file itself would be refused (or unreadable to the service).
            let credential = credentials.appendingPathComponent("ent-admin-password").path
            try "from-the-credential\n".write(toFile: credential, atomically: true, encoding: .utf8)
            chmod(credential, 0o400)
            chmod(file, 0o644)
            #expect(try configuration.entSettings(credentialsDirectory: credentials.path)?.password == "from-the-credential")
            #expect(throws: ConfigurationErrors.self) { try configuration.entSettings(credentialsDirectory: nil) }

            // An empty credential is an error naming it, never a quiet fall-back to the file.
            chmod(credential, 0o600)
            try "\n".write(toFile: credential, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
            do {
                _ = try configuration.entSettings(credentialsDirectory: credentials.path)
                Issue.record("an empty credential was accepted")
            } catch let error as ConfigurationErrors {
                #expect(error.description.contains("g.toml line 3: [ent] admin_password_file"))
                #expect(error.description.contains("the credential ent-admin-password"))
            }
        }
    }
}
