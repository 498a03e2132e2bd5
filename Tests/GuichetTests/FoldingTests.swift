import Testing
@testable import Guichet

@Suite struct FoldingTests {
    @Test func foldRemovesAccentsAndSpellsOutLigatures() {
        #expect(Folding.fold("Nathanaël GÉRARD") == "nathanael gerard")
        #expect(
            Folding.fold("Cœur Lætitia Straße Łukasz Øyvind Șerban Nguyễn")
                == "coeur laetitia strasse lukasz oyvind serban nguyen")
    }

    @Test func wordsSplitOnApostrophesHyphensAndSpaces() {
        #expect(Folding.words("N'Diaye Jean-Pierre  de La Fontaine") == ["n", "diaye", "jean", "pierre", "de", "la", "fontaine"])
        #expect(Folding.words("N’Diaye") == ["n", "diaye"])
    }

    @Test func keyRunsWordsTogether() {
        #expect(Folding.key("2NDE 3") == "2nde3")
        #expect(Folding.key("N'Diaye") == "ndiaye")
    }

    @Test func sortKeyOrdersLikeAFrenchRegister() {
        let names = [("Émile", "Zoé"), ("Eddine", "Ali"), ("Le", "Paul"), ("Lebrun", "Anne"), ("Ébert", "Jean")]
        let sorted = names.sorted {
            Folding.sortKey(lastName: $0.0, firstName: $0.1) < Folding.sortKey(lastName: $1.0, firstName: $1.1)
        }
        #expect(sorted.map(\.0) == ["Ébert", "Eddine", "Émile", "Le", "Lebrun"])
    }
}
