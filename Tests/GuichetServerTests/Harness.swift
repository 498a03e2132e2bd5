import Foundation
import Guichet
import HTTPServer
@testable import GuichetServer

/// A service over a fresh database holding the family fixture, an agent and a reviewer; requests in process.
final class Harness: @unchecked Sendable {
    static let agentPassword = "agent-password-1"
    static let reviewerPassword = "reviewer-password-1"
    static let kioskRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Kiosk/web").standardized.path

    let folder: URL
    let database: GuichetDatabase
    let service: GuichetService

    init(configure: (inout ServerSettings) -> Void = { _ in }) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = try GuichetDatabase(path: folder.appendingPathComponent("g.sqlite3").path)
        _ = try Importer.run(try ExportFile.parse(bytes: Array(Fixture.csv.utf8), name: "fixture.csv"), into: database)
        try Staff.add(database, name: "agent", role: .agent, password: Self.agentPassword, by: "test")
        try Staff.add(database, name: "cpe", role: .reviewer, password: Self.reviewerPassword, by: "test")
        var settings = ServerSettings(kioskRoot: Self.kioskRoot)
        settings.port = 0
        configure(&settings)
        service = try GuichetService(settings: settings, database: database)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Sends one request in process.
    func call(
        _ method: String, _ target: String, json: String? = nil, cookie: String? = nil, csrf: String? = nil,
        headers extra: [(String, String)] = []
    ) -> Response {
        var headers = HTTPHeaders()
        if let json { headers.add("Content-Type", "application/json"); _ = json }
        if let cookie { headers.add("Cookie", "guichet_session=\(cookie)") }
        if let csrf { headers.add("X-CSRF-Token", csrf) }
        for (n, v) in extra { headers.add(n, v) }
        guard let request = Request(method: method, target: target, headers: headers, body: Array((json ?? "").utf8)) else {
            preconditionFailure("bad target in a test: \(target)")
        }
        return service.respond(to: request)
    }

    /// Signs in; returns the cookie value and the CSRF token.
    func signIn(_ login: String = "agent", _ password: String = Harness.agentPassword) throws -> (cookie: String, csrf: String) {
        let r = call("POST", "/api/v1/session", json: #"{"login":"\#(login)","password":"\#(password)"}"#)
        guard r.status == 200, let setCookie = r.headers["set-cookie"],
            let value = setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last,
            let csrf = (try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])?["csrfToken"] as? String
        else {
            throw HarnessError(description: "sign-in failed: \(r.status) \(String(decoding: r.body, as: UTF8.self))")
        }
        return (String(value), csrf)
    }

    func journalActions() throws -> [String] {
        try database.writer.read { db in try String.fetchAll(db, sql: "SELECT action FROM journal ORDER BY seq") }
    }
}

struct HarnessError: Error, CustomStringConvertible { let description: String }

/// Decodes a JSON body to a dictionary.
func object(_ r: Response) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
}

import GRDB

enum Fixture {
    static let csv = """
        \u{FEFF}"Id";"Identifiant SIECLE";"Type";"Nom";"Prénom";"Identifiant";"Login personnalisé (Alias)";"Code d'activation";"Fonctions";"Établissements";"Classes";"Enfants";"Parents";"Dernière connexion";"Courriel";"Téléphone"
        "1";"";"Student";"N'Diaye";"Nathanaël";"nathanael.ndiaye";"";"p3vt9dkm";"";"Lycée Jean-Jaurès";"1ERE G1";"";"Aïssatou N'Diaye";"";"";""
        "2";"";"Relative";"N'Diaye";"Aïssatou";"aissatou.ndiaye";"";"gy6snb4e";"";"Lycée Jean-Jaurès";"1ERE G1";"Nathanaël N'Diaye";"";"";"aissatou.ndiaye@gmail.com";"06 71 42 18 93"
        "3";"";"Student";"Gérard";"Zoé";"zoe.gerard";"";"";"";"Lycée Jean-Jaurès";"2NDE 3";"";"";"12-03-2026 21:17";"";""

        """
}
