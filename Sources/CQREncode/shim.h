// CQREncode: libqrencode (QR code matrices) as seen from Swift. Only the PDF module imports it.
#ifndef GUICHET_CQRENCODE_SHIM_H
#define GUICHET_CQRENCODE_SHIM_H

#include <qrencode.h>

// No wrappers: QRcode_encodeString, QRcode_free and the QRcode struct import as they are.
// Add prefixed `static inline guichet_qr_…` wrappers here only for what Swift cannot call.

#endif
