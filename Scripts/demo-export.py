#!/usr/bin/env python3
"""Generate a realistic ENT account export ("Exporter des comptes") for demos, tests and benchmarks.

The file imitates what an Open ENT NG platform (MonLycée.net, Lycée Connecté, ONE…) writes:

- current variant: `Id;Identifiant SIECLE;Type;Nom;Prénom;Identifiant;Login personnalisé (Alias);Code d'activation;
  Fonctions;Établissements;Classes;Enfants;Parents;Dernière connexion;Courriel;Téléphone`;
- every value (header too) in double quotes, inner quotes never escaped (so no generated value contains one),
  multi-valued cells joined with ", " inside one quoted value, UTF-8 with a BOM, LF line ends;
- an empty activation code means the account is already active; `Dernière connexion` is `dd-MM-yyyy HH:mm`;
- `Enfants` / `Parents` hold display names ("Prénom Nom"): the two sides are always consistent. Families are as an
  academy's are: each student lists one or two parents (a few none, a few three), who list the student back;
  siblings share their parents; homonyms are common (the same "Prénom Nom" in the same school for a few percent of
  the parents and students, besides the many across an academy), so a name alone does not say who is meant —
  only the names listed back do. Among the personas, the deliberately ambiguous display name is "Camille Martin".
- each school's accounts are listed in name order (as the console lists them), not family by family: a family's
  rows are scattered over the school's block, mothers with their own family name far from their children.

Fixed personas (identical for every seed and size) open every export, in "Lycée Jean-Jaurès"; see PERSONAS.
The rest is drawn from a seeded random.Random, so `--seed S` gives byte-identical output.

Usage: demo-export.py --accounts N -o FILE [--seed S] [--variant current|legacy|publipostage]
                      [--encoding utf-8|cp1252] [--crlf] [--separator ';'|',']
"""

from __future__ import annotations

import argparse
import codecs
import datetime
import functools
import itertools
import os
import random
import sys
import time
import unicodedata
from bisect import bisect
from dataclasses import dataclass, field

# --------------------------------------------------------------------------------------------------------------------
# Output formats
# --------------------------------------------------------------------------------------------------------------------

MIN_ACCOUNTS = 100
MAX_ACCOUNTS = 1_000_000

CURRENT_HEADER = (
    "Id", "Identifiant SIECLE", "Type", "Nom", "Prénom", "Identifiant", "Login personnalisé (Alias)",
    "Code d'activation", "Fonctions", "Établissements", "Classes", "Enfants", "Parents", "Dernière connexion",
    "Courriel", "Téléphone",
)
LEGACY_HEADER = (
    "Id", "Id Siecle", "Type", "Nom", "Prénom", "Login", "Code d'activation", "Fonction(s)", "Structure(s)",
    "Classe(s)", "Enfant(s)", "Parent(s)",
)
PUBLIPOSTAGE_HEADER = (
    "Nom", "Prénom", "Profil", "Login", "Code d'activation", "Courriel", "Classe", "Date de création",
)

STUDENT, RELATIVE, TEACHER, PERSONNEL, GUEST = "Student", "Relative", "Teacher", "Personnel", "Guest"
ACCOUNT_TYPES = (STUDENT, RELATIVE, TEACHER, PERSONNEL, GUEST)
FRENCH_PROFILES = {STUDENT: "Élève", RELATIVE: "Parent", TEACHER: "Enseignant", PERSONNEL: "Personnel",
                   GUEST: "Invité"}

MULTI_JOIN = ", "  # how the ENT joins the values of a multi-valued cell, inside one quoted value

ACTIVATION_ALPHABET = "abcdefghjkmnprstvwxyz3456789"  # the ENT's, without look-alikes
ACTIVATION_CODE_LENGTH = 8

# The nightly export is dated the morning of EXPORT_DAY; the last connections are on the days before.
EXPORT_DAY = datetime.date(2026, 3, 16)
OLDEST_CONNECTION = datetime.date(2025, 1, 2)

ACADEMIC_MAIL_DOMAIN = "ac-versailles.fr"

# --------------------------------------------------------------------------------------------------------------------
# How the population is made (shares are of all accounts unless said otherwise)
# --------------------------------------------------------------------------------------------------------------------

SINGLE_SCHOOL_MAX_ACCOUNTS = 5_000  # below this, one school
ACCOUNTS_PER_LYCEE = 7_000          # above it, about one school per this many accounts
COLLEGE_EVERY = 6                   # in an academy, every sixth school is a collège (and half as big)

TEACHER_SHARE = 0.031
PERSONNEL_SHARE = 0.012
GUEST_SHARE = 0.004

# Probability that an account of each type is already activated (about 55% overall).
ACTIVATED_SHARE = {STUDENT: 0.60, RELATIVE: 0.50, TEACHER: 0.88, PERSONNEL: 0.75, GUEST: 0.30}

ALIAS_SHARE = 0.03
STUDENT_EMAIL_SHARE = 0.50
RELATIVE_EMAIL_SHARE = 0.86
RELATIVE_PHONE_SHARE = 0.40
SHARED_FAMILY_EMAIL_SHARE = 0.02   # a couple giving the ENT one common address
TEACHER_EMAIL_SHARE = 0.95
PERSONNEL_EMAIL_SHARE = 0.70
GUEST_EMAIL_SHARE = 0.60
TEACHER_SIECLE_SHARE = 0.80
PERSONNEL_SIECLE_SHARE = 0.50
SECOND_SCHOOL_TEACHER_SHARE = 0.04  # teachers with a "complément de service" elsewhere (academy exports only)
SIBLING_ELSEWHERE_SHARE = 0.30      # a brother or sister in another school (academy exports only)

# Students of one family in the export: 1, 2 or 3 (mean 1.23: collèges and lycées of one academy).
CHILDREN_PER_FAMILY = ((1, 0.80), (2, 0.17), (3, 0.03))
# Family structures; with the above they give about 1.6 parent accounts per student.
FAMILY_KINDS = (
    ("couple", 0.58),           # two parents, one family name
    ("couple_own_name", 0.12),  # the mother kept her own name
    ("couple_double", 0.05),    # the children carry both names ("Martin Durand")
    ("single", 0.20),           # one parent account
    ("step", 0.04),             # mother, father and a step-parent; younger half-siblings
    ("none", 0.01),             # no parent account (adult student, parents not in the feed)
)
STUDENT_SHARE_OF_FAMILIES = 1.23 / (1.23 + 1.83)  # students / (students + parents) of the above, to size classes
SAME_SEX_COUPLE_SHARE = 0.01
# Homonyms inside one school, on top of those the name lists give across an academy: a parent named exactly as a
# parent of an earlier family of the school, a student exactly as an earlier student (another family, another child).
SAME_SCHOOL_HOMONYM_PARENT_SHARE = 0.04
SAME_SCHOOL_HOMONYM_STUDENT_SHARE = 0.02
MIXED_COUPLE_SHARE = 0.08  # the mother's family name comes from another origin

# --------------------------------------------------------------------------------------------------------------------
# Names. Lists are ordered from most to least common; weights follow a Zipf-like law over that order.
# --------------------------------------------------------------------------------------------------------------------

FRENCH_SURNAMES = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André",
    "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
    "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
    "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
    "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
    "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
    "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
    "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin",
    "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
    "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier",
    "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall", "Collet",
    "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain",
    "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré",
    "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez",
    "Guichard", "Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin",
    "Bouchet", "Gay", "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret",
    "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier",
    "Laporte", "Gomez", "Leduc", "Texier", "Buisson", "Moreno", "Tanguy", "Ferrand", "Brunel", "Hamel",
    "Lebon", "Lecoq", "Bouchard", "Bousquet", "Guillou", "Laine", "Lesage", "Devaux", "Hebert", "Riou",
    "Joubert", "Vallée", "Navarro", "Pons", "Camus", "Chauvet", "Tournier", "Martel", "Thibault", "Delmas",
    "Bouvet", "Gros", "Ollivier", "Lacoste", "Cohen", "Benard", "Bonneau", "Rocher", "Vaillant", "Salaün",
    "Marchais", "Delattre", "Raynaud", "Briand", "Coulon", "Mary", "Maillet", "Lefort", "Prévot", "Bodin",
    "Jourdan", "Baudry", "Poulet", "Vial", "Guillet", "Jolly", "Mathis", "Chapuis", "Ferré", "Hoareau",
    "Godard", "Régnier", "Bazin", "Favre", "Descamps", "Peltier", "Gaudin", "Grégoire", "Allard", "Lenoir",
    "Vigneron", "Delorme", "Pineau", "Rault", "Blondel", "Maurice", "Fischer", "Jacques", "Legros", "Bailleul",
    "Besnard", "Legendre", "Bourdon", "Hardy", "Labbé", "Sauvage", "Couturier", "Bruneau", "Launay", "Tissier",
    "Charrier", "Chartier", "Dubreuil", "Leconte", "Forestier", "Voisin", "Gilles", "Lecœur", "Bœuf", "Œuvrard",
    "Loiseau", "Marion", "Courtois", "Barbe", "Lemonnier", "Bigot", "Grenier", "Jamet", "Morvan", "Le Bihan",
    "Le Corre", "Le Guen", "Le Floch", "Le Moal", "Kerbrat", "Guéguen", "Queffélec", "Toussaint", "Maurin",
    "Giraudeau", "Cornu", "Duhamel", "Delahaye", "Ledoux", "Géraud", "Pruvost", "Dewaele", "Vandenberghe",
    "Lefranc", "Hénault", "Thiébaut", "Chrétien", "Duchêne", "Fèvre", "Jégou", "Maës", "Prud'homme",
)
# Names with a particle or an apostrophe (French usage keeps the lower-case particle).
PARTICLE_SURNAMES = (
    "de La Fontaine", "Du Pont", "de La Tour", "de Lattre", "Des Roches", "de Villeneuve", "de Saint-Pierre",
    "D'Hondt", "L'Huillier", "de La Roche", "Du Bois", "Le Bras", "de Montalembert", "La Rocca", "D'Andrea",
    "de Sousa", "de Carvalho", "Le Tallec", "L'Hermitte", "Saint-Martin", "de Foucauld", "d'Aubigné",
)
# Hyphenated double names, as old families and some couples carry them.
HYPHENATED_SURNAMES = (
    "Dupont-Aignan", "Lefèvre-Martin", "Martin-Lavigne", "Bernard-Reymond", "Giscard-Rivière", "Lemoine-Ducros",
    "Durand-Ruel", "Roux-Combaluzier", "Petit-Jean", "Mercier-Lacombe", "Leroy-Beaulieu", "Boyer-Fonfrède",
)

