import GuichetCrypto
import Testing

struct PasswordHashTests {
    @Test func hashVerifiesTheRightPasswordOnly() throws {
        let hash = try PasswordHash.hash("Cœur de pirate 42!")
        #expect(hash.hasPrefix("$argon2id$"))
        #expect(PasswordHash.verify("Cœur de pirate 42!", hash: hash))
        #expect(!PasswordHash.verify("Coeur de pirate 42!", hash: hash))
        #expect(!PasswordHash.verify("", hash: hash))
    }

    @Test func samePasswordHashesDifferentlyEachTime() throws {
        #expect(try PasswordHash.hash("secret") != PasswordHash.hash("secret"))
    }

    @Test func malformedHashNeverVerifiesAndNeedsRehash() {
        #expect(!PasswordHash.verify("secret", hash: ""))
        #expect(!PasswordHash.verify("secret", hash: "$argon2id$v=19$garbage"))
        #expect(!PasswordHash.verify("secret", hash: String(repeating: "a", count: 500)))
        #expect(PasswordHash.needsRehash("not a hash"))
    }

    @Test func freshHashDoesNotNeedRehashButWeakerParametersDo() throws {
        #expect(!PasswordHash.needsRehash(try PasswordHash.hash("secret")))
        // A genuine Argon2id hash of "secret" at t=1, m=8 MiB (made with crypto_pwhash_str_alg):
        // it still verifies, but sits below today's interactive limits.
        let weaker = "$argon2id$v=19$m=8192,t=1,p=1$uFlzpPd52SAO8mbPacv49Q$KkaDont8bjiCgeNA5DzKSz4MR5fsodK+Iozc1zQBc/4"
        #expect(PasswordHash.verify("secret", hash: weaker))
        #expect(PasswordHash.needsRehash(weaker))
    }
}
