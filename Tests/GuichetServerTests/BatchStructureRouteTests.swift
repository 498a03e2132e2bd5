import Foundation
import GRDB
import Guichet
import HTTPServer
import Testing
@testable import GuichetServer

/// A cité scolaire over the batch routes: `/api/v1/classes` lists each structure's "3EME 1" with a short name, the
/// batch routes take (structure, class) pairs, and a class named alone that two structures have is 400 `bad-filter`.
@Suite struct BatchStructureRouteTests {
    static let csv = """
        \u{FEFF}"Id";"Type";"Nom";"Prénom";"Identifiant";"Code d'activation";"Établissements";"Classes";"Courriel"
        "1";"Student";"Arnaud";"Lou";"lou.arnaud";"a3b4c5d6";"0750655E - COLLEGE JEAN JAURES";"3EME 1";""
        "2";"Student";"Bernard";"Léo";"leo.bernard";"b3c4d5e6";"0750654D - LYCEE JEAN JAURES";"3EME 1";""
        "3";"Student";"Caron";"Mia";"mia.caron";"";"0750654D - LYCEE JEAN JAURES";"2NDE 1";""

        """

    static func harness() throws -> Harness {
        let h = try Harness { settings in
            settings.structures = [
                SchoolStructure(uai: "0750654D", name: "Lycée Jean-Jaurès"),
                SchoolStructure(uai: "0750655E", name: "Collège Jean-Jaurès")
            ]
        }
        _ = try Importer.run(try ExportFile.parse(bytes: Array(csv.utf8), name: "cite.csv"), into: h.database)
        return h
    }

    @Test func theClassListGivesEachStructuresClassWithItsShortName() throws {
        let h = try Self.harness()
        let (cookie, _) = try h.signIn()
        let r = h.call("GET", "/api/v1/classes", cookie: cookie)
        let entries = object(r)["entries"] as? [[String: Any]] ?? []
        let threes = entries.filter { $0["name"] as? String == "3EME 1" }
        #expect(threes.compactMap { $0["structureShort"] as? String } == ["Lycée", "Collège"])
        #expect(
            threes.compactMap { $0["structure"] as? String } == ["0750654D - LYCEE JEAN JAURES", "0750655E - COLLEGE JEAN JAURES"]
        )
    }

    @Test func aBatchTakesClassesWithTheirStructureAndRefusesAnAmbiguousOne() throws {
        let h = try Self.harness()
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        let college = #"{"filters":{"classes":[{"structure":"0750655E - COLLEGE JEAN JAURES","name":"3EME 1"}]}}"#
        let preview = h.call("POST", "/api/v1/batches/preview", json: college, cookie: cookie, csrf: csrf)
        #expect(object(preview)["logins"] as? [String] == ["lou.arnaud"])
        // A class of one structure only may still be named alone.
        let alone = h.call(
            "POST", "/api/v1/batches/preview", json: #"{"filters":{"classes":["2NDE 1"]}}"#, cookie: cookie, csrf: csrf)
        #expect(object(alone)["logins"] as? [String] == ["mia.caron"])
        let before = try h.journalActions().count
        for route in ["/api/v1/batches/preview", "/api/v1/batches", "/api/v1/batches/csv"] {
            let r = h.call("POST", route, json: #"{"filters":{"classes":["3EME 1"]}}"#, cookie: cookie, csrf: csrf)
            #expect(r.status == 400 && object(r)["code"] as? String == "bad-filter", "\(route)")
            #expect((object(r)["detail"] as? String ?? "").contains("COLLEGE JEAN JAURES"), "\(route)")
        }
        #expect(try h.journalActions().count == before)
        // The printed batch's row names the pair.
        let printed = h.call("POST", "/api/v1/batches", json: college, cookie: cookie, csrf: csrf)
        #expect(printed.status == 200 && printed.headers["x-guichet-count"] == "1")
        let details = try h.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM journal WHERE action = 'batch-printed' ORDER BY seq DESC LIMIT 1")
        }
        #expect(details?.contains(#"{"name":"3EME 1","structure":"0750655E - COLLEGE JEAN JAURES"}"#) == true)
    }
}

/// The desk search's class filter over the route, on the same cité scolaire.
@Suite struct SearchStructureRouteTests {
    @Test func theSearchsClassFilterTakesAStructureAndRefusesAnAmbiguousClass() throws {
        let h = try BatchStructureRouteTests.harness()
        let (cookie, _) = try h.signIn()
        func logins(_ query: String) -> [String] {
            let r = h.call("GET", "/api/v1/accounts?\(query)", cookie: cookie)
            return (object(r)["results"] as? [[String: Any]] ?? []).compactMap { $0["login"] as? String }
        }
        let before = try h.journalActions().count
        for query in ["class=3EME%201", "q=lou&structure=0750654D"] {
            let r = h.call("GET", "/api/v1/accounts?\(query)", cookie: cookie)
            #expect(r.status == 400 && object(r)["code"] as? String == "bad-filter", "\(query)")
        }
        let ambiguous = object(h.call("GET", "/api/v1/accounts?class=3EME%201", cookie: cookie))
        #expect((ambiguous["detail"] as? String ?? "").contains("COLLEGE JEAN JAURES"))
        #expect((ambiguous["detail"] as? String ?? "").contains("LYCEE JEAN JAURES"))
        #expect(try h.journalActions().count == before)
        #expect(logins("class=0750655E:3EME%201") == ["lou.arnaud"])
        #expect(logins("class=3EME%201&structure=Lyc%C3%A9e%20Jean-Jaur%C3%A8s") == ["leo.bernard"])
        #expect(logins("class=2NDE%201") == ["mia.caron"])
        // Typed among the words: both, each with its school's short name.
        let typed = object(h.call("GET", "/api/v1/accounts?q=3eme%201", cookie: cookie))["results"] as? [[String: Any]] ?? []
        #expect(Set(typed.compactMap { ($0["classes"] as? [String])?.first }) == ["3EME 1 · Lycée", "3EME 1 · Collège"])
    }
}
