import Foundation
import GuichetCrypto

/// One row of an export, checked and typed. A field the file has no column for is nil: an import never erases what
/// another kind of export told us (the publipostage list has no phone, the older export no e-mail).
struct ImportedAccount: Sendable {
    var line: Int
    var entId: String?
    var siecleId: String?
    var profile: Profile
    var lastName: String
    var firstName: String
    var login: String
    var alias: String??
    /// "" when the account is activated.
    var activationCode: String?
    var functions: [String]?
    var structures: [String]?
    var classes: [String]?
    var children: [String]?
    var parents: [String]?
    /// Local time of the school, "yyyy-MM-dd HH:mm".
    var lastConnection: String??
    var email: String??
    var phone: String??
    /// "yyyy-MM-dd".
    var createdOn: String??
    /// `fingerprint(kind:)` of this row, computed as it is parsed (its strings are then in the cache).
    var fingerprint: Int64 = 0

    /// The ENT's display name, as `Enfants` and `Parents` cells write it: "Prénom Nom".
    var displayKey: String { Folding.key(firstName + " " + lastName) }

    /// What the importer leaves in a row's place once it has written the row's account: its texts and lists let go.
    static let letGo = ImportedAccount(line: 0, profile: .guest, lastName: "", firstName: "", login: "")
}

extension ImportedAccount {
    /// Bump when the importer derives an account's columns differently from the same row: every stored fingerprint
    /// then differs, and the next import merges every row in full.
    static let fingerprintVersion: UInt8 = 1

    /// A fingerprint of everything this row says (a column the file lacks counts as said: "absent"), for an export of
    /// `kind`. Equal to the stored one, the row is the one the last import merged, and merging it again changes nothing.
    func fingerprint(kind: ExportKind) -> Int64 {
        var bytes: [UInt8] = [Self.fingerprintVersion, kind == .accountExport ? 1 : 2]
        bytes.reserveCapacity(512)
        // Each value is tagged (1 text, 2 empty/NULL, 3 no such column) and ends with 0x00, lists' items with 0x1F.
        func add(_ text: String?) {
            if let text { bytes.append(1); bytes += text.utf8 } else { bytes.append(2) }
            bytes.append(0)
        }
        func add(_ value: String??) {
            if let value { add(value) } else { bytes.append(3); bytes.append(0) }
        }
        func add(_ list: [String]?) {
            guard let list else { bytes.append(3); bytes.append(0); return }
            bytes.append(1)
            for item in list { bytes += item.utf8; bytes.append(0x1F) }
            bytes.append(0)
        }
        add(entId); add(siecleId); add(profile.rawValue); add(lastName); add(firstName); add(login); add(alias)
        add(activationCode); add(functions); add(structures); add(classes); add(children); add(parents)
        add(lastConnection); add(email); add(phone); add(createdOn)
        return bytes.withUnsafeBytes { Digest.fingerprint($0) }
    }
}

