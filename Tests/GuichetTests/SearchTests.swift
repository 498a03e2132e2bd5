import Testing
@testable import Guichet

@Suite struct SearchTests {
    let t: TemporaryDatabase

    init() throws {
        t = try TemporaryDatabase()
        var e = ENTExport.family
        e.add(id: "20", type: "Student", last: "Gérardin", first: "Paul", login: "paul.gerardin", classes: "2NDE 3")
        e.add(id: "21", type: "Relative", last: "Dupont", first: "Gérard", login: "gerard.dupont", email: "g@example.org")
        e.add(id: "22", type: "Student", last: "Adam", first: "Nathan", login: "nathan.adam", alias: "natou", classes: "2NDE 1")
        e.add(
            id: "23", type: "Student", last: "de La Fontaine", first: "Jean-Pierre", login: "jean-pierre.delafontaine",
            classes: "TLE G2")
        e.add(id: "24", type: "Student", last: "Nguyễn", first: "Thị Lan", login: "thilan.nguyen", classes: "TLE G2")
        e.add(id: "25", type: "Teacher", last: "Le Goff", first: "Ewen", login: "ewen.legoff")
        e.add(id: "26", type: "Relative", last: "Le Goff", first: "Anne-Ewen", login: "anne-ewen.legoff")
        try t.importCSV(e.text)
    }

    @Test func foldsAccentsBothWays() throws {
        #expect(try t.logins("nathanael") == ["nathanael.ndiaye"])
        #expect(try t.logins("NATHANAËL") == ["nathanael.ndiaye"])
        #expect(try t.logins("coeur").contains("lea.coeur"))
        #expect(try t.logins("cœur") == t.logins("coeur"))
        #expect(try t.logins("nguyen") == ["thilan.nguyen"])
    }

    @Test func apostrophesAndHyphensAreOptional() throws {
        for q in ["ndiaye", "n diaye", "N'Diaye", "n’diaye"] {
            #expect(try t.logins(q) == ["aissatou.ndiaye", "nathanael.ndiaye"], "query \(q)")
        }
        #expect(try t.logins("jean pierre") == ["jean-pierre.delafontaine"])
        #expect(try t.logins("jeanpierre") == ["jean-pierre.delafontaine"])
        #expect(try t.logins("lafontaine") == [] || t.logins("delafontaine") == ["jean-pierre.delafontaine"])
    }

    @Test func wordsInAnyOrderAndPrefixesOfEveryWord() throws {
        #expect(try t.logins("zoe gerard") == ["zoe.gerard"])
        #expect(try t.logins("gerard zoe") == ["zoe.gerard"])
        #expect(try t.logins("nat ad") == ["nathan.adam"])
        #expect(try t.logins("ger zo") == ["zoe.gerard"])
    }

    @Test func findsByLoginAndAlias() throws {
        #expect(try t.logins("zoe.gerard").first == "zoe.gerard")
        #expect(try t.logins("natou") == ["nathan.adam"])
    }

    @Test func ranksExactThenWholeWordsThenPrefixesThenAlphabetically() throws {
        // "gerard": the Gérards (whole word, by first name), then Gérard Dupont (whole first name: D < G),
        // then Gérardin (a prefix) last.
        let logins = try t.logins("gerard")
        #expect(logins == ["gerard.dupont", "ines.gerard", "marc.gerard", "sophie.gerard", "zoe.gerard", "paul.gerardin"])
        // A full name typed exactly comes first even when another account matches every word as a whole word.
        #expect(try t.logins("gerard marc").first == "marc.gerard")
        // Namesakes, one register key: by login.
        #expect(try t.logins("camille martin") == ["camille.martin", "camille.martin1"])
    }

    @Test func aFullNameTypedWithoutItsSpacesOrHyphensIsStillExact() throws {
        // Anne-Ewen sorts first, but Ewen Le Goff's full name is what was typed, with or without the space.
        for q in ["legoff ewen", "le goff ewen", "ewen le goff"] {
            #expect(try t.logins(q) == ["ewen.legoff", "anne-ewen.legoff"], "query \(q)")
        }
    }