# Foreign and regional families. Each origin: (share of families, surnames, female first names, male first names,
# share of its children with a first name from the French list).
ORIGINS = {
    "maghreb": (0.080, (
        "Ben Ahmed", "Benali", "Haddad", "Belkacem", "Bouzid", "Mansouri", "Cherif", "Saïdi", "El Amrani",
        "Aït Ali", "Boukhris", "Hamdi", "Messaoudi", "Zerrouki", "Benyoussef", "Amrani", "Kaci", "Brahimi",
        "Belhadj", "Ouali", "Bensaïd", "Chaouch", "Meziane", "Touati", "Laïdi", "El Idrissi", "Benchekroun",
        "Bouaziz", "Hadj Ali", "Aït Ouarab", "Boudjema", "Slimani", "Bouchareb", "Guerfi", "Lounis", "Hamidi",
        "Kerkeni", "Ferhat", "Bensalem", "Djebbar", "Ghezali", "Boualem", "Chikhi", "Tlemcani", "Zitouni",
        "Benabdallah", "Mebarki", "Rahmani", "Yahiaoui", "Saadi", "Belaïd", "Hachemi", "Tahri", "Oukaci",
        "Bouhadjar", "Benhamou",
    ), (
        "Fatima", "Nadia", "Samira", "Malika", "Khadija", "Yamina", "Leïla", "Karima", "Soraya", "Naïma",
        "Yasmine", "Sarah", "Lina", "Inès", "Myriam", "Nour", "Amel", "Salma", "Hanane", "Sofia", "Djamila",
        "Houria", "Nassima", "Farida", "Zohra", "Rym", "Assia", "Kenza", "Imane", "Meriem", "Wafa", "Sonia",
        "Lamia", "Hind", "Chaïma",
    ), (
        "Mohamed", "Karim", "Rachid", "Farid", "Mourad", "Samir", "Nordine", "Kamel", "Youssef", "Hakim",
        "Yanis", "Rayan", "Sofiane", "Adam", "Amine", "Ilyes", "Walid", "Bilal", "Ismaïl", "Mehdi", "Djamel",
        "Nabil", "Saïd", "Abdelkader", "Mustapha", "Hichem", "Redouane", "Lyes", "Anis", "Nassim", "Younès",
        "Riad", "Sami", "Malik", "Idris",
    ), 0.45),
    "west_africa": (0.035, (
        "Diallo", "N'Diaye", "Traoré", "Diop", "Koné", "Sow", "Camara", "Keïta", "Cissé", "Ba", "Fofana",
        "Coulibaly", "Touré", "Sylla", "Konaté", "Baldé", "Sissoko", "Diarra", "Doumbia", "Ndour", "Gueye",
        "Mbaye", "Kanté", "Soumaré", "Dembélé", "Sakho", "Niang", "Fall", "Faye", "Sarr", "Seck", "Kouyaté",
        "Dramé", "Tounkara", "Bamba", "Ouattara", "Kourouma", "Barry", "Bangoura", "Soumah", "Kaba", "Mendy",
        "Sané", "Diakité", "Dia", "Thiam", "Ndiaye", "Gassama", "Magassa", "Konté", "Wagué",
    ), (
        "Aïssatou", "Fatoumata", "Awa", "Aminata", "Mariam", "Kadiatou", "Binta", "Hawa", "Mariama", "Oumou",
        "Ramatoulaye", "Fanta", "Assa", "Coumba", "Djeneba", "Adama", "Khady", "Ndeye", "Rokhaya", "Sokhna",
        "Astou", "Nafissatou", "Salimata", "Bintou", "Maïmouna",
    ), (
        "Mamadou", "Moussa", "Ibrahima", "Ousmane", "Seydou", "Abdoulaye", "Souleymane", "Oumar", "Boubacar",
        "Cheikh", "Modibo", "Amadou", "Lamine", "Babacar", "Sékou", "Aliou", "Mody", "Issa", "Bakary", "Demba",
        "Samba", "Alassane", "Youssouf", "Idrissa", "Malick",
    ), 0.50),
    "portuguese": (0.030, (
        "Da Silva", "Dos Santos", "Ferreira", "Pereira", "Rodrigues", "Fernandes", "Gonçalves", "D'Almeida",
        "De Oliveira", "Lopes", "Teixeira", "Carvalho", "Sousa", "Rocha", "Martins", "Gomes", "Pinto", "Ribeiro",
        "Monteiro", "Moreira", "Cardoso", "Azevedo", "Magalhães", "Simões", "Conceição",
    ), (
        "Maria", "Ana", "Fernanda", "Conceição", "Isabel", "Sandra", "Cristina", "Paula", "Inês", "Beatriz",
    ), (
        "João", "José", "Manuel", "Paulo", "António", "Carlos", "Rui", "Nuno", "Tiago", "Rafael",
    ), 0.70),
    "spanish": (0.010, (
        "García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Rodríguez", "Jiménez", "Muñoz",
        "Álvarez", "Romero", "Navarro", "Ibáñez", "Ortiz",
    ), (
        "María", "Carmen", "Pilar", "Lucía", "Elena", "Rocío", "Begoña", "Nuria",
    ), (
        "José", "Javier", "Jesús", "Iñaki", "Álvaro", "Sergio", "Raúl", "Andrés",
    ), 0.70),
    "italian": (0.010, (
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
        "Bruno", "Gallo", "Conti", "De Luca", "Costa",
    ), (
        "Giulia", "Francesca", "Chiara", "Paola", "Federica", "Alessandra", "Sofia",
    ), (
        "Giuseppe", "Marco", "Luca", "Alessandro", "Matteo", "Lorenzo", "Nicolò",
    ), 0.70),
    "vietnamese": (0.010, (
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Huỳnh", "Phan", "Võ", "Ngô",
    ), (
        "Thị Lan", "Thị Hoa", "Thị Mai", "Thị Hương", "Thu Trang", "Ngọc Anh", "Thị Linh", "Minh Anh", "Bảo Ngọc",
    ), (
        "Văn Minh", "Văn Hùng", "Văn Đức", "Quang Huy", "Minh Tuấn", "Văn An", "Đức Anh", "Hoàng Long",
    ), 0.50),
    "chinese": (0.006, (
        "Wang", "Li", "Zhang", "Chen", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Lin",
    ), (
        "Mei", "Xiaoling", "Yan", "Jing", "Li Na", "Hui",
    ), (
        "Wei", "Jun", "Hao", "Lei", "Zhiwei", "Jian",
    ), 0.60),
    "turkish": (0.010, (
        "Öztürk", "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Özdemir", "Arslan", "Doğan",
        "Kılıç", "Aslan", "Çetin", "Koç",
    ), (
        "Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Büşra", "Gül", "Defne", "Özlem",
    ), (
        "Mehmet", "Mustafa", "Ahmet", "Hüseyin", "Emre", "Yusuf", "Ömer", "Burak", "Emir", "Eymen",
    ), 0.40),
    "polish": (0.005, (
        "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
        "Dąbrowski", "Kowalczyk", "Mazur", "Krawczyk",
    ), (
        "Agnieszka", "Małgorzata", "Katarzyna", "Zuzanna", "Łucja", "Magdalena", "Joanna",
    ), (
        "Łukasz", "Paweł", "Grzegorz", "Tomasz", "Mikołaj", "Jakub", "Wojciech",
    ), 0.50),
    "romanian": (0.005, (
        "Popescu", "Ionescu", "Șerban", "Popa", "Dumitrescu", "Stan", "Stoica", "Gheorghe", "Rădulescu", "Matei",
        "Constantinescu", "Munteanu",
    ), (
        "Ioana", "Elena", "Cristina", "Andreea", "Mihaela", "Alexandra", "Ștefania",
    ), (
        "Andrei", "Mihai", "Ștefan", "Gheorghe", "Bogdan", "Vlad", "Răzvan",
    ), 0.50),
    "germanic": (0.005, (
        "Müller", "Schmidt", "Schneider", "Strauß", "Weiß", "Hoffmann", "Becker", "Köhler", "Hansen", "Johansen",
        "Sørensen", "Bjørnstad", "Lindqvist", "Åberg", "Straße",
    ), (
        "Ingrid", "Gudrun", "Jördis", "Solveig", "Åsa", "Birgit", "Emma", "Mia",
    ), (
        "Jürgen", "Øyvind", "Björn", "Søren", "Lars", "Lukas", "Jonas", "Felix",
    ), 0.50),
}

