/// The levels classes belong to, read from their names as SIECLE and STS write them. A school's class names are its
/// own ("2NDE 3", "2GT4", "TG2", "T STMG 1", "1G3", "TES" before 2021, "BTS1 CG"…), so the level is the longest
/// prefix of the folded name (`Folding.key`: lower case, no accents, no spaces) found in a table; levels sort in the
/// table's order, and a name no prefix matches sorts last under its first word.
///
/// The standard table covers collège (6e to 3e, 3e prépa-métiers), lycée général et technologique (seconde, première
/// and terminale, general and every technological series, before and after the 2021 reform), voie professionnelle
/// (seconde, première, terminale pro), CAP (first and second year) and BTS (first and second year). `[school]
/// class_levels` adds prefixes or levels to it.
public struct ClassLevels: Sendable, Equatable {
    /// A level's name ("2NDE", shown on the kiosk and taken by `--level`) and the folded prefixes that select it.
    public struct Level: Sendable, Equatable {
        public let name: String
        public let prefixes: [String]

        public init(name: String, prefixes: [String]) {
            (self.name, self.prefixes) = (name, prefixes.map(Folding.key))
        }
    }

    public private(set) var levels: [Level]
    /// Folded prefix → index in `levels`.
    private var byPrefix: [String: Int] = [:]
    private var longest = 0

    /// Why a table is refused: a prefix given to two levels (which one would a class belong to?), or an empty one.
    public struct Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        public let level: String
        public let description: String
    }

    public init(_ levels: [Level]) throws(Invalid) {
        self.levels = []
        for level in levels { try add(level) }
    }

    /// Adds `level`'s prefixes to the level of that name (appended after the others when new).
    public mutating func add(_ level: Level) throws(Invalid) {
        let index =
            levels.firstIndex { Folding.key($0.name) == Folding.key(level.name) }
            ?? {
                levels.append(Level(name: level.name, prefixes: []))
                return levels.count - 1
            }()
        for prefix in level.prefixes {
            guard !prefix.isEmpty else { throw Invalid(level: level.name, description: "\(level.name): a prefix is empty") }
            if let other = byPrefix[prefix] {
                throw Invalid(
                    level: level.name, description: "\(level.name): \"\(prefix)\" is already a prefix of \(levels[other].name)")
            }
            byPrefix[prefix] = index
            longest = max(longest, prefix.count)
        }
        levels[index] = Level(name: levels[index].name, prefixes: levels[index].prefixes + level.prefixes)
    }

    /// The level of a class name: "TG2" → "TLE", "2GT4" → "2NDE", "BTS1 CG" → "BTS1"; nil when no prefix matches.
    public func level(of className: String) -> String? {
        index(of: Folding.key(className)).map { levels[$0].name }
    }

    /// The level's rank in school order (`levels.count` for a name of no level).
    func rank(of className: String) -> Int {
        index(of: Folding.key(className)) ?? levels.count
    }

    private func index(of key: String) -> Int? {
        var length = min(longest, key.count)
        while length > 0 {
            if let found = byPrefix[String(key.prefix(length))] { return found }
            length -= 1
        }
        return nil
    }

    /// The usual SIECLE and STS class names of collèges and lycées.
    public static let standard: ClassLevels = {
        // Prefixes are matched longest first, so "2" (any seconde) yields to "2pro", "2cap" or "2bts".
        let table: [(String, [String])] = [
            ("6EME", ["6", "6e", "6eme", "sixieme"]),
            ("5EME", ["5", "5e", "5eme", "cinquieme"]),
            ("4EME", ["4", "4e", "4eme", "quatrieme"]),
            ("3EME", ["3", "3e", "3eme", "troisieme", "3pm", "3prepa", "3prepametiers"]),
            ("2NDE", ["2", "2de", "2nd", "2nde", "2gt", "2gen", "seconde"]),
            (
                "1ERE",
                [
                    "1", "1e", "1re", "1ere", "1g", "1gen", "premiere",
                    "1s", "1es", "1l", "1stmg", "1sti2d", "1st2s", "1stl", "1std2a", "1sthr", "1s2tmd", "1stav"
                ]
            ),
            (
                "TLE",
                [
                    "t", "te", "tle", "term", "terminale", "tg", "tgen",
                    "ts", "tes", "tl", "tstmg", "tsti2d", "tst2s", "tstl", "tstd2a", "tsthr", "ts2tmd", "tstav"
                ]
            ),
            ("2PRO", ["2pro", "2ndepro", "2ndpro", "2depro", "2bacpro", "2bp", "secondepro"]),
            ("1PRO", ["1pro", "1erepro", "1repro", "1bacpro", "1bp", "premierepro"]),
            ("TPRO", ["tpro", "tlepro", "termpro", "tbacpro", "tbp", "terminalepro"]),
            ("CAP1", ["cap", "cap1", "1cap", "1anneecap"]),
            ("CAP2", ["cap2", "2cap", "2anneecap"]),
            ("BTS1", ["bts", "bts1", "1bts", "btsa1"]),
            ("BTS2", ["bts2", "2bts", "btsa2"])
        ]
        // The table is a constant of this file: a duplicate in it is a bug, caught by the tests.
        return try! ClassLevels(table.map { Level(name: $0.0, prefixes: $0.1) })
    }()
}