    @Test func severalWordsMayIncludeAnAliasOrALoginWord() throws {
        #expect(try t.logins("natou adam") == ["nathan.adam"])
        #expect(try t.logins("adam natou") == ["nathan.adam"])
    }

    @Test func findsAClassByItsName() throws {
        let logins = try t.logins("2nde 3")
        #expect(
            Set(logins) == ["zoe.gerard", "sophie.gerard", "marc.gerard", "helene.lefevre-coeur", "lea.coeur", "paul.gerardin"])
        #expect(try t.logins("gerard 2nde 3") == ["marc.gerard", "sophie.gerard", "zoe.gerard", "paul.gerardin"])
        #expect(try t.logins("tle g2").contains("ines.gerard"))
    }

    @Test func nearSpellingsFindThePersonWhenNothingMatches() throws {
        for q in ["nathanel", "nathanaell", "nathenael", "ntahanael"] {  // missing, extra, wrong letter, swap
            let r = try t.search(q)
            #expect(r.nearSpelling, "query \(q)")
            #expect(r.results.map(\.login) == ["nathanael.ndiaye"], "query \(q)")
        }
        #expect(try t.search("gerrard zoe").results.map(\.login) == ["zoe.gerard"])
        // Two neighbours swapped across the middle of the word.
        #expect(try t.search("natahnael").results.map(\.login) == ["nathanael.ndiaye"])
        // Short words get no near spelling: four letters typed wrong find nothing rather than noise…
        #expect(try t.search("zoxe").results.isEmpty)
        // …unless they sound like the name (Phonex: "zoee" and "zoe" are both ZE).
        #expect(try t.search("zoee").results.map(\.login) == ["zoe.gerard"])
    }

    @Test func filtersNarrowTheResults() throws {
        #expect(
            try t.search("gerard", profile: .relative).results.map(\.login) == ["gerard.dupont", "marc.gerard", "sophie.gerard"])
        #expect(try t.search("gerard", activated: false).results.map(\.login) == ["sophie.gerard", "zoe.gerard"])
        #expect(try t.search("gerard", hasEmail: true).results.map(\.login) == ["gerard.dupont", "ines.gerard", "sophie.gerard"])
        #expect(
            try t.search("gerard", className: "TLE G2").results.map(\.login) == ["ines.gerard", "marc.gerard", "sophie.gerard"])
        #expect(try t.search("", profile: .student, className: "2nde 1").results.map(\.login) == ["nathan.adam", "hugo.martin"])
        #expect(try t.search("gerard", gone: true).results.isEmpty)
    }

    @Test func resultsCarryTheFieldsOfTheAPI() throws {
        let zoe = try #require(try t.search("zoe gerard").results.first)
        #expect(zoe.firstName == "Zoé" && zoe.lastName == "Gérard" && zoe.profile == .student)
        #expect(zoe.classes == ["2NDE 3"] && !zoe.activated && !zoe.hasEmail && zoe.goneFromFeed == nil)
        #expect(zoe.parents == ["marc.gerard", "sophie.gerard"])
    }

    @Test func theLimitCutsTheListButNotTheTotal() throws {
        let r = try t.search("gerard", limit: 2)
        #expect(r.results.count == 2)
        #expect(r.total == 6 && r.totalIsExact)
    }

    @Test func metacharactersAreJustText() throws {
        for q in ["\"", "'", "%", "_", "*", "gerard\"", "a OR 1=1 --", "NEAR(", "\u{0}", "((("] {
            _ = try t.search(q)
        }
        #expect(try t.search("%").results.isEmpty)
    }
}

/// The desk queries: a slip in any word of several, swapped letters, two slips in a long name, sound-alikes.
@Suite struct SearchToleranceTests {
    let t: TemporaryDatabase

