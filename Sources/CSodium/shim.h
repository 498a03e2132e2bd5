// CSodium: libsodium as seen from Swift. Only GuichetCrypto imports this module (rule 2, Sources/README.md).
#ifndef GUICHET_CSODIUM_SHIM_H
#define GUICHET_CSODIUM_SHIM_H

#include <sodium.h>

// The one function-like macro GuichetCrypto needs, sodium_base64_ENCODED_LEN, has a function twin
// (sodium_base64_encoded_len), and libsodium exports every tuning constant as a function too
// (crypto_pwhash_opslimit_interactive() …), so no wrapper is needed here yet. Add prefixed
// `static inline guichet_sodium_…` wrappers below only for what Swift cannot call.

#endif
