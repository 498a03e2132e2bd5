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

/// Sets CURLOPT_ERRORBUFFER: a buffer of at least CURL_ERROR_SIZE bytes where libcurl writes a readable message.
static inline CURLcode guichet_curl_setopt_error_buffer(CURL *curl, char *buffer) {
    return curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, buffer);
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

#endif