    init() throws {
        t = try TemporaryDatabase()
        var e = ENTExport()
        let people = [
            ("Pelletier", "Agathe"), ("Delafontaine", "Gaëlle"), ("Martin", "Louis"), ("Bouchard", "Timothée"),
            ("Michel", "François"), ("Lefèvre", "Yannick"), ("Conceição", "Mathéo"), ("Robert", "Louise"),
            ("Nguyen", "Agathe"), ("de Saint-Exupéry", "Karima"), ("Saint-Martin", "Jean-Baptiste"),
            ("Martinez", "Louis"), ("Pellerin", "Agathe"), ("Bouchet", "Timothée")
        ]
        for (k, (last, first)) in people.enumerated() {
            let login = Folding.words(first).joined(separator: "-") + "." + Folding.key(last)
            e.add(id: "t\(k)", type: "Student", last: last, first: first, login: login, classes: k % 2 == 0 ? "2NDE 3" : "1ERE 2")
        }
        e.add(id: "z", type: "Student", last: "Gérard", first: "Zoé", login: "zoe.gerard", classes: "2NDE 3")
        try t.importCSV(e.text)
    }

    @Test func aSlipInAnyWordOfSeveralStillFindsThePerson() throws {
        let cases = [
            ("agathe pelleier", "agathe.pelletier"), ("gaelle dexafontaine", "gaelle.delafontaine"),
            ("louis martiin", "louis.martin"), ("timothee bouchad", "timothee.bouchard"),
            ("francois mcihel", "francois.michel"), ("yannick leferve", "yannick.lefevre"),
            ("karima desainteyupexy", "karima.desaintexupery"), ("agathr pelletier", "agathe.pelletier"),
            // The longer of the word and the name counts: "plltier" (7 letters) is two edits from a 9-letter name.
            ("louis matin", "louis.martin"), ("agathe plltier", "agathe.pelletier")
        ]
        for (q, login) in cases {
            let r = try t.search(q)
            #expect(r.results.first?.login == login, "query \(q): \(r.results.map(\.login))")
            #expect(r.widenedFrom == 0, "query \(q)")
        }
    }

    @Test func soundAlikeSpellingsFindThePerson() throws {
        for (q, login) in [
            ("matheo conceycao", "matheo.conceicao"), ("louise raubert", "louise.robert"),
            ("agathe nguien", "agathe.nguyen")
        ] {
            #expect(try t.logins(q).first == login, "query \(q)")
        }
    }

    @Test func tiersComeInOrderExactPrefixTypoSound() throws {
        // "louis martin": Louis Martin exactly, then Louis Martinez (a prefix); nothing widened while the page is
        // not full would rank before them.
        let r = try t.search("louis martin")
        #expect(Array(r.results.map(\.login).prefix(2)) == ["louis.martin", "louis.martinez"])
        // "pelletiar": one letter from Pelletier, three from Pellerin: a near spelling, labelled as such.
        let near = try t.search("agathe pelletiar")
        #expect(near.results.first?.login == "agathe.pelletier" && near.widenedFrom == 0)
        // A prefix tier is never outranked by a near spelling: "timothee bouch" finds both Bouchard and Bouchet as
        // prefixes, in register order.
        #expect(try t.logins("timothee bouch") == ["timothee.bouchard", "timothee.bouchet"])
    }

    @Test func namesInsideNamesAndTheDesksOtherShapes() throws {
        #expect(try t.logins("jean baptiste saint martin") == ["jean-baptiste.saintmartin"])
        #expect(try t.logins("SAINT-MARTIN Jean-Baptiste").first == "jean-baptiste.saintmartin")
        #expect(try t.logins("saintmartin jeanbaptiste") == ["jean-baptiste.saintmartin"])
        #expect(try t.logins("DELAFONTAINE Gaëlle") == ["gaelle.delafontaine"])
        #expect(try t.logins("gaelle.delafo") == ["gaelle.delafontaine"])
        #expect(try t.logins("zoé 2nde 3") == ["zoe.gerard"])
    }
}

/// Words common enough to pass the caps: each of "marie", "laure" and "vidal" starts more than 600 index rows.
@Suite struct SearchAtScaleTests {
    let t: TemporaryDatabase

