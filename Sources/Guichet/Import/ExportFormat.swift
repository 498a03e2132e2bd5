/// The ENT exports Guichet reads, recognised by their header names (never by position):
/// - "Exporter des comptes", current: `Id; Identifiant SIECLE; Type; Nom; Prénom; Identifiant; Login personnalisé
///   (Alias); Code d'activation; Fonctions; Établissements; Classes; Enfants; Parents; Dernière connexion; Courriel;
///   Téléphone`;
/// - the same, older: `Id; Id Siecle; Type; Nom; Prénom; Login; Code d'activation; Fonction(s); Structure(s);
///   Classe(s); Enfant(s); Parent(s)`;
/// - the publipostage list: `Nom; Prénom; Profil; Login; Code d'activation; Courriel; Classe; Date de création`.
/// An account export lists every account of the platform, so an account missing from it has left the feed; a
/// publipostage list is a filtered selection, so it never marks anyone gone.
public enum ExportKind: String, Sendable, Codable {
    case accountExport = "account-export"
    case publipostage = "publipostage"
}

/// The fields an export can carry.
enum Field: Int, CaseIterable {
    case entId, siecleId, profile, lastName, firstName, login, alias, activationCode, functions, structures,
        classes, children, parents, lastConnection, email, phone, createdOn

    /// Header names as the exports spell them, folded with `Folding.key`.
    static let headerNames: [String: Field] = [
        "id": .entId,
        "identifiantsiecle": .siecleId, "idsiecle": .siecleId,
        "type": .profile, "profil": .profile,
        "nom": .lastName,
        "prenom": .firstName,
        "identifiant": .login, "login": .login,
        "loginpersonnalisealias": .alias, "alias": .alias, "loginpersonnalise": .alias,
        "codedactivation": .activationCode,
        "fonctions": .functions, "fonction": .functions,
        "etablissements": .structures, "structures": .structures, "etablissement": .structures, "structure": .structures,
        "classes": .classes, "classe": .classes,
        "enfants": .children, "enfant": .children,
        "parents": .parents, "parent": .parents,
        "derniereconnexion": .lastConnection,
        "courriel": .email, "email": .email, "mail": .email, "adressemail": .email,
        "telephone": .phone,
        "datedecreation": .createdOn
    ]
}

/// A header once recognised: which field each column holds.
struct ColumnMap {
    let kind: ExportKind
    /// Column index of each field present in the file, by `Field.rawValue`: an array, not a dictionary, because
    /// every field of every row is looked up (hashing was a tenth of parsing a million rows).
    private let positions: [Int?]
    /// The header as written, to name columns in errors.
    let names: [String]
    let count: Int

    /// Recognises `header`; `line` is the header's line number, for errors.
    init(header: [String], file: String, line: Int) throws(ImportError) {
        var index: [Field: Int] = [:]
        var names: [String] = []
        for (position, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            names.append(name)
            guard let field = Field.headerNames[Folding.key(name)] else { continue }  // other columns are ignored
            if index[field] != nil {
                throw ImportError(file: file, line: line, problem: .duplicateColumn(name))
            }
            index[field] = position
        }
        let isPublipostage = index[.entId] == nil && header.contains { Folding.key($0) == "profil" }
        let required: [(Field, String)] = [
            (.lastName, "Nom"), (.firstName, "Prénom"),
            (.profile, isPublipostage ? "Profil" : "Type"),
            (.login, isPublipostage ? "Login" : "Identifiant")
        ]
        if index.count < 2 {
            throw ImportError(file: file, line: line, problem: .unknownFormat(header: names.joined(separator: ";")))
        }
        for (field, name) in required where index[field] == nil {
            throw ImportError(file: file, line: line, problem: .missingColumn(name))
        }
        self.kind = isPublipostage ? .publipostage : .accountExport
        var positions = [Int?](repeating: nil, count: Field.allCases.count)
        for (field, position) in index { positions[field.rawValue] = position }
        self.positions = positions
        self.names = names
        self.count = header.count
    }

    /// How many columns are recognised: used to tell `;` from `,` when a spreadsheet re-saved the file.
    static func score(_ header: [String]) -> Int {
        header.reduce(0) { $0 + (Field.headerNames[Folding.key($1)] == nil ? 0 : 1) }
    }

    func position(_ field: Field) -> Int? { positions[field.rawValue] }

    func name(of field: Field) -> String { position(field).map { names[$0] } ?? String(describing: field) }
}

import Foundation
