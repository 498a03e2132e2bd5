import Foundation
@testable import Guichet

/// A fresh database in its own temporary folder, removed when the value is released.
final class TemporaryDatabase {
    let folder: URL
    let database: GuichetDatabase

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = try GuichetDatabase(path: folder.appendingPathComponent("test.sqlite3").path)
    }

    var path: String { database.path }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Imports CSV text (UTF-8) and returns the summary.
    @discardableResult
    func importCSV(_ text: String, name: String = "export.csv", now: Date = Date()) throws -> ImportSummary {
        let export = try ExportFile.parse(bytes: Array(text.utf8), name: name)
        return try Importer.run(export, into: database, staff: "test", channel: .cli, now: now)
    }

    func search(
        _ text: String, profile: Profile? = nil, className: String? = nil, activated: Bool? = nil,
        hasEmail: Bool? = nil, gone: Bool? = nil, limit: Int = 20
    ) throws -> SearchResult {
        let q = SearchQuery(
            text: text, profile: profile, className: className, activated: activated,
            hasEmail: hasEmail, gone: gone, limit: limit)
        return try database.writer.read { db in try Search.run(q, in: db) }
    }

    /// Logins of a search, in order.
    func logins(_ text: String, className: String? = nil, limit: Int = 20) throws -> [String] {
        try search(text, className: className, limit: limit).results.map(\.login)
    }
}

/// Builds an "Exporter des comptes" file (current column set) the way the ENT writes it: BOM, every value quoted,
/// `;`, LF.
struct ENTExport {
    static let header = [
        "Id", "Identifiant SIECLE", "Type", "Nom", "Prénom", "Identifiant", "Login personnalisé (Alias)",
        "Code d'activation", "Fonctions", "Établissements", "Classes", "Enfants", "Parents",
        "Dernière connexion", "Courriel", "Téléphone"
    ]
    var rows: [[String]] = []

    /// Adds an account; `children`/`parents` are display names ("Prénom Nom").
    mutating func add(
        id: String, type: String, last: String, first: String, login: String, code: String = "",
        alias: String = "", classes: String = "", children: String = "", parents: String = "",
        email: String = "", school: String = "Lycée Jean-Jaurès", lastConnection: String = ""
    ) {
        rows.append([
            id, "", type, last, first, login, alias, code, "", school, classes, children, parents,
            lastConnection, email, ""
        ])
    }

    var text: String {
        "\u{FEFF}" + ([Self.header] + rows).map { $0.map { "\"\($0)\"" }.joined(separator: ";") }.joined(separator: "\n") + "\n"
    }

    /// The Gérard family, N'Diaye, Cœur and two parents named Camille Martin.
    static var family: ENTExport {
        var e = ENTExport()
        e.add(
            id: "1", type: "Student", last: "Gérard", first: "Zoé", login: "zoe.gerard", code: "zk7mrp4t",
            classes: "2NDE 3", parents: "Sophie Gérard, Marc Gérard")
        e.add(
            id: "2", type: "Student", last: "Gérard", first: "Inès", login: "ines.gerard", classes: "TLE G2",
            parents: "Sophie Gérard, Marc Gérard", email: "ines@example.org")
        e.add(
            id: "3", type: "Relative", last: "Gérard", first: "Sophie", login: "sophie.gerard", code: "hc5wxa8n",
            classes: "2NDE 3, TLE G2", children: "Zoé Gérard, Inès Gérard", email: "sophie.gerard@orange.fr")
        e.add(
            id: "4", type: "Relative", last: "Gérard", first: "Marc", login: "marc.gerard",
            classes: "2NDE 3, TLE G2", children: "Zoé Gérard, Inès Gérard", lastConnection: "09-03-2026 07:52")
        e.add(
            id: "5", type: "Student", last: "N'Diaye", first: "Nathanaël", login: "nathanael.ndiaye",
            code: "p3vt9dkm", classes: "1ERE G1", parents: "Aïssatou N'Diaye")
        e.add(
            id: "6", type: "Relative", last: "N'Diaye", first: "Aïssatou", login: "aissatou.ndiaye",
            code: "gy6snb4e", classes: "1ERE G1", children: "Nathanaël N'Diaye")
        e.add(
            id: "7", type: "Teacher", last: "Lefèvre-Cœur", first: "Hélène", login: "helene.lefevre-coeur",
            classes: "2NDE 3, 1ERE G1", email: "helene.lefevre-coeur@ac-versailles.fr")
        e.add(id: "8", type: "Student", last: "Cœur", first: "Léa", login: "lea.coeur", code: "a3b4c5d6", classes: "2NDE 3")
        e.add(
            id: "9", type: "Relative", last: "Martin", first: "Camille", login: "camille.martin",
            classes: "2NDE 1", children: "Hugo Martin")
        e.add(
            id: "10", type: "Relative", last: "Martin", first: "Camille", login: "camille.martin1",
            classes: "2NDE 2", children: "Jade Martin")
        e.add(
            id: "11", type: "Student", last: "Martin", first: "Hugo", login: "hugo.martin", classes: "2NDE 1",
            parents: "Camille Martin")
        e.add(
            id: "12", type: "Student", last: "Martin", first: "Jade", login: "jade.martin", classes: "2NDE 2",
            parents: "Camille Martin")
        e.add(
            id: "13", type: "Student", last: "Martin", first: "Noé", login: "noe.martin", classes: "2NDE 2",
            parents: "Camille Martin")
        return e
    }
}
