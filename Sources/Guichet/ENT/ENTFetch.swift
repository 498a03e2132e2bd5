import Foundation

/// `guichet ent fetch`: each structure's "Exporter des comptes" downloaded from the ENT, then imported through the
/// same all-or-nothing importer as a file would be. Several structures make one import (an account listed by two
/// structures counts once), so that nobody is marked gone for belonging to the other one.
public enum ENTFetch {
    /// Downloads, parses and imports; nothing is written unless every structure's export was read and parsed.
    public static func run(
        session: ENTSession, into database: GuichetDatabase, staff: String,
        now: Date = Date()
    ) throws -> ImportSummary {
        var merged: ExportFile?
        for structure in session.settings.structureIDs {
            let bytes = try session.exportCSV(structureID: structure)
            let export = try ExportFile.parse(bytes: bytes, name: "ent:\(structure)", dataDate: now)
            merged = merged.map { $0.adding(export) } ?? export
        }
        guard let merged else { throw ENTError.unreachable("no structure to fetch") }
        return try Importer.run(merged, into: database, staff: staff, channel: .cli, now: now)
    }
}

extension ExportFile {
    /// This export and the accounts of `other` it does not list already (by login).
    func adding(_ other: ExportFile) -> ExportFile {
        var copy = self
        var seen = Set(accounts.map(\.login))
        for account in other.accounts where seen.insert(account.login).inserted { copy.accounts.append(account) }
        return copy
    }
}