extension ColumnMap {
    /// Reads one data row; throws naming the line and the column. `lists` holds the function, school and class lists
    /// read so far, so that rows listing the same ones share them.
    func account(
        from fields: [String], line: Int, file: String, lists: inout [String: [String]]
    ) throws(ImportError) -> ImportedAccount {
        var fields = fields
        // A trailing separator at the end of every row (some tools write one) is one empty extra field.
        if fields.count == count + 1, fields.last?.isEmpty == true { fields.removeLast() }
        guard fields.count == count else {
            throw ImportError(file: file, line: line, problem: .fieldCount(found: fields.count, expected: count))
        }
        func value(_ field: Field) -> String? {
            position(field).map { Self.trimmed(fields[$0]) }
        }
        func required(_ field: Field) throws(ImportError) -> String {
            guard let v = value(field), !v.isEmpty else {
                throw ImportError(file: file, line: line, problem: .emptyValue(column: name(of: field)))
            }
            return v
        }
        func optional(_ field: Field) -> String?? {
            guard let v = value(field) else { return nil }
            return .some(v.isEmpty ? nil : v)
        }
        func list(_ field: Field) -> [String]? {
            value(field).map { cell in
                // Most cells hold one value: no splitting, no copy.
                if !cell.utf8.contains(UInt8(ascii: ",")) { return cell.isEmpty ? [] : [cell] }
                return Self.listItems(cell)
            }
        }
        // A school's name is longer than a string held inline (15 bytes), and a cell is a new string on every row: a
        // million rows held a million copies of a few hundred schools, and as many arrays of them (some 170 MB).
        func shared(_ field: Field) -> [String]? {
            guard let cell = position(field).map({ fields[$0] }) else { return nil }
            if let known = lists[cell] { return known }
            let read = list(field)
            lists[cell] = read
            return read
        }
        let profileText = try required(.profile)
        guard let profile = Profile(entValue: profileText) else {
            throw ImportError(file: file, line: line, problem: .unknownProfile(column: name(of: .profile), value: profileText))
        }
        var account = ImportedAccount(
            line: line, entId: value(.entId).flatMap { $0.isEmpty ? nil : $0 }, siecleId: value(.siecleId),
            profile: profile, lastName: try required(.lastName), firstName: try required(.firstName),
            login: try required(.login), alias: optional(.alias), activationCode: value(.activationCode),
            functions: shared(.functions), structures: shared(.structures), classes: shared(.classes),
            children: list(.children), parents: list(.parents), lastConnection: nil, email: optional(.email),
            phone: optional(.phone), createdOn: nil)
        if position(.entId) != nil, account.entId == nil {
            throw ImportError(file: file, line: line, problem: .emptyValue(column: name(of: .entId)))
        }
        if let text = optional(.lastConnection) {
            account.lastConnection = .some(
                try text.map { (t) throws(ImportError) in
                    guard let d = DateText.entTimestamp(t) else {
                        throw ImportError(
                            file: file, line: line,
                            problem: .badDate(column: name(of: .lastConnection), value: t, expected: "dd-MM-yyyy HH:mm"))
                    }
                    return d
                })
        }
        if let text = optional(.createdOn) {
            account.createdOn = .some(
                try text.map { (t) throws(ImportError) in
                    guard let d = DateText.entDay(t) else {
                        throw ImportError(
                            file: file, line: line,
                            problem: .badDate(column: name(of: .createdOn), value: t, expected: "dd/MM/yyyy"))
                    }
                    return d
                })
        }
        account.fingerprint = account.fingerprint(kind: kind)
        return account
    }

    /// The items of a list cell ("Zoé Gérard, Inès Gérard"), split at its commas, trimmed, the empty ones left out.
    /// Split as bytes when that is sure to cut where `split(separator: ",")` cuts (by characters): no scalar from
    /// U+0600 on (where Unicode's prepended marks are) and an ASCII byte after every comma (no combining mark joins
    /// it), which is every cell of a French school's export; by characters otherwise. The parents' and children's
    /// lists of a million rows split by characters were 0.9 s of CPU (`perf`, 2 December).
    static func listItems(_ cell: String) -> [String] {
        var cell = cell
        let bytes = cell.withUTF8 { bytes -> [String]? in
            for i in bytes.indices {
                if bytes[i] >= 0xD8 { return nil }
                if bytes[i] == UInt8(ascii: ","), i + 1 < bytes.count, bytes[i + 1] >= 0x80 { return nil }
            }
            var items: [String] = []
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: ",") {
                var (from, to) = (start, i)
                while from < to && (bytes[from] == 0x20 || bytes[from] == 0x09) { from += 1 }
                while to > from && (bytes[to - 1] == 0x20 || bytes[to - 1] == 0x09) { to -= 1 }
                if from < to { items.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)) }
                start = i + 1
            }
            return items
        }
        return bytes ?? cell.split(separator: ",").map { Self.trimmed($0) }.filter { !$0.isEmpty }
    }

    /// Without spaces and tabs at either end. Foundation's `trimmingCharacters` bridges through NSString and was
    /// a seventh of a million-row import.
    static func trimmed(_ text: String) -> String {
        // Nearly every value has nothing to trim: it is returned as it is, not copied.
        isBlank(text.utf8.first) || isBlank(text.utf8.last) ? trimmed(Substring(text)) : text
    }

    static func trimmed(_ text: Substring) -> String {
        var slice = text
        while isBlank(slice.utf8.first) { slice = slice.dropFirst() }
        while isBlank(slice.utf8.last) { slice = slice.dropLast() }
        return String(slice)
    }

    private static func isBlank(_ byte: UInt8?) -> Bool { byte == 0x20 || byte == 0x09 }
}

