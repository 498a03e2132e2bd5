import Foundation

/// The sheets' French wording, all of it.
extension SheetText {
    static let french = SheetText(
        defaultENT: "l'ENT",
        title: { ent in (ent == "l'ENT" ? "Espace numérique de travail" : ent) + " — fiche de connexion personnelle" },
        number: { "Fiche n° \($0)" },
        profile: { profile in
            switch profile {
            case .student: "Élève"
            case .relative: "Parent"
            case .teacher: "Enseignant"
            case .personnel: "Personnel"
            case .guest: "Invité"
            }
        },
        role: { person in
            switch person.profile {
            case .student:
                return person.classes.isEmpty ? "Élève" : "Élève de " + person.classes.joined(separator: ", ")
            case .relative:
                guard !person.children.isEmpty else { return "Parent d'élève" }
                let named = person.children.enumerated().map { index, child in
                    let name = spokenName(first: child.firstName, last: child.lastName)
                    let classes = child.classes.isEmpty ? "" : " (" + child.classes.joined(separator: ", ") + ")"
                    return (index == 0 ? "" : frenchDe(name)) + name + classes
                }
                // "Parent de A (x), de B (y) et de C (z)": the first "de" elides too ("Parent d'Inès").
                let first = frenchDe(named[0]) + named[0]
                let rest = Array(named.dropFirst())
                guard let last = rest.last else { return "Parent " + first }
                return "Parent " + ([first] + rest.dropLast()).joined(separator: ", ") + " et " + last
            case .teacher:
                return person.classes.isEmpty ? "Enseignant" : "Enseignant · " + person.classes.joined(separator: ", ")
            case .personnel: return "Personnel de l'établissement"
            case .guest: return "Invité"
            }
        },
        loginLabel: "IDENTIFIANT",
        codeLabel: "CODE D'ACTIVATION",
        codeHint: "à saisir tel quel, en minuscules, sans espace — valable pour la première connexion seulement",
        activatedLabel: "COMPTE DÉJÀ ACTIVÉ",
        activatedBox:
            "Vous avez déjà choisi votre mot de passe : connectez-vous avec l'identifiant ci-dessus et ce mot de passe.",
        federatedLabel: "SE CONNECTE AVEC",
        federatedServices: frenchServices,
        federatedBox: { ent, services in
            "Pas d'identifiant ni de code d'activation à recevoir : on se connecte à \(ent) avec \(frenchServices(services))."
        },
        qrCaption: { "Adresse de \($0)" },
        intro: { ent in "Cette fiche permet de se connecter à \(ent), l'espace numérique de travail de l'établissement." },
        personal: { handover, owner in
            switch handover {
            case .owner, .unknown:
                "Elle est personnelle : ne la confiez à personne."
            case .toParent(let parent):
                "Elle est personnelle à \(owner) et remise à \(parent), son parent : ne la confiez à personne d'autre."
            case .viaStudent(let student):
                "Elle est personnelle à \(owner) et remise à l'élève \(student) pour ses parents : ne la confiez à personne d'autre."
            }
        },
        firstConnectionTitle: "Première connexion",
        firstConnectionSteps: { url, ent in
            [
                "Ouvrez \(url) dans un navigateur (ou scannez le code QR avec un téléphone).",
                "Saisissez votre identifiant et votre code d'activation, tels qu'imprimés ci-dessus.",
                "Choisissez votre mot de passe et saisissez-le deux fois.",
                "Indiquez votre adresse électronique ; vous pouvez aussi donner un numéro de téléphone portable (facultatif).",
                "Lisez et acceptez la charte d'utilisation de \(ent) : votre compte est activé."
            ]
        },
        firstConnectionNote:
            "Le code d'activation ne sert qu'une fois. Gardez votre mot de passe pour vous : l'établissement ne vous le demandera jamais. Conservez cette fiche en lieu sûr ou détruisez-la après l'activation.",
        activatedTitle: "Mot de passe oublié ?",
        activatedSteps: { url, ent in
            [
                "Ouvrez \(url) et cliquez sur « \(frenchForgotten) » sur la page de connexion.",
                "Saisissez votre identifiant : un message pour choisir un nouveau mot de passe est envoyé à l'adresse électronique de votre compte.",
                "Vous n'avez plus accès à cette adresse ? Présentez-vous à l'accueil avec une pièce d'identité : un code de renouvellement vous sera remis, à saisir dans le champ du mot de passe."
            ]
        },
        activatedNote: "Gardez votre mot de passe pour vous : l'établissement ne vous le demandera jamais.",
        carriedOver: { previous, ent in
            "Vous utilisiez \(frenchList(previous, or: true)) ? Votre mot de passe reste le même sur \(ent)."
        },
        federatedTitle: "Se connecter",
        federatedSteps: { url, ent, services in
            [
                "Ouvrez \(url) dans un navigateur (ou scannez le code QR avec un téléphone).",
                "Sur la page de connexion, choisissez " + frenchList(services.map(frenchButton), or: true) + ".",
                "Identifiez-vous avec \(frenchServices(services)) : \(ent) vous reconnaît, sans identifiant ni mot de passe propres."
            ]
        },
        federatedNote: "En cas de difficulté pour vous connecter, adressez-vous à l'accueil de l'établissement.",
        firstConnectionShort:
            "Première connexion : ouvrez l'adresse ci-contre, saisissez l'identifiant et le code, choisissez un mot de passe (deux fois), indiquez votre courriel (téléphone facultatif), acceptez la charte.",
        activatedShort:
            "Compte déjà activé. Mot de passe oublié : lien « \(frenchForgotten) » sur la page de connexion, ou un code de renouvellement à l'accueil.",
        federatedShort: { services in
            "Pas d'identifiant ni de code : ouvrez l'adresse ci-contre et choisissez "
                + frenchList(services.map(frenchButton), or: true) + "."
        },
        dates: { data, printed in
            (data.map { "Données ENT du \($0)" } ?? "Données ENT : date inconnue") + " · fiche imprimée le \(printed)"
        },
        entChecked: { ent, time in "vérifié auprès de \(ent) à \(time)" },
        cutHere: "Découper ici : le haut est remis à la personne, le bas reste à l'établissement.",
        receiptTitle: "Récépissé de remise — à conserver par l'établissement",
        receiptAccount: { number, name, login in "Fiche n° \(number) — compte de \(name) (\(login))" },
        receiptHandedTo: { printed, handedTo in
            guard let handedTo else { return "Remise le ………………………… à ……………………………………………… · pièce d'identité vérifiée : ……………………" }
            let role =
                switch handedTo.role {
                case .owner: ""
                case .parent: " (parent)"
                case .studentForParents: " (élève, pour ses parents)"
                }
            let who = spokenName(first: handedTo.firstName, last: handedTo.lastName) + role
            return
                "Remise le \(printed) à \(who) · pièce d'identité vérifiée : \(frenchDocument(handedTo.idCheck)) · par \(handedTo.staff)"
        },
        receiptSignature: "Signature de la personne :",
        idCheck: frenchDocument,
        day: { "\(two($0.day))/\(two($0.month))/\($0.year.map(String.init) ?? "????")" },
        dayAndTime: {
            "\(two($0.day))/\(two($0.month))/\($0.year.map(String.init) ?? "????") à \(two($0.hour)):\(two($0.minute))"
        },
        mail: MailWording(
            subject: { name in "Votre compte \(name ?? "ENT")" },
            greeting: { "Bonjour \($0)," },
            body: { variant, school, url, ent in
                let sheet: [String]
                switch variant {
                case .notActivated:
                    sheet = [
                        "Vous trouverez en pièce jointe votre fiche de connexion à \(ent) (\(school)) : votre identifiant et votre code d'activation, avec les étapes de la première connexion.",
                        "Ouvrez \(url), saisissez l'identifiant et le code tels qu'ils sont imprimés, puis choisissez votre mot de passe."
                    ]
                case .activated:
                    sheet = [
                        "Votre compte \(ent) est déjà activé. Vous trouverez en pièce jointe un rappel de votre identifiant et la marche à suivre si vous avez oublié votre mot de passe.",
                        "Sur \(url), cliquez sur « \(frenchForgotten) » sur la page de connexion ; si vous n'avez plus accès à votre adresse électronique, présentez-vous à l'accueil avec une pièce d'identité."
                    ]
                case .federated(let services):
                    sheet = [
                        "Vous trouverez en pièce jointe comment vous connecter à \(ent) (\(school)) : avec \(frenchServices(services)), sans identifiant ni code d'activation.",
                        "Ouvrez \(url) et, sur la page de connexion, choisissez "
                            + frenchList(services.map(frenchButton), or: true) + "."
                    ]
                }
                return sheet + [
                    "Ce message vous est personnel. Si vous n'êtes pas concerné, ignorez-le et signalez-le à l'établissement."
                ]
            },
            signature: { "L'accueil — \($0)" },
            attachmentName: { "fiche-ENT-\($0).pdf" }))