# Origins whose family names are also composed, after the listed ones: prefix + root ("Ben" + "Salah" -> "Bensalah",
# "Aït " + "Idir" -> "Aït Idir"). A prefix without a trailing space is glued to the lower-cased root.
ORIGIN_SURNAME_COMPOUNDS = {
    "maghreb": (("Ben", "Bel", "Bou", "Aït ", "El ", "Hadj ", "Ould "), (
        "Ahmed", "Ali", "Saïd", "Salah", "Amar", "Kacem", "Moussa", "Slimane", "Abdallah", "Brahim", "Larbi",
        "Hamou", "Messaoud", "Rabah", "Tahar", "Idir", "Mokrane", "Amara", "Yahia", "Aïssa", "Hamadi", "Khelifa",
        "Mansour", "Naceur", "Youcef", "Kheir", "Djelloul", "Chabane", "Aziz", "Hocine",
    )),
}

# First names, by generation and sex. Students were born around 2008-2015, parents and staff around 1965-1990.
CHILD_FEMALE_NAMES = (
    "Emma", "Léa", "Chloé", "Manon", "Inès", "Jade", "Camille", "Lola", "Sarah", "Louise", "Zoé", "Clara", "Lina",
    "Juliette", "Lucie", "Maëlys", "Anaïs", "Océane", "Mathilde", "Eva", "Alice", "Romane", "Léna", "Ambre",
    "Margaux", "Lilou", "Nina", "Anna", "Louna", "Julia", "Maëlle", "Noémie", "Mila", "Rose", "Jeanne", "Agathe",
    "Victoire", "Capucine", "Héloïse", "Apolline", "Clémence", "Pauline", "Marie", "Laura", "Emmy", "Elsa",
    "Candice", "Charlotte", "Justine", "Marine", "Margot", "Mélissa", "Salomé", "Coline", "Adèle", "Alicia",
    "Élise", "Éléna", "Enora", "Maëva", "Lou", "Luna", "Yasmine", "Ilona", "Célia", "Laurine", "Flavie", "Lisa",
    "Cloé", "Ophélie", "Louane", "Léonie", "Nolwenn", "Bérénice", "Axelle", "Chiara", "Constance", "Diane",
    "Garance", "Joséphine", "Lana", "Inaya", "Naëlle", "Soline", "Zélie", "Thaïs", "Gaëlle", "Aurore", "Éléonore",
    "Émilie", "Estelle", "Fanny", "Gabrielle", "Iris", "Jasmine", "Kenza", "Lise", "Lorène", "Maïwenn", "Morgane",
    "Naïs", "Noa", "Perrine", "Rachel", "Rebecca", "Sixtine", "Tiphaine", "Valentine", "Violette", "Wendy",
    "Ysé", "Zoë", "Albane", "Bertille", "Céleste", "Daphné", "Éloïse", "Hortense", "Lætitia", "Anaëlle",
)
CHILD_MALE_NAMES = (
    "Lucas", "Hugo", "Thomas", "Nathan", "Louis", "Théo", "Enzo", "Mathis", "Raphaël", "Arthur", "Tom", "Jules",
    "Gabriel", "Léo", "Maxime", "Noah", "Ethan", "Clément", "Baptiste", "Paul", "Alexandre", "Antoine", "Adam",
    "Timéo", "Mattéo", "Nolan", "Axel", "Valentin", "Romain", "Évan", "Noé", "Sacha", "Victor", "Quentin",
    "Martin", "Samuel", "Matthieu", "Simon", "Aurélien", "Benjamin", "Lenny", "Kylian", "Rayan", "Bastien",
    "Corentin", "Loïc", "Nathanaël", "Noël", "Maël", "Titouan", "Gaspard", "Côme", "Aymeric", "Éliott",
    "Esteban", "Marius", "Malo", "Tristan", "Yanis", "Mehdi", "Kenzo", "Dylan", "Killian", "Florian", "Lohan",
    "Alexis", "Hippolyte", "Joachim", "Anatole", "Achille", "Basile", "Célestin", "Elouan", "Erwan", "Gaël",
    "Ismaël", "Jérémy", "Julien", "Léandre", "Loan", "Louka", "Mathéo", "Nino", "Owen", "Robin", "Ruben",
    "Tiago", "Ulysse", "Virgile", "Yann", "Zacharie", "Amaury", "Augustin", "Benoît", "Charles", "Dorian",
    "Édouard", "Félix", "Grégoire", "Henri", "Ilan", "Jonathan", "Kévin", "Lilian", "Mathias", "Nicolas",
    "Octave", "Pierre", "Rémi", "Sébastien", "Timothée", "Vincent", "William", "Xavier", "Yohan", "Zinédine",
)
ADULT_FEMALE_NAMES = (
    "Sophie", "Nathalie", "Isabelle", "Sandrine", "Valérie", "Stéphanie", "Céline", "Christine", "Véronique",
    "Caroline", "Virginie", "Sylvie", "Catherine", "Aurélie", "Laurence", "Delphine", "Karine", "Émilie", "Anne",
    "Julie", "Hélène", "Cécile", "Élodie", "Vanessa", "Florence", "Corinne", "Patricia", "Frédérique",
    "Marie-Claire", "Marie-Pierre", "Anne-Sophie", "Lætitia", "Gaëlle", "Séverine", "Audrey", "Alexandra",
    "Agnès", "Béatrice", "Brigitte", "Carole", "Claire", "Magali", "Marion", "Mélanie", "Myriam", "Nadège",
    "Pascale", "Sabine", "Sonia", "Estelle", "Fabienne", "Géraldine", "Ingrid", "Jennifer", "Jessica",
    "Marjorie", "Muriel", "Nadia", "Sarah", "Solène", "Armelle", "Bénédicte", "Dominique", "Joëlle", "Maryse",
    "Mireille", "Noëlle", "Odile", "Rachel", "Élise", "Françoise", "Martine", "Chantal", "Camille", "Anaïs",
    "Amandine", "Angélique", "Aude", "Axelle", "Charlotte", "Claudine", "Coralie", "Édith", "Emmanuelle",
    "Éva", "Gwenaëlle", "Laure", "Ludivine", "Lydie", "Marie-Hélène", "Marie-Laure", "Mathilde", "Nolwenn",
    "Ophélie", "Peggy", "Perrine", "Raphaëlle", "Sabrina", "Sandra", "Sylviane", "Tatiana", "Vinciane", "Zoé",
)
ADULT_MALE_NAMES = (
    "Stéphane", "Christophe", "Frédéric", "Nicolas", "Sébastien", "Laurent", "Olivier", "Philippe", "David",
    "Thierry", "Pascal", "Éric", "Jérôme", "Franck", "Patrick", "Vincent", "Cédric", "Jean-Pierre", "Jean-Marc",
    "Jean-François", "François", "Didier", "Alain", "Bruno", "Emmanuel", "Fabrice", "Julien", "Guillaume",
    "Arnaud", "Benoît", "Damien", "Jean-Luc", "Marc", "Mathieu", "Pierre", "Xavier", "Yannick", "Hervé",
    "Gilles", "Jean-Philippe", "Jean-Christophe", "Lionel", "Ludovic", "Mickaël", "Grégory", "Jérémie", "Loïc",
    "Noël", "Régis", "Serge", "Sylvain", "Thibault", "Antoine", "Romain", "Alexandre", "Anthony", "Cyril",
    "Denis", "Dominique", "Fabien", "Gaël", "Gérald", "Hugues", "Jacques", "Joël", "Michel", "Patrice",
    "Raphaël", "Samuel", "Yves", "Bertrand", "Rodolphe", "Camille", "Aurélien", "Baptiste", "Benjamin",
    "Bernard", "Christian", "Daniel", "Édouard", "Erwan", "Fabian", "Florent", "Gaëtan", "Geoffroy", "Jean-Michel",
    "Jean-Yves", "Jean-Baptiste", "Jean-Paul", "Jonathan", "Kévin", "Manuel", "Matthias", "Maxime", "Mikaël",
    "Nathanaël", "Pierre-Yves", "Quentin", "René", "Richard", "Rémi", "Sylvère", "Thomas", "Tristan", "Yann",
)