    init() throws {
        t = try TemporaryDatabase()
        var e = ENTExport()
        for n in 0..<610 {
            e.add(id: "v\(n)", type: "Student", last: "Vidal", first: "Paul", login: "paul.vidal\(n)", classes: "2NDE 1")
            e.add(id: "l\(n)", type: "Student", last: "Martin", first: "Laure", login: "laure.martin\(n)")
            e.add(id: "m\(n)", type: "Student", last: "Durand", first: "Marie", login: "marie.durand\(n)")
        }
        // A narrower pair of the same words that is not the person: Marie Laure.
        e.add(id: "a", type: "Relative", last: "Laure", first: "Marie", login: "marie.laure")
        e.add(id: "b", type: "Relative", last: "Vidal", first: "Marie-Laure", login: "marie-laure.vidal", classes: "2NDE 9")
        e.add(
            id: "c", type: "Relative", last: "Vidalie", first: "Marie-Laurence", login: "marie-laurence.vidalie",
            classes: "2NDE 9")
        try t.importCSV(e.text)
    }

    @Test func threeCommonWordsFindThePersonWhicheverPairIsNarrowest() throws {
        let r = try t.search("marie laure vidal")
        #expect(r.results.map(\.login) == ["marie-laure.vidal", "marie-laurence.vidalie"])
        #expect(r.total == 2 && r.totalIsExact)
    }

    @Test func twoCommonPrefixesArePairedThroughTheNamesTheyStart() throws {
        #expect(try t.logins("mar vid") == ["marie-laure.vidal", "marie-laurence.vidalie"])
        #expect(try t.logins("vida lau") == ["marie-laure.vidal", "marie-laurence.vidalie"])
    }

    @Test func wordsTooCommonToScanStillFindANameHoldingThemAll() throws {
        // 650 Laurents and 650 Pons: each word has more rows than a scan reads, and the name pairs find Laurent Pons.
        // Patrick Pons-Laurent holds both words in his last name, which the pairs cannot find: his name run together
        // is looked for ("ponslaurent").
        let t = try TemporaryDatabase()
        var e = ENTExport()
        for k in 0..<650 {
            e.add(id: "l\(k)", type: "Student", last: "Durand\(k)", first: "Laurent", login: "laurent.durand\(k)")
            e.add(id: "p\(k)", type: "Student", last: "Pons", first: "Marc\(k)", login: "marc\(k).pons")
        }
        e.add(id: "x1", type: "Relative", last: "Pons", first: "Laurent", login: "laurent.pons")
        e.add(id: "x2", type: "Relative", last: "Pons-Laurent", first: "Patrick", login: "patrick.pons-laurent")
        try t.importCSV(e.text)
        let r = try t.search("laurent pons")
        #expect(r.results.map(\.login) == ["laurent.pons", "patrick.pons-laurent"])
        #expect(r.total == 2 && r.totalIsExact)
        #expect(try t.logins("pons laurent") == ["laurent.pons", "patrick.pons-laurent"])
        // A word with fewer rows than that drives a scan: Patrick Pons-Laurent is found, and the total is exact.
        let few = try t.search("patrick laurent")
        #expect(few.results.map(\.login) == ["patrick.pons-laurent"] && few.totalIsExact)
    }

    @Test func aClassSearchReadsTheClassWhenItIsTheSmaller() throws {
        // The class's two rows are read, not the 612 of "vidal": whole word first, then the prefix.
        #expect(try t.logins("vidal 2nde 9") == ["marie-laure.vidal", "marie-laurence.vidalie"])
        // "lau" starts a first name inside "marielaure": the account's terms settle it.
        #expect(try t.logins("lau 2nde 9") == ["marie-laure.vidal", "marie-laurence.vidalie"])
        let r = try t.search("2nde 1", limit: 2)
        #expect(r.results.map(\.login) == ["paul.vidal0", "paul.vidal1"])
        #expect(r.total == 610 && r.totalIsExact)
        // A common word (610 rows) in a class as big: the class is read to the end, the total is exact.
        let paul = try t.search("paul 2nde 1")
        #expect(paul.total == 610 && paul.totalIsExact)
    }

    @Test func aWordWholeInMoreThanTheCapReportsALowerBound() throws {
        let r = try t.search("vidal", limit: 3)
        #expect(r.results.map(\.login) == ["marie-laure.vidal", "paul.vidal0", "paul.vidal1"])
        #expect(r.total == 600 && !r.totalIsExact)
    }
}