/// The ENT's date formats, turned into sortable text. Parsed by hand: they are fixed-width digits, and
/// DateFormatter costs microseconds per call on a million rows.
enum DateText {
    /// "20-11-2026 08:12" → "2026-11-20 08:12"; also accepts "/" between the date's parts and an ISO date.
    static func entTimestamp(_ text: String) -> String? {
        if let read = fixedWidthTimestamp(text) { return read }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let day = entDay(String(parts[0])) else { return nil }
        let time = parts[1].split(separator: ":")
        guard time.count == 2 || time.count == 3, let h = Int(time[0]), let m = Int(time[1]),
            (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        return day + " " + pad(h) + ":" + pad(m)
    }

    /// "20/11/2026" or "20-11-2026" → "2026-11-20"; "2026-11-20" stays.
    static func entDay(_ text: String) -> String? {
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "-" })
        guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]) else { return nil }
        let (year, month, day) = parts[0].count == 4 ? (a, b, c) : (c, b, a)
        guard (1900...2200).contains(year), (1...12).contains(month), (1...daysIn(month, year)).contains(day) else { return nil }
        return String(year) + "-" + pad(month) + "-" + pad(day)
    }

    /// `entTimestamp` of "dd-MM-yyyy HH:mm" ("/" or "-" between the date's parts), the ENT's own shape, read from its
    /// bytes: `.some(nil)` when its numbers are out of range, nil when the text has another shape (read as above).
    /// The same numbers as the splitting reading gives, checked the same way; that reading of a million rows' last
    /// connections was 0.9 s of CPU (`perf`, 2 December).
    /// Where each byte of "yyyy-MM-dd HH:mm" comes from in "dd-MM-yyyy HH:mm" (the digits as they are, each field
    /// already of its width), or which separator it is: -1 "-", -2 " ", -3 ":".
    private static let timestampOrder = [6, 7, 8, 9, -1, 3, 4, -1, 0, 1, -2, 11, 12, -3, 14, 15]

    private static func fixedWidthTimestamp(_ text: String) -> String?? {
        var text = text
        return text.withUTF8 { b -> String?? in
            func isDigit(_ i: Int) -> Bool { b[i] >= 0x30 && b[i] <= 0x39 }
            func isDateSeparator(_ i: Int) -> Bool { b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "/") }
            guard b.count == 16, isDigit(0), isDigit(1), isDateSeparator(2), isDigit(3), isDigit(4), isDateSeparator(5),
                isDigit(6), isDigit(7), isDigit(8), isDigit(9), b[10] == 0x20, isDigit(11), isDigit(12), b[13] == 0x3A,
                isDigit(14), isDigit(15)
            else { return nil }
            func number(_ at: Int, _ count: Int) -> Int { (at..<(at + count)).reduce(0) { $0 * 10 + Int(b[$1] - 0x30) } }
            let (day, month, year, h, m) = (number(0, 2), number(3, 2), number(6, 4), number(11, 2), number(14, 2))
            guard (1900...2200).contains(year), (1...12).contains(month), (1...daysIn(month, year)).contains(day),
                (0...23).contains(h), (0...59).contains(m)
            else { return .some(nil) }
            return .some(
                String(unsafeUninitializedCapacity: 16) { out in
                    for (k, i) in timestampOrder.enumerated() {
                        out[k] = i >= 0 ? b[i] : i == -1 ? UInt8(ascii: "-") : i == -2 ? 0x20 : UInt8(ascii: ":")
                    }
                    return 16
                })
        }
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}