# Syllables from which the long tail of plausible French surnames is composed: a root ending with a consonant and an
# ending starting with a vowel ("Chab" + "ert"), a root ending with a vowel and an ending starting with a consonant
# ("Bou" + "chard"), or a consonant root, a vowel link and a consonant ending ("Gauth" + "e" + "llet").
TAIL_CONSONANT_ROOTS = (
    "Bern", "Cham", "Dur", "Fourn", "Gauth", "Lam", "Mar", "Pell", "Rich", "Trib", "Bach", "Barb", "Bourg",
    "Brich", "Cast", "Chab", "Chav", "Colomb", "Court", "Dav", "Delm", "Desch", "Fav", "Ferr", "Fland", "Fourc",
    "Gaill", "Garn", "Geoff", "Gill", "Giraud", "Godd", "Gourd", "Grang", "Guill", "Hamel", "Jacqu", "Jourd",
    "Lab", "Lacomb", "Lamb", "Lang", "Larr", "Lav", "Lebr", "Lecl", "Lem", "Lerm", "Lesc", "Lomb", "Mall",
    "Marc", "Mart", "Mass", "Maug", "Merc", "Mich", "Mill", "Mont", "Mor", "Moul", "Nav", "Noir", "Pag", "Parm",
    "Pasqu", "Perr", "Pich", "Poir", "Pons", "Prév", "Raff", "Rag", "Rench", "Rib", "Rig", "Roch", "Roll", "Rouss",
    "Sav", "Seg", "Serv", "Tard", "Tess", "Tiss", "Torn", "Val", "Vass", "Verd", "Vern", "Vid", "Vill", "Boisv",
    "Chaum", "Clav", "Cuv", "Daum", "Esc", "Guér", "Henn", "Jégl", "Lév", "Mén", "Rém", "Thév", "Vér",
)
TAIL_VOWEL_ROOTS = (
    "Bou", "Cha", "Dela", "Fa", "Gi", "Lo", "Mou", "Pe", "Ri", "Ta", "Vau", "Beau", "Fou", "Ma", "Sau", "Bé",
    "Cou", "Da", "Gou", "Ju", "La", "Lé", "Mé", "Na", "Pa", "Po", "Rou", "Sa", "Té", "Vi", "Boi", "Chau",
    "Deau", "Doi", "Fleu", "Gau", "Jo", "Lau", "Mai", "Noi", "Poi", "Rei", "Tou", "Vé", "Bri", "Cre", "Dra",
    "Fro", "Gré", "Pru", "Tro", "Blo", "Cla", "Gla",
)
TAIL_LINKS = ("a", "e", "i", "o", "ou", "au")
TAIL_VOWEL_ENDINGS = (
    "et", "ot", "ard", "ier", "eau", "in", "on", "and", "aud", "ault", "elle", "ac", "ou", "at", "ès", "ère",
    "ez", "ieux", "ois", "ain", "ent", "iat", "as", "é", "ay", "ey", "ert", "enne", "ole", "inet", "eix", "ouze",
)
TAIL_CONSONANT_ENDINGS = (
    "chard", "llet", "rdin", "tier", "vier", "nard", "geot", "rrat", "lin", "quet", "nier", "mond", "bert",
    "court", "ville", "mont", "champ", "val", "lard", "gnon", "teau", "reau", "det", "chet", "let", "ron",
    "rel", "gnac", "zac", "bier", "ttier", "ssard", "doux", "vaux", "rieux", "lès", "thier", "guet",
)
TAIL_PREFIX_SHARE = 0.06                 # "Le Marvier", "Du Chabet"…
TAIL_PREFIXES = ("Le ", "La ", "Du", "De", "Des")

# How a French family name is drawn: the common list, the generated tail, particles, hyphenated doubles.
FRENCH_SURNAME_SOURCES = (("common", 0.60), ("tail", 0.36), ("particle", 0.015), ("hyphenated", 0.025))
COMMON_SURNAME_EXPONENT = 0.30  # Zipf exponent over FRENCH_SURNAMES: Martin stays well under 1% of people
TAIL_SURNAME_EXPONENT = 0.30    # flatter over the generated tail
FIRST_NAME_EXPONENT = 0.45
ORIGIN_NAME_EXPONENT = 0.35     # the lists of ORIGINS are short: keep them flat

# --------------------------------------------------------------------------------------------------------------------
# Schools, staff functions, e-mail domains
# --------------------------------------------------------------------------------------------------------------------

PERSONA_SCHOOL = "Lycée Jean-Jaurès"
LYCEE_NAMESAKES = (
    "Marie-Curie", "Victor-Hugo", "Condorcet", "Jules-Ferry", "Louise-Michel", "Albert-Camus", "Jean-Moulin",
    "Paul-Éluard", "Simone-Veil", "Camille-Claudel", "Blaise-Pascal", "Marcel-Pagnol", "Jacques-Prévert",
    "Gustave-Eiffel", "Émile-Zola", "Hoche", "La Bruyère", "Jeanne-d'Arc", "Pierre-de-Coubertin", "Évariste-Galois",
    "Lavoisier", "Descartes", "Voltaire", "Montesquieu", "Rabelais", "Jean-Monnet", "Robert-Doisneau",
    "Alexandre-Dumas", "George-Sand", "Olympe-de-Gouges", "Germaine-Tillion", "Antoine-de-Saint-Exupéry",
    "Honoré-de-Balzac", "Léonard-de-Vinci", "Marguerite-Yourcenar", "Paul-Langevin", "Gaston-Bachelard",
    "Rosa-Parks", "Nelson-Mandela", "Jean-Rostand", "Jules-Verne", "Henri-Matisse", "Auguste-Renoir",
    "Claude-Monet", "Paul-Cézanne", "François-Villon", "Joachim-du-Bellay", "Pierre-Corneille", "Jean-Racine",
    "Molière", "Charles-Baudelaire", "Édouard-Branly", "Frédéric-Mistral", "Louis-Pasteur", "Jean-Vilar",
)
COLLEGE_NAMES = (
    "Les Tilleuls", "Les Châtaigniers", "La Fontaine", "Le Bois de l'Étang", "Les Hauts-Grillets", "Les Ormeaux",
    "Pierre-Mendès-France", "Romain-Rolland", "Jean-Zay", "Anne-Frank", "Léon-Blum", "Les Saules", "La Nacelle",
    "Le Racinay", "Les Prés", "Le Village", "Saint-Exupéry", "Jean-de-La-Fontaine", "Les Sablons", "Le Parc",
)
ACADEMY_TOWNS = (
    "Versailles", "Argenteuil", "Nanterre", "Évry-Courcouronnes", "Cergy", "Poissy", "Mantes-la-Jolie",
    "Rambouillet", "Massy", "Antony", "Boulogne-Billancourt", "Colombes", "Sarcelles", "Pontoise", "Corbeil-Essonnes",
    "Saint-Germain-en-Laye", "Montigny-le-Bretonneux", "Palaiseau", "Étampes", "Gennevilliers", "Clamart",
    "Rueil-Malmaison", "Conflans-Sainte-Honorine", "Sartrouville", "Les Mureaux", "Garges-lès-Gonesse",
    "Savigny-sur-Orge", "Sceaux", "Chatou", "Houilles", "Viry-Châtillon", "Eaubonne", "Franconville",
    "Le Chesnay-Rocquencourt", "Juvisy-sur-Orge", "Dourdan", "Meudon", "Issy-les-Moulineaux", "Vanves",
    "Courbevoie",
)

TEACHER_DISCIPLINES = (  # (the ENT's function label, weight)
    ("MATHEMATIQUES", 14), ("LETTRES MODERNES", 13), ("ANGLAIS", 10), ("HISTOIRE-GEOGRAPHIE", 11),
    ("PHYSIQUE-CHIMIE", 9), ("SCIENCES DE LA VIE ET DE LA TERRE", 7), ("EDUCATION PHYSIQUE ET SPORTIVE", 8),
    ("ESPAGNOL", 6), ("ALLEMAND", 3), ("SCIENCES ECONOMIQUES ET SOCIALES", 4), ("PHILOSOPHIE", 3),
    ("ECONOMIE ET GESTION", 4), ("SCIENCES INDUSTRIELLES DE L'INGENIEUR", 3), ("LETTRES CLASSIQUES", 2),
    ("ARTS PLASTIQUES", 1), ("EDUCATION MUSICALE", 1), ("ITALIEN", 1), ("DOCUMENTATION", 1),
    ("BIOTECHNOLOGIES", 1), ("NUMERIQUE ET SCIENCES INFORMATIQUES", 1),
)
TEACHER_FUNCTION_PREFIX = "ENSEIGNANT$"

# Every school has its management and life-school team first; the rest of its personnel is drawn by weight.
LYCEE_CORE_PERSONNEL = (
    "Proviseur", "Proviseur adjoint", "Conseiller principal d'éducation", "Gestionnaire",
    "Secrétaire de direction", "Conseiller principal d'éducation", "Documentaliste", "Infirmier",
    "Secrétaire", "Conseiller principal d'éducation", "Assistant de service social",
    "Psychologue de l'Éducation nationale", "Directeur délégué aux formations", "Proviseur adjoint",
)
COLLEGE_CORE_PERSONNEL = (
    "Principal", "Principal adjoint", "Conseiller principal d'éducation", "Gestionnaire", "Secrétaire",
    "Documentaliste", "Infirmier", "Assistant de service social", "Psychologue de l'Éducation nationale",
)
OTHER_PERSONNEL = (
    ("Assistant d'éducation", 45), ("Agent technique", 20), ("Agent d'entretien", 10), ("Secrétaire", 8),
    ("Accompagnant d'élèves en situation de handicap", 7), ("Agent d'accueil", 5), ("Technicien informatique", 3),
    ("Assistant de prévention et de sécurité", 2),
)

PARENT_MAIL_DOMAINS = (
    ("gmail.com", 40), ("orange.fr", 15), ("hotmail.fr", 10), ("yahoo.fr", 7), ("free.fr", 7), ("sfr.fr", 5),
    ("laposte.net", 5), ("outlook.fr", 4), ("wanadoo.fr", 4), ("icloud.com", 3), ("hotmail.com", 2),
    ("outlook.com", 2), ("live.fr", 2), ("neuf.fr", 1), ("aol.com", 1),
)
STUDENT_MAIL_DOMAINS = (
    ("gmail.com", 60), ("hotmail.com", 10), ("outlook.fr", 10), ("icloud.com", 10), ("yahoo.com", 4),
    ("hotmail.fr", 4), ("outlook.com", 2),
)

# --------------------------------------------------------------------------------------------------------------------
# Fixed personas, identical in every export. Tests and demos rely on them: change them only with those.
# Columns: key, type, Nom, Prénom, class, activated, Id, SIECLE, activation code or last connection, e-mail, phone.
# --------------------------------------------------------------------------------------------------------------------

