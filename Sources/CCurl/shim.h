// CCurl: libcurl (the easy interface and its MIME API) as seen from Swift. Only the Mail module (SMTP) and the
// HTTPClient module (the ENT's HTTP API) import this module (rule 2, Sources/README.md).
#ifndef GUICHET_CCURL_SHIM_H
#define GUICHET_CCURL_SHIM_H

#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic ("CURL_EXTERN CURLcode curl_easy_setopt(CURL *curl,
// CURLoption option, ...)"), which Swift cannot call. libcurl's documentation says what type each option takes
// ("long", "char *", "struct curl_slist *", "curl_mime *"…), so there is one typed wrapper per argument type.

/// Sets an option whose argument is a `long` (CURLOPT_PORT, CURLOPT_USE_SSL, CURLOPT_TIMEOUT, CURLOPT_NOSIGNAL…).
static inline CURLcode guichet_curl_setopt_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}

/// Sets an option whose argument is a `char *` (CURLOPT_URL, CURLOPT_MAIL_FROM, CURLOPT_USERNAME…). libcurl copies
/// the string ("The application does not have to keep the string around after setting this option").
static inline CURLcode guichet_curl_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}

/// Sets an option whose argument is a `struct curl_slist *` (CURLOPT_MAIL_RCPT, CURLOPT_HTTPHEADER). libcurl does
/// NOT copy the list: it must outlive the transfer (the Swift owner frees it after the handle).
static inline CURLcode guichet_curl_setopt_slist(CURL *curl, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(curl, option, list);
}

/// Sets CURLOPT_MIMEPOST: the message built with the MIME API, which must also outlive the transfer.
static inline CURLcode guichet_curl_setopt_mime(CURL *curl, curl_mime *mime) {
    return curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
}

/// Reads CURLINFO_RESPONSE_CODE: "the last received HTTP, FTP, SMTP or LDAP response code".
static inline CURLcode guichet_curl_getinfo_response_code(CURL *curl, long *code) {
    return curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, code);
}

/// Sets an option whose argument is an opaque `void *` handed back to our callbacks (CURLOPT_WRITEDATA,
/// CURLOPT_HEADERDATA): "A data pointer to pass to the write callback".
static inline CURLcode guichet_curl_setopt_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}

/// Sets CURLOPT_WRITEFUNCTION or CURLOPT_HEADERFUNCTION: both take "size_t function(char *ptr, size_t size,
/// size_t nmemb, void *userdata)", libcurl's `curl_write_callback`.
static inline CURLcode guichet_curl_setopt_write_function(CURL *curl, CURLoption option, curl_write_callback function) {
    return curl_easy_setopt(curl, option, function);
}

/// Reads an info whose result is a `struct curl_slist *` the caller frees (CURLINFO_COOKIELIST: "a linked-list of
/// all cookies curl knows (expired ones, too)… you must call curl_slist_free_all() on the list").
static inline CURLcode guichet_curl_getinfo_slist(CURL *curl, CURLINFO info, struct curl_slist **list) {
    return curl_easy_getinfo(curl, info, list);
}

// What the two wrappers (Mail's SMTP, HTTPClient's HTTP) set up alike on every transfer, written once here because
// wrappers never import each other (rule 2, Sources/README.md) and a shared Swift target over CCurl would be a third
// wrapper for four options.

/// The options every transfer sets, on a fresh or reset handle: the only protocols it may speak ("smtp,smtps",
/// "http,https"); CURLOPT_NOSIGNAL ("set this option to 1 in multi-threaded applications": our callers are threads);
/// the connection and whole-transfer timeouts in milliseconds; and CURLOPT_ERRORBUFFER ("at least CURL_ERROR_SIZE
/// bytes big", cleared here). Returns the first failure, with the option's name in `failed` for the caller's error.
static inline CURLcode guichet_curl_common_options(CURL *curl, const char *protocols, long connect_timeout_ms,
                                                   long timeout_ms, char *error_buffer, const char **failed) {
    CURLcode code;
    error_buffer[0] = 0;
    if ((code = curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, protocols)) != CURLE_OK) {
        *failed = "CURLOPT_PROTOCOLS_STR";
    } else if ((code = curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK) {
        *failed = "CURLOPT_NOSIGNAL";
    } else if ((code = curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms)) != CURLE_OK) {
        *failed = "CURLOPT_CONNECTTIMEOUT_MS";
    } else if ((code = curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms)) != CURLE_OK) {
        *failed = "CURLOPT_TIMEOUT_MS";
    } else if ((code = curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer)) != CURLE_OK) {
        *failed = "CURLOPT_ERRORBUFFER";
    }
    return code;
}

/// What went wrong with a transfer, in words: the error buffer's message when libcurl wrote one ("a human readable
/// error message … may be more helpful than just the return code"), curl_easy_strerror's otherwise.
static inline const char *guichet_curl_error_text(CURLcode code, const char *error_buffer) {
    return error_buffer[0] != 0 ? error_buffer : curl_easy_strerror(code);
}

#endif
