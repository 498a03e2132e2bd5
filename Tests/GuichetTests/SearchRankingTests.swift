import Testing
@testable import Guichet

/// The order within a tier (README's Search section): fewer edits in the widened tiers, the logins a typed login
/// start begins, more of the last and first names begun, each by a different word, then more of them being a word
/// whole, then register order. Each case puts the person meant
/// after the other in register order, so that register order alone would rank them the wrong way round.
@Suite struct SearchRankingTests {
    let t: TemporaryDatabase

    init() throws {
        t = try TemporaryDatabase()
        var e = ENTExport()
        let people: [(String, String, String, String)] = [
            ("Richard", "Samuel", "samuel.richard", ""), ("Tribachard", "Samuel", "samuel.tribachard", ""),
            ("Bouvet", "Jean-Paul", "jean-paul.bouvet", "1ERE G29"), ("Sousa", "Paul", "paul.sousa", "1ERE G29"),
            ("Cornu-Lesage", "Kenzo", "kenzo.cornu-lesage", ""), ("Lesage", "Kenza", "kenza.lesage", ""),
            ("Salaun", "Jean-Marc", "jean-marc.salaun", ""), ("Salaun", "Marc", "marc.salaun", ""),
            ("de La Roche", "Rose", "rose.delaroche", ""), ("Rochougeot", "Rose", "rose.rochougeot", ""),
            // A login of an older shape.
            ("Rochas", "Rose", "r.rochas", ""),
            ("Millanier", "Evan", "evan.millanier", ""), ("Millollet", "Eva", "eva.millollet", ""),
            ("François-Texier", "Maëlle", "maelle.francois-texier", "3EME H"), ("Segot", "François", "francois.segot", "3EME H"),
            ("André", "Achille", "achille.andre", ""), ("André", "Anaïs", "anais.andre", "")
        ]
        for (k, (last, first, login, classes)) in people.enumerated() {
            e.add(id: "r\(k)", type: "Student", last: last, first: first, login: login, classes: classes)
        }
        try t.importCSV(e.text)
    }

    @Test func inTheWidenedTiersFewerEditsComeFirst() throws {
        // "triachard" is 1 edit from Tribachard, 2 from Richard (both allowed: 9 letters).
        let r = try t.search("samuel triachard")
        #expect(r.results.map(\.login) == ["samuel.tribachard", "samuel.richard"])
        #expect(r.widenedFrom == 0)
    }

    @Test func moreWordsBeginningTheLastOrFirstNameComeFirst() throws {
        #expect(try t.logins("paul 1ere g29") == ["paul.sousa", "jean-paul.bouvet"])
        #expect(try t.logins("kenz lesag") == ["kenza.lesage", "kenzo.cornu-lesage"])
        // Also in a widened tier: "sallaun" is one edit from Salaun for both.
        #expect(try t.logins("marc sallaun") == ["marc.salaun", "jean-marc.salaun"])
    }

    @Test func aNameBegunByTwoWordsCountsOnce() throws {
        // "an" and "and" both begin André: Achille André has one name begun, Anaïs André two, each by its own word.
        #expect(try t.logins("an and") == ["anais.andre", "achille.andre"])
        #expect(try t.logins("and an") == ["anais.andre", "achille.andre"])
    }

    @Test func thenMoreWordsBeingTheWholeLastOrFirstNameComeFirst() throws {
        // Both words begin a name of each; "eva" is Eva's whole first name, the beginning of Evan's.
        #expect(try t.logins("eva mil") == ["eva.millollet", "evan.millanier"])
        // "françois" begins a name of both classmates, and is all of François Segot's first name.
        #expect(try t.logins("françois 3eme h") == ["francois.segot", "maelle.francois-texier"])
    }

    @Test func aLoginTypedWholeComesFirstThenWhatItsWordsFind() throws {
        let t = try TemporaryDatabase()
        var e = ENTExport()
        e.add(id: "m1", type: "Student", last: "Bertin-Marchais", first: "Mélissa", login: "melissa.bertin-marchais")
        e.add(id: "m2", type: "Student", last: "Bertin", first: "Mélissa", login: "melissa.bertin1")
        e.add(id: "m3", type: "Student", last: "Favicourt Bertin", first: "Mélissa", login: "melissa.favicourtbertin")
        e.add(id: "m4", type: "Student", last: "Bertin", first: "Mélissa", login: "melissa.bertin")
        try t.importCSV(e.text)
        // The login as typed, then the logins it starts (namesakes by login), then the other names the words begin.
        #expect(
            try t.logins("melissa.bertin")
                == ["melissa.bertin", "melissa.bertin1", "melissa.bertin-marchais", "melissa.favicourtbertin"])
        #expect(try t.search("melissa.bertin").widenedFrom == nil)
    }

    @Test func aLoginTypedFromItsStartRanksTheLoginsItStartsFirst() throws {
        // "roc" begins "roche" in De La Roche's name too; Rose Rochas's login is "r.rochas".
        #expect(try t.logins("rose.roc") == ["rose.rochougeot", "r.rochas", "rose.delaroche"])
        // Typed as two words it is no login: register order after the names begun (both words for Rochas and
        // Rochougeot, one for De La Roche).
        #expect(try t.logins("rose roc") == ["r.rochas", "rose.rochougeot", "rose.delaroche"])
    }
}
