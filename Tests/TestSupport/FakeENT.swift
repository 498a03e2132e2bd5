// The server is Tests/ent/fake_ent.py, written from entcore's source.
import Foundation

/// A fake entcore on loopback (Python's http.server), started for one test and stopped when released.
public final class FakeENT: @unchecked Sendable {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ent/fake_ent.py")
    public static let adminLogin = "guichet.adml"
    public static let adminPassword = "adml-password"
    public static let structure = "s-lycee"

    public var port: Int { server.port }
    public let scheme: String
    private let server: LoopbackServer

    /// `arguments`: fake_ent.py's options ("--mfa", "--delay", "3", "--down", "--tls", cert, key…).
    public init(_ arguments: [String] = []) throws {
        scheme = arguments.contains("--tls") ? "https" : "http"
        server = try LoopbackServer(script: Self.script, arguments, name: "the fake ENT")
    }

    public var url: String { "\(scheme)://127.0.0.1:\(port)" }

    /// The fake's test controls (plain http only; a TLS fake is asked through its own scheme with curl's -k).
    @discardableResult
    public func control(_ method: String, _ name: String, json: [String: Any]? = nil) throws -> Any {
        var arguments = ["-sk", "-X", method, "\(url)/__fake/\(name)"]
        if let json {
            arguments += [
                "-H", "Content-Type: application/json", "--data-binary",
                String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
            ]
        }
        return try JSONSerialization.jsonObject(with: Data(try runTool("curl", arguments).utf8))
    }

    /// The requests the fake saw: [{"method", "path", "xsrf", "status"/"outcome", …}].
    public func log() throws -> [[String: Any]] { try control("GET", "log") as? [[String: Any]] ?? [] }
    /// The renewal codes it generated, by login.
    public func codes() throws -> [String: String] { try control("GET", "codes") as? [String: String] ?? [:] }
    public func expireSessions() throws { try control("POST", "expire-sessions") }
    public func set(_ changes: [String: Any]) throws { try control("POST", "set", json: changes) }
    /// How many sign-ins (POST /auth/login) it received.
    public func signIns() throws -> Int {
        try log().filter { $0["path"] as? String == "/auth/login" && $0["method"] as? String == "POST" }.count
    }
}