PERSONAS = (
    ("zoe", STUDENT, "Gérard", "Zoé", "2NDE 3", False,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d01", "1104587", "zk7mrp4t", "", ""),
    ("ines", STUDENT, "Gérard", "Inès", "TLE G2", True,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d02", "1098342", "12-03-2026 21:17", "ines.gerard08@gmail.com", ""),
    ("sophie", RELATIVE, "Gérard", "Sophie", "", False,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d03", "2731904", "hc5wxa8n", "sophie.gerard@orange.fr", "06 71 42 18 93"),
    ("marc", RELATIVE, "Gérard", "Marc", "", True,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d04", "2731905", "09-03-2026 07:52", "marc.gerard74@gmail.com", ""),
    ("nathanael", STUDENT, "N'Diaye", "Nathanaël", "1ERE G1", False,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d05", "1101276", "p3vt9dkm", "", ""),
    ("aissatou", RELATIVE, "N'Diaye", "Aïssatou", "", False,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d06", "2740118", "gy6snb4e", "aissatou.ndiaye@gmail.com", ""),
    ("camille_a", RELATIVE, "Martin", "Camille", "", False,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d07", "2745530", "ra8fdj3w", "camille.martin@free.fr", "07 58 21 64 09"),
    ("hugo", STUDENT, "Martin", "Hugo", "2NDE 5", True,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d08", "1106631", "15-03-2026 16:05", "", ""),
    ("camille_b", RELATIVE, "Martin", "Camille", "", True,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d09", "2749077", "11-03-2026 12:30", "camille.martin.75@laposte.net", ""),
    ("jade", STUDENT, "Martin", "Jade", "1ERE G3", False,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d10", "1100958", "me4tkx7b", "jade.martin@gmail.com", ""),
    ("helene", TEACHER, "Lefèvre-Cœur", "Hélène", "2NDE 3, 1ERE G1, TLE G2", True,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d11", "", "13-03-2026 19:48", "helene.lefevre-coeur@ac-versailles.fr", ""),
    ("lea", STUDENT, "Cœur", "Léa", "1ERE G1", False,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d12", "1099815", "tn9cwh5s", "", ""),
    ("van_an", STUDENT, "Nguyễn", "Văn An", "2NDE 3", False,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d13", "1107420", "bk3xz6rv", "", ""),
    ("thi_lan", RELATIVE, "Nguyễn", "Thị Lan", "", False,
     "0c7d3b52-6f1e-4a3d-9c41-2f5e7a9b1d14", "2752261", "w7ydp4cj", "thilan.nguyen@gmail.com", "06 12 87 45 30"),
)
PERSONA_LINKS = (  # (child key, parent key)
    ("zoe", "sophie"), ("zoe", "marc"), ("ines", "sophie"), ("ines", "marc"), ("nathanael", "aissatou"),
    ("hugo", "camille_a"), ("jade", "camille_b"), ("van_an", "thi_lan"),
)
PERSONA_TEACHER_FUNCTION = TEACHER_FUNCTION_PREFIX + "LETTRES MODERNES"
# Persona accounts were created at the start of the year their holder entered the lycée (parents with their eldest).
PERSONA_CREATED = {"2NDE": datetime.date(2025, 8, 28), "1ERE": datetime.date(2024, 8, 29),
                   "TLE": datetime.date(2023, 8, 31), TEACHER: datetime.date(2019, 9, 2)}

# --------------------------------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------------------------------

# Letters that Unicode does not decompose into a base letter plus marks.
_FOLD_SPECIAL = str.maketrans({
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ı": "i", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
})
_LOGIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


@functools.lru_cache(maxsize=None)
def fold_for_login(name: str) -> str:
    """Fold a name part as the ENT does for logins: lower case, accents off, spaces and apostrophes removed,
    hyphens kept ("Jean-Pierre" -> "jean-pierre", "N'Diaye" -> "ndiaye", "Lefèvre-Cœur" -> "lefevre-coeur")."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD_SPECIAL))
    folded = "".join(c for c in decomposed.lower() if c in _LOGIN_CHARS).strip("-")
    assert folded, f"name folds to nothing: {name!r}"
    return folded


def _cp1252_fallback(error: UnicodeEncodeError) -> tuple[str, int]:
    """Codec error handler: spell a character cp1252 lacks the way French administration does (Ł -> L, ễ -> e,
    ș -> s, ı -> i), so that a cp1252 export never fails and stays self-consistent."""
    replacement = []
    for char in error.object[error.start:error.end]:
        decomposed = unicodedata.normalize("NFKD", char.translate(_FOLD_SPECIAL))
        for part in decomposed:
            if unicodedata.combining(part):
                continue
            try:
                part.encode("cp1252")
            except UnicodeEncodeError:
                part = "?"  # never reached with the names of this script
            replacement.append(part)
    return "".join(replacement), error.end


CP1252_ERRORS = "demo-export-cp1252-fallback"
codecs.register_error(CP1252_ERRORS, _cp1252_fallback)


class WeightedChoice:
    """Draws items with fixed weights in O(log n), cheaper than random.choices for repeated single draws."""

    def __init__(self, pairs):
        pairs = list(pairs)
        self.items = [item for item, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    @classmethod
    def zipf(cls, items, exponent: float) -> "WeightedChoice":
        """Weights 1/rank^exponent over items listed from most to least common; duplicates are dropped."""
        unique = list(dict.fromkeys(items))
        return cls((item, 1.0 / (rank ** exponent)) for rank, item in enumerate(unique, start=1))

    def __call__(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


def build_tail_surnames() -> list[str]:
    """All the generated surnames of the long tail, in a fixed shuffled order (rank 0 is the most common)."""
    names = [root + ending for root in TAIL_CONSONANT_ROOTS for ending in TAIL_VOWEL_ENDINGS]
    names += [root + ending for root in TAIL_VOWEL_ROOTS for ending in TAIL_CONSONANT_ENDINGS]
    names += [root + link + ending for root in TAIL_CONSONANT_ROOTS for link in TAIL_LINKS
              for ending in TAIL_CONSONANT_ENDINGS]
    reserved = set(FRENCH_SURNAMES) | {name for origin in ORIGINS.values() for name in origin[1]}
    names = [name for name in dict.fromkeys(names) if name not in reserved]
    random.Random(20260316).shuffle(names)  # fixed: the tail is the same for every seed
    return names


def origin_surnames(origin: str) -> list[str]:
    """The family names of an origin, most common first: its list, then its compounds if it has some."""
    names = list(ORIGINS[origin][1])
    if origin in ORIGIN_SURNAME_COMPOUNDS:
        prefixes, roots = ORIGIN_SURNAME_COMPOUNDS[origin]
        names += [prefix + (root if prefix.endswith(" ") else root.lower()) for root in roots for prefix in prefixes]
    return list(dict.fromkeys(names))


# --------------------------------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Account:
    """One row of the export, with every column any variant needs (multi-valued cells already joined)."""
    type: str
    last_name: str
    first_name: str
    gender: str = "F"
    uid: str = ""
    siecle: str = ""
    login: str = ""
    alias: str = ""
    code: str = ""
    functions: str = ""
    schools: str = ""
    classes: str = ""
    children: str = ""
    parents: str = ""
    last_seen: str = ""
    email: str = ""
    phone: str = ""
    created: int = 0  # date ordinal of the account's creation

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(slots=True)
class School:
    """An establishment, the number of accounts it gets in the export, and its classes grouped by grade."""
    name: str
    kind: str  # "lycée" or "collège"
    budget: int
    grades: list[tuple[str, list[str]]] = field(default_factory=list)  # (grade, class names)
    grade_choice: WeightedChoice | None = None

    @property
    def all_classes(self) -> list[str]:
        return [name for _, classes in self.grades for name in classes]


def lycee_grades(students: int) -> list[tuple[str, list[str]]]:
    """Classes of a general and technological lycée sized for `students` (at least the personas' classes)."""
    per_grade = students / 3
    grades = [("2NDE", [f"2NDE {i}" for i in range(1, max(5, round(per_grade / 34)) + 1)])]
    for grade in ("1ERE", "TLE"):
        count = max(4, round(per_grade / 32))
        series = (("G", max(3, round(count * 0.72))), ("STMG", max(1, round(count * 0.16))),
                  ("STI2D", max(1, round(count * 0.08))), ("ST2S", round(count * 0.04)))
        classes = []
        for name, n in series:
            if name == "G" or n > 1:
                classes += [f"{grade} {name}{i}" for i in range(1, n + 1)]
            elif n == 1:
                classes.append(f"{grade} {name}")
        grades.append((grade, classes))
    return grades


def college_grades(students: int) -> list[tuple[str, list[str]]]:
    """Classes of a collège sized for `students`: 6EME A, 6EME B… 3EME x."""
    per_grade = students / 4
    count = max(2, round(per_grade / 27))
    return [(grade, [f"{grade} {chr(ord('A') + i)}" for i in range(count)])
            for grade in ("6EME", "5EME", "4EME", "3EME")]


# --------------------------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------------------------

class ExportGenerator:
    """Yields the accounts of one export, personas first, then school by school: staff, guests, families."""

    def __init__(self, accounts: int, seed: int):
        self.accounts = accounts
        self.rng = random.Random(seed)
        self.logins: dict[str, int] = {}      # login base -> next suffix
        self.aliases: set[str] = set()
        self.academic_mails: dict[str, int] = {}
        self.personal_mails: set[str] = set()
        self.next_siecle = {STUDENT: 1_200_000, RELATIVE: 3_000_000, "staff": 8_000_000}
        self.reserved_names = {f"{p[3]} {p[2]}" for p in PERSONAS}
        # Per school: (family name, gender, first name, [(gender, first name) of its children]) of its families'
        # first parents, from which a later family of the school may take its names.
        self.homonyms: dict[str, list[tuple[str, str, str, list[tuple[str, str]]]]] = {}
        self.export_ordinal = EXPORT_DAY.toordinal()
        self._build_pickers()
        self.schools = self._plan_schools()

    # -- set-up ------------------------------------------------------------------------------------------------------

    def _build_pickers(self):
        self.common_surname = WeightedChoice.zipf(FRENCH_SURNAMES, COMMON_SURNAME_EXPONENT)
        self.particle_surname = WeightedChoice.zipf(PARTICLE_SURNAMES, ORIGIN_NAME_EXPONENT)
        self.hyphenated_surname = WeightedChoice.zipf(HYPHENATED_SURNAMES, ORIGIN_NAME_EXPONENT)
        self.tail_surnames = build_tail_surnames()
        self.tail_power = 1.0 / (1.0 - TAIL_SURNAME_EXPONENT)
        self.french_source = WeightedChoice(FRENCH_SURNAME_SOURCES)
        self.first_names = {
            ("child", "F"): WeightedChoice.zipf(CHILD_FEMALE_NAMES, FIRST_NAME_EXPONENT),
            ("child", "M"): WeightedChoice.zipf(CHILD_MALE_NAMES, FIRST_NAME_EXPONENT),
            ("adult", "F"): WeightedChoice.zipf(ADULT_FEMALE_NAMES, FIRST_NAME_EXPONENT),
            ("adult", "M"): WeightedChoice.zipf(ADULT_MALE_NAMES, FIRST_NAME_EXPONENT),
        }
        foreign_share = sum(spec[0] for spec in ORIGINS.values())
        self.origin = WeightedChoice([("french", 1.0 - foreign_share)] + [(k, v[0]) for k, v in ORIGINS.items()])
        self.origin_surname = {k: WeightedChoice.zipf(origin_surnames(k), ORIGIN_NAME_EXPONENT) for k in ORIGINS}
        self.origin_first = {(k, "F"): WeightedChoice.zipf(v[2], ORIGIN_NAME_EXPONENT) for k, v in ORIGINS.items()}
        self.origin_first |= {(k, "M"): WeightedChoice.zipf(v[3], ORIGIN_NAME_EXPONENT)
                              for k, v in ORIGINS.items()}
        self.children_count = WeightedChoice(CHILDREN_PER_FAMILY)
        self.family_kind = WeightedChoice(FAMILY_KINDS)
        self.discipline = WeightedChoice(TEACHER_DISCIPLINES)
        self.other_personnel = WeightedChoice(OTHER_PERSONNEL)
        self.parent_domain = WeightedChoice(PARENT_MAIL_DOMAINS)
        self.student_domain = WeightedChoice(STUDENT_MAIL_DOMAINS)

    def _plan_schools(self) -> list[School]:
        """One school below SINGLE_SCHOOL_MAX_ACCOUNTS; above, about one per ACCOUNTS_PER_LYCEE accounts, of
        varied sizes, every COLLEGE_EVERY-th one a smaller collège. Budgets sum to the requested count."""
        rng = self.rng
        if self.accounts < SINGLE_SCHOOL_MAX_ACCOUNTS:
            plan = [(PERSONA_SCHOOL, "lycée", 1.0)]
        else:
            count = max(2, round(self.accounts / ACCOUNTS_PER_LYCEE))
            lycee_names = school_names("Lycée", LYCEE_NAMESAKES, rng)
            college_names = school_names("Collège", COLLEGE_NAMES, rng)
            plan = [(PERSONA_SCHOOL, "lycée", rng.uniform(0.8, 1.3))]
            for index in range(1, count):
                if index % COLLEGE_EVERY == COLLEGE_EVERY - 1:
                    plan.append((next(college_names), "collège", rng.uniform(0.35, 0.6)))
                else:
                    plan.append((next(lycee_names), "lycée", rng.uniform(0.55, 1.45)))
        total_weight = sum(weight for _, _, weight in plan)
        budgets = [int(self.accounts * weight / total_weight) for _, _, weight in plan]
        budgets[0] += self.accounts - sum(budgets)
        schools = []
        for (name, kind, _), budget in zip(plan, budgets):
            students = budget * (1 - TEACHER_SHARE - PERSONNEL_SHARE - GUEST_SHARE) * STUDENT_SHARE_OF_FAMILIES
            school = School(name, kind, budget)
            school.grades = lycee_grades(students) if kind == "lycée" else college_grades(students)
            grade_weights = (0.36, 0.32, 0.32) if kind == "lycée" else (0.25, 0.25, 0.25, 0.25)
            school.grade_choice = WeightedChoice(zip((classes for _, classes in school.grades), grade_weights))
            schools.append(school)
        return schools

    # -- the stream --------------------------------------------------------------------------------------------------

    def __iter__(self):
        for index, school in enumerate(self.schools):
            budget = school.budget
            if index == 0:
                for account in self.personas(school):
                    budget -= 1
                    yield account
            block: list[Account] = []   # the school's accounts, listed in name order below
            teachers = max(1, round(school.budget * TEACHER_SHARE))
            personnel = max(1, round(school.budget * PERSONNEL_SHARE))
            guests = max(1, round(school.budget * GUEST_SHARE))
            core = LYCEE_CORE_PERSONNEL if school.kind == "lycée" else COLLEGE_CORE_PERSONNEL
            for _ in range(teachers):
                block.append(self.teacher(school))
            for number in range(personnel):
                block.append(self.personnel(school, core[number] if number < len(core) else None))
            for _ in range(guests):
                block.append(self.guest(school))
            budget -= teachers + personnel + guests
            while budget > 0:
                family = self.family(school, budget)
                budget -= len(family)
                block += family
            block.sort(key=lambda a: (fold_for_login(a.last_name), fold_for_login(a.first_name), a.login))
            yield from block

    # -- people ------------------------------------------------------------------------------------------------------

    def personas(self, school: School) -> list[Account]:
        """The fixed personas, with their links filled in from both sides."""
        people = {}
        for key, kind, last, first, classes, activated, uid, siecle, code_or_seen, email, phone in PERSONAS:
            account = Account(kind, last, first, uid=uid, siecle=siecle, email=email, phone=phone,
                              schools=school.name, classes=classes)
            if kind == TEACHER:
                account.created = PERSONA_CREATED[TEACHER].toordinal()
            elif kind == STUDENT:
                account.created = PERSONA_CREATED[classes.split(" ")[0]].toordinal()  # parents: below
            account.login = self.new_login(first, last)
            if activated:
                account.last_seen = code_or_seen
            else:
                account.code = code_or_seen
            if kind == TEACHER:
                account.functions = PERSONA_TEACHER_FUNCTION
            people[key] = account
        for key, _ in PERSONA_LINKS:
            child = people[key]
            child.parents = MULTI_JOIN.join(people[p].display_name for c, p in PERSONA_LINKS if c == key)
        for _, key in PERSONA_LINKS:
            parent = people[key]
            children = [people[c] for c, p in PERSONA_LINKS if p == key]
            parent.children = MULTI_JOIN.join(child.display_name for child in children)
            parent.classes = MULTI_JOIN.join(dict.fromkeys(child.classes for child in children))
            parent.created = min(child.created for child in children)
        return list(people.values())

    def teacher(self, school: School) -> Account:
        rng = self.rng
        account = self.adult(TEACHER, "french" if rng.random() < 0.9 else self.origin(rng))
        schools = [school]
        if len(self.schools) > 1 and rng.random() < SECOND_SCHOOL_TEACHER_SHARE:
            other = rng.choice(self.schools)
            if other is not school:
                schools.append(other)
        classes = []
        for place in schools:
            pool = place.all_classes
            classes += sorted(rng.sample(pool, min(len(pool), rng.randint(2, 6))), key=pool.index)
        account.functions = TEACHER_FUNCTION_PREFIX + self.discipline(rng)
        account.schools = MULTI_JOIN.join(place.name for place in schools)
        account.classes = MULTI_JOIN.join(classes)
        if rng.random() < TEACHER_SIECLE_SHARE:
            account.siecle = self.new_siecle("staff")
        if rng.random() < TEACHER_EMAIL_SHARE:
            account.email = self.academic_mail(account)
        account.created = self.rentree(rng.randint(2012, 2025))
        return self.finish(account)

    def personnel(self, school: School, function: str | None) -> Account:
        rng = self.rng
        account = self.adult(PERSONNEL, "french" if rng.random() < 0.85 else self.origin(rng))
        account.functions = function or self.other_personnel(rng)
        account.schools = school.name
        if rng.random() < PERSONNEL_SIECLE_SHARE:
            account.siecle = self.new_siecle("staff")
        if rng.random() < PERSONNEL_EMAIL_SHARE:
            account.email = self.academic_mail(account)
        account.created = self.rentree(rng.randint(2012, 2025))
        return self.finish(account)

    def guest(self, school: School) -> Account:
        rng = self.rng
        account = self.adult(GUEST, self.origin(rng))
        account.schools = school.name
        if rng.random() < GUEST_EMAIL_SHARE:
            account.email = self.personal_mail(account, self.parent_domain)
        account.created = self.export_ordinal - rng.randint(2, 180)
        return self.finish(account)

    def adult(self, kind: str, origin: str) -> Account:
        """A staff member or guest with a name of the given origin."""
        gender = "F" if self.rng.random() < 0.6 else "M"
        return self.new_person(kind, origin, gender, "adult", self.surname(origin))

    def family(self, home: School, budget: int) -> list[Account]:
        """One family: its students (first) and their parents, with both sides of every link filled in.
        A family that would not fit the remaining budget keeps only its first child and that child's parents."""
        rng = self.rng
        origin = self.origin(rng)
        kind = self.family_kind(rng)
        n_children = self.children_count(rng)
        name_a = self.surname(origin)  # the (first) father's family name
        parents: list[Account] = []
        child_surnames: list[str] = []
        links: list[list[int]] = []  # per child, the indexes of its parents

        # A few families of the school carry the names of an earlier one: the same "Prénom Nom" for one parent,
        # and sometimes for a child too (cousins named alike).
        pool = self.homonyms.setdefault(home.name, [])
        namesake = rng.choice(pool) if pool and rng.random() < SAME_SCHOOL_HOMONYM_PARENT_SHARE else None
        if namesake:
            name_a = namesake[0]

        def parent(gender: str, surname: str) -> int:
            person = self.new_person(RELATIVE, origin, gender, "adult", surname)
            if namesake and (surname, gender) == namesake[:2] and not any(
                    p.first_name == namesake[2] and p.last_name == surname for p in parents):
                person.first_name = namesake[2]
            parents.append(person)
            return len(parents) - 1

        def other_surname() -> str:
            mixed = rng.random() < MIXED_COUPLE_SHARE
            return self.surname(self.origin(rng) if mixed else origin)

        if kind in ("couple", "couple_own_name", "couple_double"):
            if rng.random() < SAME_SEX_COUPLE_SHARE:
                first, second = parent("F", name_a), parent("F", other_surname())
            else:
                mother_name = other_surname()
                first = parent("M", name_a)
                second = parent("F", name_a if kind == "couple" else mother_name)
                if kind == "couple_double" and mother_name != name_a:
                    name_a = f"{name_a} {mother_name}"
            child_surnames = [name_a] * n_children
            links = [[first, second] for _ in range(n_children)]
        elif kind == "single":
            gender = "F" if rng.random() < 0.8 else "M"
            own = other_surname() if gender == "F" and rng.random() < 0.3 else name_a
            only = parent(gender, own)
            child_surnames = [name_a] * n_children
            links = [[only] for _ in range(n_children)]
        elif kind == "step":
            name_b = other_surname()
            mother = parent("F", name_b if rng.random() < 0.5 else other_surname())
            father = parent("M", name_a)
            step = parent("M", name_b)
            child_surnames = [name_a] + [name_b] * (n_children - 1)
            # The step-parent is linked to the eldest as "autre responsable" half the time, and always when
            # there is no younger half-sibling (a Relative account always has children).
            with_step = n_children == 1 or rng.random() < 0.5
            links = [[mother, father, step] if with_step else [mother, father]]
            links += [[mother, step] for _ in range(n_children - 1)]
        else:  # "none"
            child_surnames = [name_a] * n_children
            links = [[] for _ in range(n_children)]

        children = []
        taken_first_names = set()
        cousin_share = SAME_SCHOOL_HOMONYM_STUDENT_SHARE / SAME_SCHOOL_HOMONYM_PARENT_SHARE
        for surname in child_surnames:
            gender = "F" if rng.random() < 0.5 else "M"
            child = self.new_person(STUDENT, origin, gender, "child", surname, avoid=taken_first_names)
            if namesake and surname == namesake[0] and namesake[3] and rng.random() < cousin_share:
                cousin_gender, cousin_first = rng.choice(namesake[3])
                if cousin_first not in taken_first_names:
                    child.gender, child.first_name = cousin_gender, cousin_first
            taken_first_names.add(child.first_name)
            children.append(child)

        if len(children) + len(parents) > budget:
            keep = links[0][:budget - 1]
            parents = [parents[i] for i in keep]
            links = [list(range(len(keep)))]
            children = children[:1]
        self.place_children(children, home)
        self.link(children, parents, links)
        if parents:
            pool.append((parents[0].last_name, parents[0].gender, parents[0].first_name,
                         [(c.gender, c.first_name) for c in children if c.last_name == parents[0].last_name]))
        for person in children:
            self.finish(person)
        for person in parents:
            self.finish(person)
        return children + parents

    def place_children(self, children: list[Account], home: School):
        """Give each child a school (siblings sometimes elsewhere in an academy) and a class."""
        rng = self.rng
        for number, child in enumerate(children):
            school = home
            if number and len(self.schools) > 1 and rng.random() < SIBLING_ELSEWHERE_SHARE:
                school = rng.choice(self.schools)
            child.schools = school.name
            grade_classes = school.grade_choice(rng)
            child.classes = rng.choice(grade_classes)
            # Created at the September when the child entered the school's first grade.
            years_in = next(i for i, (_, c) in enumerate(school.grades) if c is grade_classes)
            child.created = (self.rentree(2025 - years_in) if rng.random() < 0.9
                             else self.export_ordinal - rng.randint(10, 400))
            if rng.random() < STUDENT_EMAIL_SHARE:
                child.email = self.personal_mail(child, self.student_domain, young=True)

    def link(self, children: list[Account], parents: list[Account], links: list[list[int]]):
        """Fill Parents on the children and Enfants, Classes, Établissements on the parents."""
        rng = self.rng
        for child, parent_indexes in zip(children, links):
            child.parents = MULTI_JOIN.join(parents[i].display_name for i in parent_indexes)
        for index, parent in enumerate(parents):
            own = [child for child, parent_indexes in zip(children, links) if index in parent_indexes]
            parent.children = MULTI_JOIN.join(child.display_name for child in own)
            parent.classes = MULTI_JOIN.join(dict.fromkeys(child.classes for child in own))
            parent.schools = MULTI_JOIN.join(dict.fromkeys(child.schools for child in own))
            parent.created = min(child.created for child in own)
            if rng.random() < RELATIVE_EMAIL_SHARE:
                parent.email = self.personal_mail(parent, self.parent_domain)
            if rng.random() < RELATIVE_PHONE_SHARE:
                parent.phone = self.mobile_phone()
        if len(parents) == 2 and parents[0].email and rng.random() < SHARED_FAMILY_EMAIL_SHARE:
            parents[1].email = parents[0].email

    def new_person(self, kind: str, origin: str, gender: str, generation: str, surname: str,
                   avoid: set[str] = frozenset()) -> Account:
        """A student or relative with the given family name (Polish names take their feminine form)."""
        account = Account(kind, self.gendered(surname, origin, gender), "", gender)
        account.first_name = self.first_name(origin, gender, generation, account.last_name, avoid)
        return account

    def finish(self, account: Account) -> Account:
        """Id, SIECLE id, login, alias, and activation state: a code, or a last connection."""
        rng = self.rng
        account.uid = self.new_uuid()
        if account.type in (STUDENT, RELATIVE):
            account.siecle = self.new_siecle(account.type)
        account.login = self.new_login(account.first_name, account.last_name)
        if rng.random() < ALIAS_SHARE:
            account.alias = self.new_alias(account)
        if rng.random() < ACTIVATED_SHARE[account.type]:
            account.last_seen = self.last_connection(account.created)
        else:
            account.code = "".join(rng.choices(ACTIVATION_ALPHABET, k=ACTIVATION_CODE_LENGTH))
        return account

    # -- names -------------------------------------------------------------------------------------------------------

    def surname(self, origin: str) -> str:
        """A family name of the given origin (French: common list, generated tail, particles, doubles), in its
        masculine form where the language has two (see `gendered`)."""
        rng = self.rng
        if origin != "french":
            return self.origin_surname[origin](rng)
        source = self.french_source(rng)
        if source == "common":
            return self.common_surname(rng)
        if source == "tail":
            tail = self.tail_surnames
            name = tail[int(len(tail) * rng.random() ** self.tail_power)]  # Zipf-like: low ranks more often
            if rng.random() < TAIL_PREFIX_SHARE:
                name = rng.choice(TAIL_PREFIXES) + name
            return name
        if source == "particle":
            return self.particle_surname(rng)
        if rng.random() < 0.2:
            return self.hyphenated_surname(rng)
        return f"{self.common_surname(rng)}-{self.common_surname(rng)}"

    @staticmethod
    def gendered(surname: str, origin: str, gender: str) -> str:
        """Polish family names ending in -ski/-cki take -ska/-cka for women and girls."""
        if origin == "polish" and gender == "F" and surname.endswith(("ski", "cki")):
            return surname[:-1] + "a"
        return surname

    def first_name(self, origin: str, gender: str, generation: str, surname: str,
                   avoid: set[str] = frozenset()) -> str:
        """A first name for the origin and generation; never a persona's display name nor one in `avoid`."""
        rng = self.rng
        native_share = 1.0 if origin == "french" else (1.0 - ORIGINS[origin][4] if generation == "child" else 0.9)
        for _ in range(50):
            if origin != "french" and rng.random() < native_share:
                name = self.origin_first[(origin, gender)](rng)
            else:
                name = self.first_names[(generation, gender)](rng)
            if name not in avoid and f"{name} {surname}" not in self.reserved_names:
                return name
        raise AssertionError(f"no first name left for {surname}")

    # -- identifiers -------------------------------------------------------------------------------------------------

    def new_uuid(self) -> str:
        """A random (version 4) UUID from the seeded generator, lower case as the ENT writes it."""
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def new_siecle(self, kind: str) -> str:
        value = self.next_siecle[kind] + self.rng.randint(1, 3)
        self.next_siecle[kind] = value
        return str(value)

    def new_login(self, first: str, last: str) -> str:
        """`prenom.nom`, then `prenom.nom1`, `prenom.nom2`…; never equal to an alias. Logins always hold exactly
        one dot and end with a letter or a digit suffix."""
        base = f"{fold_for_login(first)}.{fold_for_login(last)}"
        suffix = self.logins.get(base, 0)
        while True:
            login = f"{base}{suffix}" if suffix else base
            suffix += 1
            if login not in self.aliases:
                self.logins[base] = suffix
                return login

    def new_alias(self, account: Account) -> str:
        """A custom login: `zgerard`, `zoegerard`, `zgerard75` (no dot, so never a login) or, for a parent,
        `maman.zoe` / `papa.zoe` (one dot, no digit: checked against the logins so far, and later logins skip it)."""
        rng = self.rng
        first, last = fold_for_login(account.first_name), fold_for_login(account.last_name)
        style = rng.random()
        if account.type == RELATIVE and style < 0.3 and account.children:
            child = fold_for_login(account.children.split(MULTI_JOIN)[0].split(" ")[0])
            alias = f"{'maman' if account.gender == 'F' else 'papa'}.{child}"
        elif style < 0.6:
            alias = first[0] + last
        elif style < 0.8:
            alias = first + last
        else:
            alias = f"{first[0]}{last}{rng.randint(10, 99)}"
        alias = alias.replace("-", "")
        while alias in self.aliases or alias in self.logins:
            alias = f"{first[0]}{last.replace('-', '')}{rng.randint(10, 9999)}"
        self.aliases.add(alias)
        return alias

    def academic_mail(self, account: Account) -> str:
        """`prenom.nom@ac-versailles.fr`, numbered from 2 for homonyms as the academies do."""
        base = f"{fold_for_login(account.first_name)}.{fold_for_login(account.last_name)}"
        count = self.academic_mails.get(base, 0) + 1
        self.academic_mails[base] = count
        return f"{base}{count if count > 1 else ''}@{ACADEMIC_MAIL_DOMAIN}"

    def personal_mail(self, account: Account, domains: WeightedChoice, young: bool = False) -> str:
        """A personal address in one of the usual shapes, unique as the providers make them."""
        rng = self.rng
        first, last = fold_for_login(account.first_name), fold_for_login(account.last_name)
        domain = domains(rng)
        shape = rng.random()
        if shape < 0.35:
            local = f"{first}.{last}"
        elif shape < 0.45:
            local = f"{first}{last}"
        elif shape < 0.55:
            local = f"{first[0]}.{last}"
        elif shape < 0.75:
            local = f"{first}.{last}{rng.randint(1, 99)}"
        elif shape < 0.85:
            local = f"{last}.{first}"
        else:
            year = rng.randint(8, 15) if young else rng.randint(60, 99)
            local = f"{first}{last}{year:02d}"
        address = f"{local}@{domain}"
        while address in self.personal_mails:  # the provider gave this one to someone else already
            address = f"{local}{rng.randint(1, 999)}@{domain}"
        self.personal_mails.add(address)
        return address

    def mobile_phone(self) -> str:
        """`06 12 34 56 78` (or 07)."""
        prefix = "06" if self.rng.random() < 0.7 else "07"
        digits = self.rng.randrange(100_000_000)
        return f"{prefix} {digits // 1_000_000:02d} {digits // 10_000 % 100:02d} {digits // 100 % 100:02d} " \
               f"{digits % 100:02d}"

    # -- dates -------------------------------------------------------------------------------------------------------

    def rentree(self, year: int) -> int:
        """A creation day around the start of the school year `year` (late August to mid-September)."""
        return datetime.date(year, 8, 25).toordinal() + self.rng.randint(0, 21)

    def last_connection(self, created: int) -> str:
        """`dd-MM-yyyy HH:mm`, mostly in the last days, never before the account existed."""
        rng = self.rng
        oldest = max(1, self.export_ordinal - max(created, OLDEST_CONNECTION.toordinal()))
        draw = rng.random()
        if draw < 0.45:
            days = rng.randint(1, min(7, oldest))
        elif draw < 0.75:
            days = rng.randint(1, min(60, oldest))
        else:
            days = rng.randint(1, oldest)
        hour = 7 + int(16 * rng.random() ** 0.8)
        return f"{format_day(self.export_ordinal - days, '%d-%m-%Y')} {hour:02d}:{rng.randrange(60):02d}"


@functools.lru_cache(maxsize=None)
def format_day(ordinal: int, fmt: str) -> str:
    """A day (as a date ordinal) in the given strftime format; cached, as exports only span a few hundred days."""
    return datetime.date.fromordinal(ordinal).strftime(fmt)


def school_names(kind: str, namesakes: tuple[str, ...], rng: random.Random):
    """Endless unique school names: each namesake once, then again with a town ("Lycée Victor-Hugo (Poissy)")."""
    used = {PERSONA_SCHOOL}
    for name in namesakes:
        if f"{kind} {name}" not in used:
            used.add(f"{kind} {name}")
            yield f"{kind} {name}"
    while True:
        name = f"{kind} {rng.choice(namesakes)} ({rng.choice(ACADEMY_TOWNS)})"
        if name not in used:
            used.add(name)
            yield name


# --------------------------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------------------------

def current_row(account: Account) -> tuple[str, ...]:
    return (account.uid, account.siecle, account.type, account.last_name, account.first_name, account.login,
            account.alias, account.code, account.functions, account.schools, account.classes, account.children,
            account.parents, account.last_seen, account.email, account.phone)


def legacy_row(account: Account) -> tuple[str, ...]:
    return (account.uid, account.siecle, account.type, account.last_name, account.first_name, account.login,
            account.code, account.functions, account.schools, account.classes, account.children, account.parents)


def publipostage_row(account: Account) -> tuple[str, ...]:
    return (account.last_name, account.first_name, FRENCH_PROFILES[account.type], account.login, account.code,
            account.email, account.classes, format_day(account.created, "%d/%m/%Y"))


VARIANTS = {
    "current": (CURRENT_HEADER, current_row),
    "legacy": (LEGACY_HEADER, legacy_row),
    "publipostage": (PUBLIPOSTAGE_HEADER, publipostage_row),
}


def write_export(path: str, generator: ExportGenerator, variant: str, encoding: str, crlf: bool,
                 separator: str) -> dict[str, int]:
    """Stream the export to `path` the way the ENT writes it; return the number of accounts per type and
    the number of activated ones (key "activated")."""
    header, row = VARIANTS[variant]
    end = '"\r\n' if crlf else '"\n'
    between = f'"{separator}"'
    counts = dict.fromkeys(ACCOUNT_TYPES, 0) | {"activated": 0}
    if encoding == "utf-8":
        options = {"encoding": "utf-8-sig"}  # the BOM the ENT writes
    else:
        options = {"encoding": "cp1252", "errors": CP1252_ERRORS}
    with open(path, "w", newline="", buffering=1 << 20, **options) as out:
        out.write('"' + between.join(header) + end)
        lines = []
        for account in generator:
            counts[account.type] += 1
            counts["activated"] += not account.code
            lines.append('"' + between.join(row(account)) + end)
            if len(lines) == 4096:
                out.write("".join(lines))
                lines.clear()
        out.write("".join(lines))
    return counts


# --------------------------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------------------------

def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Write a realistic ENT account export (Open ENT NG \"Exporter des comptes\") for demos, tests "
                    "and benchmarks. Fixed personas (Zoé Gérard, the two Camille Martin…) open every file.")
    parser.add_argument("--accounts", type=int, required=True,
                        help=f"number of accounts (data rows), {MIN_ACCOUNTS:,} to {MAX_ACCOUNTS:,}")
    parser.add_argument("-o", "--output", required=True, help="file to write")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42): same seed, same bytes")
    parser.add_argument("--variant", choices=tuple(VARIANTS), default="current",
                        help="current export (default), legacy export, or the console's publipostage list")
    parser.add_argument("--encoding", choices=("utf-8", "cp1252"), default="utf-8",
                        help="utf-8 with a BOM (default), or cp1252 as a spreadsheet re-saves it")
    parser.add_argument("--crlf", action="store_true", help="end lines with CRLF instead of LF")
    parser.add_argument("--separator", choices=(";", ","), default=";", metavar="{';',','}",
                        help="field separator (default ;)")
    arguments = parser.parse_args(argv)
    if not MIN_ACCOUNTS <= arguments.accounts <= MAX_ACCOUNTS:
        parser.error(f"--accounts must be between {MIN_ACCOUNTS:,} and {MAX_ACCOUNTS:,} "
                     f"(got {arguments.accounts:,})".replace(",", " "))
    return arguments


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    started = time.perf_counter()
    generator = ExportGenerator(arguments.accounts, arguments.seed)
    counts = write_export(arguments.output, generator, arguments.variant, arguments.encoding, arguments.crlf,
                          arguments.separator)
    elapsed = time.perf_counter() - started
    size = os.path.getsize(arguments.output)
    per_type = ", ".join(f"{kind} {counts[kind]}" for kind in ACCOUNT_TYPES)
    print(f"demo-export: {arguments.accounts} accounts in {len(generator.schools)} school(s) ({per_type}); "
          f"{counts['activated'] / arguments.accounts:.1%} activated; {size / 1e6:.1f} MB; {elapsed:.1f} s "
          f"-> {arguments.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
