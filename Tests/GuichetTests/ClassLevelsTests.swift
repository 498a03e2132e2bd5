import Testing
@testable import Guichet

/// Levels read from the class names SIECLE and STS give, before and after the 2021 reform.
@Suite struct ClassLevelsTests {
    @Test(arguments: [
        ("6EME A", "6EME"), ("6A", "6EME"), ("5EME 2", "5EME"), ("4E3", "4EME"), ("3EME B", "3EME"), ("3PREPA-METIERS", "3EME"),
        ("2NDE 1", "2NDE"), ("2NDE10", "2NDE"), ("2GT4", "2NDE"), ("2DE 3", "2NDE"), ("SECONDE 5", "2NDE"),
        ("1ERE G1", "1ERE"), ("1G3", "1ERE"), ("1STMG 2", "1ERE"), ("1 STI2D", "1ERE"), ("1ES", "1ERE"), ("1S2", "1ERE"),
        ("1L", "1ERE"),
        ("TLE G2", "TLE"), ("TG2", "TLE"), ("TES", "TLE"), ("TS1", "TLE"), ("TL", "TLE"), ("T STMG 1", "TLE"), ("TSTI2D", "TLE"),
        ("TERM ST2S", "TLE"), ("TERMINALE 3", "TLE"),
        ("2NDE PRO MRC", "2PRO"), ("2BAC PRO ASSP", "2PRO"), ("2PRO MELEC", "2PRO"),
        ("1PRO COM", "1PRO"), ("1BAC PRO GA", "1PRO"), ("TPRO MELEC", "TPRO"), ("TBAC PRO ASSP", "TPRO"), ("TLE PRO", "TPRO"),
        ("CAP1 EPC", "CAP1"), ("1CAP AEPE", "CAP1"), ("CAP2 EPC", "CAP2"), ("2CAP AEPE", "CAP2"),
        ("BTS1 CG", "BTS1"), ("BTS1 SIO", "BTS1"), ("1BTS NDRC", "BTS1"), ("BTS2 CG", "BTS2"), ("2BTS MCO", "BTS2")
    ])
    func theStandardTableReadsTheLevel(name: String, level: String) {
        #expect(ClassLevels.standard.level(of: name) == level, "\(name)")
    }

    @Test func aNameOfNoLevelHasNone() {
        #expect(ClassLevels.standard.level(of: "UPE2A") == nil)
        #expect(ClassLevels.standard.level(of: "") == nil)
    }

    @Test func classesSortAsTheSchoolListsThem() {
        let names = [
            "BTS1 CG", "TG2", "TES", "2NDE 10", "UPE2A", "1G3", "2NDE 2", "6EME A", "TPRO MELEC", "2GT4", "CAP1 EPC", "3EME B"
        ]
        let sorted = names.sorted { BatchSelection.classOrder($0) < BatchSelection.classOrder($1) }
        #expect(
            sorted == [
                "6EME A", "3EME B", "2GT4", "2NDE 2", "2NDE 10", "1G3", "TES", "TG2", "TPRO MELEC", "CAP1 EPC",
                "BTS1 CG", "UPE2A"
            ])
    }

    @Test func aSchoolAddsItsOwnPrefixesAndLevels() throws {
        var levels = ClassLevels.standard
        try levels.add(.init(name: "UPE2A", prefixes: ["upe2a"]))
        try levels.add(.init(name: "BTS1", prefixes: ["SIO 1"]))
        #expect(levels.level(of: "UPE2A") == "UPE2A" && levels.level(of: "SIO1 A") == "BTS1")
        #expect(BatchSelection.classOrder("UPE2A", levels) > BatchSelection.classOrder("BTS2 CG", levels))
    }

    @Test func aPrefixGivenToTwoLevelsIsRefused() {
        var levels = ClassLevels.standard
        #expect(throws: ClassLevels.Invalid(level: "BTS1", description: "BTS1: \"tg\" is already a prefix of TLE")) {
            try levels.add(.init(name: "BTS1", prefixes: ["TG"]))
        }
    }

    @Test func batchesSelectByLevelThroughTheTable() throws {
        var e = ENTExport()
        e.add(id: "1", type: "Student", last: "A", first: "Anne", login: "a", classes: "TG2")
        e.add(id: "2", type: "Student", last: "B", first: "Bea", login: "b", classes: "TES")
        e.add(id: "3", type: "Student", last: "C", first: "Cy", login: "c", classes: "1G3")
        e.add(id: "4", type: "Student", last: "D", first: "Dan", login: "d", classes: "BTS1 CG")
        let db = try TemporaryDatabase()
        try db.importCSV(e.text)
        var filter = BatchFilter()
        filter.levels = ["TLE"]
        #expect(try Sheets.preview(db.database, filter: filter, sort: [.class]).map(\.login) == ["b", "a"])
        filter.levels = ["bts1"]
        #expect(try Sheets.preview(db.database, filter: filter, sort: [.class]).map(\.login) == ["d"])
        #expect(try Sheets.classList(db.database).map(\.level) == ["1ERE", "TLE", "TLE", "BTS1"])
    }
}
