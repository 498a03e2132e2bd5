/// Spreadsheet formula injection: a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which
/// some spreadsheets skip before looking) is read as a formula by Excel and LibreOffice when the CSV is opened. A
/// name from the ENT such as `=HYPERLINK("http://…")` must stay text. OWASP's advice: prefix such a cell with a
/// single quote, which the spreadsheet shows as text and hides.
enum CSVCell {
    static func neutralised(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }
}
