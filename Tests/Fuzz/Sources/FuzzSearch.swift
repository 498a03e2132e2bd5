import Foundation
import GRDB
@testable import Guichet

/// Query normalisation (`Folding`) and the ranked search over a small database: any text, any filters, any limit.
/// The first byte chooses the filters and the limit; the rest is the text as the desk types it.
final class FuzzSearch: @unchecked Sendable {
    static let shared = FuzzSearch()
    let database: GuichetDatabase

    private init() {
        let path = fuzzFolder("search").appendingPathComponent("search.sqlite3").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        do {
            database = try GuichetDatabase(path: path, access: .command)
            let export = try ExportFile.parse(bytes: Array(Self.people.utf8), name: "people.csv")
            _ = try Importer.run(export, into: database, staff: "fuzz")
        } catch {
            fatalError("cannot build the search fixture: \(error)")
        }
    }

    func run(_ input: UnsafeRawBufferPointer) {
        let bytes = Array(input)
        let flags = bytes.first ?? 0
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)

        let folded = Folding.fold(text)
        let words = Folding.words(text)
        precondition(words.allSatisfy { !$0.isEmpty && !$0.contains(" ") }, "a folded word is empty or holds a space")
        precondition(Folding.key(text) == words.joined(), "key is not the words joined")
        _ = Folding.sortKey(lastName: text, firstName: folded)
        if let word = words.first {
            let count = word.unicodeScalars.count
            precondition(
                NearSpelling.variants(of: word).allSatisfy { $0 != word && abs($0.unicodeScalars.count - count) <= 1 },
                "a near spelling is the word itself or more than one letter away")
        }

        let profiles: [Profile?] = [nil, .student, .relative, .teacher]
        let classes: [String?] = [nil, "2NDE 3", "1ERE G1", text]
        let tristate: (UInt8) -> Bool? = { $0 == 0 ? nil : $0 == 1 }
        let query = SearchQuery(
            text: text, profile: profiles[Int(flags & 3)], className: classes[Int(flags >> 2 & 3)],
            activated: tristate(flags >> 4 & 1 == 1 ? 1 : 0), hasEmail: tristate(flags >> 5 & 3 == 3 ? 2 : flags >> 5 & 1),
            gone: flags & 0x80 != 0 ? false : nil, limit: Int(flags % 23) + 1)
        do {
            let result = try database.writer.read { db in try Search.run(query, in: db) }
            precondition(result.results.count <= query.limit, "more results than the limit")
            precondition(result.total >= result.results.count, "a total below the results shown")
            precondition(Set(result.results.map(\.login)).count == result.results.count, "an account listed twice")
        } catch {
            preconditionFailure("search threw on \(text.debugDescription): \(error)")
        }
    }

    /// Names with accents, apostrophes, hyphens, ligatures, shared prefixes and near spellings.
    static let people = """
        "Id";"Identifiant SIECLE";"Type";"Nom";"Prénom";"Identifiant";"Login personnalisé (Alias)";"Code d'activation";"Fonctions";"Établissements";"Classes";"Enfants";"Parents";"Dernière connexion";"Courriel";"Téléphone"
        "1";"";"Student";"N'Diaye";"Nathanaël";"nathanael.ndiaye";"";"p3vt9dkm";"";"Lycée Jean-Jaurès";"1ERE G1";"";"Aïssatou N'Diaye";"";"";""
        "2";"";"Relative";"N'Diaye";"Aïssatou";"aissatou.ndiaye";"";"gy6snb4e";"";"Lycée Jean-Jaurès";"";"Nathanaël N'Diaye";"";"";"a@example.org";""
        "3";"";"Student";"Gérard";"Zoé";"zoe.gerard";"zozo";"";"";"Lycée Jean-Jaurès";"2NDE 3";"";"";"12-03-2026 21:17";"";""
        "4";"";"Student";"Cœur";"Léa-Marie";"lea-marie.coeur";"";"k7qx4m2p";"";"Lycée Jean-Jaurès";"2NDE 3";"";"";"";"";""
        "5";"";"Teacher";"Le Goff";"Ewen";"ewen.legoff";"";"";"";"Lycée Jean-Jaurès";"";"";"";"";"e@example.org";""
        "6";"";"Student";"Nguyễn";"Thị Hương";"huong.nguyen";"";"abcdefgh";"";"Lycée Jean-Jaurès";"TLE G2";"";"";"";"";""
        "7";"";"Student";"Łukasiewicz";"Maëlle";"maelle.lukasiewicz";"";"";"";"Lycée Jean-Jaurès";"TLE G2";"";"";"";"";""
        "8";"";"Relative";"Martin";"Camille";"camille.martin";"";"zzzzzzzz";"";"Lycée Jean-Jaurès";"";"";"";"";"";""
        "9";"";"Relative";"Martin";"Camille";"camille.martin2";"";"";"";"Lycée Jean-Jaurès";"";"";"";"";"";""
        "10";"";"Personnel";"Straße";"Jean-Pierre";"jp.strasse";"";"";"";"Lycée Jean-Jaurès";"";"";"";"";"";""
        "11";"";"Guest";"Martinez";"Camilo";"camilo.martinez";"";"";"";"Lycée Jean-Jaurès";"";"";"";"";"";""
        "12";"";"Student";"O'Brien";"Seán";"sean.obrien";"";"";"";"Lycée Jean-Jaurès";"1ERE G1";"";"";"";"";""

        """
}