    /// The link of the ENT's login page (entcore's `auth/login`), word for word.
    static let frenchForgotten = "Mot de passe oublié ?"

    /// "EduConnect ou FranceConnect", "votre compte académique".
    static func frenchServices(_ services: [FederationService]) -> String {
        frenchList(
            services.map { service in
                switch service {
                case .educonnect: "EduConnect"
                case .franceconnect: "FranceConnect"
                case .academy: "votre compte académique"
                }
            }, or: true)
    }

    /// What the login page shows for each service: its button, or the academy's portal.
    static func frenchButton(_ service: FederationService) -> String {
        switch service {
        // No-break spaces inside the guillemets, as French typography has them: a button's name never splits.
        case .educonnect: "«\u{00A0}EduConnect\u{00A0}»"
        case .franceconnect: "«\u{00A0}FranceConnect\u{00A0}»"
        case .academy: "le portail de votre académie"
        }
    }

    /// "A", "A ou B", "A, B ou C".
    static func frenchList(_ items: [String], or: Bool) -> String {
        guard let last = items.last else { return "" }
        let head = items.dropLast()
        return head.isEmpty ? last : head.joined(separator: ", ") + (or ? " ou " : " et ") + last
    }

    static func frenchDocument(_ check: IDCheck) -> String {
        switch check {
        case .cni: "carte nationale d'identité"
        case .passport: "passeport"
        case .residencePermit: "titre de séjour"
        case .drivingLicence: "permis de conduire"
        case .known: "personne connue de l'établissement"
        case .other: "autre document"
        }
    }

    /// "de " or "d'" before a name: French elides before a vowel or a mute h ("d'Inès", "d'Hugo", "de Zoé").
    static func frenchDe(_ name: String) -> String {
        guard let first = Folding.fold(String(name.prefix(1))).first else { return "de " }
        return "aeiouh".contains(first) ? "d'" : "de "
    }
}
